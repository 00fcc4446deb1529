import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebhookCampaignResponseData, WebhookPayload, WebhookRequestData } from '@fixpoint/protocol';
import { executions } from '../../db/schema';
import { insertDevice, publishedCampaign } from '../../testing/campaigns';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { deliveriesOf, finishExecution, insertExecution, receiverNetwork, startReceiver, waitFor, type Receiver } from '../../testing/webhooks';
import { recordResponse } from '../campaigns';
import { startWebhookDispatcher, type WebhookDispatcher } from './dispatcher';
import { verifyWebhookSignature } from './signature';

describe('webhook events beyond executions', () => {
  let t: TestBackend;
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher | undefined;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await createTestBackend({ env: receiverNetwork });
    admin = await t.as('admin');
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  const hook = async (events: string[]) => {
    const res = await t.call('POST', '/api/v1/webhooks', { headers: admin, body: { name: 'ticketing', url: receiver.url, events } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; secret: string };
  };
  const payloads = async (id: string) => (await deliveriesOf(t.ctx, id)).map((d) => WebhookPayload.parse(d.payload));

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
    await new Promise((r) => setTimeout(r, 100));
    expect(await payloads(id)).toEqual([]);
    const second = { ...first, executionId: secondId };
    await finishExecution(t.ctx, second, 'failed');
    await finishExecution(t.ctx, second, 'failed');
    const [delivery] = await waitFor(async () => (await payloads(id)).length && payloads(id));
    await new Promise((r) => setTimeout(r, 100));
    expect(await payloads(id)).toHaveLength(1);
    expect(delivery!.event).toBe('request.completed');
    expect(WebhookRequestData.parse(delivery!.data)).toMatchObject({ requestId: first.requestId, total: 2, counts: { succeeded: 1, failed: 1 } });

    await dispatcher.tick();
    const [received] = receiver.requests;
    expect(received!.headers['x-fixpoint-event']).toBe('request.completed');
    expect(verifyWebhookSignature(secret, String(received!.headers['x-fixpoint-signature']), received!.body)).toBe(true);
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
