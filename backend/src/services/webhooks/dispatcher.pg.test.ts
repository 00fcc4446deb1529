import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus } from '../../events';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { startWebhookDispatcher } from './dispatcher';
import { verifyWebhookSignature } from './signature';
import { receiverNetwork, deliveriesOf, finishExecution, insertExecution, startReceiver, waitFor, type Receiver } from '../../testing/webhooks';

describe('webhook dispatcher on PostgreSQL', () => {
  let t: TestBackend;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await createTestBackend({ database: 'postgres', env: receiverNetwork });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it('delivers a signed terminal event and retries a failure', async () => {
    const dispatcher = startWebhookDispatcher(t.ctx, { pollMs: 20, backoff: () => 0 });
    const { body: hook } = await t.call('POST', '/api/v1/webhooks', {
      headers: await t.as('admin'),
      body: { name: 'pg', url: `${receiver.url}?flaky=1`, events: ['execution.succeeded'] },
    });
    receiver.respond = (_req, n) => (n === 1 ? 500 : 200);
    const fx = await insertExecution(t.ctx, { status: 'running' });
    await finishExecution(t.ctx, fx, 'succeeded');
    const [row] = await waitFor(async () => {
      const rows = await deliveriesOf(t.ctx, hook.id);
      return rows[0]?.status === 'delivered' && rows;
    });
    await dispatcher.stop();
    expect(row).toMatchObject({ attempts: 2, lastStatusCode: 200, event: 'execution.succeeded' });
    expect(receiver.requests).toHaveLength(2);
    for (const r of receiver.requests)
      expect(verifyWebhookSignature(hook.secret, r.headers['x-fixpoint-signature'] as string, r.body)).toBe(true);
    await t.call('DELETE', `/api/v1/webhooks/${hook.id}`, { headers: await t.as('admin') });
  });

  it('two instances racing: every event enqueued once per webhook, every delivery sent exactly once', async () => {
    receiver.requests.length = 0;
    receiver.respond = () => ({ status: 200, delayMs: 5 });
    const headers = await t.as('admin');
    const hooks = await Promise.all(
      ['a', 'b'].map(async (name) => (await t.call('POST', '/api/v1/webhooks', { headers, body: { name, url: receiver.url, events: ['execution.failed'] } })).body),
    );
    // Two backend instances: same database, separate event buses (both see every event, as with a fan-out).
    const one = { ...t.ctx };
    const two = { ...t.ctx, events: createEventBus() };
    const options = { background: false, batchSize: 4 } as const;
    const enqueuers = [startWebhookDispatcher(one, options), startWebhookDispatcher(two, options)];
    const executions = await Promise.all(Array.from({ length: 30 }, () => insertExecution(t.ctx, { status: 'running' })));
    for (const fx of executions) {
      await finishExecution(one, fx, 'failed');
      two.events.publish({ type: 'execution', id: fx.executionId, requestId: fx.requestId, deviceId: fx.deviceId, status: 'failed', at: new Date().toISOString() });
    }
    await Promise.all(enqueuers.map((d) => d.stop()));
    for (const hook of hooks) expect(await deliveriesOf(t.ctx, hook.id)).toHaveLength(30);

    const workers = [startWebhookDispatcher(one, options), startWebhookDispatcher(two, options)];
    const sent = [0, 0];
    await Promise.all(
      workers.map(async (worker, i) => {
        for (let idle = 0; idle < 3; ) {
          const n = await worker.tick();
          sent[i]! += n;
          idle = n ? 0 : idle + 1;
        }
      }),
    );
    await Promise.all(workers.map((w) => w.stop()));

    expect(sent[0]! + sent[1]!).toBe(60);
    expect(sent[0]).toBeGreaterThan(0);
    expect(sent[1]).toBeGreaterThan(0);
    const ids = receiver.requests.map((r) => r.headers['x-fixpoint-delivery']);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    for (const hook of hooks) {
      const rows = await deliveriesOf(t.ctx, hook.id);
      expect(rows.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
      expect(new Set(rows.map((d) => (d.payload as { data: { id: string } }).data.id)).size).toBe(30);
    }
  });
});
