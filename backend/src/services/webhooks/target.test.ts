import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { webhookDeliveries, webhooks } from '../../db/schema';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { seedAdmin } from '../../testing/identity';
import { startWebhookDispatcher } from './dispatcher';
import { parseNetworks, refusedReason } from './target';
import { startReceiver, waitFor, type Receiver } from '../../testing/webhooks';

const none = parseNetworks([]);

describe('webhook target addresses', () => {
  it('refuses loopback, link-local, private, shared, unspecified, multicast and reserved addresses, however written', () => {
    const refused = [
      '127.0.0.1', '127.8.9.10', '::1', '169.254.169.254', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1',
      '100.127.255.255', '0.0.0.0', '::', '224.0.0.1', '255.255.255.255', 'ff02::1', 'fc00::1', 'fd12:3456::1', 'fe80::1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '::7f00:1',
      '0:0:0:0:0:ffff:127.0.0.1', '::ffff:0:7f00:1', 'fe80::1%eth0', 'FD00::1',
    ];
    for (const address of refused) expect(refusedReason(address, none), address).not.toBeNull();
    expect(refusedReason('169.254.169.254', none)).toBe('link-local');
    expect(refusedReason('::ffff:127.0.0.1', none)).toBe('loopback');
    for (const address of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])
      expect(refusedReason(address, none), address).toBeNull();
  });

  it('lets an admin allow networks, and names a bad one', () => {
    const allowed = parseNetworks(['127.0.0.1/32', 'fd00::/8', '10.2.0.0']);
    expect(refusedReason('127.0.0.1', allowed)).toBeNull();
    expect(refusedReason('::ffff:127.0.0.1', allowed)).toBeNull();
    expect(refusedReason('fd00::5', allowed)).toBeNull();
    expect(refusedReason('10.2.0.0', allowed)).toBeNull();
    expect(refusedReason('10.2.0.1', allowed)).toBe('private');
    expect(refusedReason('127.0.0.2', allowed)).toBe('loopback');
    for (const bad of ['10.0.0.0/33', 'intranet', '10.0.0.0/8/1', '::1/129', '10.0.0.0/x'])
      expect(() => loadConfig({ FIXPOINT_WEBHOOK_ALLOW_NETWORKS: `127.0.0.1/32, ${bad}` })).toThrow(/FIXPOINT_WEBHOOK_ALLOW_NETWORKS.*not a network/);
    expect(loadConfig({ FIXPOINT_WEBHOOK_ALLOW_NETWORKS: ' 127.0.0.1/32 , ::1 ' }).webhookAllowNetworks).toEqual(['127.0.0.1/32', '::1']);
  });
});

describe('webhook targets through the API (no networks allowed)', () => {
  let t: TestBackend;
  let admin: Record<string, string>;
  let receiver: Receiver;
  beforeAll(async () => {
    t = await createTestBackend();
    admin = await seedAdmin(t);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });
  const hookCount = async () => (await t.ctx.db.select({ n: count() }).from(webhooks))[0]!.n;

  it('refuses an internal literal address at creation and on update, and writes nothing', async () => {
    const internal = [
      'http://127.0.0.1/x', 'http://[::1]:8080/', 'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:169.254.169.254]/',
      'http://2130706433/', 'http://0x7f.1/', 'http://10.0.0.5/', 'https://192.168.1.10/', 'http://100.64.1.1/', 'http://[fd00::1]/',
      'http://0.0.0.0:8080/', 'http://localhost:8080/', 'http://api.localhost/',
    ];
    for (const url of internal) {
      const res = await t.call('POST', '/api/v1/webhooks', { headers: admin, body: { name: 'x', url } });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toMatch(/FIXPOINT_WEBHOOK_ALLOW_NETWORKS/);
    }
    expect(await hookCount()).toBe(0);
    const ok = await t.call('POST', '/api/v1/webhooks', { headers: admin, body: { name: 'public', url: 'https://93.184.216.34/hook' } });
    expect(ok.status).toBe(201);
    const moved = await t.call('PUT', `/api/v1/webhooks/${ok.body.id}`, { headers: admin, body: { url: 'http://169.254.169.254/' } });
    expect(moved.status).toBe(400);
    expect((await t.call('GET', `/api/v1/webhooks/${ok.body.id}`, { headers: admin })).body.url).toBe('https://93.184.216.34/hook');
    await t.call('DELETE', `/api/v1/webhooks/${ok.body.id}`, { headers: admin });
  });

  it('refuses at send time what a name resolves to, and what was stored before the check', async () => {
    const port = new URL(receiver.url).port;
    // rows stored directly: the name passes creation, the literal predates the check
    const rows = await t.ctx.db
      .insert(webhooks)
      .values([`http://localhost:${port}/hook`, receiver.url].map((url, i) => ({ name: `old-${i}`, url, secret: 'whsec_test', events: ['execution.failed'] })))
      .returning();
    for (const row of rows) expect((await t.call('POST', `/api/v1/webhooks/${row.id}/test`, { headers: admin })).status).toBe(202);
    const dispatcher = startWebhookDispatcher(t.ctx, { pollMs: 20, backoff: () => 0, maxAttempts: 1 });
    try {
      for (const row of rows) {
        const [delivery] = await waitFor(async () => {
          const found = await t.ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, row.id));
          return found[0]?.status === 'failed' && found;
        });
        expect(delivery!.lastError).toMatch(/^refused: .* resolves to (127\.0\.0\.1|::1), a loopback address/);
      }
    } finally {
      await dispatcher.stop();
    }
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('webhook targets in an allowed network', () => {
  it('delivers by name to an address that was checked, with the name as Host', async () => {
    const t = await createTestBackend({ env: { FIXPOINT_WEBHOOK_ALLOW_NETWORKS: '127.0.0.0/8,::1/128' } });
    const receiver = await startReceiver();
    try {
      const admin = await seedAdmin(t);
      const url = receiver.url.replace('127.0.0.1', 'localhost');
      const hook = await t.call('POST', '/api/v1/webhooks', { headers: admin, body: { name: 'local', url } });
      expect(hook.status).toBe(201);
      expect((await t.call('POST', `/api/v1/webhooks/${hook.body.id}/test`, { headers: admin })).status).toBe(202);
      const dispatcher = startWebhookDispatcher(t.ctx, { pollMs: 20, backoff: () => 0 });
      try {
        await waitFor(() => receiver.requests.length === 1);
      } finally {
        await dispatcher.stop();
      }
      expect(receiver.requests[0]!.headers.host).toBe(new URL(url).host);
    } finally {
      await receiver.close();
      await t.close();
    }
  });
});
