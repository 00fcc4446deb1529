import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { credentialGuardFor } from '../services/identity';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { advanceClock, createUser, seedAdmin } from '../testing/identity';

type Peer = { socket: string; forwardedFor?: string };

function post(t: TestBackend, path: string, body: unknown, peer: Peer, app = t.app) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (peer.forwardedFor) headers['x-forwarded-for'] = peer.forwardedFor;
  return app.request(`/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) }, { incoming: { socket: { remoteAddress: peer.socket } } });
}

const login = (t: TestBackend, email: string, password: string, peer: Peer, app = t.app) => post(t, '/auth/login', { email, password }, peer, app);

async function expectLimited(res: Response): Promise<number> {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/try again in \d+ s/) });
  return retryAfter;
}

async function auditRows(t: TestBackend, action: string, target: string) {
  const res = await t.call('GET', `/api/v1/audit?action=${action}&limit=200`, { headers: await seedAdmin(t) });
  return (res.body.items as { target: string; details: { count: number; ip: string; reasons: Record<string, number> } }[]).filter((e) => e.target === target);
}

describe('failed sign-ins', () => {
  let t: TestBackend;
  let saved: () => Date;
  beforeAll(async () => {
    t = await createTestBackend();
    await seedAdmin(t);
    saved = t.ctx.now;
  });
  beforeEach(() => {
    // Each case starts far from the last one's clock, so earlier counts have been forgotten.
    advanceClock(t, 2 * 3600_000);
  });
  afterAll(async () => {
    t.ctx.now = saved;
    await t.close();
  });

  it('make the next attempt on that account wait, growing from 1 s to at most a minute, from any address', async () => {
    const email = 'victim@test.local';
    await createUser(t, email, ['viewer'], 'victim-password-1');
    // Five free failures, each from its own address: the delay follows the account, not the address.
    for (let i = 0; i < 6; i++) expect((await login(t, email, `guess-${i}`, { socket: `203.0.113.${i + 1}` })).status).toBe(401);
    expect(await expectLimited(await login(t, email, 'victim-password-1', { socket: '198.51.100.99' }))).toBe(1);
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const wait = await expectLimited(await login(t, email, 'guess-x', { socket: '203.0.113.50' }));
      waits.push(wait);
      advanceClock(t, wait * 1000);
      expect((await login(t, email, `guess-more-${i}`, { socket: `203.0.113.${60 + i}` })).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
    // Attempts refused with 429 are not checked and do not lengthen the wait; the owner gets in after it.
    const wait = await expectLimited(await login(t, email, 'victim-password-1', { socket: '198.51.100.99' }));
    expect(wait).toBeLessThanOrEqual(60);
    advanceClock(t, wait * 1000);
    expect((await login(t, email, 'victim-password-1', { socket: '198.51.100.99' })).status).toBe(200);
    // Success starts the account over.
    expect((await login(t, email, 'wrong-again', { socket: '198.51.100.99' })).status).toBe(401);
  }, 120_000);

  it('from one address across many accounts are slowed, without touching other addresses', async () => {
    const sprayer = { socket: '192.0.2.66' };
    for (let i = 0; i < 21; i++) expect((await login(t, `user${i}@test.local`, 'Winter2026!', sprayer)).status).toBe(401);
    await expectLimited(await login(t, 'fresh@test.local', 'Winter2026!', sprayer));
    expect((await login(t, 'admin@fixpoint.local', 'admin-password-123', { socket: '192.0.2.67' })).status).toBe(200);
    // A correct password from that address waits too: the wait comes before any check.
    await expectLimited(await login(t, 'admin@fixpoint.local', 'admin-password-123', sprayer));
  }, 120_000);

  it('are audited once per account and address per 15-minute window, with counts that add up', async () => {
    const email = 'counted@test.local';
    await createUser(t, email, ['viewer'], 'counted-password-1');
    for (let i = 0; i < 5; i++) expect((await login(t, email, `bad-${i}`, { socket: '198.51.100.5' })).status).toBe(401);
    expect((await login(t, email, 'bad-x', { socket: '198.51.100.6' })).status).toBe(401);
    let rows = await auditRows(t, 'auth.login_failed', `user:${email}`);
    expect(rows.map((r) => [r.details.ip, r.details.count]).sort()).toEqual([
      ['198.51.100.5', 1],
      ['198.51.100.6', 1],
    ]);
    advanceClock(t, 16 * 60_000);
    expect((await login(t, email, 'bad-later', { socket: '198.51.100.5' })).status).toBe(401);
    rows = await auditRows(t, 'auth.login_failed', `user:${email}`);
    expect(rows).toHaveLength(4);
    expect(rows.reduce((n, r) => n + r.details.count, 0)).toBe(7);
    expect(rows.find((r) => r.details.count === 4)?.details.reasons).toEqual({ wrong_password: 4 });
    expect(JSON.stringify(rows)).not.toContain('bad-');
  });
});

describe('the client address behind proxies', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await createTestBackend();
    await createUser(t, 'owner@test.local', ['viewer'], 'owner-password-1');
  });
  afterAll(() => t.close());

  it('comes from X-Forwarded-For only when the socket is a trusted proxy', async () => {
    t.ctx.config = { ...t.ctx.config, trustedProxies: ['10.0.0.0/8', '2001:db8::/32'] };
    const proxied = createApp(t.ctx);
    // A client spraying through the proxy is slowed at its own address; another client behind the same proxy is not.
    for (let i = 0; i < 21; i++) await login(t, `nobody${i}@test.local`, 'Spring2026!', { socket: '10.1.2.3', forwardedFor: '198.51.100.1' }, proxied);
    await expectLimited(await login(t, 'owner@test.local', 'owner-password-1', { socket: '10.1.2.3', forwardedFor: '198.51.100.1' }, proxied));
    expect((await login(t, 'owner@test.local', 'owner-password-1', { socket: '10.1.2.3', forwardedFor: '198.51.100.2' }, proxied)).status).toBe(200);
    // What a client writes to the left of the proxies' hops is ignored; chains of trusted proxies are walked.
    const spoofed = await login(t, 'owner@test.local', 'owner-password-1', { socket: '::ffff:10.9.9.9', forwardedFor: '198.51.100.2, 198.51.100.1, 10.0.0.7' }, proxied);
    await expectLimited(spoofed);
    // An untrusted peer's header counts for nothing: its own address is limited, not the one it names.
    for (let i = 0; i < 21; i++) await login(t, `nobody${i}@test.local`, 'Spring2026!', { socket: '192.0.2.200', forwardedFor: '198.51.100.3' }, proxied);
    expect((await login(t, 'owner@test.local', 'owner-password-1', { socket: '10.1.2.3', forwardedFor: '198.51.100.3' }, proxied)).status).toBe(200);
    const audit = await t.call('GET', '/api/v1/audit?action=auth.login&limit=10', { headers: await seedAdmin(t) });
    expect(audit.body.items.map((e: { details: { ip: string } }) => e.details.ip)).toContain('198.51.100.2');
  }, 180_000);
});

describe('the OAuth token endpoint', () => {
  let t: TestBackend;
  let client: { id: string; clientId: string; clientSecret: string };
  beforeAll(async () => {
    t = await createTestBackend();
    client = (await t.call('POST', '/api/v1/api-clients', { headers: await seedAdmin(t), body: { name: 'portal', roles: ['viewer'] } })).body;
  });
  afterAll(() => t.close());

  const grant = (clientId: string, secret: string, socket: string) =>
    post(t, '/oauth/token', { grant_type: 'client_credentials', client_id: clientId, client_secret: secret }, { socket });

  it('delays a client id after wrong secrets from any address, and audits them in aggregate', async () => {
    for (let i = 0; i < 6; i++) expect((await grant(client.clientId, `fxp_cs_wrong${i}`, '203.0.113.7')).status).toBe(401);
    expect(await expectLimited(await grant(client.clientId, client.clientSecret, '198.51.100.8'))).toBe(1);
    advanceClock(t, 1000);
    expect((await grant(client.clientId, client.clientSecret, '198.51.100.8')).status).toBe(200);
    const rows = await auditRows(t, 'auth.client_token_failed', `client:${client.clientId}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toMatchObject({ count: 1, ip: '203.0.113.7', reasons: { wrong_secret: 1 } });
    // With no further attempt, the window's rest is written when it ends (the timer calls flush).
    advanceClock(t, 16 * 60_000);
    await credentialGuardFor(t.ctx).audit.flush();
    const after = await auditRows(t, 'auth.client_token_failed', `client:${client.clientId}`);
    expect(after.map((r) => r.details.count).sort()).toEqual([1, 5]);
  });

  it('slows one address trying many client ids', async () => {
    for (let i = 0; i < 21; i++) expect((await grant(`fxp_client_guess${i}`, 'fxp_cs_x', '192.0.2.9')).status).toBe(401);
    await expectLimited(await grant(client.clientId, client.clientSecret, '192.0.2.9'));
    expect((await grant(client.clientId, client.clientSecret, '192.0.2.10')).status).toBe(200);
  }, 60_000);
});
