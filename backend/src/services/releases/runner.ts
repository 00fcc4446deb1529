/**
 * @module The rollout runner, one per backend instance. Each turn it
 *
 * 1. claims the running rollouts no other instance holds (`FOR UPDATE SKIP LOCKED`) and, for each, adds the devices
 *    of its rings so far (one row per device in `agent_rollout_devices`, `pending`; a device's `updated` report marks
 *    it, see reports.ts), and then moves to the next ring when all are, or pauses with the reason when a device refused or
 *    rolled back, or when the ring's window ended with devices not back on the version;
 * 2. sends `update` to the `pending` devices connected to this instance, claiming each row (`pending → sent`) in
 *    the same statement, so a device is sent an update once, by the instance holding its channel.
 *
 * The database is the only queue: an instance that dies loses nothing, and a device that reconnects elsewhere is
 * sent its update by that instance's next turn.
 */
import { and, eq, inArray, isNotNull, notExists, sql } from 'drizzle-orm';
import { compareVersions, type ControlBody, type AgentRolloutRing } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Tx } from '../../db';
import { anyId } from '../../db/any-id';
import { agentReleases, agentRolloutDevices, agentRollouts, devices } from '../../db/schema';
import { appendAudit } from '../audit';

const actor = 'system:agent-rollouts';

export interface RolloutRunnerOptions {
  /** Default 5 s. */
  tickMs?: number;
  /** Devices whose channel this instance holds. */
  connected(): string[];
  /** Seals and sends a control frame to a device connected here; false when it is not. */
  send(deviceId: string, body: ControlBody): boolean;
}

export interface RolloutRunner {
  /** One turn, for tests that do not want to wait for the timer. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/** A device's bucket in 0..9999, stable for the device: a ring of p % holds the devices below p × 100. */
const bucket = sql`(('x' || substr(md5(${devices.id}::text), 1, 8))::bit(32)::bigint % 10000)`;

function ringCondition(ring: AgentRolloutRing) {
  return 'percent' in ring ? sql`${bucket} < ${Math.round(ring.percent * 100)}` : sql`${devices.tags} && ${`{${ring.tags.join(',')}}`}::text[]`;
}

const describeRing = (index: number, ring: AgentRolloutRing) => `ring ${index + 1} (${'percent' in ring ? `${ring.percent}%` : `tags ${ring.tags.join(', ')}`})`;

type RolloutRow = typeof agentRollouts.$inferSelect;

/** Adds the devices of rings 0..current that have a release for their platform and are not on a higher version. */
async function addRingDevices(tx: Tx, rollout: RolloutRow): Promise<void> {
  const releases = await tx.select().from(agentReleases).where(and(eq(agentReleases.version, rollout.version), isNotNull(agentReleases.uploadedAt)));
  for (let ring = 0; ring <= rollout.currentRing; ring++) {
    const candidates = await tx
      .select({ id: devices.id, platform: devices.platform, arch: sql<string | null>`${devices.facts}->>'arch'`, version: devices.agentVersion })
      .from(devices)
      .where(
        and(
          ringCondition(rollout.rings[ring]!),
          notExists(tx.select({ one: sql`1` }).from(agentRolloutDevices).where(and(eq(agentRolloutDevices.rolloutId, rollout.id), eq(agentRolloutDevices.deviceId, devices.id)))),
        ),
      );
    const rows = candidates.flatMap((d) => {
      const release = releases.find((r) => r.os === d.platform && r.arch === (d.arch ?? 'x64'));
      if (!release) return [];
      if (d.version && compareVersions(d.version, rollout.version) > 0 && !release.rollback) return [];
      const state = d.version === rollout.version ? ('updated' as const) : ('pending' as const);
      return [{ rolloutId: rollout.id, deviceId: d.id, ring, releaseId: release.id, state }];
    });
    if (rows.length) await tx.insert(agentRolloutDevices).values(rows).onConflictDoNothing();
  }
}

/** Where a rollout's devices stand, with what a pause reason names. */
async function standing(tx: Tx, rollout: RolloutRow) {
  const rows = await tx
    .select({
      name: devices.name, state: agentRolloutDevices.state, detail: agentRolloutDevices.detail, sentAt: agentRolloutDevices.sentAt,
      version: devices.agentVersion, online: devices.online, lastSeen: devices.lastSeen,
    })
    .from(agentRolloutDevices)
    .innerJoin(devices, eq(devices.id, agentRolloutDevices.deviceId))
    .where(eq(agentRolloutDevices.rolloutId, rollout.id))
    .orderBy(devices.name);
  return rows;
}

const list = (names: string[]) => `${names.slice(0, 10).join(', ')}${names.length > 10 ? ` and ${names.length - 10} more` : ''}`;

async function pause(tx: Tx, rollout: RolloutRow, reason: string, now: Date): Promise<void> {
  await tx.update(agentRollouts).set({ state: 'paused', pausedReason: reason }).where(eq(agentRollouts.id, rollout.id));
  await appendAudit(tx, { actor, action: 'agent_rollout.pause', target: `agent-rollout:${rollout.id}`, details: { ring: rollout.currentRing, reason } }, now);
}

/** One rollout's turn: add devices, mark those back, then advance, complete, pause or wait. */
async function step(tx: Tx, rollout: RolloutRow, now: Date): Promise<void> {
  await addRingDevices(tx, rollout);
  // devices that reached the version some other way before they were sent it; those sent it count once they report
  // `updated` from the new binary (reports.ts), not when it connects on trial
  await tx
    .update(agentRolloutDevices)
    .set({ state: 'updated', detail: null })
    .from(devices)
    .where(
      and(
        eq(agentRolloutDevices.rolloutId, rollout.id),
        eq(devices.id, agentRolloutDevices.deviceId),
        eq(agentRolloutDevices.state, 'pending'),
        eq(devices.agentVersion, rollout.version),
      ),
    );
  const rows = await standing(tx, rollout);
  const ring = describeRing(rollout.currentRing, rollout.rings[rollout.currentRing]!);
  const failed = rows.filter((r) => r.state === 'failed');
  if (failed.length) return pause(tx, rollout, `${ring}: ${failed.map((r) => `${r.name} ${r.detail ?? 'failed'}`).slice(0, 10).join('; ')}`, now);
  const waiting = rows.filter((r) => r.state !== 'updated');
  if (!waiting.length) {
    const next = rollout.currentRing + 1;
    const done = next >= rollout.rings.length;
    await tx
      .update(agentRollouts)
      .set(done ? { state: 'completed' } : { currentRing: next, ringStartedAt: now })
      .where(eq(agentRollouts.id, rollout.id));
    await appendAudit(
      tx,
      { actor, action: done ? 'agent_rollout.complete' : 'agent_rollout.advance', target: `agent-rollout:${rollout.id}`, details: { ring: rollout.currentRing, devices: rows.length } },
      now,
    );
    return;
  }
  if (now.getTime() - rollout.ringStartedAt.getTime() < rollout.windowSec * 1000) return;
  const oldVersion = waiting.filter((r) => r.online && r.sentAt && r.lastSeen && r.lastSeen >= r.sentAt && r.version !== rollout.version);
  const gone = waiting.filter((r) => !oldVersion.includes(r));
  const parts = [];
  if (gone.length) parts.push(`${gone.length} did not come back on ${rollout.version} within ${rollout.windowSec} s: ${list(gone.map((r) => r.name))}`);
  if (oldVersion.length) parts.push(`${oldVersion.length} came back on the old version: ${list(oldVersion.map((r) => `${r.name} (${r.version})`))}`);
  await pause(tx, rollout, `${ring}: ${parts.join('; ')}`, now);
}

/** Moves every running rollout no other instance holds. */
async function advance(ctx: AppContext): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const running = await tx.select().from(agentRollouts).where(eq(agentRollouts.state, 'running')).limit(10).for('update', { skipLocked: true });
    for (const rollout of running) await step(tx, rollout, ctx.now());
  });
}

/** Sends `update` to the pending devices connected here. */
async function deliver(ctx: AppContext, options: RolloutRunnerOptions): Promise<void> {
  const connected = options.connected();
  if (!connected.length) return;
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const claimed = await tx
      .update(agentRolloutDevices)
      .set({ state: 'sent', sentAt: now })
      .where(
        and(
          eq(agentRolloutDevices.state, 'pending'),
          anyId(agentRolloutDevices.deviceId, connected),
          inArray(agentRolloutDevices.rolloutId, tx.select({ id: agentRollouts.id }).from(agentRollouts).where(eq(agentRollouts.state, 'running'))),
        ),
      )
      .returning({ rolloutId: agentRolloutDevices.rolloutId, deviceId: agentRolloutDevices.deviceId, releaseId: agentRolloutDevices.releaseId });
    if (!claimed.length) return;
    const releaseIds = [...new Set(claimed.map((c) => c.releaseId!))];
    const releases = new Map((await tx.select().from(agentReleases).where(inArray(agentReleases.id, releaseIds))).map((r) => [r.id, r]));
    const byRollout = new Map<string, string[]>();
    for (const c of claimed) {
      const r = releases.get(c.releaseId!)!;
      const sent = options.send(c.deviceId, {
        type: 'update', releaseId: r.id, version: r.version, os: r.os, arch: r.arch, size: r.size, sha256: r.sha256, releaseSignature: r.signature,
        rollback: r.rollback, path: `/api/v1/agent-releases/${r.id}/binary`,
      });
      if (sent) byRollout.set(c.rolloutId, [...(byRollout.get(c.rolloutId) ?? []), c.deviceId]);
    }
    for (const [rolloutId, ids] of byRollout)
      await appendAudit(tx, { actor, action: 'agent_update.send', target: `agent-rollout:${rolloutId}`, details: { devices: ids } }, now);
  });
}

export function startRolloutRunner(ctx: AppContext, options: RolloutRunnerOptions): RolloutRunner {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        await advance(ctx);
        await deliver(ctx, options);
      } catch (error) {
        ctx.log.error('agent rollouts: a turn failed', { error: String(error) });
      }
    });
    return running;
  };
  const timer = setInterval(() => void tick(), options.tickMs ?? 5000);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
