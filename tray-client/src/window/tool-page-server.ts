/**
 * @module The page of a tray window other than a prompt (self-service, activity), served like the prompt page
 * (`page-server.ts`): on 127.0.0.1 at a random port under a random path, `http://127.0.0.1:<port>/t/<token>/`, loaded
 * once, with the same CSP. The window then reads updates as server-sent events (`GET events`) and posts the user's
 * requests (`POST run {action}`, `POST refresh`). Other hosts (DNS rebinding) and paths get 404.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Slug } from '@fixpoint/protocol';
import { toolDataId, type ToolPageData, type ToolUpdate } from '../page/tool-data';
import { contentSecurityPolicy } from './page-server';

export interface ToolPageOptions {
  data: ToolPageData;
  title: string;
  /** The page script (the same bundle as the prompt page's). */
  script: string;
  onRun?(action: string): void;
  onRefresh?(): void;
}

export interface ToolPage {
  url: string;
  /** Sends an update to the window (and to a window that connects later: the last of each kind is kept). */
  push(update: ToolUpdate): void;
  close(): void;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const scriptSafeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
const maxBody = 4096;

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > maxBody) req.destroy();
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(null);
      }
    });
    req.on('error', () => resolve(null));
  });
}

export async function serveToolPage(options: ToolPageOptions): Promise<ToolPage> {
  const token = randomBytes(24).toString('base64url');
  const prefix = `/t/${token}/`;
  if (/<\/script|<!--/i.test(options.script)) throw new Error('the page script cannot be inlined');
  const lang = escapeHtml(options.data.language);
  const html = `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(options.title)}</title>
<style>html,body{margin:0;background:#f8fafc;font:15px/1.45 system-ui,sans-serif}body>*{margin:1rem auto}</style>
</head><body><main><script type="application/json" id="${toolDataId}">${scriptSafeJson(options.data)}</script><script type="module">${options.script}</script></main></body></html>`;
  const pageCsp = contentSecurityPolicy(`'sha256-${createHash('sha256').update(options.script, 'utf8').digest('base64')}'`);
  let loaded = false;
  let closed = false;
  const streams = new Set<ServerResponse>();
  const last = new Map<ToolUpdate['kind'], ToolUpdate>();

  const send = (res: ServerResponse, status: number, type: string, body = '', csp = contentSecurityPolicy()) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
    res.end(body);
  };
  const write = (res: ServerResponse, update: ToolUpdate) => res.write(`data: ${JSON.stringify(update)}\n\n`);

  const server = createServer((req, res) => {
    void (async () => {
      const port = (server.address() as AddressInfo).port;
      const path = (req.url ?? '').split('?')[0]!;
      if (closed || req.headers.host !== `127.0.0.1:${port}` || !path.startsWith(prefix)) return send(res, 404, 'text/plain', 'not found');
      const rest = path.slice(prefix.length);
      if (req.method === 'GET' && rest === '' && !loaded) {
        loaded = true;
        return send(res, 200, 'text/html; charset=utf-8', html, pageCsp);
      }
      if (req.method === 'GET' && rest === 'events' && loaded) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
        streams.add(res);
        res.on('close', () => streams.delete(res));
        for (const update of last.values()) write(res, update);
        return;
      }
      if (req.method === 'POST' && (rest === 'run' || rest === 'refresh')) {
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'text/plain', 'use application/json');
        const body = (await readBody(req)) as { action?: unknown } | null;
        if (rest === 'refresh') {
          send(res, 204, 'text/plain');
          return options.onRefresh?.();
        }
        const action = Slug.safeParse(body?.action);
        if (!action.success || !options.onRun) return send(res, 400, 'text/plain', 'name a fix');
        send(res, 204, 'text/plain');
        return options.onRun(action.data);
      }
      send(res, 404, 'text/plain', 'not found');
    })().catch(() => send(res, 500, 'text/plain'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    push(update) {
      last.set(update.kind, update);
      for (const res of streams) write(res, update);
    },
    close() {
      closed = true;
      for (const res of streams) res.end();
      server.closeAllConnections();
      server.close();
    },
  };
}
