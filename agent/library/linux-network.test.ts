/**
 * Runs the Linux scripts of the network actions for real, against servers this test starts on 127.0.0.1: a plain
 * HTTP server, and a TLS server with a self-signed certificate made by openssl.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../src/testing/helpers';
import { describeEachToolset, hasCommand, libraryAction as action, missingOutputs, runLinux } from './testing';

const listen = async <T extends Server | TlsServer>(server: T): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let http: Server;
let httpPort = 0;
beforeAll(async () => {
  http = createServer((req, res) => res.writeHead(req.url === '/health' ? 204 : 404).end());
  httpPort = await listen(http);
});
afterAll(() => new Promise((resolve) => http.close(resolve)));

describeEachToolset('network-diagnostics', () => {
  it('resolves the host, requests the URL, and times both', async () => {
    const r = await runLinux(action('network-diagnostics'), { url: `http://127.0.0.1:${httpPort}/health`, host: 'localhost' });
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(missingOutputs(action('network-diagnostics'), r)).toEqual([]);
    expect(r.outputs).toMatchObject({ host: 'localhost', resolved: true, http_status: 204, reachable: true, error: '' });
    expect(r.outputs.addresses).toEqual(expect.arrayContaining([expect.stringMatching(/^(127\.0\.0\.1|::1)$/)]));
    for (const time of [r.outputs.resolve_time, r.outputs.http_time] as number[]) {
      expect(time).toBeGreaterThanOrEqual(0);
      expect(time).toBeLessThan(10);
    }
  });

  it("takes the URL's host when no host is given, and reports HTTP errors as reachable", async () => {
    const r = await runLinux(action('network-diagnostics'), { url: `http://localhost:${httpPort}/missing?x=1#y` });
    expect(r.outputs).toMatchObject({ host: 'localhost', resolved: true, http_status: 404, reachable: true });
  });

  it('reports an unresolvable host and an unreachable URL without failing the run', async () => {
    const port = await closedPort();
    const r = await runLinux(action('network-diagnostics'), { url: `http://127.0.0.1:${port}/`, host: 'no-such-host.invalid' });
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(r.outputs).toMatchObject({ host: 'no-such-host.invalid', resolved: false, addresses: [], http_status: 0, reachable: false });
    expect(r.outputs.error).toMatch(/^no-such-host\.invalid does not resolve; http:\/\/127\.0\.0\.1:\d+\/ did not answer: /);
  });

  it('rejects other schemes, spaces and option-like hosts', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ url: 'file:///etc/passwd' }, "url must start with http:// or https://, not 'file:///etc/passwd'"],
      [{ url: 'http://example.com/a b' }, 'url may only contain printable ASCII characters (no spaces)'],
      [{ url: 'http://example.com/', host: '-oProxyCommand=x' }, "invalid host name: '-oProxyCommand=x'"],
      [{ url: 'http://example.com/', host: 'a;b' }, "invalid host name: 'a;b'"],
    ];
    for (const [params, message] of cases) {
      const r = await runLinux(action('network-diagnostics'), params);
      expect(r.status).toBe('failed');
      expect(r.error).toBe(`network-diagnostics: ${message}`);
    }
  });
});

const openssl = hasCommand('openssl');

describeEachToolset('check-certificate-expiry', () => {
  let tls: TlsServer;
  let port = 0;
  let certificate: X509Certificate;
  beforeAll(async () => {
    if (!openssl) return;
    const dir = tempDir();
    const made = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '10',
      '-subj', '/CN=localhost/O=Fixpoint Test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ]);
    expect(made.status, String(made.stderr)).toBe(0);
    const cert = readFileSync(join(dir, 'cert.pem'));
    certificate = new X509Certificate(cert);
    tls = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (socket) => socket.end());
    tls.on('tlsClientError', () => {});
    port = await listen(tls);
  });
  afterAll(() => tls && new Promise((resolve) => tls.close(resolve)));

  it.skipIf(!openssl)('reads the expiry, days left and names of a self-signed certificate', async () => {
    const r = await runLinux(action('check-certificate-expiry'), { host: 'localhost', port });
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(missingOutputs(action('check-certificate-expiry'), r)).toEqual([]);
    expect(r.outputs).toMatchObject({
      expires: new Date(certificate.validTo).toISOString(),
      expiring_soon: true,
      expired: false,
      trusted: false,
      subject: 'O=Fixpoint Test,CN=localhost',
      issuer: 'O=Fixpoint Test,CN=localhost',
    });
    // Ten days from the second the certificate was made: 9 once a second has passed, 10 within that second.
    expect([9, 10]).toContain(r.outputs.days_left);
    const relaxed = await runLinux(action('check-certificate-expiry'), { host: '127.0.0.1', port, warn_days: 5 });
    expect(relaxed.outputs).toMatchObject({ expiring_soon: false, trusted: false });
  });

  it.skipIf(!openssl)('fails clearly when nothing answers, and rejects bad hosts and ports', async () => {
    const r = await runLinux(action('check-certificate-expiry'), { host: '127.0.0.1', port: await closedPort() });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/^check-certificate-expiry: no TLS certificate from 127\.0\.0\.1:\d+: /);
    const http = await runLinux(action('check-certificate-expiry'), { host: '127.0.0.1', port: httpPort });
    expect(http.error).toMatch(/no TLS certificate from/);
    const hostile = await runLinux(action('check-certificate-expiry'), { host: '-proxy evil:1' });
    expect(hostile.error).toBe("check-certificate-expiry: invalid host: '-proxy evil:1'");
    const badPort = await runLinux(action('check-certificate-expiry'), { host: 'localhost', port: 70000 });
    expect(badPort.error).toBe("check-certificate-expiry: port must be a number from 1 to 65535, not '70000'");
  });

  it.skipIf(openssl)('fails clearly without openssl', async () => {
    const r = await runLinux(action('check-certificate-expiry'), { host: 'localhost' });
    expect(r.error).toBe('check-certificate-expiry: openssl is not installed on this device');
  });
});
