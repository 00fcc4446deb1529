import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookPayload, webhookEvents } from '@fixpoint/protocol';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { startWebhookDispatcher, verifyWebhookSignature, type WebhookDispatcher } from '../services/webhooks';
import { receiverNetwork, startReceiver, waitFor, webhookAudit, type Receiver } from '../testing/webhooks';

const base = '/api/v1/webhooks';

describe('webhook routes', () => {
  let t: TestBackend;
  let admin: Record<string, string>;
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher;

  beforeAll(async () => {
    t = await createTestBackend({ env: receiverNetwork });
    admin = await t.as('admin', 'admin@test.local');
    receiver = await startReceiver();
    // `?slow=1` keeps a delivery in flight (claimed, still pending) for a while
    receiver.respond = (req) => (req.url.endsWith('?slow=1') ? { status: 200, delayMs: 1500 } : 200);
    dispatcher = startWebhookDispatcher(t.ctx, { pollMs: 50, backoff: () => 0 });
  });
  afterAll(async () => {
    await dispatcher.stop();
    await receiver.close();
    await t.close();
  });

  const create = (body: unknown, headers = admin) => t.call('POST', base, { headers, body });

  it('creates a webhook, shows the secret once, and audits without the secret', async () => {
    const res = await create({ name: 'ServiceNow', url: 'https://example.com/hook?token=abc', events: ['execution.failed', 'execution.failed'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'ServiceNow', url: 'https://example.com/hook?token=abc', events: ['execution.failed'], enabled: true });
    expect(res.body.secret).toMatch(/^whsec_/);
    const got = await t.call('GET', `${base}/${res.body.id}`, { headers: admin });
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty('secret');
    expect(JSON.stringify(got.body)).not.toContain(res.body.secret);
    const list = await t.call('GET', base, { headers: admin });
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(res.body.id);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    const [entry] = await webhookAudit(t.ctx, res.body.id);
    expect(entry).toMatchObject({ actor: 'user:admin@test.local', action: 'webhook.create' });
    expect(entry!.details).toMatchObject({ url: 'https://example.com/hook?…', events: ['execution.failed'] });
    expect(JSON.stringify(entry)).not.toContain(res.body.secret);
    expect(JSON.stringify(entry)).not.toContain('token=abc');
  });

  it('defaults to every event and enabled', async () => {
    const res = await create({ name: 'all', url: 'http://127.0.0.1:9/x' });
    expect(res.body.events).toEqual([...webhookEvents]);
    expect(res.body.enabled).toBe(true);
  });

  it('rejects bad input with 4xx and writes nothing', async () => {
    const before = (await t.call('GET', base, { headers: admin })).body.total;
    const cases: [unknown, number, string][] = [
      [{ name: 'x', url: 'ftp://example.com/' }, 400, 'validation_failed'],
      [{ name: 'x', url: 'javascript:alert(1)' }, 400, 'validation_failed'],
      [{ name: 'x', url: 'file:///etc/passwd' }, 400, 'validation_failed'],
      [{ name: 'x', url: 'https://user:pass@example.com/' }, 400, 'validation_failed'],
      [{ name: 'x', url: 'https://user@example.com/' }, 400, 'validation_failed'],
      [{ name: 'x', url: 'not a url' }, 400, 'validation_failed'],
      [{ name: 'x', url: `https://example.com/${'a'.repeat(2000)}` }, 400, 'validation_failed'],
      [{ name: 'x', url: 'https://example.com/', secret: 'mine' }, 400, 'validation_failed'],
      [{ name: 'x', url: 'https://example.com/', events: ['execution.running'] }, 400, 'validation_failed'],
      [{ name: 'x', url: 'https://example.com/', events: ['webhook.test'] }, 400, 'validation_failed'],
      [{ name: 'x', url: 'https://example.com/', events: [] }, 400, 'validation_failed'],
      [{ name: 'x', url: 'https://example.com/', events: 'execution.failed' }, 400, 'validation_failed'],
      [{ name: 'x', url: 'https://example.com/', enabled: 'yes' }, 400, 'validation_failed'],
      [{ name: '', url: 'https://example.com/' }, 400, 'validation_failed'],
      [{ name: 'x'.repeat(101), url: 'https://example.com/' }, 400, 'validation_failed'],
      [{ url: 'https://example.com/' }, 400, 'validation_failed'],
      [[], 400, 'validation_failed'],
      ['{"name":', 400, 'invalid_json'],
      ['', 400, 'invalid_json'],
    ];
    for (const [body, status, code] of cases) {
      const res = await create(body);
      expect([res.status, res.body.error?.code], JSON.stringify(body).slice(0, 80)).toEqual([status, code]);
    }
    const wrongType = await t.call('POST', base, { headers: { ...admin, 'content-type': 'text/plain' }, body: '{"name":"x","url":"https://e.com"}' });
    expect(wrongType.status).toBe(415);
    const huge = await create({ name: 'x', url: 'https://example.com/', pad: 'x'.repeat(1024 * 1024) });
    expect(huge.status).toBe(413);
    expect((await t.call('GET', base, { headers: admin })).body.total).toBe(before);
  });

  it('stores SQL-looking names verbatim', async () => {
    const name = "x'); drop table webhooks; --";
    const res = await create({ name, url: 'https://example.com/a' });
    expect(res.status).toBe(201);
    expect((await t.call('GET', `${base}/${res.body.id}`, { headers: admin })).body.name).toBe(name);
  });

  it('updates only the given fields and audits the change', async () => {
    const { body: hook } = await create({ name: 'old', url: 'https://example.com/a', events: ['execution.failed'] });
    const res = await t.call('PUT', `${base}/${hook.id}`, { headers: admin, body: { name: 'new', enabled: false } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'new', enabled: false, url: 'https://example.com/a', events: ['execution.failed'] });
    for (const body of [{}, { url: 'ftp://x.y/' }, { secret: 'x' }, { events: [] }, 'nope'])
      expect((await t.call('PUT', `${base}/${hook.id}`, { headers: admin, body })).status).toBe(400);
    expect((await t.call('PUT', `${base}/${crypto.randomUUID()}`, { headers: admin, body: { name: 'x' } })).status).toBe(404);
    expect((await t.call('PUT', `${base}/not-a-uuid`, { headers: admin, body: { name: 'x' } })).status).toBe(400);
    const audit = await webhookAudit(t.ctx, hook.id);
    expect(audit.map((e) => e.action)).toEqual(['webhook.create', 'webhook.update']);
    expect(audit[1]!.details).toEqual({ name: 'new', enabled: false });
  });

  it('sends a signed webhook.test ping, lists it, redelivers it, and rotates the secret', async () => {
    const { body: hook } = await create({ name: 'ping', url: receiver.url, events: ['execution.canceled'] });
    const ping = await t.call('POST', `${base}/${hook.id}/test`, { headers: admin });
    expect(ping.status).toBe(202);
    expect(ping.body).toMatchObject({ webhookId: hook.id, event: 'webhook.test', status: 'pending', attempts: 0 });
    const req = await waitFor(() => receiver.requests.find((r) => r.headers['x-fixpoint-delivery'] === ping.body.id));
    expect(req.headers['x-fixpoint-event']).toBe('webhook.test');
    expect(verifyWebhookSignature(hook.secret, req.headers['x-fixpoint-signature'] as string, req.body)).toBe(true);
    const payload = WebhookPayload.parse(JSON.parse(req.body));
    expect(payload).toMatchObject({ event: 'webhook.test', data: { webhookId: hook.id } });

    const delivered = await waitFor(async () => {
      const res = await t.call('GET', `${base}/${hook.id}/deliveries?status=delivered`, { headers: admin });
      return res.body.items.length === 1 && res.body;
    });
    expect(delivered.items[0]).toMatchObject({ id: ping.body.id, status: 'delivered', attempts: 1, lastStatusCode: 200 });

    const rotated = await t.call('POST', `${base}/${hook.id}/rotate-secret`, { headers: admin });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);

    const again = await t.call('POST', `${base}/${hook.id}/deliveries/${ping.body.id}/redeliver`, { headers: admin });
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(ping.body.id);
    const second = await waitFor(() => receiver.requests.find((r) => r.headers['x-fixpoint-delivery'] === again.body.id));
    // same event id, so receivers can drop the duplicate; signed with the new secret
    expect(JSON.parse(second.body).id).toBe(payload.id);
    expect(verifyWebhookSignature(rotated.body.secret, second.headers['x-fixpoint-signature'] as string, second.body)).toBe(true);
    expect(verifyWebhookSignature(hook.secret, second.headers['x-fixpoint-signature'] as string, second.body)).toBe(false);

    const all = await waitFor(async () => {
      const res = await t.call('GET', `${base}/${hook.id}/deliveries`, { headers: admin });
      return res.body.items.every((d: { status: string }) => d.status === 'delivered') && res.body;
    });
    expect(all.total).toBe(2);
    expect(all.items.map((d: { id: string }) => d.id)).toEqual([again.body.id, ping.body.id]); // newest first
    const paged = await t.call('GET', `${base}/${hook.id}/deliveries?limit=1&offset=1`, { headers: admin });
    expect(paged.body).toMatchObject({ total: 2, next: null, items: [{ id: ping.body.id }] });
    expect((await t.call('GET', `${base}/${hook.id}/deliveries?limit=1`, { headers: admin })).body.next).toBe(1);
    expect((await t.call('GET', `${base}/${hook.id}/deliveries?status=failed`, { headers: admin })).body.items).toEqual([]);

    const audit = (await webhookAudit(t.ctx, hook.id)).map((e) => e.action);
    expect(audit).toEqual(['webhook.create', 'webhook.test', 'webhook.rotate_secret', 'webhook.redeliver']);
    expect(JSON.stringify(await webhookAudit(t.ctx, hook.id))).not.toContain('whsec_');
  });

  it('answers delivery queries and redeliveries of unknown or queued things with 4xx', async () => {
    const { body: hook } = await create({ name: 'q', url: 'http://127.0.0.1:9/never' });
    for (const q of ['status=nope', 'limit=0', 'limit=501', 'offset=-1', 'limit=abc'])
      expect((await t.call('GET', `${base}/${hook.id}/deliveries?${q}`, { headers: admin })).status, q).toBe(400);
    expect((await t.call('GET', `${base}/${crypto.randomUUID()}/deliveries`, { headers: admin })).status).toBe(404);
    expect((await t.call('POST', `${base}/${hook.id}/deliveries/${crypto.randomUUID()}/redeliver`, { headers: admin })).status).toBe(404);
    expect((await t.call('POST', `${base}/${hook.id}/deliveries/1%27%20or%201=1/redeliver`, { headers: admin })).status).toBe(400);
    // a queued delivery is not sent twice on request; one of another webhook is not found here
    await t.call('PUT', `${base}/${hook.id}`, { headers: admin, body: { enabled: false } });
    expect((await t.call('POST', `${base}/${hook.id}/test`, { headers: admin })).status).toBe(409);
    await t.call('PUT', `${base}/${hook.id}`, { headers: admin, body: { enabled: true, url: `${receiver.url}?slow=1` } });
    const ping = await t.call('POST', `${base}/${hook.id}/test`, { headers: admin });
    await waitFor(() => receiver.requests.some((r) => r.headers['x-fixpoint-delivery'] === ping.body.id));
    expect((await t.call('POST', `${base}/${hook.id}/deliveries/${ping.body.id}/redeliver`, { headers: admin })).status).toBe(409);
    const { body: other } = await create({ name: 'other', url: 'https://example.com/o' });
    expect((await t.call('POST', `${base}/${other.id}/deliveries/${ping.body.id}/redeliver`, { headers: admin })).status).toBe(404);
    expect((await t.call('POST', `${base}/${crypto.randomUUID()}/test`, { headers: admin })).status).toBe(404);
  });

  it('deletes a webhook with its deliveries, and audits it', async () => {
    const { body: hook } = await create({ name: 'gone', url: 'http://127.0.0.1:9/x' });
    await t.call('POST', `${base}/${hook.id}/test`, { headers: admin });
    const res = await t.call('DELETE', `${base}/${hook.id}`, { headers: admin });
    expect(res.status).toBe(204);
    expect((await t.call('GET', `${base}/${hook.id}`, { headers: admin })).status).toBe(404);
    expect((await t.call('DELETE', `${base}/${hook.id}`, { headers: admin })).status).toBe(404);
    expect((await webhookAudit(t.ctx, hook.id)).map((e) => e.action)).toEqual(['webhook.create', 'webhook.test', 'webhook.delete']);
  });

  it('requires the admin permission on every route', async () => {
    const { body: hook } = await create({ name: 'rbac', url: 'https://example.com/r' });
    const id = hook.id;
    const d = crypto.randomUUID();
    const routes: [string, string, unknown?][] = [
      ['GET', base],
      ['POST', base, { name: 'x', url: 'https://example.com/' }],
      ['GET', `${base}/${id}`],
      ['PUT', `${base}/${id}`, { name: 'y' }],
      ['DELETE', `${base}/${id}`],
      ['POST', `${base}/${id}/rotate-secret`],
      ['POST', `${base}/${id}/test`],
      ['GET', `${base}/${id}/deliveries`],
      ['POST', `${base}/${id}/deliveries/${d}/redeliver`],
    ];
    for (const [method, path, body] of routes) {
      expect((await t.call(method, path, { body })).status, `${method} ${path} anonymous`).toBe(401);
      expect((await t.call(method, path, { body, headers: { authorization: 'Bearer fxp_pat_bogus' } })).status).toBe(401);
      for (const role of ['viewer', 'support', 'author'])
        expect((await t.call(method, path, { body, headers: await t.as(role) })).status, `${method} ${path} as ${role}`).toBe(403);
    }
    const after = await t.call('GET', `${base}/${id}`, { headers: admin });
    expect(after.body.name).toBe('rbac');
    expect((await webhookAudit(t.ctx, id)).map((e) => e.action)).toEqual(['webhook.create']);
  });

  it('documents every route in OpenAPI with the admin permission', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).body;
    const ops = Object.entries(doc.paths as Record<string, Record<string, { 'x-fixpoint-permission'?: string }>>)
      .filter(([p]) => p.startsWith('/api/v1/webhooks'))
      .flatMap(([, methods]) => Object.values(methods));
    expect(ops).toHaveLength(9);
    expect(ops.every((o) => o['x-fixpoint-permission'] === 'admin')).toBe(true);
  });
});
