import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPaths } from '../config';
import { FakeServer } from '../testing/fake-server';
import { tempDir } from '../testing/helpers';
import { enrollDevice, isLoopbackHost } from './enroll';

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
