import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from './actions';
import { runCampaignSchedules } from '../services/campaigns';
import { insertDevice, publishedCampaign } from './campaigns';
import { createTestBackend, type TestBackend } from './harness';
import { advanceClock, rawQuery, seedAdmin } from './identity';

/** Campaign schedules through the API: stored, checked, fired once per device or again, on a saved query. */
export function campaignSchedulesSuite(database: 'pglite' | 'postgres') {
  describe(`campaign schedules (${database})`, () => {
    let t: TestBackend;
    let support: Record<string, string>;
    beforeAll(async () => {
      t = await createTestBackend({ database });
      support = await t.as('support', 'support@test.local');
      await publishedCampaign(t, await t.as('author'));
    });
    afterAll(() => t.close());

    const add = (body: unknown, headers = support) => t.call('POST', '/api/v1/campaigns/laptop-survey/schedules', { headers, body });
    const query = 'devices | where os.platform == "windows" and disk.free_pct < 10 | limit 500';

    it('stores a repeating schedule after checking its query and parameters', async () => {
      const res = await add({ query, mode: 'repeat', repeatAfterDays: 30, parameters: { deadline: 'Friday' } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ query, mode: 'repeat', repeatAfterDays: 30, enabled: true, createdBy: 'user:support@test.local', lastRunAt: null });
      expect(res.body).toMatchObject({ owner: 'user:support@test.local', pausedReason: null, pausedAt: null });
      const once = await add({ query: 'devices', mode: 'once', parameters: { deadline: 'x' }, expirySec: 3600 });
      expect(once.body).toMatchObject({ mode: 'once', repeatAfterDays: null, expirySec: 3600 });
      const listed = await t.call('GET', '/api/v1/campaigns/laptop-survey/schedules', { headers: support });
      expect(listed.body.items.map((s: any) => s.mode)).toEqual(['repeat', 'once']);
      expect(await auditEntries(t, 'campaign.schedule.create')).toHaveLength(2);
    });

    it('rejects queries that do not select devices, bad parameters and inconsistent modes', async () => {
      const cases: [unknown, RegExp][] = [
        [{ query: 'devices | where', mode: 'once', parameters: { deadline: 'x' } }, /./],
        [{ query: 'executions', mode: 'once', parameters: { deadline: 'x' } }, /start the query with "devices"/],
        [{ query: 'devices | summarize count() by os.platform', mode: 'once', parameters: { deadline: 'x' } }, /remove the "summarize" stage/],
        [{ query: 'devices | list name', mode: 'once', parameters: { deadline: 'x' } }, /remove the "list" stage/],
        [{ query: 'devices', mode: 'once' }, /deadline is required/],
        [{ query: 'devices', mode: 'once', parameters: { deadline: 'x', other: 'y' } }, /unknown parameter other/],
        [{ query: 'devices', mode: 'repeat', parameters: { deadline: 'x' } }, /repeatAfterDays/],
        [{ query: 'devices', mode: 'once', repeatAfterDays: 3, parameters: { deadline: 'x' } }, /repeatAfterDays/],
        [{ query: "devices'; drop table devices; --", mode: 'once', parameters: { deadline: 'x' } }, /./],
      ];
      for (const [body, message] of cases) {
        const res = await add(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.message).toMatch(message);
      }
      expect((await t.call('GET', '/api/v1/campaigns/laptop-survey/schedules', { headers: support })).body.total).toBe(2);
    });

    it('deletes a schedule, and needs campaigns:trigger', async () => {
      const listed = await t.call('GET', '/api/v1/campaigns/laptop-survey/schedules', { headers: support });
      const id = listed.body.items[0].id;
      expect((await t.call('DELETE', `/api/v1/campaigns/laptop-survey/schedules/${id}`, { headers: await t.as('viewer') })).status).toBe(403);
      expect((await t.call('DELETE', `/api/v1/campaigns/laptop-survey/schedules/${id}`, { headers: support })).status).toBe(204);
      expect((await t.call('DELETE', `/api/v1/campaigns/laptop-survey/schedules/${id}`, { headers: support })).status).toBe(404);
      expect((await t.call('DELETE', `/api/v1/campaigns/laptop-survey/schedules/${randomUUID()}`, { headers: support })).status).toBe(404);
      expect((await add({ query: 'devices', mode: 'once' }, await t.as('author'))).status).toBe(403);
      expect(await auditEntries(t, 'campaign.schedule.delete')).toHaveLength(1);
    });

    it('fires: once per device, again after repeatAfterDays, and a device that starts matching within a minute', async () => {
      const asked = async (tag: string) =>
        (await rawQuery(t, `select d.name from campaign_requests r join devices d on d.id = r.device_id where '${tag}' = any(d.tags) order by r.created_at, d.name`)).map((r: any) => r.name);
      await insertDevice(t, { name: 'once-1', tags: ['wave:once'] });
      await insertDevice(t, { name: 'rep-1', tags: ['wave:repeat'] });
      const byTag = (tag: string) => `devices | where tags contains "${tag}"`;
      expect((await add({ query: byTag('wave:once'), mode: 'once', parameters: { deadline: 'x' } })).status).toBe(201);
      expect((await add({ query: byTag('wave:repeat'), mode: 'repeat', repeatAfterDays: 2, parameters: { deadline: 'x' }, expirySec: 3600 })).status).toBe(201);
      // two instances' ticks racing: each schedule fires once
      const ran = await Promise.all([runCampaignSchedules(t.ctx), runCampaignSchedules(t.ctx)]);
      expect(ran[0]! + ran[1]!).toBeGreaterThanOrEqual(2);
      expect(await asked('wave:once')).toEqual(['once-1']);
      expect(await asked('wave:repeat')).toEqual(['rep-1']);

      await insertDevice(t, { name: 'once-2', tags: ['wave:once'] });
      advanceClock(t, 30_000);
      await runCampaignSchedules(t.ctx);
      expect(await asked('wave:once')).toEqual(['once-1']);
      advanceClock(t, 30_000);
      await runCampaignSchedules(t.ctx);
      expect(await asked('wave:once')).toEqual(['once-1', 'once-2']);

      advanceClock(t, 86_400_000);
      await runCampaignSchedules(t.ctx);
      expect(await asked('wave:repeat')).toEqual(['rep-1']);
      advanceClock(t, 86_400_000);
      await runCampaignSchedules(t.ctx);
      expect(await asked('wave:repeat')).toEqual(['rep-1', 'rep-1']);
      expect(await asked('wave:once')).toEqual(['once-1', 'once-2']);
    });

    describe('on a saved query', () => {
      let admin: Record<string, string>;
      let pilot: { id: string; name: string };
      const asked = async () =>
        (await rawQuery(t, `select d.name from campaign_requests r join devices d on d.id = r.device_id where 'wave:saved' = any(d.tags) order by d.name`)).map((r: any) => r.name);
      beforeAll(async () => {
        // back to the real clock, which tokens expire by (the schedules above ran days ahead, so they are not due)
        t.ctx.now = () => new Date();
        admin = await seedAdmin(t);
        const res = await t.call('POST', '/api/v1/saved-queries', { headers: admin, body: { name: 'Pilot ring', query: 'devices | where tags contains "ring:pilot"' } });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        pilot = res.body;
      });

      it('rejects an unknown saved query and one that is not a condition', async () => {
        const limited = await t.call('POST', '/api/v1/saved-queries', { headers: admin, body: { name: 'First ten', query: 'devices | limit 10' } });
        expect(limited.status).toBe(201);
        for (const [ref, message] of [['No such query', /no saved query No such query/], [randomUUID(), /no saved query/], ['First ten', /First ten/]] as const) {
          const res = await add({ query: 'devices', savedQuery: ref, mode: 'once', parameters: { deadline: 'x' } });
          expect(res.status, ref).toBe(400);
          expect(res.body.error.message).toMatch(message);
        }
        expect((await t.call('DELETE', `/api/v1/saved-queries/${limited.body.id}`, { headers: admin })).status).toBe(204);
      });

      it('fires for the devices of both its query and the saved query, as it reads at each run', async () => {
        await insertDevice(t, { name: 'saved-a', tags: ['wave:saved', 'ring:pilot'] });
        const later = await insertDevice(t, { name: 'saved-b', tags: ['wave:saved'] });
        await insertDevice(t, { name: 'pilot-only', tags: ['ring:pilot'] });
        const res = await add({ query: 'devices | where tags contains "wave:saved"', savedQuery: 'Pilot ring', mode: 'once', parameters: { deadline: 'x' } });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body.savedQuery).toEqual({ id: pilot.id, name: 'Pilot ring' });
        const listed = await t.call('GET', '/api/v1/campaigns/laptop-survey/schedules', { headers: support });
        expect(listed.body.items.find((s: any) => s.id === res.body.id).savedQuery).toEqual({ id: pilot.id, name: 'Pilot ring' });
        const [entry] = (await auditEntries(t, 'campaign.schedule.create')).slice(-1);
        expect(entry?.details).toMatchObject({ scheduleId: res.body.id, savedQueryId: pilot.id });

        advanceClock(t, 60_000);
        await runCampaignSchedules(t.ctx);
        expect(await asked()).toEqual(['saved-a']);
        const pilotOnly = await rawQuery(t, `select count(*)::int as n from campaign_requests r join devices d on d.id = r.device_id where d.name = 'pilot-only'`);
        expect(pilotOnly).toEqual([{ n: 0 }]);

        // joining the saved query's devices later: the next run, within a minute, sends it
        await rawQuery(t, `update devices set tags = array['wave:saved', 'ring:pilot'] where id = '${later}'`);
        advanceClock(t, 60_000);
        await runCampaignSchedules(t.ctx);
        expect(await asked()).toEqual(['saved-a', 'saved-b']);
      });

      it('keeps the saved query from being deleted while a campaign schedule uses it, naming it', async () => {
        const res = await t.call('DELETE', `/api/v1/saved-queries/${pilot.id}`, { headers: admin });
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/campaign schedule of laptop-survey/);
        const listed = await t.call('GET', '/api/v1/campaigns/laptop-survey/schedules', { headers: support });
        for (const s of listed.body.items.filter((s: any) => s.savedQuery))
          expect((await t.call('DELETE', `/api/v1/campaigns/laptop-survey/schedules/${s.id}`, { headers: support })).status).toBe(204);
        expect((await t.call('DELETE', `/api/v1/saved-queries/${pilot.id}`, { headers: admin })).status).toBe(204);
      });
    });
  });
}
