import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpLimits, WebhookHelpRequestedData } from '@fixpoint/protocol';
import { relayHelpRequest } from '../channel/help';
import { devices } from '../db/schema';
import { auditEntries } from './actions';
import { createScopedRole, insertDevice } from './campaigns';
import { createTestBackend, type TestBackend } from './harness';
import { deliveriesOf } from './webhooks';

/** A 1×1 PNG. */
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';

/** "Get help" through the channel relay and the API: stored with the device's facts, listed by scope, sent as a webhook. */
export function helpSuite(database: 'pglite' | 'postgres') {
  describe(`help requests (${database})`, () => {
    let t: TestBackend;
    let support: Record<string, string>;
    let device: string;
    let paris: string;
    beforeAll(async () => {
      t = await createTestBackend({ database, env: { FIXPOINT_PUBLIC_URL: 'https://fixpoint.example' } });
      support = await t.as('support', 'support@test.local');
      device = await insertDevice(t, { name: 'pc-ana', platform: 'linux', user: 'ana' });
      paris = await insertDevice(t, { name: 'pc-paris', tags: ['site:paris'] });
      await t.ctx.db.update(devices).set({ facts: { 'os.platform': 'linux', 'os.version': 'Debian 12', logged_in_user: 'ana' } }).where(eq(devices.id, device));
    });
    afterAll(() => t.close());

    const ask = (deviceId: string, extra: Record<string, unknown> = {}) =>
      relayHelpRequest(t.ctx, deviceId, { type: 'help_request', localId: randomUUID(), user: 'ana', subject: 'Printer', description: 'It prints blank pages.', ...extra } as never);

    it('stores a request with the device facts, audits it and queues help.requested', async () => {
      const hook = await t.call('POST', '/api/v1/webhooks', { headers: await t.as('admin'), body: { name: 'Desk', url: 'https://desk.example/hook', events: ['help.requested'] } });
      expect(hook.status, JSON.stringify(hook.body)).toBe(201);
      const ack = await ask(device, { screenshot: { mediaType: 'image/png', data: png } });
      expect(ack).toMatchObject({ type: 'help_ack', id: expect.any(String) });
      expect('error' in ack).toBe(false);
      const id = (ack as { id: string }).id;

      const listed = await t.call('GET', '/api/v1/help-requests', { headers: support });
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([
        expect.objectContaining({ id, deviceId: device, deviceName: 'pc-ana', user: 'ana', subject: 'Printer', screenshot: { mediaType: 'image/png', bytes: 70 } }),
      ]);
      expect(listed.body.items[0].facts).toMatchObject({ 'os.version': 'Debian 12' });
      const shot = await t.app.request(`/api/v1/help-requests/${id}/screenshot`, { headers: support });
      expect(shot.status).toBe(200);
      expect(shot.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await shot.arrayBuffer()).equals(Buffer.from(png, 'base64'))).toBe(true);

      const [delivery] = await deliveriesOf(t.ctx, hook.body.id);
      expect(delivery).toMatchObject({ event: 'help.requested' });
      const data = WebhookHelpRequestedData.parse((delivery!.payload as { data: unknown }).data);
      expect(data).toMatchObject({ helpRequestId: id, deviceName: 'pc-ana', subject: 'Printer', screenshotUrl: `https://fixpoint.example/api/v1/help-requests/${id}/screenshot` });
      expect(await auditEntries(t, 'help.request')).toEqual([expect.objectContaining({ actor: `device:${device}`, target: `help-request:${id}` })]);
    });

    it('refuses an oversized screenshot and a blank subject with clear errors, storing nothing', async () => {
      const before = (await t.call('GET', '/api/v1/help-requests', { headers: support })).body.total;
      const big = 'A'.repeat(Math.ceil(((helpLimits.maxScreenshotBytes + 4) * 4) / 3 / 4) * 4);
      expect(await ask(device, { screenshot: { mediaType: 'image/jpeg', data: big } })).toMatchObject({ error: { code: 'payload_too_large', message: expect.stringMatching(/limit is 1024 KB/) } });
      expect(await ask(device, { subject: '   ' })).toMatchObject({ error: { code: 'validation_failed', message: expect.stringMatching(/give a subject/) } });
      expect((await t.call('GET', '/api/v1/help-requests', { headers: support })).body.total).toBe(before);
    });

    it('shows a request only to roles whose scope reaches the device', async () => {
      await ask(paris, { subject: 'Paris VPN' });
      await createScopedRole(t, 'paris-reader', ['devices:read'], { all: false, tags: ['site:paris'], platforms: [] });
      const reader = await t.as('paris-reader', 'paris@test.local');
      const seen = await t.call('GET', '/api/v1/help-requests', { headers: reader });
      expect(seen.body.items.map((r: { subject: string }) => r.subject)).toEqual(['Paris VPN']);
      const other = (await t.call('GET', '/api/v1/help-requests', { headers: support })).body.items.find((r: { deviceId: string }) => r.deviceId === device);
      expect((await t.call('GET', `/api/v1/help-requests/${other.id}`, { headers: reader })).status).toBe(404);
      expect((await t.call('GET', `/api/v1/help-requests/${other.id}/screenshot`, { headers: reader })).status).toBe(404);
      const byDevice = await t.call('GET', `/api/v1/help-requests?device=${paris}`, { headers: support });
      expect(byDevice.body.items).toHaveLength(1);
    });
  });
}
