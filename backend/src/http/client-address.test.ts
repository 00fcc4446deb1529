import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { clientAddress, trustedProxyList } from './client-address';

async function addressOf(trusted: string[], socket: string | undefined, forwardedFor?: string): Promise<string> {
  const app = new Hono();
  const list = trusted.length ? trustedProxyList(trusted) : null;
  app.get('/', (c) => c.text(clientAddress(c, list)));
  const headers: Record<string, string> = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  const res = await app.request('/', { headers }, socket ? { incoming: { socket: { remoteAddress: socket } } } : undefined);
  return res.text();
}

describe('clientAddress', () => {
  it('uses the socket unless it is a trusted proxy', async () => {
    expect(await addressOf([], '192.0.2.1', '198.51.100.1')).toBe('192.0.2.1');
    expect(await addressOf(['10.0.0.0/8'], '192.0.2.1', '198.51.100.1')).toBe('192.0.2.1');
    expect(await addressOf(['10.0.0.0/8'], undefined, '198.51.100.1')).toBe('local');
    expect(await addressOf([], '::ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('takes the right-most untrusted hop behind trusted proxies', async () => {
    const trusted = ['10.0.0.0/8', '2001:db8::/32', '192.0.2.9'];
    expect(await addressOf(trusted, '10.0.0.1', '198.51.100.7')).toBe('198.51.100.7');
    expect(await addressOf(trusted, '10.0.0.1', 'forged, 198.51.100.7, 192.0.2.9')).toBe('198.51.100.7');
    expect(await addressOf(trusted, '2001:db8::5', '[2001:db8:ffff::1]:443, 198.51.100.8:5555')).toBe('198.51.100.8');
    expect(await addressOf(trusted, '10.0.0.1', '2001:DB9::1')).toBe('2001:db9::1');
    // All hops trusted: the left-most is the best we know. No header or an unreadable hop: the proxy itself.
    expect(await addressOf(trusted, '10.0.0.1', '10.0.0.2, 10.0.0.3')).toBe('10.0.0.2');
    expect(await addressOf(trusted, '10.0.0.1')).toBe('10.0.0.1');
    expect(await addressOf(trusted, '10.0.0.1', 'not-an-ip')).toBe('10.0.0.1');
  });
});

describe('FIXPOINT_TRUSTED_PROXIES', () => {
  it('takes addresses and CIDRs separated by commas or spaces, and names a bad entry', () => {
    expect(loadConfig({ FIXPOINT_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1 fd00::/8' }).trustedProxies).toEqual(['10.0.0.0/8', '192.0.2.1', 'fd00::/8']);
    expect(loadConfig({}).trustedProxies).toEqual([]);
    for (const bad of ['proxy.local', '10.0.0.0/33', '10.0.0.0/8/1', 'fd00::/129', '10.0.0.0/x'])
      expect(() => loadConfig({ FIXPOINT_TRUSTED_PROXIES: bad }), bad).toThrow(/FIXPOINT_TRUSTED_PROXIES/);
  });
});
