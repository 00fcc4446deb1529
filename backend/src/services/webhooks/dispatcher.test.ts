import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executionWebhookEvents, webhookEvents, WebhookPayload } from '@fixpoint/protocol';
import { createEventBus } from '../../events';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { startWebhookDispatcher, type WebhookDispatcher } from './dispatcher';
import { verifyWebhookSignature } from './signature';
import { receiverNetwork, deliveriesOf, finishExecution, insertExecution, startReceiver, waitFor, type Receiver } from '../../testing/webhooks';

/** Creates a webhook for the execution events (unless `extra` names others) through the API; returns its id and secret. */
async function createHook(t: TestBackend, url: string, extra: Record<string, unknown> = {}) {
  const body = { name: 'ticketing', url, events: [...executionWebhookEvents], ...extra };
  const res = await t.call('POST', '/api/v1/webhooks', { headers: await t.as('admin'), body });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}

describe('webhook dispatcher (PGlite)', () => {
  let t: TestBackend;
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher | undefined;
  let clock = 0;
  const realNow = () => new Date();

  beforeAll(async () => {
    t = await createTestBackend({ env: receiverNetwork });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    receiver = await startReceiver();
    t.ctx.now = realNow;
  });
  afterEach(async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
    await receiver.close();
    // each test starts without webhooks, so a hook of one test never receives another test's events
    const headers = await t.as('admin');
    const { body } = await t.call('GET', '/api/v1/webhooks?limit=500', { headers });
    for (const hook of body.items) await t.call('DELETE', `/api/v1/webhooks/${hook.id}`, { headers });
  });

  it('posts a signed execution payload without parameters', async () => {
    dispatcher = startWebhookDispatcher(t.ctx, { pollMs: 50 });
    const hook = await createHook(t, receiver.url);
    const fx = await insertExecution(t.ctx, { status: 'running', parameters: { ticketNote: 'very-private-param' } });
    await finishExecution(t.ctx, fx, 'succeeded');
    await waitFor(() => receiver.requests.length === 1);
    const [req] = receiver.requests;
    expect(req!.method).toBe('POST');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['user-agent']).toMatch(/^Fixpoint-Webhooks\/\d+\.\d+\.\d+/);
    expect(req!.headers['x-fixpoint-event']).toBe('execution.succeeded');
    expect(verifyWebhookSignature(hook.secret, req!.headers['x-fixpoint-signature'] as string, req!.body)).toBe(true);
    // a changed byte breaks the signature
    expect(verifyWebhookSignature(hook.secret, req!.headers['x-fixpoint-signature'] as string, req!.body.replace('succeeded', 'failed'))).toBe(false);
    const payload = WebhookPayload.parse(JSON.parse(req!.body));
    expect(payload.event).toBe('execution.succeeded');
    expect(payload.data).toMatchObject({
      id: fx.executionId,
      requestId: fx.requestId,
      deviceId: fx.deviceId,
      deviceName: expect.stringMatching(/^pc-/),
      actionSlug: expect.stringMatching(/^clear-cache-/),
      actionVersion: 2,
      status: 'succeeded',
      exitCode: 0,
      outputs: { freedMb: 42 },
      triggerInfo: { externalReference: 'INC0012345' },
    });
    expect(req!.body).not.toContain('very-private-param');
    expect(req!.body).not.toContain('parameters');
    expect(req!.body).not.toContain('stdout text');
    const [delivery] = await waitFor(async () => {
      const rows = await deliveriesOf(t.ctx, hook.id);
      return rows[0]?.status === 'delivered' && rows;
    });
    expect(req!.headers['x-fixpoint-delivery']).toBe(delivery!.id);
    expect(delivery).toMatchObject({ attempts: 1, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
  });

  it('retries 500, 500, then 200 on the backoff schedule: three attempts, delivered, visible through the route', async () => {
    clock = Date.now();
    t.ctx.now = () => new Date(clock);
    dispatcher = startWebhookDispatcher(t.ctx, { background: false });
    const hook = await createHook(t, receiver.url, { events: ['execution.failed'] });
    receiver.respond = (_req, n) => (n <= 2 ? 500 : 200);
    const fx = await insertExecution(t.ctx, { status: 'running' });
    await finishExecution(t.ctx, fx, 'failed');
    await waitFor(async () => (await dispatcher!.tick()) === 1);
    let [row] = await deliveriesOf(t.ctx, hook.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500: status 500' });
    expect(row!.nextAttemptAt!.getTime() - clock).toBeGreaterThanOrEqual(8_000);
    expect(row!.nextAttemptAt!.getTime() - clock).toBeLessThanOrEqual(12_000);
    expect(await dispatcher.tick()).toBe(0); // not due yet

    clock += 12_001;
    expect(await dispatcher.tick()).toBe(1);
    [row] = await deliveriesOf(t.ctx, hook.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: 500 });
    expect(row!.nextAttemptAt!.getTime() - clock).toBeGreaterThanOrEqual(24_000);
    expect(row!.nextAttemptAt!.getTime() - clock).toBeLessThanOrEqual(36_000);

    clock += 36_001;
    expect(await dispatcher.tick()).toBe(1);
    expect(receiver.requests).toHaveLength(3);
    const ids = new Set(receiver.requests.map((r) => r.headers['x-fixpoint-delivery']));
    expect(ids.size).toBe(1);
    for (const r of receiver.requests)
      expect(verifyWebhookSignature(hook.secret, r.headers['x-fixpoint-signature'] as string, r.body, 300, clock)).toBe(true);

    const listed = await t.call('GET', `/api/v1/webhooks/${hook.id}/deliveries`, { headers: await t.as('admin') });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      event: 'execution.failed',
      deliveredAt: new Date(clock).toISOString(),
    });
  });

  it('marks a delivery failed after the last attempt, and records network errors, timeouts and redirects', async () => {
    dispatcher = startWebhookDispatcher(t.ctx, { pollMs: 20, backoff: () => 0, maxAttempts: 3, timeoutMs: 300 });
    receiver.respond = (req) =>
      req.url.endsWith('?slow=1')
        ? { status: 200, delayMs: 2000 }
        : req.url.endsWith('?redirect=1')
          ? { status: 302, location: 'http://127.0.0.1:1/elsewhere' }
          : 503;
    const always503 = await createHook(t, receiver.url);
    const slow = await createHook(t, `${receiver.url}?slow=1`);
    const redirect = await createHook(t, `${receiver.url}?redirect=1`);
    const closed = await startReceiver();
    await closed.close();
    const refused = await createHook(t, closed.url);
    const fx = await insertExecution(t.ctx, { status: 'running' });
    await finishExecution(t.ctx, fx, 'timed_out');

    const finished = async (id: string) => waitFor(async () => {
      const [d] = await deliveriesOf(t.ctx, id);
      return d?.status === 'failed' && d;
    }, 10_000);
    expect(await finished(always503.id)).toMatchObject({ attempts: 3, lastStatusCode: 503, lastError: 'HTTP 503: status 503', nextAttemptAt: null });
    expect(await finished(slow.id)).toMatchObject({ attempts: 3, lastStatusCode: null, lastError: 'no response within 0.3 s' });
    expect(await finished(redirect.id)).toMatchObject({ attempts: 3, lastStatusCode: 302 });
    expect(await finished(refused.id)).toMatchObject({ attempts: 3, lastStatusCode: null, lastError: 'ECONNREFUSED' });
    expect(receiver.requests.every((r) => r.headers['x-fixpoint-event'] === 'execution.timed_out')).toBe(true);
  });

  it('enqueues only for enabled, subscribed webhooks, only on terminal states, and once per event', async () => {
    dispatcher = startWebhookDispatcher(t.ctx, { background: false });
    const all = await createHook(t, receiver.url);
    const canceledOnly = await createHook(t, receiver.url, { events: ['execution.canceled'] });
    const disabled = await createHook(t, receiver.url, { enabled: false });
    const fx = await insertExecution(t.ctx, { status: 'queued' });
    t.ctx.events.publish({ type: 'execution', id: fx.executionId, requestId: fx.requestId, deviceId: fx.deviceId, status: 'running', at: new Date().toISOString() });
    await finishExecution(t.ctx, fx, 'expired');
    // the same terminal event seen twice (republished, or fanned out to a second instance) enqueues nothing more
    const other = { ...t.ctx, events: createEventBus() };
    const second = startWebhookDispatcher(other, { background: false });
    other.events.publish({ type: 'execution', id: fx.executionId, requestId: fx.requestId, deviceId: fx.deviceId, status: 'expired', at: new Date().toISOString() });
    t.ctx.events.publish({ type: 'execution', id: fx.executionId, requestId: fx.requestId, deviceId: fx.deviceId, status: 'expired', at: new Date().toISOString() });
    await second.stop();
    await dispatcher.stop();
    dispatcher = undefined;
    expect((await deliveriesOf(t.ctx, all.id)).map((d) => d.event)).toEqual(['execution.expired']);
    expect(await deliveriesOf(t.ctx, canceledOnly.id)).toEqual([]);
    expect(await deliveriesOf(t.ctx, disabled.id)).toEqual([]);

    // nothing is sent for them either
    const sender = startWebhookDispatcher(t.ctx, { background: false });
    await sender.tick();
    await sender.stop();
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.headers['x-fixpoint-event']).toBe('execution.expired');
  });

  it('ignores events for unknown executions and keeps running', async () => {
    dispatcher = startWebhookDispatcher(t.ctx, { pollMs: 20 });
    await createHook(t, receiver.url);
    const id = crypto.randomUUID();
    t.ctx.events.publish({ type: 'execution', id, requestId: id, deviceId: id, status: 'succeeded', at: new Date().toISOString() });
    const fx = await insertExecution(t.ctx, { status: 'running' });
    await finishExecution(t.ctx, fx, 'canceled');
    await waitFor(() => receiver.requests.length >= 1);
    expect(JSON.parse(receiver.requests[0]!.body).data.id).toBe(fx.executionId);
  });

  it('batches a burst of events, skips the database when nothing subscribes, and sees new webhooks at once', async () => {
    const warnings: unknown[] = [];
    const log = t.ctx.log;
    t.ctx.log = { ...log, warn: (_msg, fields) => warnings.push(fields) };
    try {
      dispatcher = startWebhookDispatcher(t.ctx, { background: false });
      const ghost = () => {
        const id = crypto.randomUUID();
        t.ctx.events.publish({ type: 'execution', id, requestId: id, deviceId: id, status: 'failed', at: new Date().toISOString() });
      };
      // no webhook: unknown executions are not even looked up
      for (let i = 0; i < 200; i++) ghost();
      await new Promise((r) => setTimeout(r, 50));
      expect(warnings).toEqual([]);

      // a webhook created now is seen by the very next event (the subscription cache is invalidated)
      const hook = await createHook(t, receiver.url, { events: ['execution.failed'] });
      const burst = await Promise.all(Array.from({ length: 40 }, () => insertExecution(t.ctx, { status: 'running' })));
      for (const fx of burst) await finishExecution(t.ctx, fx, 'failed');
      ghost();
      const rows = await waitFor(async () => {
        const r = await deliveriesOf(t.ctx, hook.id);
        return r.length === 40 && r;
      });
      expect(new Set(rows.map((r) => (r.payload as { data: { id: string } }).data.id))).toEqual(new Set(burst.map((b) => b.executionId)));
      expect(warnings).toHaveLength(1);
    } finally {
      t.ctx.log = log;
    }
  });

  it('knows every subscribable event', () => {
    expect(webhookEvents).toEqual([
      'execution.succeeded',
      'execution.failed',
      'execution.timed_out',
      'execution.canceled',
      'execution.expired',
      'request.completed',
      'rollout.paused',
      'rollout.completed',
      'campaign.responded',
      'detection.paused',
      'schedule.failed',
      'help.requested',
    ]);
  });
});
