import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPaths } from '../config';
import { FakeServer } from '../testing/fake-server';
import { tempDir } from '../testing/helpers';
import { chooseDeviceName, enrollDevice, isLoopbackHost } from './enroll';

let server: FakeServer;
beforeAll(async () => {
  server = new FakeServer();
  await server.start();
});
afterAll(() => server.stop());

const hostOf = (url: string) => new URL(url).hostname;
const enroll = (url: string, insecureHttp?: boolean) =>
  enrollDevice({ paths: agentPaths(tempDir()), server: url, token: 'enroll-token-0123456789', insecureHttp, collectFacts: async () => ({}) });

describe('enrolling over plain http', () => {
  it('counts only this machine as loopback', () => {
    for (const url of ['http://localhost', 'http://LOCALHOST.', 'http://127.0.0.1', 'http://127.9.8.7', 'http://127.1', 'http://[::1]', 'http://[::ffff:127.0.0.1]'])
      expect(isLoopbackHost(hostOf(url)), url).toBe(true);
    for (const url of ['http://0.0.0.0', 'http://10.0.0.1', 'http://128.0.0.1', 'http://127.0.0.1.nip.io', 'http://localhost.example.com', 'http://[::2]', 'http://[::ffff:10.0.0.1]', 'http://fixpoint.example.com'])
      expect(isLoopbackHost(hostOf(url)), url).toBe(false);
  });

  it('refuses another host without --insecure-http, before sending anything, and allows it with the flag', async () => {
    const remote = server.url.replace('127.0.0.1', '0.0.0.0');
    const before = server.devices.size;
    await expect(enroll(remote)).rejects.toThrow(/refusing to enroll over plain http .*use https:\/\/, or pass --insecure-http/i);
    expect(server.devices.size).toBe(before);
    expect((await enroll(remote, true)).server).toBe(remote);
    expect((await enroll(server.url)).server).toBe(server.url);
    expect(server.devices.size).toBe(before + 2);
  });
});

describe('enrollment name', () => {
  it('uses the host name, made host-name-safe when the computer name is not one', () => {
    expect(chooseDeviceName(undefined, 'LT-ABEL-0042')).toBe('LT-ABEL-0042');
    expect(chooseDeviceName(undefined, 'Ana’s MacBook Pro')).toBe('Ana-s-MacBook-Pro');
    expect(chooseDeviceName(undefined, 'DESKTOP_01')).toBe('DESKTOP-01');
    expect(() => chooseDeviceName(undefined, '___')).toThrow(/pass --name/);
  });

  it('takes --name as given, and refuses one that is not a host name', () => {
    expect(chooseDeviceName(' kiosk-7 ', 'ignored')).toBe('kiosk-7');
    expect(() => chooseDeviceName('kiosk 7', 'ignored')).toThrow(/--name must be the device's host name: .*not " "/);
  });
});

describe('enrollDevice', () => {
  it('refuses a bad --name before asking the server', async () => {
    const before = server.devices.size;
    const paths = agentPaths(tempDir());
    await expect(enrollDevice({ paths, server: server.url, token: 'enroll-token-0123456789', name: '<b>pc</b>' })).rejects.toThrow(/host name/);
    expect(server.devices.size).toBe(before);
  });
});

describe('enrollment errors', () => {
  const paths = () => agentPaths(tempDir());
  it('names a host that does not resolve', async () => {
    const url = 'https://fixpoint.invalid';
    await expect(enrollDevice({ paths: paths(), server: url, token: 'enroll-token-0123456789', collectFacts: async () => ({}) })).rejects.toThrow(
      /^cannot enroll with https:\/\/fixpoint\.invalid\/api\/v1\/enroll: host name (not found \(ENOTFOUND\)|lookup failed for now \(DNS\) \(EAI_AGAIN\))$/,
    );
  });

  it('says TLS when https meets a server that does not speak it', async () => {
    const url = server.url.replace('http:', 'https:');
    await expect(enrollDevice({ paths: paths(), server: url, token: 'enroll-token-0123456789', collectFacts: async () => ({}) })).rejects.toThrow(
      new RegExp(`^cannot enroll with ${url.replace(/[.]/g, '\\.')}/api/v1/enroll: TLS: wrong version number \\(does the server speak https\\?\\) \\((EPROTO|ERR_SSL_[A-Z_]+)\\)$`),
    );
  });
});
