/**
 * @module Rollouts of an agent version in rings: created, paused and resumed by admins; moved on by the runner
 * (`runner.ts`). A rollout reaches every device (it is refused to a caller whose scope does not), and a version
 * lower than one a device runs goes out only as a release marked rollback.
 */
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { compareVersions, type AgentRollout, type AgentRolloutDevice, type AgentRolloutInput } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Tx } from '../../db';
import { agentReleases, agentRolloutDevices, agentRollouts, devices } from '../../db/schema';
import { AppError, conflict, forbidden, notFound } from '../../errors';
import { appendAudit } from '../audit';
import { seesAllDevices } from '../devices/scope';
import type { Principal } from '../identity/rights';
import { pageOf, type Page } from '../page';

type RolloutRow = typeof agentRollouts.$inferSelect;

async function progressOf(db: AppContext['db'] | Tx, ids: string[]): Promise<Map<string, AgentRollout['progress']>> {
  const out = new Map<string, AgentRollout['progress']>();
  if (!ids.length) return out;
  const rows = await db
    .select({ id: agentRolloutDevices.rolloutId, state: agentRolloutDevices.state, n: count() })
    .from(agentRolloutDevices)
    .where(inArray(agentRolloutDevices.rolloutId, ids))
    .groupBy(agentRolloutDevices.rolloutId, agentRolloutDevices.state);
  for (const id of ids) out.set(id, { pending: 0, sent: 0, updated: 0, failed: 0 });
  for (const r of rows) out.get(r.id)![r.state] = r.n;
  return out;
}

function toRollout(row: RolloutRow, progress: AgentRollout['progress']): AgentRollout {
  return {
    id: row.id,
    version: row.version,
    rings: row.rings,
    windowSec: row.windowSec,
    state: row.state,
    currentRing: row.currentRing,
    ringStartedAt: row.ringStartedAt.toISOString(),
    pausedReason: row.pausedReason,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    progress,
  };
}

export async function getRollout(ctx: AppContext, id: string, db: AppContext['db'] | Tx = ctx.db): Promise<AgentRollout> {
  const [row] = await db.select().from(agentRollouts).where(eq(agentRollouts.id, id));
  if (!row) throw notFound('rollout');
  return toRollout(row, (await progressOf(db, [id])).get(id)!);
}

export async function listRollouts(ctx: AppContext, query: { limit: number; offset: number }): Promise<Page<AgentRollout>> {
  const [rows, [total]] = await Promise.all([
    ctx.db.select().from(agentRollouts).orderBy(desc(agentRollouts.createdAt)).limit(query.limit).offset(query.offset),
    ctx.db.select({ n: count() }).from(agentRollouts),
  ]);
  const progress = await progressOf(ctx.db, rows.map((r) => r.id));
  return pageOf(rows.map((r) => toRollout(r, progress.get(r.id)!)), total?.n ?? 0, query.offset);
}

/**
 * Starts a rollout; a paused one becomes `superseded`. Refused while another runs (two would send devices two versions), when no release of
 * the version is uploaded, and when devices run a higher version and the version's releases are not rollbacks.
 */
export async function createRollout(ctx: AppContext, input: { principal: Principal; actor: string; rollout: AgentRolloutInput }): Promise<AgentRollout> {
  const { rollout, actor } = input;
  if (!seesAllDevices(input.principal)) throw forbidden('a rollout reaches every device; it needs a role whose scope is all devices');
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    // one rollout decision at a time across instances
    await tx.execute(sql`select pg_advisory_xact_lock(7305571)`);
    const releases = await tx.select().from(agentReleases).where(eq(agentReleases.version, rollout.version));
    const uploaded = releases.filter((r) => r.uploadedAt);
    if (!uploaded.length) throw new AppError(409, 'conflict', `no release of ${rollout.version} has its binary uploaded`);
    const [active] = await tx.select({ id: agentRollouts.id }).from(agentRollouts).where(eq(agentRollouts.state, 'running'));
    if (active) throw conflict(`rollout ${active.id} is running; pause it first`, { rolloutId: active.id });
    if (!uploaded.every((r) => r.rollback)) {
      const versions = await tx.selectDistinct({ v: devices.agentVersion }).from(devices);
      const higher = versions.map((r) => r.v).filter((v) => v && compareVersions(v, rollout.version) > 0);
      if (higher.length)
        throw conflict(`devices run ${higher.join(', ')}, above ${rollout.version}: a downgrade needs releases marked rollback`, { versions: higher });
    }
    const [row] = await tx
      .insert(agentRollouts)
      .values({ version: rollout.version, rings: rollout.rings, windowSec: rollout.windowSec, createdBy: actor, createdAt: now, ringStartedAt: now })
      .returning();
    const superseded = await tx
      .update(agentRollouts)
      .set({ state: 'superseded' })
      .where(eq(agentRollouts.state, 'paused'))
      .returning({ id: agentRollouts.id });
    await appendAudit(
      tx,
      { actor, action: 'agent_rollout.create', target: `agent-rollout:${row!.id}`, details: { ...rollout, superseded: superseded.map((r) => r.id) } },
      now,
    );
    return toRollout(row!, { pending: 0, sent: 0, updated: 0, failed: 0 });
  });
}

/** Pauses a running rollout: nothing more is sent until it is resumed. */
export async function pauseRollout(ctx: AppContext, input: { actor: string; id: string; reason: string }): Promise<AgentRollout> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(agentRollouts).set({ state: 'paused', pausedReason: input.reason }).where(and(eq(agentRollouts.id, input.id), eq(agentRollouts.state, 'running'))).returning();
    if (!row) throw await notRunning(tx, input.id, 'running');
    await appendAudit(tx, { actor: input.actor, action: 'agent_rollout.pause', target: `agent-rollout:${row.id}`, details: { reason: input.reason } }, now);
    return getRollout(ctx, row.id, tx);
  });
}

/** Resumes a paused rollout: its ring gets a new window, and devices that failed or never came back are sent it again. */
export async function resumeRollout(ctx: AppContext, input: { actor: string; id: string }): Promise<AgentRollout> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(agentRollouts)
      .set({ state: 'running', pausedReason: null, ringStartedAt: now })
      .where(and(eq(agentRollouts.id, input.id), eq(agentRollouts.state, 'paused')))
      .returning();
    if (!row) throw await notRunning(tx, input.id, 'paused');
    const again = await tx
      .update(agentRolloutDevices)
      .set({ state: 'pending', detail: null, sentAt: null })
      .where(and(eq(agentRolloutDevices.rolloutId, row.id), inArray(agentRolloutDevices.state, ['sent', 'failed'])))
      .returning({ id: agentRolloutDevices.deviceId });
    await appendAudit(tx, { actor: input.actor, action: 'agent_rollout.resume', target: `agent-rollout:${row.id}`, details: { resent: again.length } }, now);
    return getRollout(ctx, row.id, tx);
  });
}

async function notRunning(tx: Tx, id: string, wanted: string): Promise<AppError> {
  const [row] = await tx.select({ state: agentRollouts.state }).from(agentRollouts).where(eq(agentRollouts.id, id));
  return row ? conflict(`the rollout is ${row.state}, not ${wanted}`) : notFound('rollout');
}

export async function listRolloutDevices(ctx: AppContext, id: string, query: { limit: number; offset: number }): Promise<Page<AgentRolloutDevice>> {
  await getRollout(ctx, id);
  const where = eq(agentRolloutDevices.rolloutId, id);
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select({
        deviceId: agentRolloutDevices.deviceId, deviceName: devices.name, ring: agentRolloutDevices.ring, state: agentRolloutDevices.state,
        agentVersion: devices.agentVersion, online: devices.online, sentAt: agentRolloutDevices.sentAt, detail: agentRolloutDevices.detail,
      })
      .from(agentRolloutDevices)
      .innerJoin(devices, eq(devices.id, agentRolloutDevices.deviceId))
      .where(where)
      .orderBy(agentRolloutDevices.ring, devices.name)
      .limit(query.limit)
      .offset(query.offset),
    ctx.db.select({ n: count() }).from(agentRolloutDevices).where(where),
  ]);
  return pageOf(rows.map((r) => ({ ...r, sentAt: r.sentAt?.toISOString() ?? null })), total?.n ?? 0, query.offset);
}
