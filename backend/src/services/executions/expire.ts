import { and, inArray, lte } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { executions } from '../../db/schema';
import { erasedSecrets, publishStatus } from './transition';

const batchSize = 5000;

/**
 * Marks queued, delivered and held executions past their expiry as `expired` (a running one is bounded by its
 * timeout instead). Batches skip rows another instance holds, so several backends can sweep the same database.
 * Returns how many expired.
 */
export async function expireOverdue(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  let total = 0;
  for (;;) {
    const due = ctx.db
      .select({ id: executions.id })
      .from(executions)
      .where(and(inArray(executions.status, ['held', 'queued', 'delivered']), lte(executions.expiresAt, now)))
      .limit(batchSize)
      .for('update', { skipLocked: true });
    const rows = await ctx.db
      .update(executions)
      .set({ status: 'expired', finishedAt: now, secretParameters: erasedSecrets })
      .where(and(inArray(executions.id, due), inArray(executions.status, ['held', 'queued', 'delivered'])))
      .returning({ id: executions.id, requestId: executions.requestId, deviceId: executions.deviceId, status: executions.status });
    for (const row of rows) publishStatus(ctx, row, now);
    total += rows.length;
    if (rows.length < batchSize) return total;
  }
}

/**
 * Runs `expireOverdue` every `intervalMs` on an unref'd timer, so it never keeps the process alive.
 * `stop()` clears the timer and waits for a sweep in progress, so the database can close after it.
 */
export function startExpirySweeper(ctx: AppContext, intervalMs = 5000): { stop(): Promise<void> } {
  let inFlight: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = expireOverdue(ctx)
      .then(
        () => undefined,
        (error: unknown) => ctx.log.error('expiry sweep failed', { error: String(error) }),
      )
      .finally(() => {
        inFlight = null;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
