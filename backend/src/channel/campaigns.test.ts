/**
 * Campaigns on the agent channel, driven by a hand-written agent (`RawAgent`): pending requests pushed after the
 * pull and on triggers and retires, requests started by a script, responses stored and acked, and the messages a
 * real agent never sends.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCampaign } from '../testing/campaigns';
import { enrollmentToken, RawAgent, startLiveBackend, waitUntil, type LiveBackend } from '../testing/live';

let live: LiveBackend;
let token: string;

const quickCheck = {
  ...sampleCampaign({ slug: 'quick-check', name: 'Quick check', parameters: [], expirySec: 600 }),
  questions: [{ id: 'ok', type: 'single', text: { en: 'All good?' }, choices: [{ id: 'yes', label: { en: 'Yes' } }, { id: 'no', label: { en: 'No' } }] }],
  finalMessage: { en: 'Thanks' },
};

beforeAll(async () => {
  live = await startLiveBackend();
  token = await enrollmentToken(live.api);
  for (const body of [quickCheck, sampleCampaign()]) {
    expect((await live.api('POST', '/campaigns', body)).status).toBe(201);
    expect((await live.api('POST', `/campaigns/${body.slug}/publish`)).status).toBe(200);
  }
});
afterAll(() => live?.stop());

async function agent(): Promise<RawAgent> {
  const a = await RawAgent.enroll(live.url, token);
  await a.connect();
  return a;
}
const lastCampaigns = (a: RawAgent) => a.of('campaigns').at(-1)?.requests ?? null;

describe('campaigns on the channel', () => {
  it('pushes the pending requests after the pull and again when a trigger or a retire changes them', async () => {
    const a = await agent();
    await waitUntil(() => lastCampaigns(a), 5000, 'first list');
    expect(lastCampaigns(a)).toEqual([]);
    const triggered = await live.api('POST', '/campaigns/quick-check/trigger', { devices: [a.deviceId] });
    expect(triggered.status).toBe(200);
    const requestId = triggered.body.results[0].requests[0].requestId;
    const pushed = await waitUntil(() => lastCampaigns(a)?.[0], 5000, 'pushed request');
    expect(pushed).toMatchObject({ requestId, source: 'server', targetUser: null, urgency: 'normal', definition: { slug: 'quick-check' } });
    // a reconnecting agent gets it again after its pull
    await a.close();
    await a.connect();
    await waitUntil(() => lastCampaigns(a)?.[0]?.requestId === requestId, 5000, 'list after reconnect');
    expect((await live.api('POST', '/campaigns/quick-check/retire')).status).toBe(200);
    await waitUntil(() => lastCampaigns(a)?.length === 0, 5000, 'list after retire');
    expect((await live.api('POST', '/campaigns/quick-check/republish')).status).toBe(200);
    // every list (on both connections) came sealed for this device and the connection it arrived on, in order
    expect(a.of('campaigns').length).toBeGreaterThanOrEqual(2);
    expect(a.badSeals).toEqual([]);
    await a.close();
  });

  it('starts a campaign for a script, stores the response and acks it once', async () => {
    const a = await agent();
    const localId = randomUUID();
    a.send({ type: 'campaign_start', localId, campaign: 'quick-check', parameters: {}, timeoutSec: 900, user: 'ana', executionId: randomUUID() });
    const started = await a.waitFor('campaign_started', (m) => m.localId === localId);
    expect(started.reused).toBe(false);
    expect(started.request).toMatchObject({ source: 'script', targetUser: 'ana', definition: { slug: 'quick-check' } });
    const { requestId } = started.request;
    expect(Date.parse(started.request.expiresAt) - Date.parse(started.request.createdAt)).toBe(900_000);

    const at = new Date().toISOString();
    a.send({ type: 'campaign_response', requestId, state: 'fully', answers: { ok: ['yes'] }, freeText: {}, user: 'ana', language: 'en', at });
    const ack = await a.waitFor('campaign_ack', (m) => m.requestId === requestId);
    expect(ack).toMatchObject({ type: 'campaign_ack', requestId, binding: { deviceId: a.deviceId, connection: a.nonce } });
    expect(ack.error).toBeUndefined();
    const responses = (await live.api('GET', '/campaigns/quick-check/responses')).body.items;
    expect(responses[0]).toMatchObject({ requestId, state: 'fully', answers: { ok: ['yes'] }, user: 'ana', deviceId: a.deviceId, respondedAt: at });
    const requests = (await live.api('GET', `/campaigns/quick-check/requests?deviceId=${a.deviceId}`)).body.items;
    expect(requests[0]).toMatchObject({ id: requestId, requestedBy: `device:${a.deviceId}`, status: 'answered' });

    // a script reads it later (`fixpoint campaign --status`): a signed campaign_state; another device's request is not found
    const statusId = randomUUID();
    a.send({ type: 'campaign_status', localId: statusId, requestId });
    expect(await a.waitFor('campaign_state', (m) => m.localId === statusId)).toMatchObject({ requestId, status: 'fully', answers: { ok: ['yes'] }, binding: { deviceId: a.deviceId } });
    const b = await agent();
    b.send({ type: 'campaign_status', localId: statusId, requestId });
    expect(await b.waitFor('campaign_failed', (m) => m.localId === statusId)).toMatchObject({ code: 'not_found' });
    await b.close();

    // sent again (the agent missed the ack): acked with the reason it will never apply
    a.send({ type: 'campaign_response', requestId, state: 'fully', answers: { ok: ['yes'] }, freeText: {}, user: 'ana', at });
    const again = await a.waitFor('campaign_ack', (m) => m.requestId === requestId && !!m.error);
    expect(again.error).toMatchObject({ code: 'conflict' });
    await a.close();
  });

  it('answers a start that cannot be served with campaign_failed, and a response that does not fit with an error ack', async () => {
    const a = await agent();
    const fails: [Record<string, unknown>, string][] = [
      [{ campaign: 'nope' }, 'not_found'],
      [{ campaign: "x' OR 1=1 --" }, 'not_found'],
      [{ campaign: 'laptop-survey' }, 'validation_failed'],
      [{ campaign: 'quick-check', parameters: { ghost: 'x' } }, 'validation_failed'],
    ];
    for (const [fields, code] of fails) {
      const localId = randomUUID();
      a.send({ type: 'campaign_start', localId, parameters: {}, user: null, ...fields });
      expect(await a.waitFor('campaign_failed', (m) => m.localId === localId)).toMatchObject({ code });
    }
    const localId = randomUUID();
    a.send({ type: 'campaign_start', localId, campaign: 'quick-check', parameters: {}, user: null });
    const { request } = await a.waitFor('campaign_started', (m) => m.localId === localId);
    a.send({ type: 'campaign_response', requestId: request.requestId, state: 'fully', answers: { ok: ['maybe'] }, freeText: {}, user: null, at: new Date().toISOString() });
    expect((await a.waitFor('campaign_ack', (m) => m.requestId === request.requestId)).error).toMatchObject({ code: 'validation_failed' });
    // another device's request is as unknown as a missing one
    const b = await agent();
    b.send({ type: 'campaign_response', requestId: request.requestId, state: 'declined', answers: {}, freeText: {}, user: null, at: new Date().toISOString() });
    expect((await b.waitFor('campaign_ack')).error).toMatchObject({ code: 'not_found' });
    // malformed frames get a protocol error and the connection stays up
    a.send({ type: 'campaign_start', localId: 'nope', campaign: 'quick-check', user: null });
    a.send({ type: 'campaign_response', requestId: request.requestId, state: 'exploded', user: null, at: 'now' });
    await waitUntil(() => a.of('error').length >= 2, 5000, 'protocol errors');
    expect(a.of('error').every((e) => e.code === 'protocol_error')).toBe(true);
    a.send({ type: 'campaign_response', requestId: request.requestId, state: 'declined', answers: {}, freeText: {}, user: null, at: new Date().toISOString() });
    expect(await a.waitFor('campaign_ack', (m) => m.requestId === request.requestId && !m.error)).toBeTruthy();
    expect((await fetch(`${live.url}/healthz`)).status).toBe(200);
    await a.close();
    await b.close();
  });
});
