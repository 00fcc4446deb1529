/**
 * @module The self-service suite, run on PGlite (services/self-service/self-service.test.ts) and on PostgreSQL
 * (self-service.postgres.test.ts): the fixes a device offers, a run as the device's user through the agent channel's
 * handler, its audit entry and signed origin, the cooldown and daily limit, the principal's reach, and the console's
 * per-action use.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerSelfService } from '../channel/self-service';
import { executions } from '../db/schema';
import { deviceUserPrincipal, listSelfServiceFixes } from '../services/self-service';
import { envelopeFor, launchExecutions } from '../services/executions';
import { auditEntries, sampleAction } from './actions';
import { seedAction, seedDevices, seedRole } from './fleet';
import { createTestBackend, type TestBackend } from './harness';

const selfService = { title: { en: 'Clear the DNS cache', fr: 'Vider le cache DNS' }, description: { en: 'Fixes sites that do not load.' }, cooldownSec: 600, dailyLimit: 2 };

export function selfServiceSuite(database: 'pglite' | 'postgres') {
  describe(`self-service fixes (${database})`, () => {
    let t: TestBackend;
    // a day and more goes by in the test: it starts early enough that the callers' tokens (valid an hour from now) stay valid
    let now = new Date(Date.now() - 26 * 3600_000);
    let laptop: string;
    let other: string;
    const run = (deviceId: string, action = 'clear-dns-cache', user = 'ana') =>
      answerSelfService(t.ctx, deviceId, { type: 'self_service', localId: '7b0d3b4e-1c86-4f43-8f0e-6a1f0e7f9a01', op: 'run', action, user });

    beforeAll(async () => {
      t = await createTestBackend({ database, now: () => now });
      const paris = await seedDevices(t.ctx, 2, { tags: ['site:paris'] });
      laptop = paris[0]!;
      other = paris[1]!;
      await seedDevices(t.ctx, 1, { tags: ['site:lyon'], namePrefix: 'lyon' });
      await seedAction(t.ctx, sampleAction({ triggers: ['manual', 'self_service'], selfService, parameters: [] }));
      await seedAction(t.ctx, sampleAction({ slug: 'reboot', name: 'Reboot', parameters: [] }));
      await seedAction(t.ctx, sampleAction({ slug: 'linux-only', name: 'Linux only', triggers: ['self_service'], selfService, scripts: { linux: { shell: 'sh', source: 'true' } }, parameters: [] }));
      await seedRole(t.ctx, 'lyon-reader', { permissions: ['devices:read'], deviceScope: { tags: ['site:lyon'] } });
    });
    afterAll(() => t?.close());

    it('lists the fixes the device offers: the self_service trigger and a script for its platform', async () => {
      const fixes = await listSelfServiceFixes(t.ctx, { deviceId: laptop });
      expect(fixes).toEqual([{ action: 'clear-dns-cache', title: selfService.title, description: selfService.description, defaultLanguage: 'en' }]);
      const reply = await answerSelfService(t.ctx, laptop, { type: 'self_service', localId: '7b0d3b4e-1c86-4f43-8f0e-6a1f0e7f9a01', op: 'list', user: 'ana' });
      expect(reply).toMatchObject({ type: 'self_service_reply', fixes: [{ action: 'clear-dns-cache' }] });
    });

    it('launches as the device user with the self_service trigger, audited with the user, the origin signed into the envelope', async () => {
      const reply = await run(laptop);
      expect(reply, JSON.stringify(reply)).toMatchObject({ type: 'self_service_reply', executionId: expect.any(String) });
      const id = (reply as { executionId: string }).executionId;
      const [row] = await t.ctx.db.select().from(executions).where(eq(executions.id, id));
      expect(row).toMatchObject({ deviceId: laptop, trigger: 'self_service', requestedBy: 'device-user:ana', origin: { kind: 'self_service', name: 'ana' } });
      expect((await envelopeFor(t.ctx, id)).payload.origin).toEqual({ kind: 'self_service', name: 'ana' });
      const [entry] = (await auditEntries(t, 'execution.launch')).slice(-1);
      expect(entry).toMatchObject({ actor: 'device-user:ana', target: 'action:clear-dns-cache', details: { trigger: 'self_service', devices: 1 } });
    });

    it('refuses a run inside the cooldown and past the daily limit, saying when to try again', async () => {
      const again = await run(laptop, 'clear-dns-cache', 'bob');
      expect(again).toMatchObject({ error: { code: 'rate_limited', retryAfterSec: 600 } });
      // another device has its own count
      expect(await run(other)).toMatchObject({ executionId: expect.any(String) });
      now = new Date(now.getTime() + 601_000);
      expect(await run(laptop)).toMatchObject({ executionId: expect.any(String) });
      now = new Date(now.getTime() + 601_000);
      const limited = await run(laptop);
      expect(limited).toMatchObject({ error: { code: 'rate_limited', message: expect.stringContaining('2 times a day') } });
      // the first run of the day leaves the window 24 h after it
      expect((limited as { error: { retryAfterSec: number } }).error.retryAfterSec).toBe(86_400 - 1202);
      now = new Date(now.getTime() + 86_400_000);
      expect(await run(laptop)).toMatchObject({ executionId: expect.any(String) });
    });

    it('runs only self-service fixes, only on the asking device', async () => {
      expect(await run(laptop, 'reboot')).toMatchObject({ error: { code: 'forbidden' } });
      expect(await run(laptop, 'no-such-fix')).toMatchObject({ error: { code: 'not_found' } });
      expect(await run(laptop, 'linux-only')).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('no windows script') } });
      // the principal reaches its own device and action only
      const principal = deviceUserPrincipal(laptop, 'ana', 'clear-dns-cache');
      await expect(launchExecutions(t.ctx, { principal, request: { action: 'clear-dns-cache', devices: [other], parameters: {}, triggerInfo: {} }, trigger: 'self_service' })).rejects.toMatchObject({ status: 404 });
      await expect(launchExecutions(t.ctx, { principal, request: { action: 'reboot', devices: [laptop], parameters: {}, triggerInfo: {} }, trigger: 'self_service' })).rejects.toMatchObject({ status: 403 });
    });

    it('GET /actions/:id/self-service lists the use within the caller’s scope', async () => {
      // tokens (unlike the console session) are valid an hour of real time, whatever the test's clock says
      const res = await t.call('GET', '/api/v1/actions/clear-dns-cache/self-service', { headers: await t.as('admin') });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ last30d: 4, users: 1 });
      expect(res.body.items[0]).toMatchObject({ deviceId: laptop, user: 'ana', status: 'queued', deviceName: expect.stringMatching(/^pc-/) });
      const lyon = await t.call('GET', '/api/v1/actions/clear-dns-cache/self-service', { headers: await t.as('lyon-reader') });
      expect(lyon.status).toBe(200);
      expect(lyon.body).toMatchObject({ last30d: 0, items: [] });
      expect((await t.call('GET', '/api/v1/actions/clear-dns-cache/self-service', { headers: await t.as([]) })).status).toBe(403);
    });

    it('refuses to save the self_service trigger without an end-user title', async () => {
      const res = await t.call('POST', '/api/v1/actions', { headers: await t.as('admin'), body: sampleAction({ slug: 'untitled-fix', triggers: ['self_service'] }) });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/selfService/);
    });
  });
}
