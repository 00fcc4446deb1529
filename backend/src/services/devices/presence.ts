/**
 * @module Device presence: which backend instance holds each device's channel, and `devices.online` / `last_seen`
 * kept equal to it. The agent channel calls these in batches (one flush per second for every change), never per
 * message. Each statement stands alone and locks the rows it changes in id order (`lock.ts`), so instances flushing at
 * once, and result ingest merging outputs, never deadlock with it.
 */
import { and, eq, inArray, lt, notInArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { backendInstances, devicePresence, devices } from '../../db/schema';
import { devicesLockedInOrder } from './lock';

/** Rows per statement: far below PostgreSQL's bind-parameter limit, small enough to keep locks short. */
const chunk = 5000;

export interface PresenceChanges {
  /** Devices that connected here, with the agent version their hello announced. */
  up: { deviceId: string; agentVersion: string }[];
  /** Devices whose channel to this instance closed. */
  down: string[];
  /** Devices still connected whose `last_seen` is due for a refresh. */
  seen: string[];
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += chunk) yield items.slice(i, i + chunk);
}

const byDevice = <T extends { deviceId: string }>(a: T, b: T) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0);

/** Applies one batch of presence changes made on `instanceId`, all stamped with the current time. */
export async function recordPresence(ctx: AppContext, instanceId: string, changes: PresenceChanges): Promise<void> {
  const now = ctx.now();
  const at = sql`${now.toISOString()}::timestamptz`;
  for (const part of chunks([...changes.up].sort(byDevice))) {
    const list = sql`jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as v("deviceId" uuid, "agentVersion" text)`;
    // One transaction: no reader ever sees the device held by an instance yet offline.
    await ctx.db.transaction(async (tx) => {
      // A device deleted since its hello has no row to point at: the join leaves it out instead of failing the batch.
      await tx.execute(sql`
        insert into ${devicePresence} (device_id, instance_id, connected_at)
        select v."deviceId", ${instanceId}, ${at} from ${list} join ${devices} d on d.id = v."deviceId"
        on conflict (device_id) do update set instance_id = excluded.instance_id, connected_at = excluded.connected_at`);
      await tx
        .update(devices)
        .set({ online: true, lastSeen: now, agentVersion: sql`left(v."agentVersion", 50)` })
        .from(list)
        .where(and(eq(devices.id, sql`v."deviceId"`), devicesLockedInOrder(part.map((p) => p.deviceId))));
    });
  }
  for (const part of chunks([...changes.down].sort())) {
    // Only our own row: if the device already reconnected to another instance, that row stays and so does `online`.
    await ctx.db.delete(devicePresence).where(and(eq(devicePresence.instanceId, instanceId), inArray(devicePresence.deviceId, part)));
    await ctx.db
      .update(devices)
      .set({ online: sql`exists (select 1 from ${devicePresence} p where p.device_id = ${devices.id})`, lastSeen: now })
      .where(devicesLockedInOrder(part));
  }
  // `online` again too: it heals the rare interleaving where a sweep on another instance recomputed it just as we connected.
  // A refresh is best effort: a row another transaction holds (a result merging outputs) is refreshed next time.
  for (const part of chunks([...changes.seen].sort()))
    await ctx.db
      .update(devices)
      .set({ lastSeen: now, online: true })
      .where(and(devicesLockedInOrder(part, { skipLocked: true }), sql`exists (select 1 from ${devicePresence} p where p.device_id = ${devices.id})`));
}

/** Registers or refreshes this instance's heartbeat. */
export async function heartbeatInstance(ctx: AppContext, instanceId: string, startedAt: Date): Promise<void> {
  const now = ctx.now();
  await ctx.db
    .insert(backendInstances)
    .values({ id: instanceId, startedAt, heartbeatAt: now })
    .onConflictDoUpdate({ target: backendInstances.id, set: { heartbeatAt: now } });
}

/**
 * Takes presence away from instances whose heartbeat is older than `deadBefore` (killed without a goodbye):
 * their devices go offline unless they already reconnected elsewhere. Any instance may run it at any time.
 * Returns the devices that went offline.
 */
export async function sweepDeadInstances(ctx: AppContext, deadBefore: Date): Promise<string[]> {
  const alive = ctx.db.select({ id: backendInstances.id }).from(backendInstances).where(sql`${backendInstances.heartbeatAt} >= ${deadBefore.toISOString()}::timestamptz`);
  const gone = await ctx.db.delete(devicePresence).where(notInArray(devicePresence.instanceId, alive)).returning({ deviceId: devicePresence.deviceId });
  const ids = gone.map((r) => r.deviceId).sort();
  const now = ctx.now();
  for (const part of chunks(ids))
    await ctx.db
      .update(devices)
      .set({ online: sql`exists (select 1 from ${devicePresence} p where p.device_id = ${devices.id})`, lastSeen: now })
      .where(devicesLockedInOrder(part));
  await ctx.db.delete(backendInstances).where(lt(backendInstances.heartbeatAt, deadBefore));
  return ids;
}

/**
 * Forgets every instance and marks every device offline: for a database that only this process can use (PGlite),
 * at start-up, when no channel can be open yet.
 */
export async function resetPresence(ctx: AppContext): Promise<void> {
  await ctx.db.delete(devicePresence);
  await ctx.db.delete(backendInstances);
  await ctx.db.update(devices).set({ online: false }).where(eq(devices.online, true));
}

/** A clean stop: this instance's devices go offline (unless held elsewhere) and its heartbeat row goes. */
export async function retireInstance(ctx: AppContext, instanceId: string): Promise<void> {
  const gone = await ctx.db.delete(devicePresence).where(eq(devicePresence.instanceId, instanceId)).returning({ deviceId: devicePresence.deviceId });
  const now = ctx.now();
  for (const part of chunks(gone.map((r) => r.deviceId).sort()))
    await ctx.db
      .update(devices)
      .set({ online: sql`exists (select 1 from ${devicePresence} p where p.device_id = ${devices.id})`, lastSeen: now })
      .where(devicesLockedInOrder(part));
  await ctx.db.delete(backendInstances).where(eq(backendInstances.id, instanceId));
}
