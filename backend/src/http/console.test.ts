import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { resolveConsoleTarget } from './console';

const dir = mkdtempSync(join(tmpdir(), 'fixpoint-console-files-'));
const page = '<!doctype html><html><head><title>Fixpoint</title></head><body><script type="module" src="/assets/index-abc123.js"></script></body></html>';
const script = `console.log(${JSON.stringify('x'.repeat(2000))});`;
let t: TestBackend;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), page);
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), script);
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  t = await createTestBackend();
  app = createApp(t.ctx, { consoleDir: dir });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('resolveConsoleTarget', () => {
  const files = new Set(['/index.html', '/assets/a.js', '/favicon.svg']);
  it('passes API paths and /healthz through', () => {
    for (const p of ['/api', '/api/v1/users', '/api/docs', '/healthz']) expect(resolveConsoleTarget(p, files).kind).toBe('pass');
  });
  it('sends files, pages for extensionless paths, and 404 for missing assets', () => {
    expect(resolveConsoleTarget('/assets/a.js', files)).toEqual({ kind: 'file', path: '/assets/a.js' });
    expect(resolveConsoleTarget('/', files).kind).toBe('page');
    expect(resolveConsoleTarget('/index.html', files).kind).toBe('page');
    expect(resolveConsoleTarget('/actions/clean-temp', files).kind).toBe('page');
    expect(resolveConsoleTarget('/assets/old.js', files).kind).toBe('missing');
    expect(resolveConsoleTarget('/robots.txt', files).kind).toBe('missing');
  });
});

describe('serving the console', () => {
  it('answers page paths with index.html, a style nonce and the security headers', async () => {
    for (const path of ['/', '/actions', '/admin/users?x=1']) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      const html = await res.text();
      const nonce = html.match(/<meta name="fixpoint-style-nonce" content="([^"]+)"/)?.[1];
      expect(nonce).toBeTruthy();
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const [a, b] = await Promise.all([app.request('/'), app.request('/')]);
    expect(await a.text()).not.toBe(await b.text());
  });

  it('caches hashed assets for a year, compresses them and answers conditional requests', async () => {
    const res = await app.request('/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(script);
    const plain = await app.request('/assets/index-abc123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
    const again = await app.request('/assets/index-abc123.js', { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const head = await app.request('/favicon.svg', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 404 for a missing asset instead of the page', async () => {
    const res = await app.request('/assets/index-old.js');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).not.toContain('html');
  });

  it('leaves the API, its 404s and other methods to the API', async () => {
    const health = await app.request('/healthz');
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const unknown = await app.request('/api/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await app.request('/api/v1/auth/me')).status).toBe(401);
    const post = await app.request('/actions', { method: 'POST' });
    expect(post.status).toBe(404);
    expect(await post.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('explains how to build the console when it is missing', async () => {
    const bare = createApp(t.ctx, { consoleDir: join(dir, 'nope') });
    const res = await bare.request('/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});
