/**
 * Bodies read straight from Node's request stream (the path a served backend takes): a JSON body, a chunked body
 * without a length, the size limit with and without a declared length, and the errors for bad input.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAction } from '../testing/actions';
import { createTestBackend, type TestBackend } from '../testing/harness';

let t: TestBackend;
let server: ServerType;
let port: number;
let author: Record<string, string>;

beforeAll(async () => {
  t = await createTestBackend();
  author = await t.as('author');
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t?.close();
});

/** Sends `chunks` one after another; without a content-length they go chunked. */
function send(path: string, chunks: (string | Buffer)[], headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...author, 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('request bodies over a socket', () => {
  it('reads a JSON body with a declared length and stores it', async () => {
    const body = JSON.stringify(sampleAction({ slug: 'from-stream', name: 'From the stream' }));
    const res = await send('/api/v1/actions', [body], { 'content-length': String(Buffer.byteLength(body)) });
    expect(res.status).toBe(201);
    expect((await t.call('GET', '/api/v1/actions/from-stream', { headers: author })).body.name).toBe('From the stream');
  });

  it('reads a chunked body split inside a multi-byte character', async () => {
    const body = Buffer.from(JSON.stringify(sampleAction({ slug: 'chunked', name: 'Café ☕ chunked' })));
    const cut = body.indexOf(Buffer.from('☕')) + 1;
    const res = await send('/api/v1/actions', [body.subarray(0, cut), body.subarray(cut)], {});
    expect(res.status).toBe(201);
    expect((await t.call('GET', '/api/v1/actions/chunked', { headers: author })).body.name).toBe('Café ☕ chunked');
  });

  it('answers 413 above the limit, declared or not, and stores nothing', async () => {
    const big = JSON.stringify(sampleAction({ slug: 'too-big', description: 'x'.repeat(3 * 1024 * 1024) }));
    const declared = await send('/api/v1/actions', [big], { 'content-length': String(Buffer.byteLength(big)) });
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('payload_too_large');
    const half = Math.floor(big.length / 2);
    const chunked = await send('/api/v1/actions', [big.slice(0, half), big.slice(half)], {});
    expect(chunked.status).toBe(413);
    expect((await t.call('GET', '/api/v1/actions/too-big', { headers: author })).status).toBe(404);
  });

  it('answers 400 to broken JSON and 415 to another media type', async () => {
    const broken = await send('/api/v1/actions', ['{"slug": '], {});
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_json');
    const text = await send('/api/v1/actions', ['slug=x'], { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
  });
});
