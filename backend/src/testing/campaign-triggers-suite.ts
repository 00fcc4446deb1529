import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordResponse } from '../services/campaigns';
import { auditEntries } from './actions';
import { createScopedRole, insertDevice, publishedCampaign, sampleCampaign } from './campaigns';
import { createTestBackend, type TestBackend } from './harness';
import { advanceClock } from './identity';

/** Campaign triggers through the API: one request per device, users, scopes, `waiting_for_user`, retire, expiry. */
export function campaignTriggersSuite(database: 'pglite' | 'postgres') {
  describe(`campaign triggers (${database})`, () => {
    let t: TestBackend;
    let author: Record<string, string>;
    let support: Record<string, string>;
    let parisOnly: Record<string, string>;
    let notified: string[][];
    const dev: Record<string, string> = {};

    beforeAll(async () => {
      t = await createTestBackend({ database });
      author = await t.as('author');
      support = await t.as('support', 'support@test.local');
      await createScopedRole(t, 'paris-support', ['campaigns:trigger'], { all: false, tags: ['site:paris'], platforms: [] });
      parisOnly = await t.as('paris-support');
      dev.paris = await insertDevice(t, { name: 'paris-1', tags: ['site:paris'], user: 'ACME\\ana' });
      dev.lyon = await insertDevice(t, { name: 'lyon-1', tags: ['site:lyon'], user: 'bob' });
      dev.shared = await insertDevice(t, { name: 'paris-2', tags: ['site:paris'], user: 'Bob' });
      await publishedCampaign(t, author);
      t.ctx.campaignDispatcher = { notify: (ids) => notified.push(ids) };
    });
    beforeEach(() => {
      notified = [];
    });
    afterAll(() => t.close());

    const trigger = (body: unknown, headers = support, slug = 'laptop-survey') => t.call('POST', `/api/v1/campaigns/${slug}/trigger`, { headers, body });
    const outcomes = (res: { body: any }) => res.body.results.map((r: any) => `${r.target.kind}:${r.target.value}=${r.outcome}`);

    it('queues one request per device, resolves parameters and notifies the dispatcher after commit', async () => {
      const missing = randomUUID();
      const res = await trigger({ devices: [dev.paris, missing], parameters: { deadline: 'Friday' } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ version: 1, queued: 1 });
      expect(outcomes(res)).toEqual([`device:${dev.paris}=queued`, `device:${missing}=not_found`]);
      expect(res.body.results[0].requests).toEqual([{ requestId: expect.any(String), deviceId: dev.paris }]);
      expect(notified).toEqual([[dev.paris]]);
      const requests = await t.call('GET', '/api/v1/campaigns/laptop-survey/requests', { headers: support });
      expect(requests.body.items).toEqual([
        expect.objectContaining({
          deviceId: dev.paris,
          status: 'pending',
          targetUser: null,
          parameters: { deadline: 'Friday', device: 'your computer' },
          requestedBy: 'user:support@test.local',
          campaignVersion: 1,
        }),
      ]);
      const expiresIn = Date.parse(requests.body.items[0].expiresAt) - Date.parse(requests.body.items[0].createdAt);
      expect(expiresIn).toBe(7 * 24 * 3600 * 1000);
      const [entry] = await auditEntries(t, 'campaign.trigger');
      expect(entry).toMatchObject({
        actor: 'user:support@test.local',
        target: 'campaign:laptop-survey',
        details: { version: 1, devices: 2, requestsQueued: 1, targets: { queued: 1, not_found: 1 }, parameters: ['deadline', 'device'] },
      });
    });

    it('never sends a second pending request for the same campaign and device', async () => {
      const again = await trigger({ devices: [dev.paris, dev.paris], parameters: { deadline: 'Monday' } });
      expect(outcomes(again)).toEqual([`device:${dev.paris}=already_pending`]);
      expect(again.body.queued).toBe(0);
      expect(notified).toEqual([]);
      const requests = await t.call('GET', '/api/v1/campaigns/laptop-survey/requests?status=pending', { headers: support });
      expect(requests.body.total).toBe(1);
    });

    it('reaches users where they are logged in, case-insensitively, once per device', async () => {
      const res = await trigger({ users: ['bob', 'BOB', 'nobody', 'acme\\ANA'], devices: [dev.lyon], parameters: { deadline: 'x' } });
      expect(outcomes(res)).toEqual([`device:${dev.lyon}=queued`, 'user:bob=queued', 'user:nobody=not_found', 'user:acme\\ANA=already_pending']);
      const bob = res.body.results[1].requests.map((r: any) => r.deviceId).sort();
      expect(bob).toEqual([dev.lyon, dev.shared].sort());
      expect(res.body.queued).toBe(2);
      const shared = await t.call('GET', `/api/v1/campaigns/laptop-survey/requests?deviceId=${dev.shared}`, { headers: support });
      expect(shared.body.items[0].targetUser).toBe('bob');
    });

    it('answers waiting_for_user for a device where nobody is logged in: queued, shown at the next login', async () => {
      const empty = await insertDevice(t, { name: 'kiosk-1', user: null });
      const res = await trigger({ devices: [empty], parameters: { deadline: 'x' } });
      expect(outcomes(res)).toEqual([`device:${empty}=waiting_for_user`]);
      expect(res.body.queued).toBe(1);
      expect(notified).toEqual([[empty]]);
      expect((await auditEntries(t, 'campaign.trigger')).at(-1)).toMatchObject({ details: { targets: { waiting_for_user: 1, queued: 0 } } });
    });

    it('answers out_of_scope for devices and users beyond the caller scope', async () => {
      await publishedCampaign(t, author, { slug: 'scoped', parameters: [] , questions: [{ id: 'q', type: 'info', text: { en: 'hi' } }], finalMessage: { en: 'bye' } });
      const res = await trigger({ devices: [dev.lyon, dev.paris], users: ['bob'] }, parisOnly, 'scoped');
      expect(outcomes(res)).toEqual([`device:${dev.lyon}=out_of_scope`, `device:${dev.paris}=queued`, 'user:bob=queued']);
      // bob is on a Lyon device too, but only the Paris one is in scope
      expect(res.body.results[2].requests.map((r: any) => r.deviceId)).toEqual([dev.shared]);
      const lyonOnly = await trigger({ users: ['bob'], devices: [] }, parisOnly, 'scoped');
      expect(outcomes(lyonOnly)).toEqual(['user:bob=already_pending']);
      // the requests listing follows the scope too
      const listed = await t.call('GET', '/api/v1/campaigns/scoped/requests', { headers: parisOnly });
      expect(listed.body.items.map((r: any) => r.deviceId).sort()).toEqual([dev.paris, dev.shared].sort());
    });

    it('rejects unknown and missing required parameters, and drafts or retired campaigns', async () => {
      expect((await trigger({ devices: [dev.lyon], parameters: { nope: 'x', deadline: 'y' } })).body.error.message).toMatch(/unknown parameter nope/);
      expect((await trigger({ devices: [dev.lyon] })).body.error.message).toMatch(/parameter deadline is required/);
      await t.call('POST', '/api/v1/campaigns', { headers: author, body: sampleCampaign({ slug: 'draft-one' }) });
      const draft = await trigger({ devices: [dev.lyon], parameters: { deadline: 'x' } }, support, 'draft-one');
      expect(draft.status).toBe(409);
      expect((await trigger({ devices: [dev.lyon] }, support, 'missing')).status).toBe(404);
      expect((await trigger({ devices: [] })).status).toBe(400);
      expect((await trigger({ devices: [dev.lyon], expirySec: 10, parameters: { deadline: 'x' } })).status).toBe(400);
    });

    it('retiring cancels pending requests and tells their devices', async () => {
      const res = await t.call('POST', '/api/v1/campaigns/scoped/retire', { headers: author });
      expect(res.status).toBe(200);
      expect(notified[0]!.sort()).toEqual([dev.paris, dev.shared].sort());
      const listed = await t.call('GET', '/api/v1/campaigns/scoped/requests', { headers: support });
      expect(listed.body.items.map((r: any) => r.status)).toEqual(['canceled', 'canceled']);
      expect((await auditEntries(t, 'campaign.retire')).at(-1)).toMatchObject({ details: { canceledRequests: 2 } });
      expect((await trigger({ devices: [dev.paris] }, support, 'scoped')).status).toBe(409);
      // republished, the same devices can be asked again
      await t.call('POST', '/api/v1/campaigns/scoped/republish', { headers: author });
      expect(outcomes(await trigger({ devices: [dev.paris] }, support, 'scoped'))).toEqual([`device:${dev.paris}=queued`]);
    });

    it('treats a pending request past its expiry as gone, with an expiry override', async () => {
      const device = await insertDevice(t, { name: 'short' });
      const first = await trigger({ devices: [device], parameters: { deadline: 'x' }, expirySec: 60 });
      expect(Date.parse(first.body.expiresAt) - Date.now()).toBeLessThan(61_000);
      advanceClock(t, 61_000);
      const second = await trigger({ devices: [device], parameters: { deadline: 'x' } });
      expect(outcomes(second)).toEqual([`device:${device}=queued`]);
      const listed = await t.call('GET', `/api/v1/campaigns/laptop-survey/requests?deviceId=${device}`, { headers: support });
      expect(listed.body.items.map((r: any) => r.status)).toEqual(['pending', 'expired']);
      const responses = await t.call('GET', '/api/v1/campaigns/laptop-survey/responses?state=expired', { headers: author });
      expect(responses.body.items.map((r: any) => r.deviceId)).toEqual([device]);
    });

    it('shows answered, no user, declined and timed out as separate counts in the results', async () => {
      await publishedCampaign(t, author, { slug: 'counts', parameters: [], questions: [{ id: 'q', type: 'info', text: { en: 'hi' } }], finalMessage: { en: 'bye' } });
      const targets = await Promise.all(['fully', 'no_user', 'declined', 'timeout', 'pending'].map((s) => insertDevice(t, { name: `counts-${s}`, user: 'carl' })));
      const res = await trigger({ devices: targets }, support, 'counts');
      expect(res.body.queued).toBe(5);
      const states = ['fully', 'no_user', 'declined', 'timeout'] as const;
      for (const [i, state] of states.entries()) {
        const { requestId } = res.body.results[i].requests[0];
        await recordResponse(t.ctx, { requestId, deviceId: targets[i]!, state, ...(state === 'no_user' ? {} : { user: 'carl' }) });
      }
      const results = await t.call('GET', '/api/v1/campaigns/counts/results', { headers: author });
      expect(results.status, JSON.stringify(results.body)).toBe(200);
      expect(results.body.states).toEqual({ fully: 1, no_user: 1, declined: 1, timeout: 1, postponed: 0, expired: 0, notification_failed: 0, deadline_reached: 0 });
      expect(results.body.requests).toMatchObject({ total: 5, pending: 1, answered: 4 });
    });

    it('needs campaigns:trigger', async () => {
      expect((await trigger({ devices: [dev.paris] }, author)).status).toBe(403);
      expect((await trigger({ devices: [dev.paris] }, await t.as('viewer'))).status).toBe(403);
      expect((await trigger({ devices: [dev.paris] }, {})).status).toBe(401);
    });
  });
}
