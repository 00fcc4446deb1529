/**
 * @module The webhook events beyond execution results (`request.completed`, `campaign.responded`, `detection.paused`,
 * `schedule.failed`): each enqueued once, with the payload its OpenAPI schema describes, on PGlite or PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebhookCampaignResponseData, WebhookDetectionPausedData, WebhookPayload, WebhookRequestData, WebhookScheduleFailedData } from '@fixpoint/protocol';
import { executions, webhooks } from '../db/schema';
import { recordResponse } from '../services/campaigns';
import { runDueSchedules } from '../services/schedules';
import { startWebhookDispatcher, type WebhookDispatcher } from '../services/webhooks/dispatcher';
import { verifyWebhookSignature } from '../services/webhooks/signature';
import { invalidateSubscriptions } from '../services/webhooks/subscriptions';
import { insertDevice, publishedCampaign } from './campaigns';
import { startDetectionBench, type DetectionBench } from './detection';
import { seedDevices } from './fleet';
import { createTestBackend, type TestBackend } from './harness';
import { createUser, seedAdmin, signIn } from './identity';
import { deliveriesOf, finishExecution, insertExecution, receiverNetwork, startReceiver, waitFor, type Receiver } from './webhooks';

export function webhookEventsSuite(database: 'pglite' | 'postgres') {
  describe(`webhook events beyond executions (${database})`, () => {
    let t: TestBackend;
    let receiver: Receiver;
    let dispatcher: WebhookDispatcher | undefined;
    let admin: Record<string, string>;

    beforeAll(async () => {
      t = await createTestBackend({ database, env: receiverNetwork });
      admin = await t.as('admin');
      receiver = await startReceiver();
    });
    afterEach(async () => {
      await dispatcher?.stop();
      dispatcher = undefined;
    });
    afterAll(async () => {
      await receiver?.close();
      await t?.close();
    });

    const hook = async (events: string[]) => {
      const res = await t.call('POST', '/api/v1/webhooks', { headers: admin, body: { name: 'ticketing', url: receiver.url, events } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; secret: string };
    };
    const payloads = async (id: string) => (await deliveriesOf(t.ctx, id)).map((d) => WebhookPayload.parse(d.payload));
    // stopping enqueues what the dispatcher gathered and waits for it: afterwards the deliveries are all written
    const settle = async () => {
      await dispatcher!.stop();
      dispatcher = startWebhookDispatcher(t.ctx, { background: false });
    };

    it('request.completed: once, when the last execution of the request ends, with counts per status, signed', async () => {
      const { id, secret } = await hook(['request.completed']);
      dispatcher = startWebhookDispatcher(t.ctx, { background: false });
      const first = await insertExecution(t.ctx, { status: 'running' });
      const secondId = randomUUID();
      await t.ctx.db.execute(
        sql`insert into ${executions} (id, request_id, device_id, action_id, action_version_id, status, trigger, trigger_info, requested_by, parameters, signature, issued_at, expires_at, outputs)
            select ${secondId}, request_id, device_id, action_id, action_version_id, 'running', trigger, trigger_info, requested_by, parameters, signature, issued_at, expires_at, outputs
            from ${executions} where ${executions.id} = ${first.executionId}`,
      );
      await finishExecution(t.ctx, first, 'succeeded');
      await settle();
      expect(await payloads(id)).toEqual([]);
      const second = { ...first, executionId: secondId };
      await finishExecution(t.ctx, second, 'failed');
      await finishExecution(t.ctx, second, 'failed');
      await settle();
      const delivered = await payloads(id);
      expect(delivered).toHaveLength(1);
      expect(delivered[0]!.event).toBe('request.completed');
      expect(WebhookRequestData.parse(delivered[0]!.data)).toMatchObject({ requestId: first.requestId, total: 2, counts: { succeeded: 1, failed: 1 } });

      await dispatcher!.tick();
      const received = await waitFor(() => receiver.requests.find((r) => r.headers['x-fixpoint-event'] === 'request.completed'));
      expect(verifyWebhookSignature(secret, String(received.headers['x-fixpoint-signature']), received.body)).toBe(true);
    });

    it('campaign.responded: each response, without the free text, in the response transaction', async () => {
      const { id } = await hook(['campaign.responded']);
      await publishedCampaign(t, admin);
      const device = await insertDevice(t, { name: 'paris-1', user: 'ana' });
      const res = await t.call('POST', '/api/v1/campaigns/laptop-survey/trigger', { headers: admin, body: { devices: [device], parameters: { deadline: 'Friday' } } });
      const requestId = res.body.results[0].requests[0].requestId;
      await recordResponse(t.ctx, { requestId, deviceId: device, state: 'postponed', user: 'ana' });
      await recordResponse(t.ctx, { requestId, deviceId: device, state: 'fully', answers: { satisfied: ['no'], why: ['slow'], nps: ['9'] }, freeText: { details: 'my password is hunter2' }, user: 'ana' });
      // a refused response enqueues nothing
      await expect(recordResponse(t.ctx, { requestId, deviceId: device, state: 'declined', user: 'ana' })).rejects.toThrow(/takes no more responses/);
      const events = await payloads(id);
      expect(events.map((e) => [e.event, WebhookCampaignResponseData.parse(e.data).state])).toEqual([
        ['campaign.responded', 'postponed'],
        ['campaign.responded', 'fully'],
      ]);
      expect(events[1]!.data).toMatchObject({ requestId, campaignSlug: 'laptop-survey', deviceName: 'paris-1', answers: { satisfied: ['no'], why: ['slow'], nps: ['9'] }, user: 'ana' });
      expect(JSON.stringify(events)).not.toContain('hunter2');
      expect(await t.ctx.db.select().from(executions).where(eq(executions.requestId, requestId))).toEqual([]);
    });

    it('publishes every event with its own payload schema in the OpenAPI document', async () => {
      const doc = (await t.call('GET', '/api/openapi.json')).body;
      expect(Object.keys(doc.webhooks)).toEqual(expect.arrayContaining(['request.completed', 'campaign.responded', 'detection.paused', 'schedule.failed', 'execution.failed']));
      const body = doc.webhooks['campaign.responded'].post.requestBody.content['application/json'].schema;
      expect(body.properties.event).toMatchObject({ const: 'campaign.responded' });
      expect(Object.keys(body.properties.data.properties)).toEqual(expect.arrayContaining(['requestId', 'campaignSlug', 'state', 'answers']));
      expect(doc.webhooks['schedule.failed'].post.requestBody.content['application/json'].schema.properties.data.required).toEqual(expect.arrayContaining(['scheduleId', 'error']));
    });
  });

  describe(`webhook events of automation (${database})`, () => {
    let b: DetectionBench;
    let hookId: string;
    let ids: string[];
    const events = async () => (await deliveriesOf(b.ctx, hookId)).map((d) => WebhookPayload.parse(d.payload));

    beforeAll(async () => {
      b = await startDetectionBench({ database });
      ids = await seedDevices(b.ctx, 2, { platform: 'linux' });
      const [row] = await b.ctx.db.insert(webhooks).values({ name: 'itsm', url: 'https://itsm.example/hook', secret: 'whsec_test', events: ['detection.paused', 'schedule.failed'] }).returning();
      hookId = row!.id;
      invalidateSubscriptions(b.ctx);
    });
    afterAll(() => b?.close());

    it('detection.paused: once, when the circuit breaker trips, with the cause and reason', async () => {
      const rule = await b.rule({ name: 'fragile', guards: { cooldownSec: 0, breaker: { window: 10, minResults: 2, failureRate: 0.5 } } });
      await b.setFacts(ids, { disk: { free_pct: 5 } });
      expect(await b.finish(rule, 'failed', 'disk still full')).toBe(2);
      const health = (await b.t.call('GET', `/api/v1/detections/${rule}`, { headers: await b.t.as('admin') })).body;
      expect(health.pausedByBreaker).toBe(true);
      const paused = (await events()).filter((e) => e.event === 'detection.paused');
      expect(paused.map((e) => WebhookDetectionPausedData.parse(e.data))).toEqual([
        { ruleId: rule, name: 'fragile', cause: 'breaker', reason: expect.any(String), pausedAt: expect.any(String) },
      ]);
    });

    it('schedule.failed: a run that ends in an error, once per run, with the schedule and the error', async () => {
      const admin = await seedAdmin(b.t);
      const userId = await createUser(b.t, 'owner@test.local', ['admin']);
      const owner = (await signIn(b.t, 'owner@test.local', 'correct-horse-battery')).headers;
      const created = await b.t.call('POST', '/api/v1/schedules', { headers: owner, body: { name: 'disk usage', action: 'heal-disk', target: 'devices', intervalSec: 60 } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect((await b.t.call('PATCH', `/api/v1/users/${userId}`, { headers: admin, body: { disabled: true } })).status).toBe(200);
      b.advance(120);
      await runDueSchedules(b.ctx);
      b.advance(120);
      await runDueSchedules(b.ctx);
      const failed = (await events()).filter((e) => e.event === 'schedule.failed');
      expect(failed).toHaveLength(1);
      expect(WebhookScheduleFailedData.parse(failed[0]!.data)).toMatchObject({
        scheduleId: created.body.id, name: 'disk usage', launched: 0, error: expect.stringMatching(/paused: its owner .* is disabled/),
      });
      const runs = (await b.t.call('GET', `/api/v1/schedules/${created.body.id}/runs`, { headers: admin })).body.items;
      expect(runs.map((r: { id: string }) => r.id)).toContain(failed[0]!.data.runId);
    });
  });
}
