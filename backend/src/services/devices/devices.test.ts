import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, devices } from '../../db/schema';
import type { Principal } from '../identity/rights';
import { sampleAction } from '../../testing/actions';
import { seedDevices, seedRole } from '../../testing/fleet';
import { seedAdmin } from '../../testing/identity';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { deviceScopeCondition } from './scope';

describe('devices and device scope', () => {
  let t: TestBackend;
  let ids: { parisWin: string[]; parisMac: string[]; lyonLinux: string[]; untagged: string[] };
  beforeAll(async () => {
    t = await createTestBackend();
    ids = {
      parisWin: await seedDevices(t.ctx, 3, { platform: 'windows', tags: ['site:paris'], namePrefix: 'paris-win', online: true }),
      parisMac: await seedDevices(t.ctx, 2, { platform: 'macos', tags: ['site:paris', 'vip'], namePrefix: 'paris-mac' }),
      lyonLinux: await seedDevices(t.ctx, 2, { platform: 'linux', tags: ['site:lyon'], namePrefix: 'lyon_lnx' }),
      untagged: await seedDevices(t.ctx, 1, { platform: 'windows', namePrefix: 'lab%pc' }),
    };
    await seedRole(t.ctx, 'paris', { deviceScope: { tags: ['site:paris'] } });
    await seedRole(t.ctx, 'macs', { deviceScope: { platforms: ['macos'] } });
    await seedRole(t.ctx, 'paris-windows', { deviceScope: { tags: ['site:paris'], platforms: ['windows'] } });
    await seedRole(t.ctx, 'nothing', { deviceScope: { all: false } });
    await seedRole(t.ctx, 'lyon', { deviceScope: { tags: ['site:lyon'] } });
  });
  afterAll(() => t.close());

  const names = async (headers: Record<string, string>, query = '') => {
    const res = await t.call('GET', `/api/v1/devices?limit=500${query}`, { headers });
    expect(res.status).toBe(200);
    return res.body.items.map((d: any) => d.name as string);
  };

  it('shows everything to an all-devices role', async () => {
    const list = await t.call('GET', '/api/v1/devices', { headers: await t.as('viewer') });
    expect(list.body.total).toBe(8);
    expect(list.body.items[0]).not.toHaveProperty('publicKey');
  });

  it('filters by tag, platform, both, and the union of several roles', async () => {
    expect(await names(await t.as('paris'))).toHaveLength(5);
    expect((await names(await t.as('macs'))).every((n: string) => n.startsWith('paris-mac'))).toBe(true);
    expect(await names(await t.as('paris-windows'))).toEqual(['paris-win-00000', 'paris-win-00001', 'paris-win-00002']);
    expect(await names(await t.as(['paris-windows', 'lyon']))).toHaveLength(5);
  });

  it('gives a scope restricted by nothing no devices at all', async () => {
    expect(await names(await t.as('nothing'))).toEqual([]);
    const principal = { scopes: [] } as unknown as Principal;
    expect(await t.ctx.db.select().from(devices).where(deviceScopeCondition(principal))).toEqual([]);
  });

  it('searches by name (literally), platform, tag and online, with paging', async () => {
    const viewer = await t.as('viewer');
    expect(await names(viewer, '&search=PARIS-MAC')).toEqual(['paris-mac-00000', 'paris-mac-00001']);
    expect(await names(viewer, '&search=%25')).toEqual(['lab%pc-00000']);
    expect(await names(viewer, '&search=_')).toEqual(['lyon_lnx-00000', 'lyon_lnx-00001']);
    expect(await names(viewer, `&search=${encodeURIComponent("' or 1=1 --")}`)).toEqual([]);
    expect(await names(viewer, '&platform=linux')).toHaveLength(2);
    expect(await names(viewer, '&tag=vip')).toHaveLength(2);
    expect(await names(viewer, '&online=true')).toHaveLength(3);
    expect(await names(viewer, '&online=false')).toHaveLength(5);
    const page1 = await t.call('GET', '/api/v1/devices?limit=3', { headers: viewer });
    expect(page1.body).toMatchObject({ total: 8, next: 3 });
    const page3 = await t.call('GET', '/api/v1/devices?limit=3&offset=6', { headers: viewer });
    expect(page3.body.items).toHaveLength(2);
    expect(page3.body.next).toBeNull();
    for (const q of ['?platform=beos', '?online=yes', '?limit=0', '?limit=abc', '?offset=-1'])
      expect((await t.call('GET', `/api/v1/devices${q}`, { headers: viewer })).status, q).toBe(400);
  });

  it('hides a device outside the scope as not found', async () => {
    const lyon = await t.as('lyon');
    expect((await t.call('GET', `/api/v1/devices/${ids.lyonLinux[0]}`, { headers: lyon })).status).toBe(200);
    const hidden = await t.call('GET', `/api/v1/devices/${ids.parisWin[0]}`, { headers: lyon });
    const missing = await t.call('GET', '/api/v1/devices/00000000-0000-4000-8000-000000000000', { headers: lyon });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
    expect((await t.call('GET', '/api/v1/devices/not-a-uuid', { headers: lyon })).status).toBe(400);
  });

  it('names the declared type of each latest output, from the action a reader may not even open', async () => {
    const admin = await seedAdmin(t);
    const created = await t.call('POST', '/api/v1/actions', {
      headers: admin,
      body: sampleAction({ slug: 'disk-usage', outputs: [{ name: 'free_bytes', type: 'size' }, { name: 'used', type: 'ratio' }] }),
    });
    expect(created.status).toBe(201);
    const id = ids.lyonLinux[1]!;
    await t.ctx.db.update(devices).set({ outputs: { 'disk-usage.free_bytes': 81608687616, 'disk-usage.used': 0.3, 'gone.x': 1 } }).where(eq(devices.id, id));
    const res = await t.call('GET', `/api/v1/devices/${id}`, { headers: await t.as('viewer') });
    expect(res.status).toBe(200);
    expect(res.body.outputTypes).toEqual({ 'disk-usage.free_bytes': 'size', 'disk-usage.used': 'ratio' });
    expect((await t.call('GET', `/api/v1/devices/${ids.lyonLinux[0]}`, { headers: admin })).body.outputTypes).toEqual({});
  });

  it('requires devices:read to read and admin to delete', async () => {
    expect((await t.call('GET', '/api/v1/devices')).status).toBe(401);
    const id = ids.untagged[0]!;
    for (const role of ['support', 'author', 'viewer'])
      expect((await t.call('DELETE', `/api/v1/devices/${id}`, { headers: await t.as(role) })).status).toBe(403);
    const admin = await t.as('admin');
    expect((await t.call('DELETE', `/api/v1/devices/${id}`, { headers: admin })).status).toBe(204);
    expect((await t.call('DELETE', `/api/v1/devices/${id}`, { headers: admin })).status).toBe(404);
    expect((await t.call('GET', `/api/v1/devices/${id}`, { headers: admin })).status).toBe(404);
    const [entry] = await t.ctx.db.select().from(auditLog).where(eq(auditLog.target, `device:${id}`));
    expect(entry).toMatchObject({ action: 'device.delete', details: { name: 'lab%pc-00000', platform: 'windows' } });
  });
});
