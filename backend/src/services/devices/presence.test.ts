import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendInstances, devicePresence, devices } from '../../db/schema';
import { seedDevices } from '../../testing/fleet';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { deviceKeys, storeFacts } from './facts';
import { heartbeatInstance, recordPresence, resetPresence, retireInstance, sweepDeadInstances } from './presence';

describe('device presence across instances', () => {
  let t: TestBackend;
  let ids: string[];
  let clock = new Date('2025-01-01T00:00:00Z');
  const online = async () =>
    (await t.ctx.db.select({ id: devices.id, online: devices.online }).from(devices).where(inArray(devices.id, ids)))
      .filter((d) => d.online)
      .map((d) => d.id)
      .sort();
  beforeAll(async () => {
    t = await createTestBackend({ now: () => clock });
    ids = (await seedDevices(t.ctx, 4)).sort();
  });
  afterAll(() => t.close());

  it('tracks which instance holds each device, and keeps online true while any instance does', async () => {
    await heartbeatInstance(t.ctx, 'a', clock);
    await heartbeatInstance(t.ctx, 'b', clock);
    await recordPresence(t.ctx, 'a', { up: ids.slice(0, 3).map((deviceId) => ({ deviceId, agentVersion: '2.0.0' })), down: [], seen: [] });
    expect(await online()).toEqual(ids.slice(0, 3));
    const [row] = await t.ctx.db.select().from(devices).where(eq(devices.id, ids[0]!));
    expect(row).toMatchObject({ agentVersion: '2.0.0', lastSeen: clock });
    // Device 0 reconnects to b; a then notices its old socket closed: the device stays online.
    await recordPresence(t.ctx, 'b', { up: [{ deviceId: ids[0]!, agentVersion: '2.0.0' }], down: [], seen: [] });
    await recordPresence(t.ctx, 'a', { up: [], down: [ids[0]!, ids[1]!], seen: [] });
    expect(await online()).toEqual([ids[0], ids[2]].sort());
    clock = new Date(clock.getTime() + 60_000);
    await recordPresence(t.ctx, 'a', { up: [], down: [], seen: [ids[2]!, ids[3]!] });
    const seen = await t.ctx.db.select().from(devices).where(inArray(devices.id, [ids[2]!, ids[3]!]));
    expect(seen.find((d) => d.id === ids[2])!.lastSeen).toEqual(clock);
    // A device with no presence row is not brought online by a stray `seen`.
    expect(seen.find((d) => d.id === ids[3])!.online).toBe(false);
  });

  it('sweeps a dead instance: its devices go offline unless held elsewhere; a deleted device does not break a batch', async () => {
    clock = new Date(clock.getTime() + 60_000);
    await heartbeatInstance(t.ctx, 'b', clock);
    const offline = await sweepDeadInstances(t.ctx, new Date(clock.getTime() - 45_000));
    expect(offline).toEqual([ids[2]]);
    expect(await online()).toEqual([ids[0]]);
    expect((await t.ctx.db.select().from(backendInstances)).map((i) => i.id)).toEqual(['b']);
    const [gone] = await seedDevices(t.ctx, 1);
    await t.ctx.db.delete(devices).where(eq(devices.id, gone!));
    await recordPresence(t.ctx, 'b', { up: [{ deviceId: gone!, agentVersion: '1' }, { deviceId: ids[3]!, agentVersion: '1' }], down: [], seen: [] });
    expect(await online()).toEqual([ids[0], ids[3]].sort());
    await retireInstance(t.ctx, 'b');
    expect(await online()).toEqual([]);
    expect(await t.ctx.db.select().from(devicePresence)).toEqual([]);
    await recordPresence(t.ctx, 'c', { up: [{ deviceId: ids[1]!, agentVersion: '1' }], down: [], seen: [] });
    await resetPresence(t.ctx);
    expect(await online()).toEqual([]);
  });

  it('stores facts only when they change, with the os version, and loads keys in one query', async () => {
    const facts = { os: { platform: 'windows', version: '10.0.26100' }, disk: { free_pct: 12 } };
    expect(await storeFacts(t.ctx, [{ deviceId: ids[0]!, facts: { stale: true } }, { deviceId: ids[0]!, facts }, { deviceId: ids[1]!, facts: { os: 'weird' } }])).toEqual(
      expect.arrayContaining([ids[0], ids[1]]),
    );
    expect(await storeFacts(t.ctx, [{ deviceId: ids[0]!, facts }])).toEqual([]);
    const [row] = await t.ctx.db.select().from(devices).where(eq(devices.id, ids[0]!));
    expect(row).toMatchObject({ facts, osVersion: '10.0.26100' });
    expect((await t.ctx.db.select().from(devices).where(eq(devices.id, ids[1]!)))[0]!.osVersion).toBe('10.0');
    const keys = await deviceKeys(t.ctx, [ids[0]!, ids[1]!, '00000000-0000-4000-8000-000000000000']);
    expect([...keys.keys()].sort()).toEqual([ids[0], ids[1]].sort());
  });
});
