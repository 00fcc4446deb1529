import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookDetectionPausedData, WebhookScheduleFailedData, type DeviceScope, type WebhookPayload } from '@fixpoint/protocol';
import { campaignRequests, savedQueries, webhookDeliveries, webhooks } from '../db/schema';
import { runCampaignSchedules } from '../services/campaigns';
import { evaluateDevices } from '../services/detection';
import { runDueSchedules } from '../services/schedules';
import { invalidateSubscriptions } from '../services/webhooks/subscriptions';
import { auditEntries } from './actions';
import { publishedCampaign } from './campaigns';
import { executionsBy, seedAutomatedAction, setDeviceFacts } from './automation';
import { seedDevices, seedRole } from './fleet';
import { createTestBackend, type TestBackend } from './harness';
import { createUser, seedAdmin, signIn } from './identity';

/**
 * Automation acts for its owner: a schedule or rule fires only where its owner may act, saving one needs the right
 * to run its action, it pauses once the owner loses that right, and its reads (runs, health, dry run) name and
 * count only the caller's devices. The same checks run with a role scope by tag and by saved query
 * (`deviceScopeCondition` serves both).
 */
export function automationOwnerSuite(database: 'pglite' | 'postgres') {
  for (const kind of ['tag', 'saved query'] as const)
    describe(`RBAC matrix: automation on its owner’s behalf (${kind} scope, ${database})`, () => {
      let a: TestBackend;
      let siteAScope: Partial<DeviceScope>;
      let clock = new Date('2025-05-01T10:00:00Z');
      const siteA: string[] = [];
      const siteB: string[] = [];
      let scopedAuthor: Record<string, string>;
      let scopedAuthorId: string;
      let admin: Record<string, string>;
      const fireDue = async (minutes: number) => {
        clock = new Date(clock.getTime() + minutes * 60_000);
        await runDueSchedules(a.ctx);
      };
      const devicesOf = async (label: string) => (await executionsBy(a.ctx, label)).map((e) => e.deviceId).sort();
      const schedule = { name: 'Disk usage', action: 'collect-disk', target: 'devices', intervalSec: 60 };
      const rule = { name: 'Low disk', condition: 'disk.free_pct < 10', action: 'collect-disk', guards: { canaryPercent: 0 } };

      beforeAll(async () => {
        a = await createTestBackend({ database, now: () => clock });
        await seedAutomatedAction(a.ctx);
        await seedAutomatedAction(a.ctx, { slug: 'other-action' });
        siteA.push(...(await seedDevices(a.ctx, 2, { tags: ['site:a'], namePrefix: 'a-pc' })));
        siteB.push(...(await seedDevices(a.ctx, 2, { tags: ['site:b'], namePrefix: 'b-pc' })));
        await setDeviceFacts(a.ctx, [...siteA, ...siteB], { disk: { free_pct: 4 } });
        await setDeviceFacts(a.ctx, [siteB[0]!], { disk: { free_pct: 4 }, secret: { value: 'hunter2' } });
        if (kind === 'tag') siteAScope = { all: false, tags: ['site:a'] };
        else {
          // the same devices, chosen by name rather than by tag
          const [saved] = await a.ctx.db.insert(savedQueries).values({ name: 'site A', query: 'devices | where name startswith "a-pc"', createdBy: 'test' }).returning();
          siteAScope = { all: false, queries: [saved!.id] };
        }
        await seedRole(a.ctx, 'site-a-author', { permissions: ['actions:edit', 'actions:run', 'devices:read'], runnableActions: ['collect-disk'], deviceScope: siteAScope });
        await seedRole(a.ctx, 'site-a-viewer', { permissions: ['devices:read'], runnableActions: [], deviceScope: siteAScope });
        scopedAuthorId = await createUser(a, 'scoped-author@test.local', ['site-a-author']);
        scopedAuthor = (await signIn(a, 'scoped-author@test.local', 'correct-horse-battery')).headers;
        admin = await seedAdmin(a);
      });
      afterAll(() => a.close());

      it('a scoped author’s schedule fires only in the author’s scope, and the launch names the owner', async () => {
        const res = await a.call('POST', '/api/v1/schedules', { headers: scopedAuthor, body: schedule });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body).toMatchObject({ owner: 'user:scoped-author@test.local', pausedReason: null });
        await fireDue(2);
        expect(await devicesOf(`schedule:${res.body.id}`)).toEqual([...siteA].sort());
        const [launch] = (await auditEntries(a, 'execution.launch')).filter((e) => e.actor === `schedule:${res.body.id}`);
        expect(launch?.details).toMatchObject({ triggerInfo: { owner: 'user:scoped-author@test.local' } });
      });

      it('a scoped author’s detection rule fires only in the author’s scope', async () => {
        const res = await a.call('POST', '/api/v1/detections', { headers: scopedAuthor, body: rule });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body.owner).toBe('user:scoped-author@test.local');
        expect(await devicesOf(`detection:${res.body.id}`)).toEqual([...siteA].sort());
      });

      it('refuses with 403 automation whose saver may not run the action', async () => {
        const other = { action: 'other-action' };
        for (const [path, body] of [['/api/v1/schedules', { ...schedule, ...other }], ['/api/v1/detections', { ...rule, ...other }]] as const) {
          const res = await a.call('POST', path, { headers: scopedAuthor, body });
          expect(res.status, JSON.stringify(res.body)).toBe(403);
          expect(res.body.error.message).toMatch(/you may not run action other-action/);
        }
        // the built-in author edits actions but may run none
        const author = await a.as('author');
        expect((await a.call('POST', '/api/v1/schedules', { headers: author, body: schedule })).status).toBe(403);
        expect((await a.call('POST', '/api/v1/detections', { headers: author, body: rule })).status).toBe(403);
        const { body: mine } = await a.call('POST', '/api/v1/schedules', { headers: scopedAuthor, body: { ...schedule, name: 'mine' } });
        const takeover = await a.call('PUT', `/api/v1/schedules/${mine.id}`, { headers: author, body: { name: 'taken' } });
        expect(takeover.status).toBe(403);
        expect((await a.call('POST', `/api/v1/schedules/${mine.id}/disable`, { headers: author })).status).toBe(200);
      });

      it('scopes runs, health and dry run to the caller’s devices', async () => {
        const { body: s } = await a.call('POST', '/api/v1/schedules', { headers: admin, body: { ...schedule, name: 'fleet' } });
        const { body: r } = await a.call('POST', '/api/v1/detections', { headers: admin, body: { ...rule, name: 'fleet' } });
        await fireDue(2);
        const viewer = await a.as('site-a-viewer');
        const runs = await a.call('GET', `/api/v1/schedules/${s.id}/runs`, { headers: viewer });
        expect(runs.body.items[0]).toMatchObject({ matched: null, skipped: null, launched: 2 });
        expect((await a.call('GET', `/api/v1/schedules/${s.id}/runs`, { headers: admin })).body.items[0]).toMatchObject({ matched: 4, launched: 4 });

        const health = await a.call('GET', `/api/v1/detections/${r.id}/health`, { headers: viewer });
        expect(health.body).toMatchObject({ matches: 2, fired: 2, inFlight: 2 });
        expect((await a.call('GET', `/api/v1/detections/${r.id}/health`, { headers: admin })).body).toMatchObject({ matches: 4, fired: 4 });

        const dry = await a.call('POST', `/api/v1/detections/${r.id}/dry-run`, { headers: viewer });
        expect(dry.body.matching).toBe(2);
        expect(dry.body.devices.map((d: { deviceId: string }) => d.deviceId).sort()).toEqual([...siteA].sort());
        expect(JSON.stringify(dry.body)).not.toMatch(/b-pc/);
      });

      it('a dry run reveals no fact of a device outside the caller’s scope', async () => {
        const probe = { ...rule, name: 'probe', condition: 'secret.value == "hunter2"', enabled: false };
        const { body: r } = await a.call('POST', '/api/v1/detections', { headers: scopedAuthor, body: probe });
        const dry = await a.call('POST', `/api/v1/detections/${r.id}/dry-run`, { headers: scopedAuthor });
        expect(dry.status).toBe(200);
        expect(dry.body).toMatchObject({ matching: 0, devices: [] });
        // the same rule, owned by an admin, still shows the scoped caller nothing outside its scope
        await a.call('PUT', `/api/v1/detections/${r.id}`, { headers: admin, body: { name: 'probe (admin)' } });
        expect((await a.call('POST', `/api/v1/detections/${r.id}/dry-run`, { headers: scopedAuthor })).body.matching).toBe(0);
        expect((await a.call('POST', `/api/v1/detections/${r.id}/dry-run`, { headers: admin })).body.matching).toBe(1);
      });

      it('a scoped owner’s campaign schedule reaches only its scope, and pauses once the owner loses campaigns:trigger', async () => {
        await publishedCampaign(a, admin);
        await seedRole(a.ctx, 'site-a-support', { permissions: ['campaigns:trigger', 'devices:read'], deviceScope: siteAScope });
        const id = await createUser(a, 'scoped-support@test.local', ['site-a-support']);
        const support = (await signIn(a, 'scoped-support@test.local', 'correct-horse-battery')).headers;
        const path = '/api/v1/campaigns/laptop-survey/schedules';
        const res = await a.call('POST', path, { headers: support, body: { query: 'devices', mode: 'once', parameters: { deadline: 'Friday' } } });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body.owner).toBe('user:scoped-support@test.local');
        const asked = async () => (await a.ctx.db.select({ deviceId: campaignRequests.deviceId }).from(campaignRequests)).map((r) => r.deviceId).sort();
        expect(await runCampaignSchedules(a.ctx)).toBe(1);
        expect(await asked()).toEqual([...siteA].sort());
        await a.call('PATCH', `/api/v1/users/${id}`, { headers: admin, body: { roles: ['viewer'] } });
        await runCampaignSchedules(a.ctx, { everyMs: 0 });
        const [paused] = (await a.call('GET', path, { headers: admin })).body.items;
        expect(paused.pausedReason).toMatch(/may not trigger campaigns/);
        expect(await asked()).toEqual([...siteA].sort());
      });

      it('an API client owns what it saves, and its schedule pauses once the client is deleted', async () => {
        await seedRole(a.ctx, 'site-a-client', { permissions: ['actions:edit', 'actions:run', 'devices:read'], runnableActions: ['collect-disk'], deviceScope: siteAScope });
        const { body: client } = await a.call('POST', '/api/v1/api-clients', { headers: admin, body: { name: 'Portal', roles: ['site-a-client'] } });
        const grant = { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret };
        const token = await a.call('POST', '/api/v1/oauth/token', { body: grant });
        const headers = { authorization: `Bearer ${token.body.access_token}` };
        const { body: s } = await a.call('POST', '/api/v1/schedules', { headers, body: { ...schedule, name: 'portal' } });
        expect(s.owner).toBe(`client:${client.clientId}`);
        await fireDue(2);
        expect(await devicesOf(`schedule:${s.id}`)).toEqual([...siteA].sort());
        expect((await a.call('DELETE', `/api/v1/api-clients/${client.id}`, { headers: admin })).status).toBe(204);
        await fireDue(2);
        expect(await devicesOf(`schedule:${s.id}`)).toHaveLength(2);
        expect((await a.call('GET', `/api/v1/schedules/${s.id}`, { headers: admin })).body.pausedReason).toMatch(/disabled or deleted/);
      });

      it('pauses the automation, launching nothing, once its owner is disabled', async () => {
        const [hook] = await a.ctx.db.insert(webhooks).values({ name: 'itsm', url: 'https://itsm.example/hook', secret: 'whsec_test', events: ['detection.paused', 'schedule.failed'] }).returning();
        invalidateSubscriptions(a.ctx);
        const { body: s } = await a.call('POST', '/api/v1/schedules', { headers: scopedAuthor, body: { ...schedule, name: 'paused later' } });
        const { body: r } = await a.call('POST', '/api/v1/detections', { headers: scopedAuthor, body: { ...rule, name: 'paused later', condition: 'disk.free_pct < 5' } });
        const before = [(await devicesOf(`schedule:${s.id}`)).length, (await devicesOf(`detection:${r.id}`)).length];
        expect((await a.call('PATCH', `/api/v1/users/${scopedAuthorId}`, { headers: admin, body: { disabled: true } })).status).toBe(200);
        await fireDue(2);
        await evaluateDevices(a.ctx, [...siteA]);
        await setDeviceFacts(a.ctx, siteA, { disk: { free_pct: 50 } });
        await evaluateDevices(a.ctx, [...siteA]);
        await setDeviceFacts(a.ctx, siteA, { disk: { free_pct: 1 } });
        await evaluateDevices(a.ctx, [...siteA]);
        expect([(await devicesOf(`schedule:${s.id}`)).length, (await devicesOf(`detection:${r.id}`)).length]).toEqual(before);
        const paused = (await a.call('GET', `/api/v1/schedules/${s.id}`, { headers: admin })).body;
        expect(paused).toMatchObject({ nextRunAt: null, pausedReason: expect.stringMatching(/owner user:scoped-author@test.local is disabled/) });
        const pausedRule = (await a.call('GET', `/api/v1/detections/${r.id}`, { headers: admin })).body;
        expect(pausedRule).toMatchObject({ pausedForOwner: true, pausedReason: expect.stringMatching(/disabled/) });
        // each pause reaches a ticketing tool once, as a webhook event with the payload its OpenAPI schema describes
        const events = (await a.ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook!.id))).map((d) => d.payload as WebhookPayload);
        const schedulePause = events.filter((e) => e.event === 'schedule.failed' && e.data.scheduleId === s.id);
        expect(schedulePause).toHaveLength(1);
        expect(WebhookScheduleFailedData.parse(schedulePause[0]!.data)).toMatchObject({ scheduleId: s.id, name: 'paused later', launched: 0, error: expect.stringMatching(/paused: its owner .* is disabled/) });
        const rulePause = events.filter((e) => e.event === 'detection.paused' && e.data.ruleId === r.id);
        expect(rulePause.map((e) => WebhookDetectionPausedData.parse(e.data))).toEqual([{ ruleId: r.id, name: 'paused later', cause: 'owner', reason: expect.stringMatching(/disabled/), pausedAt: expect.any(String) }]);
        // an admin taking it over resumes it, fleet-wide
        const resumed = await a.call('POST', `/api/v1/schedules/${s.id}/enable`, { headers: admin });
        expect(resumed.body).toMatchObject({ pausedReason: null, owner: 'user:admin@fixpoint.local' });
        expect((await a.call('POST', `/api/v1/detections/${r.id}/resume`, { headers: admin })).body).toMatchObject({ pausedForOwner: false });
      });
    });
}
