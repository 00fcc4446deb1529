/**
 * @module Serves the built console (backend/dist/console) at `/`. Hashed files under /assets/ are cached for a
 * year; every other page path gets index.html (the console routes in the browser). API paths never reach it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

/**
 * Sent with every console response. The console loads nothing but its own files and runs no inline script.
 * Pages carry a fresh style nonce: CodeMirror injects its styles as <style> elements and tags them with it.
 */
export function consoleSecurityHeaders(styleNonce?: string): Record<string, string> {
  return {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      `style-src 'self'${styleNonce ? ` 'nonce-${styleNonce}'` : ''}`,
      // CodeMirror also sets a style attribute (tab-size) on its editable element; attributes cannot load or run anything.
      "style-src-attr 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}

/** The page with its style nonce in a meta tag, where the console reads it. */
export function pageWithNonce(html: string, nonce: string): string {
  return html.replace(/<head>/i, `<head>\n    <meta name="fixpoint-style-nonce" content="${nonce}" />`);
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

interface ConsoleFile {
  body: Uint8Array;
  gzip: Uint8Array | null;
  type: string;
  etag: string;
  immutable: boolean;
}

/** What a request path resolves to: a file to send, the SPA page, or nothing (let the API answer). */
export type ConsoleTarget = { kind: 'file'; path: string } | { kind: 'page' } | { kind: 'pass' } | { kind: 'missing' };

/**
 * Decides how the console answers `pathname`, given the set of built file paths (`/index.html`, `/assets/…`).
 * API paths and /healthz pass through; existing files are sent; paths without an extension are pages.
 */
export function resolveConsoleTarget(pathname: string, files: ReadonlySet<string>): ConsoleTarget {
  if (pathname === '/api' || pathname.startsWith('/api/') || pathname === '/healthz') return { kind: 'pass' };
  // index.html is always the page: it needs a fresh style nonce.
  if (pathname === '/index.html') return { kind: 'page' };
  if (pathname !== '/' && files.has(pathname)) return { kind: 'file', path: pathname };
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  // A missing /assets/x.js must be a 404, not the page: a stale tab would otherwise parse HTML as a script.
  if (pathname.startsWith('/assets/') || last.includes('.')) return { kind: 'missing' };
  return { kind: 'page' };
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : Promise.resolve(e.isFile() ? [join(dir, e.name)] : []))),
  );
  return nested.flat();
}

async function loadFiles(dir: string): Promise<Map<string, ConsoleFile>> {
  const files = new Map<string, ConsoleFile>();
  for (const path of await walk(dir)) {
    const body = new Uint8Array(await readFile(path));
    const url = `/${relative(dir, path).split(sep).join('/')}`;
    const type = contentTypes[extname(path)] ?? 'application/octet-stream';
    const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && body.length > 512;
    const gzip = compressible ? new Uint8Array(gzipSync(body, { level: 9 })) : null;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    files.set(url, { body, gzip: gzip && gzip.length < body.length ? gzip : null, type, etag, immutable: url.startsWith('/assets/') });
  }
  return files;
}

/** Where the build puts the console, seen from the bundled backend (dist/main.mjs) or from the sources (src/http). */
export function defaultConsoleDir(): string | undefined {
  const candidates = [new URL('./console/', import.meta.url), new URL('../../dist/console/', import.meta.url)];
  return candidates.map((u) => fileURLToPath(u)).find((dir) => existsSync(join(dir, 'index.html')));
}

const notBuilt = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fixpoint</title></head><body>
<h1>The console is not built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds what is stale).</p>
<p>The API is available under <a href="/api/docs">/api/docs</a>.</p></body></html>`;

/** Middleware that answers GET and HEAD for console paths and passes everything else on. */
export function serveConsole(dir: string | undefined = defaultConsoleDir()): MiddlewareHandler {
  let files: Promise<Map<string, ConsoleFile>> | undefined;
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const loaded = dir ? await (files ??= loadFiles(dir).catch(() => new Map())) : new Map<string, ConsoleFile>();
    // Not built yet: look again on the next request instead of remembering the empty directory.
    if (!loaded.size) files = undefined;
    const target = resolveConsoleTarget(c.req.path, new Set(loaded.keys()));
    if (target.kind === 'pass') return next();
    if (target.kind === 'missing') {
      for (const [name, value] of Object.entries(consoleSecurityHeaders())) c.header(name, value);
      return c.text('not found', 404);
    }
    const file = loaded.get(target.kind === 'file' ? target.path : '/index.html');
    if (!file) return c.html(notBuilt, 503, consoleSecurityHeaders());
    if (target.kind === 'page') {
      // A new nonce per response, so the page is never cached and carries no validator.
      const nonce = randomBytes(16).toString('base64');
      return c.html(pageWithNonce(new TextDecoder().decode(file.body), nonce), 200, {
        ...consoleSecurityHeaders(nonce),
        'cache-control': 'no-store',
      });
    }
    for (const [name, value] of Object.entries(consoleSecurityHeaders())) c.header(name, value);
    c.header('content-type', file.type);
    c.header('etag', file.etag);
    c.header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    c.header('vary', 'accept-encoding');
    if (c.req.header('if-none-match') === file.etag) return c.body(null, 304);
    const gzip = file.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    if (gzip) c.header('content-encoding', 'gzip');
    const body = gzip ? file.gzip! : file.body;
    c.header('content-length', String(body.length));
    if (c.req.method === 'HEAD') return c.body(null, 200);
    return c.body(body as Uint8Array<ArrayBuffer>, 200);
  };
}
