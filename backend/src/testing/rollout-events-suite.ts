/**
 * @module What a staged rollout tells others when its state changes, run on PGlite and on PostgreSQL (from
 * services/rollouts/rollout{,.pg}.test.ts): the live `request.rollout` event on pause, release, resume, cancel and
 * completion (on the bus, over SSE, and relayed to another instance over NOTIFY on PostgreSQL), and the
 * `rollout.paused` / `rollout.completed` webhooks, delivered signed.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RolloutEvent, WebhookPayload, WebhookRolloutData } from '@fixpoint/protocol';
import { createLogger } from '@fixpoint/protocol/log';
import { startCluster } from '../cluster';
import { executions } from '../db/schema';
import { relayExecutionEvents } from '../events';
import { advanceRollout } from '../services/rollouts';
import { startWebhookDispatcher } from '../services/webhooks/dispatcher';
import { verifyWebhookSignature } from '../services/webhooks/signature';
import { finishExecution } from './automation';
import { sampleAction, seedAction, seedDevices, seedRole } from './fleet';
import { createTestBackend, type TestBackend } from './harness';
import { deliveriesOf, receiverNetwork, startReceiver, waitFor, type Receiver } from './webhooks';

export function rolloutEventsSuite(database: 'pglite' | 'postgres') {
  describe(`staged rollout events (${database})`, () => {
    let t: TestBackend;
    let admin: Record<string, string>;
    let ids: string[];
    let receiver: Receiver;
    const seen: RolloutEvent[] = [];

    beforeAll(async () => {
      t = await createTestBackend({ database, env: receiverNetwork });
      admin = await t.as('admin');
      await seedAction(t.ctx, sampleAction({ parameters: [] }));
      ids = await seedDevices(t.ctx, 40, { platform: 'windows' });
      t.ctx.dispatcher = { notify: () => {}, isOnline: () => false };
      t.ctx.events.subscribeRollout((e) => seen.push(RolloutEvent.parse(e)));
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver?.close();
      await t?.close();
    });

    const launch = async (devices: string[], rollout: Record<string, unknown>) => {
      const res = await t.call('POST', '/api/v1/executions', { headers: admin, body: { action: 'restart-spooler', parameters: {}, devices, rollout } });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return res.body.requestId as string;
    };
    const finishWave = async (requestId: string, wave: number, outcome: (i: number) => 'succeeded' | 'failed') => {
      const rows = await t.ctx.db.select().from(executions).where(eq(executions.requestId, requestId)).orderBy(asc(executions.seq));
      for (const [i, r] of rows.filter((r) => r.wave === wave).entries()) await finishExecution(t.ctx, r, outcome(i));
    };
    const post = async (requestId: string, verb: string) => {
      const res = await t.call('POST', `/api/v1/requests/${requestId}/${verb}`, { headers: admin });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const eventsOf = (requestId: string) => seen.filter((e) => e.requestId === requestId);

    it('publishes the state on pause, resume with release, manual pause, completion and cancel', async () => {
      const requestId = await launch(ids.slice(0, 10), { waves: [20, 50, 100] });
      await finishWave(requestId, 0, (i) => (i === 0 ? 'failed' : 'succeeded'));
      await advanceRollout(t.ctx, requestId);
      expect(eventsOf(requestId)).toHaveLength(1);
      expect(eventsOf(requestId)[0]).toMatchObject({
        type: 'request.rollout', state: 'paused', currentWave: 1, pausedReason: 'wave 1: 1 of 2 runs succeeded (50 %), below the 100 % required',
      });
      expect(eventsOf(requestId)[0]!.waves!.map((w) => [w.counts.succeeded, w.counts.failed, w.counts.held])).toEqual([[1, 1, 0], [0, 0, 3], [0, 0, 5]]);
      // a step that changes nothing says nothing
      await advanceRollout(t.ctx, requestId);
      expect(eventsOf(requestId)).toHaveLength(1);

      await post(requestId, 'resume');
      expect(eventsOf(requestId).at(-1)).toMatchObject({ state: 'running', currentWave: 2, pausedReason: null });
      expect(eventsOf(requestId).at(-1)!.waves![1]!.counts).toMatchObject({ queued: 3, held: 0 });
      await post(requestId, 'pause');
      expect(eventsOf(requestId).at(-1)).toMatchObject({ state: 'paused', currentWave: 2, pausedReason: expect.stringMatching(/^paused by /) });
      await finishWave(requestId, 1, () => 'succeeded');
      await post(requestId, 'resume');
      expect(eventsOf(requestId).at(-1)).toMatchObject({ state: 'running', currentWave: 3 });
      await finishWave(requestId, 2, () => 'succeeded');
      await advanceRollout(t.ctx, requestId);
      const done = eventsOf(requestId).at(-1)!;
      expect(done).toMatchObject({ state: 'completed', currentWave: 3 });
      expect(done.waves!.map((w) => w.counts.succeeded)).toEqual([1, 3, 5]);

      const other = await launch(ids.slice(10, 20), { waves: [20, 100] });
      await post(other, 'cancel');
      expect(eventsOf(other)).toEqual([expect.objectContaining({ state: 'canceled', currentWave: 1 })]);
    });

    /** An SSE stream of live status; `until` reads until its text holds, for at most 20 s. */
    const stream = async (query: string, headers: Record<string, string>) => {
      const res = await t.app.request(`/api/v1/executions/events${query}`, { headers });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const state = { text: '' };
      const until = async (done: (text: string) => boolean, ms = 20_000) => {
        const deadline = Date.now() + ms;
        while (!done(state.text)) {
          if (Date.now() > deadline) throw new Error(`timed out; got:\n${state.text}`);
          const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 200))]);
          if (chunk?.value) state.text += new TextDecoder().decode(chunk.value);
        }
      };
      const rolloutEvents = () =>
        state.text
          .split('\n\n')
          .filter((b) => b.startsWith('event: request.rollout'))
          .map((b) => RolloutEvent.parse(JSON.parse(b.split('\n').find((l) => l.startsWith('data: '))!.slice(6))));
      await until((text) => text.includes(': connected'));
      return { state, until, rolloutEvents, close: () => reader.cancel() };
    };

    it('streams request.rollout over SSE to a watcher of the request, next to execution events', async () => {
      const requestId = await launch(ids.slice(20, 30), { waves: [20, 100], waitSec: 60 });
      const watch = await stream(`?requestId=${requestId}`, admin);
      await finishWave(requestId, 0, () => 'succeeded');
      // the wave ended well: the server starts the 60 s wait before the next one
      await advanceRollout(t.ctx, requestId);
      await watch.until((text) => text.includes('event: request.rollout'));
      expect(watch.rolloutEvents()[0]).toMatchObject({ requestId, state: 'running', currentWave: 1, nextWaveAt: expect.any(String) });
      expect(watch.rolloutEvents()[0]!.waves![0]!.counts.succeeded).toBe(2);
      expect(watch.state.text).toContain('event: execution');
      await watch.close();
    });

    it('gives a caller who sees part of the fleet the state of a request it watches, without the counts, and nothing unasked', async () => {
      const lab = await seedDevices(t.ctx, 4, { platform: 'windows', tags: ['lab'] });
      await seedRole(t.ctx, 'lab-viewer', { permissions: ['devices:read'], deviceScope: { tags: ['lab'] } });
      const viewer = await t.as('lab-viewer');
      const requestId = await launch([...lab, ...ids.slice(30, 34)], { waves: [25, 100] });
      const watch = await stream(`?requestId=${requestId}`, viewer);
      const everything = await stream('', viewer);
      await post(requestId, 'pause');
      await watch.until((text) => text.includes('event: request.rollout'));
      expect(watch.rolloutEvents()).toEqual([expect.objectContaining({ requestId, state: 'paused', waves: null })]);
      // the unfiltered stream carries this launch's execution events for the lab devices, and no rollout state
      await post(requestId, 'cancel');
      await everything.until((text) => text.includes('"status":"canceled"'));
      expect(everything.rolloutEvents()).toEqual([]);
      await Promise.all([watch.close(), everything.close()]);
    });

    it('delivers rollout.paused (each pause, with its cause) and rollout.completed once, signed, to subscribed webhooks', async () => {
      const created = await t.call('POST', '/api/v1/webhooks', { headers: admin, body: { name: 'pager', url: receiver.url, events: ['rollout.paused', 'rollout.completed'] } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const { id, secret } = created.body as { id: string; secret: string };
      const dispatcher = startWebhookDispatcher(t.ctx, { background: false });
      try {
        const requestId = await launch(ids.slice(30, 40), { waves: [20, 100], breaker: { window: 5, minResults: 2, failureRate: 0.5 } });
        await finishWave(requestId, 0, () => 'failed');
        await advanceRollout(t.ctx, requestId);
        await post(requestId, 'resume');
        await post(requestId, 'pause');
        await post(requestId, 'resume');
        await finishWave(requestId, 1, () => 'succeeded');
        await advanceRollout(t.ctx, requestId);
        await advanceRollout(t.ctx, requestId);
        const payloads = await waitFor(async () => {
          const all = (await deliveriesOf(t.ctx, id)).map((d) => WebhookPayload.parse(d.payload));
          return all.length >= 3 && all;
        }, 20_000);
        const data = payloads.sort((a, b) => a.at.localeCompare(b.at) || a.event.localeCompare(b.event)).map((p) => [p.event, WebhookRolloutData.parse(p.data)] as const);
        expect(data.map(([event, d]) => [event, d.cause, d.state, d.currentWave])).toEqual([
          ['rollout.paused', 'breaker', 'paused', 1],
          ['rollout.paused', 'manual', 'paused', 2],
          ['rollout.completed', null, 'completed', 2],
        ]);
        expect(data[0]![1]).toMatchObject({ requestId, actionSlug: 'restart-spooler', reason: expect.stringMatching(/^circuit breaker: /) });
        expect(data[2]![1].waves.map((w) => w.counts.succeeded)).toEqual([0, 8]);

        await dispatcher.tick();
        const received = receiver.requests.filter((r) => String(r.headers['x-fixpoint-event']).startsWith('rollout.'));
        expect(received.map((r) => r.headers['x-fixpoint-event']).sort()).toEqual(['rollout.completed', 'rollout.paused', 'rollout.paused']);
        for (const r of received) expect(verifyWebhookSignature(secret, String(r.headers['x-fixpoint-signature']), r.body)).toBe(true);
      } finally {
        await dispatcher.stop();
      }
    });

    it('documents both events with their payload schemas in the OpenAPI webhooks section', async () => {
      const doc = (await t.call('GET', '/api/openapi.json')).body;
      for (const event of ['rollout.paused', 'rollout.completed']) {
        const schema = doc.webhooks[event].post.requestBody.content['application/json'].schema;
        expect(schema.properties.event).toMatchObject({ const: event });
        expect(schema.properties.data.required).toEqual(expect.arrayContaining(['requestId', 'state', 'currentWave', 'waves', 'cause', 'reason']));
      }
    });

    // PGlite belongs to one process: there is no other instance to relay to.
    if (database === 'postgres')
    it('relays the event to another instance over NOTIFY', async () => {
      const second = await createTestBackend({ database, shareWith: t });
      const log = createLogger('silent');
      const clusters = [await startCluster(t.database, log), await startCluster(second.database, log)];
      const stops = [relayExecutionEvents(t.ctx.events, clusters[0]!), relayExecutionEvents(second.ctx.events, clusters[1]!)];
      const there: RolloutEvent[] = [];
      second.ctx.events.subscribeRollout((e) => there.push(e));
      try {
        const requestId = await launch(ids.slice(0, 10), { waves: [50, 100] });
        await post(requestId, 'pause');
        await waitFor(() => there.some((e) => e.requestId === requestId), 20_000);
        expect(there.find((e) => e.requestId === requestId)).toMatchObject({ state: 'paused', currentWave: 1, waves: [{ devices: 5 }, { devices: 5 }] });
      } finally {
        stops.forEach((stop) => stop());
        await Promise.all(clusters.map((c) => c.stop()));
        await second.close();
      }
    });
  });
}
