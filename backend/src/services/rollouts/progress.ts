/** @module A rollout as `GET /requests/:id` shows it: per wave, its devices in the caller's scope counted by status. */
import { and, count, eq, type SQL } from 'drizzle-orm';
import { executionStatuses, type ExecutionStatus, type RolloutProgress } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db';
import type { executionRequests } from '../../db/schema';
import { devices, executions } from '../../db/schema';

type RequestRow = typeof executionRequests.$inferSelect;

export function rolloutProgress(ctx: AppContext, request: RequestRow, scope: SQL | undefined): Promise<RolloutProgress | null> {
  return readRolloutProgress(ctx.db, request, scope);
}

/** The same in a given transaction (or the pool); without `scope`, every device of the launch is counted. */
export async function readRolloutProgress(db: Db | Tx, request: RequestRow, scope?: SQL): Promise<RolloutProgress | null> {
  const plan = request.rollout;
  if (!plan || !request.rolloutState) return null;
  const groups = await db
    .select({ wave: executions.wave, status: executions.status, n: count() })
    .from(executions)
    .innerJoin(devices, eq(devices.id, executions.deviceId))
    .where(and(eq(executions.requestId, request.id), scope))
    .groupBy(executions.wave, executions.status);
  const waves = plan.waves.map((w) => ({
    percent: w.percent,
    minSuccessRate: w.minSuccessRate,
    devices: 0,
    counts: Object.fromEntries(executionStatuses.map((s) => [s, 0])) as Record<ExecutionStatus, number>,
  }));
  for (const g of groups) {
    const wave = waves[g.wave ?? 0];
    if (!wave) continue;
    wave.counts[g.status] += g.n;
    wave.devices += g.n;
  }
  return {
    state: request.rolloutState,
    currentWave: (request.currentWave ?? 0) + 1,
    waves,
    waitSec: plan.waitSec,
    breaker: plan.breaker,
    pausedReason: request.rolloutState === 'paused' ? request.pausedReason : null,
    nextWaveAt: request.nextWaveAt?.toISOString() ?? null,
  };
}
