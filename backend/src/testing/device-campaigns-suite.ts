import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from './actions';
import { insertDevice, publishedCampaign, sampleCampaign } from './campaigns';
import { createTestBackend, type TestBackend } from './harness';
import { deviceCampaignStatus, pendingCampaignRequests, recordResponse, startDeviceCampaign } from '../services/campaigns';

/** Campaigns a script starts on its device (`fixpoint campaign`, `--no-wait`), and reading them back (`--status`). */
export function deviceCampaignsSuite(database: 'pglite' | 'postgres') {
  describe(`campaigns from the device side (${database})`, () => {
    let t: TestBackend;
    let support: Record<string, string>;
    let author: Record<string, string>;
    let device: string;
    let other: string;

    beforeAll(async () => {
      t = await createTestBackend({ database });
      author = await t.as('author');
      support = await t.as('support');
      await publishedCampaign(t, author);
      await publishedCampaign(t, author, { slug: 'quick-check', name: 'Quick check', parameters: [], questions: [{ id: 'ok', type: 'single', text: { en: 'OK?' }, choices: [{ id: 'yes', label: { en: 'Yes' } }, { id: 'no', label: { en: 'No' } }] }], finalMessage: { en: 'Thanks' }, expirySec: 600 });
      device = await insertDevice(t, { user: 'ana' });
      other = await insertDevice(t);
    });
    afterAll(() => t.close());
    const failure = (p: Promise<unknown>) => p.then(() => null, (e: any) => ({ status: e.status, message: e.message }));

    it('creates a script request for the console user, expiring no sooner than the script waits, and audits it', async () => {
      const executionId = randomUUID();
      const { request: push, reused } = await startDeviceCampaign(t.ctx, { deviceId: device, start: { campaign: 'quick-check', parameters: {}, timeoutSec: 3600, user: 'ana', executionId } });
      expect(reused).toBe(false);
      expect(push).toMatchObject({ source: 'script', targetUser: 'ana', urgency: 'normal', campaignVersion: 1, definition: { slug: 'quick-check' } });
      expect(Date.parse(push.expiresAt) - Date.parse(push.createdAt)).toBe(3600_000);
      const again = await startDeviceCampaign(t.ctx, { deviceId: device, start: { campaign: 'quick-check', parameters: {}, user: 'ana' } });
      expect(again).toMatchObject({ reused: true, request: { requestId: push.requestId } });
      const audit = await auditEntries(t, 'campaign.trigger');
      expect(audit.at(-2)).toMatchObject({ actor: `device:${device}`, target: 'campaign:quick-check', details: { trigger: 'script', executionId, requestId: push.requestId, reused: false } });
      const listed = await t.call('GET', `/api/v1/campaigns/quick-check/requests?deviceId=${device}`, { headers: support });
      expect(listed.body.items[0]).toMatchObject({ id: push.requestId, requestedBy: `device:${device}`, targetUser: 'ana', status: 'pending' });
    });

    it('refuses unknown and unpublished campaigns and bad parameters', async () => {
      const start = (campaign: string, parameters: Record<string, string> = {}) => failure(startDeviceCampaign(t.ctx, { deviceId: other, start: { campaign, parameters, user: null } }));
      expect(await start('nope')).toMatchObject({ status: 404 });
      expect(await start("x' OR 1=1 --")).toMatchObject({ status: 404 });
      expect(await start('laptop-survey')).toMatchObject({ status: 400, message: expect.stringMatching(/deadline is required/) });
      expect(await start('quick-check', { ghost: 'x' })).toMatchObject({ status: 400 });
      await t.call('POST', '/api/v1/campaigns', { headers: author, body: sampleCampaign({ slug: 'draft-one' }) });
      expect(await start('draft-one')).toMatchObject({ status: 409 });
    });

    it('lists what is pending per device, oldest first, and drops what is answered', async () => {
      const triggered = await t.call('POST', '/api/v1/campaigns/laptop-survey/trigger', { headers: support, body: { devices: [device, other], parameters: { deadline: 'Friday' } } });
      expect(triggered.status).toBe(200);
      const pending = await pendingCampaignRequests(t.ctx, [device, other, randomUUID()]);
      expect(pending.get(device)!.map((p) => [p.definition.slug, p.source])).toEqual([['quick-check', 'script'], ['laptop-survey', 'server']]);
      expect(pending.get(other)!.map((p) => p.parameters)).toEqual([{ deadline: 'Friday', device: 'your computer' }]);
      const [first] = pending.get(device)!;
      await recordResponse(t.ctx, { requestId: first!.requestId, deviceId: device, state: 'fully', answers: { ok: ['yes'] }, user: 'ana' });
      expect((await pendingCampaignRequests(t.ctx, [device])).get(device)!.map((p) => p.definition.slug)).toEqual(['laptop-survey']);
    });

    it('reads where a request of the device stands, for --status: pending, postponed, answered, canceled, expired; never another device', async () => {
      const status = (deviceId: string, requestId: string) => deviceCampaignStatus(t.ctx, { deviceId, requestId });
      const { request } = await startDeviceCampaign(t.ctx, { deviceId: other, start: { campaign: 'quick-check', parameters: {}, user: null } });
      expect(await status(other, request.requestId)).toEqual({ status: 'pending', answers: {}, freeText: {} });
      expect(await failure(status(device, request.requestId))).toMatchObject({ status: 404 });
      expect(await failure(status(other, randomUUID()))).toMatchObject({ status: 404 });
      await recordResponse(t.ctx, { requestId: request.requestId, deviceId: other, state: 'postponed', user: 'bo' });
      expect(await status(other, request.requestId)).toMatchObject({ status: 'pending' });
      await recordResponse(t.ctx, { requestId: request.requestId, deviceId: other, state: 'declined', user: 'bo' });
      expect(await status(other, request.requestId)).toEqual({ status: 'declined', answers: {}, freeText: {} });

      const next = await startDeviceCampaign(t.ctx, { deviceId: other, start: { campaign: 'quick-check', parameters: {}, user: null } });
      await recordResponse(t.ctx, { requestId: next.request.requestId, deviceId: other, state: 'fully', answers: { ok: ['no'] }, user: 'bo' });
      expect(await status(other, next.request.requestId)).toEqual({ status: 'fully', answers: { ok: ['no'] }, freeText: {} });

      const third = await startDeviceCampaign(t.ctx, { deviceId: other, start: { campaign: 'quick-check', parameters: {}, user: null } });
      const later = new Date(Date.parse(third.request.expiresAt) + 1000);
      expect(await deviceCampaignStatus({ ...t.ctx, now: () => later }, { deviceId: other, requestId: third.request.requestId })).toMatchObject({ status: 'expired' });
      expect((await t.call('POST', '/api/v1/campaigns/quick-check/retire', { headers: author })).status).toBe(200);
      expect(await status(other, third.request.requestId)).toMatchObject({ status: 'canceled' });
    });
  });
}
