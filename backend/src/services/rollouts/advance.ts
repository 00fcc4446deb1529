/**
 * @module Moving a staged rollout forward: once the current wave has ended, its success rate decides between
 * releasing the next wave (after `waitSec`), completing, or pausing; the circuit breaker pauses it at any time.
 *
 * Every step runs under the request's row lock (`for update`) and releases with a conditional update on the wave
 * number, so when several backend instances see the same results, a wave is released exactly once.
 */
import { and, count, desc, eq, gt, gte, inArray } from 'drizzle-orm';
import type { AppContext } from '../../context';
import type { Tx } from '../../db';
import { anyId } from '../../db/any-id';
import { executionRequests, executions } from '../../db/schema';
import { appendAudit } from '../audit';
import { breakerTrip } from '../automation/breaker';
import { publishStatus } from '../executions/transition';
import { enqueueRolloutWebhook, publishRolloutEvent, type PauseCause } from './announce';

type RequestRow = typeof executionRequests.$inferSelect;

/** A step that changed the rollout (paused, completed, waiting, or released the executions in `rows`), to announce after the commit. */
export interface Released {
  requestId: string;
  rows: { id: string; requestId: string; deviceId: string; status: 'queued' }[];
}

/** What the rollout counts: succeeded and failed runs; canceled and expired ones count neither way. */
const counted = ['succeeded', 'failed', 'timed_out'] as const;
const unfinished = ['held', 'queued', 'delivered', 'running'] as const;

export const rolloutLabel = (requestId: string) => `rollout:${requestId}`;

/** One step of one rollout, in its own transaction; announces what it released. */
export async function advanceRollout(ctx: AppContext, requestId: string): Promise<void> {
  const released = await ctx.db.transaction(async (tx) => {
    const [request] = await tx
      .select()
      .from(executionRequests)
      .where(and(eq(executionRequests.id, requestId), eq(executionRequests.rolloutState, 'running')))
      .for('update');
    return request ? stepRollout(ctx, tx, request) : null;
  });
  if (released) await announceRelease(ctx, released);
}

/** Decides and applies one step for a running rollout whose row the caller locked. */
export async function stepRollout(ctx: AppContext, tx: Tx, request: RequestRow): Promise<Released | null> {
  const plan = request.rollout;
  if (!plan || request.rolloutState !== 'running' || request.currentWave === null) return null;
  const now = ctx.now();
  const wave = request.currentWave;
  const label = rolloutLabel(request.id);

  const recent = await tx
    .select({ status: executions.status })
    .from(executions)
    .where(
      and(
        eq(executions.requestId, request.id),
        inArray(executions.status, [...counted]),
        gte(executions.finishedAt, request.breakerResetAt ?? request.createdAt),
      ),
    )
    .orderBy(desc(executions.finishedAt), desc(executions.seq))
    .limit(plan.breaker.window);
  const trip = breakerTrip(recent.map((r) => r.status), plan.breaker);
  if (trip) return pause(ctx, tx, request, 'breaker', `circuit breaker: ${trip}`, now);

  const groups = await tx
    .select({ status: executions.status, n: count() })
    .from(executions)
    .where(and(eq(executions.requestId, request.id), eq(executions.wave, wave)))
    .groupBy(executions.status);
  const n = (statuses: readonly string[]) => groups.filter((g) => statuses.includes(g.status)).reduce((sum, g) => sum + g.n, 0);
  if (n(unfinished) > 0) return null;

  if (request.waivedWave !== wave) {
    const results = n(counted);
    const succeeded = n(['succeeded']);
    const min = plan.waves[wave]!.minSuccessRate;
    if (!results) return pause(ctx, tx, request, 'wave', `wave ${wave + 1}: no run reported a result (all canceled or expired)`, now);
    if (succeeded / results < min)
      return pause(
        ctx,
        tx,
        request,
        'wave',
        `wave ${wave + 1}: ${succeeded} of ${results} runs succeeded (${Math.floor((succeeded / results) * 100)} %), below the ${Math.round(min * 100)} % required`,
        now,
      );
  }

  if (wave >= plan.waves.length - 1) {
    await tx.update(executionRequests).set({ rolloutState: 'completed', nextWaveAt: null }).where(eq(executionRequests.id, request.id));
    await appendAudit(tx, { actor: label, action: 'rollout.complete', target: `request:${request.id}`, details: { waves: plan.waves.length } }, now);
    await enqueueRolloutWebhook(ctx, tx, request.id, null, now);
    return { requestId: request.id, rows: [] };
  }

  if (plan.waitSec > 0 && request.waivedWave !== wave) {
    if (!request.nextWaveAt) {
      await tx.update(executionRequests).set({ nextWaveAt: new Date(now.getTime() + plan.waitSec * 1000) }).where(eq(executionRequests.id, request.id));
      return { requestId: request.id, rows: [] };
    }
    if (request.nextWaveAt > now) return null;
  }
  return releaseWave(tx, request, wave + 1, label, now);
}

/** Queues the held executions of `next` (those not expired), if no one released it first. */
async function releaseWave(tx: Tx, request: RequestRow, next: number, actor: string, now: Date): Promise<Released | null> {
  const moved = await tx
    .update(executionRequests)
    .set({ currentWave: next, nextWaveAt: null })
    .where(and(eq(executionRequests.id, request.id), eq(executionRequests.currentWave, next - 1)))
    .returning({ id: executionRequests.id });
  if (!moved.length) return null;
  const rows = await tx
    .update(executions)
    .set({ status: 'queued' })
    .where(and(eq(executions.requestId, request.id), eq(executions.wave, next), eq(executions.status, 'held'), gt(executions.expiresAt, now)))
    .returning({ id: executions.id, requestId: executions.requestId, deviceId: executions.deviceId });
  await appendAudit(tx, { actor, action: 'rollout.release', target: `request:${request.id}`, details: { wave: next + 1, devices: rows.length } }, now);
  return { requestId: request.id, rows: rows.map((r) => ({ ...r, status: 'queued' as const })) };
}

async function pause(ctx: AppContext, tx: Tx, request: RequestRow, cause: PauseCause, reason: string, now: Date): Promise<Released> {
  await tx
    .update(executionRequests)
    .set({ rolloutState: 'paused', pausedReason: reason.slice(0, 2000), nextWaveAt: null })
    .where(eq(executionRequests.id, request.id));
  await appendAudit(tx, { actor: rolloutLabel(request.id), action: 'rollout.pause', target: `request:${request.id}`, details: { wave: (request.currentWave ?? 0) + 1, reason } }, now);
  await enqueueRolloutWebhook(ctx, tx, request.id, cause, now);
  return { requestId: request.id, rows: [] };
}

/** After the commit: live status for the released executions and the rollout, and the dispatcher for their devices. */
export async function announceRelease(ctx: AppContext, released: Released): Promise<void> {
  const now = ctx.now();
  for (const row of released.rows) publishStatus(ctx, row, now);
  try {
    if (released.rows.length) ctx.dispatcher.notify(released.rows.map((r) => r.deviceId));
  } catch (error) {
    ctx.log.error('dispatcher notify failed', { error: String(error) });
  }
  await publishRolloutEvent(ctx, released.requestId);
}

/** Running rollouts among these requests (or all of them), for the engine to step. */
export async function runningRollouts(ctx: AppContext, requestIds?: readonly string[]): Promise<string[]> {
  if (requestIds && !requestIds.length) return [];
  const rows = await ctx.db
    .select({ id: executionRequests.id })
    .from(executionRequests)
    .where(and(eq(executionRequests.rolloutState, 'running'), requestIds ? anyId(executionRequests.id, requestIds) : undefined));
  return rows.map((r) => r.id);
}
