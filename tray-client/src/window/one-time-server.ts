/**
 * @module What every tray page server shares (prompt, tools, help): 127.0.0.1 at a random port under a random one-time
 * path, `http://127.0.0.1:<port>/<kind>/<token>/`; the page loads once, with a CSP that admits its inline script by hash
 * alone. Requests naming another host (DNS rebinding) or another path get 404; after `close()` every path does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The CSP of every response: no script but the page's own (by hash), no requests but to this server. */
export function contentSecurityPolicy(scriptHash = "'none'"): string {
  return `default-src 'none'; script-src ${scriptHash}; style-src 'self' 'unsafe-inline'; img-src data: https:; connect-src 'self'; base-uri 'none'; form-action 'none'`;
}

let hashed: { script: string; hash: string } | null = null;
/** The CSP source of an inline script (the page script is the same for every window: hashed once). */
export function scriptHash(script: string): string {
  if (hashed?.script !== script) hashed = { script, hash: `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'` };
  return hashed.hash;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON that can sit in a `<script>` element: no `<`, so no `</script>` or `<!--` inside. */
const scriptSafeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export interface PageHtmlOptions {
  title: string;
  lang: string;
  /** The id of the JSON data block the page script reads. */
  dataId: string;
  data: unknown;
  script: string;
  /** The page's own CSS, inline. */
  style: string;
}

/** A page with its data block and script inline: nothing else to load. */
export function pageHtml({ title, lang, dataId, data, script, style }: PageHtmlOptions): string {
  if (/<\/script|<!--/i.test(script)) throw new Error('the page script cannot be inlined: it contains </script or <!--');
  return `<!doctype html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head><body><script type="application/json" id="${dataId}">${scriptSafeJson(data)}</script><script type="module">${script}</script></body></html>`;
}

/** The body as text; 'too_large' past `max` bytes (the rest is read and dropped, so the reply still arrives). */
export function readBody(req: IncomingMessage, max = 1024 * 1024): Promise<string | null | 'too_large'> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > max ? 'too_large' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

/** A JSON body, or null when it is missing, too large or not JSON. */
export async function readJson(req: IncomingMessage, max?: number): Promise<unknown> {
  const body = await readBody(req, max);
  if (body === null || body === 'too_large') return null;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/** Writes a whole response with the tray's safe headers (and a CSP that admits nothing unless given one). */
export type Send = (res: ServerResponse, status: number, type: string, body?: string, csp?: string) => void;

export const send: Send = (res, status, type, body = '', csp = contentSecurityPolicy()) => {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
  res.end(body);
};

export interface OneTimeServerOptions {
  /** The path's first segment: `p` prompt, `t` tool window, `h` help form. */
  kind: string;
  /** The page and the script inlined in it (hashed into the page's CSP). */
  html: string;
  script: string;
  /** Any other request under the path, after the page loaded or not: `rest` is the path after the token. */
  handle(req: IncomingMessage, res: ServerResponse, rest: string, loaded: boolean): Promise<void> | void;
  /** False once the page has done its work: every path then gets 404, as after `close()`. */
  open?(): boolean;
  /** Runs on close, before the connections are dropped. */
  onClose?(): void;
}

export interface OneTimeServer {
  url: string;
  readonly loaded: boolean;
  close(): void;
}

export async function serveOneTime(options: OneTimeServerOptions): Promise<OneTimeServer> {
  const prefix = `/${options.kind}/${randomBytes(24).toString('base64url')}/`;
  const pageCsp = contentSecurityPolicy(scriptHash(options.script));
  let loaded = false;
  let closed = false;
  const server = createServer((req, res) => {
    void (async () => {
      const port = (server.address() as AddressInfo).port;
      const path = (req.url ?? '').split('?')[0]!;
      if (closed || options.open?.() === false || req.headers.host !== `127.0.0.1:${port}` || !path.startsWith(prefix)) return send(res, 404, 'text/plain', 'not found');
      const rest = path.slice(prefix.length);
      if (req.method === 'GET' && rest === '' && !loaded) {
        loaded = true;
        return send(res, 200, 'text/html; charset=utf-8', options.html, pageCsp);
      }
      await options.handle(req, res, rest, loaded);
    })().catch(() => send(res, 500, 'text/plain'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`,
    get loaded() {
      return loaded;
    },
    close: () => {
      closed = true;
      options.onClose?.();
      server.closeAllConnections();
      server.close();
    },
  };
}
