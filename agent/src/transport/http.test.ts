import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/helpers';
import { postJson, request } from './http';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => (s.closeAllConnections(), s.close(r))))));

async function listen(server: Server, handler: Handler): Promise<number> {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, body, res));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('request over node:http', () => {
  let base: string;
  beforeAll(async () => {
    const port = await listen(createServer(), (req, body, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
      if (req.url === '/big') return void res.end('x'.repeat(4096));
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'], length: req.headers['content-length'], body }));
    });
    base = `http://127.0.0.1:${port}`;
  });

  it('posts JSON with its length and reads the answer, whatever the status', async () => {
    const res = await postJson(`${base}/echo`, { name: 'héllo' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ method: 'POST', type: 'application/json', length: '17', body: '{"name":"héllo"}' });
    expect((await request(`${base}/missing`)).status).toBe(404);
  });

  it('gives up after the timeout and refuses oversized answers', async () => {
    await expect(request(`${base}/slow`, { timeoutMs: 200 })).rejects.toThrow(/no answer from 127\.0\.0\.1:\d+ within 200 ms/);
    await expect(request(`${base}/big`, { maxBytes: 1000 })).rejects.toThrow(/larger than 1000 bytes/);
  });

  it('reports a refused connection, and refuses other schemes', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(request(`http://127.0.0.1:${port}/`)).rejects.toThrow(/ECONNREFUSED/);
    await expect(request('file:///etc/passwd')).rejects.toThrow(/cannot request file: URLs/);
  });
});

describe('request over node:https', () => {
  it('verifies the certificate: a self-signed server is refused, and accepted once its CA is trusted by the process', async () => {
    const dir = tempDir();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'));
    const port = await listen(createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert }), (_req, _body, res) => res.end('secret'));
    await expect(request(`https://127.0.0.1:${port}/`)).rejects.toThrow(/self[- ]signed certificate/);
    // The same check with the certificate as a root (as NODE_EXTRA_CA_CERTS would add it) passes: nothing else was wrong.
    const { globalAgent } = await import('node:https');
    const previous = globalAgent.options.ca;
    globalAgent.options.ca = cert;
    try {
      expect(await request(`https://127.0.0.1:${port}/`)).toEqual({ status: 200, text: 'secret' });
    } finally {
      globalAgent.options.ca = previous;
    }
  });
});
