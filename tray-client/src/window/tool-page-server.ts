/**
 * @module The page of a tray window other than a prompt (self-service, activity), served like every tray page
 * (`one-time-server.ts`) at `/t/<token>/`. The window then reads updates as server-sent events (`GET events`) and posts the user's
 * requests (`POST run {action}`, `POST refresh`). Other hosts (DNS rebinding) and paths get 404.
 */
import type { ServerResponse } from 'node:http';
import { Slug } from '@fixpoint/protocol';
import { toolDataId, type ToolPageData, type ToolUpdate } from '../page/tool-data';
import { pageHtml, readJson, send, serveOneTime } from './one-time-server';

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

const maxBody = 4096;
const style = 'html,body{margin:0;background:#f8fafc;font:15px/1.45 system-ui,sans-serif}body>*{margin:1rem auto}';

export async function serveToolPage(options: ToolPageOptions): Promise<ToolPage> {
  const streams = new Set<ServerResponse>();
  const last = new Map<ToolUpdate['kind'], ToolUpdate>();
  const write = (res: ServerResponse, update: ToolUpdate) => res.write(`data: ${JSON.stringify(update)}\n\n`);
  const html = pageHtml({ title: options.title, lang: options.data.language, dataId: toolDataId, data: options.data, script: options.script, style });

  const server = await serveOneTime({
    kind: 't',
    html,
    script: options.script,
    onClose: () => {
      for (const res of streams) res.end();
    },
    async handle(req, res, rest, loaded) {
      if (req.method === 'GET' && rest === 'events' && loaded) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
        streams.add(res);
        res.on('close', () => streams.delete(res));
        for (const update of last.values()) write(res, update);
        return;
      }
      if (req.method === 'POST' && (rest === 'run' || rest === 'refresh')) {
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'text/plain', 'use application/json');
        const body = (await readJson(req, maxBody)) as { action?: unknown } | null;
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
    },
  });
  return {
    url: server.url,
    push(update) {
      last.set(update.kind, update);
      for (const res of streams) write(res, update);
    },
    close: () => server.close(),
  };
}
