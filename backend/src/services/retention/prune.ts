/**
 * @module The retention prune: deletes finished executions (their outputs are columns of the row), the requests left
 * with no execution, users' help requests (with their screenshots), finished webhook deliveries, and finished detection
 * runs, once older than the configured days. It works in short batches,
 * each its own transaction, so no lock is held for long and an instance's other queries (PGlite has one connection)
 * run between batches. Each batch first takes a transaction-level advisory lock without waiting: an instance that
 * cannot get it stops, because another instance is pruning, so on PostgreSQL one instance prunes at a time and every
 * row is deleted, and counted, once.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { terminalStatuses } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Tx } from '../../db';
import { rowsOf } from '../../db/rows';
import { detectionEvents, executionRequests, executions, helpRequests, webhookDeliveries } from '../../db/schema';

/** The advisory lock a pruning batch holds (beside the audit chain's 7305561 and the other 73055xx locks). */
const pruneLock = 7305591;

/** Rows deleted by one prune, by kind. */
export interface PruneCounts {
  executions: number;
  requests: number;
  /** Help requests from the tray, kept as long as executions. */
  helpRequests: number;
  /** Webhook deliveries delivered or given up on, kept as long as executions; pending ones stay whatever their age. */
  webhookDeliveries: number;
  detectionEvents: number;
}

export interface PruneOptions {
  /** Rows per batch (one transaction each); default 2000. */
  batchSize?: number;
  /** Told after each batch how many rows of which kind it deleted and how long its transaction took. */
  onBatch?: (batch: { kind: keyof PruneCounts; deleted: number; ms: number }) => void;
}

export interface PruneResult {
  counts: PruneCounts;
  /** The oldest times kept, by kind (null: that kind is kept forever). */
  cutoffs: { executions: Date | null; detectionEvents: Date | null };
  /** False when another instance held the prune lock, so this one left the rest to it. */
  complete: boolean;
}

const dayMs = 86_400_000;
// a rollout still moving reads its earlier waves' results
const liveRollouts = ['running', 'paused'];
// a run still launching or waiting for its execution's outcome is open
const openDetectionRuns = ['launching', 'launched'];

/** One batch in its own transaction: null when another instance holds the lock, else how many rows it deleted. */
async function batch(ctx: AppContext, statement: (tx: Tx) => Promise<unknown>): Promise<number | null> {
  return ctx.db.transaction(async (tx) => {
    const [lock] = rowsOf(await tx.execute(sql`select pg_try_advisory_xact_lock(${pruneLock}) as locked`));
    if (!lock?.locked) return null;
    return rowsOf(await statement(tx)).length;
  });
}

/** Runs batches of one statement until a batch deletes fewer than `size` rows; false when the lock was taken elsewhere. */
async function drain(
  ctx: AppContext, options: PruneOptions & { size: number; kind: keyof PruneCounts; counts: PruneCounts }, statement: (tx: Tx) => Promise<unknown>,
): Promise<boolean> {
  for (;;) {
    const start = performance.now();
    const deleted = await batch(ctx, statement);
    if (deleted === null) return false;
    options.counts[options.kind] += deleted;
    options.onBatch?.({ kind: options.kind, deleted, ms: performance.now() - start });
    if (deleted < options.size) return true;
  }
}

/**
 * Deletes history older than the retention (`ctx.config.retention`), in batches. Executions still held, queued,
 * delivered or running are kept whatever their age, and so are those of a rollout still running or paused.
 */
export async function pruneHistory(ctx: AppContext, options: PruneOptions = {}): Promise<PruneResult> {
  const size = options.batchSize ?? 2000;
  const { executionDays, detectionDays } = ctx.config.retention;
  const now = ctx.now().getTime();
  const cutoffs = {
    executions: executionDays > 0 ? new Date(now - executionDays * dayMs) : null,
    detectionEvents: detectionDays > 0 ? new Date(now - detectionDays * dayMs) : null,
  };
  const counts: PruneCounts = { executions: 0, requests: 0, helpRequests: 0, webhookDeliveries: 0, detectionEvents: 0 };
  let complete = true;

  const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
  const executionCutoff = cutoffs.executions?.toISOString();
  const detectionCutoff = cutoffs.detectionEvents?.toISOString();
  // In order: a request goes once none of its executions is left. `t` is the table's row in each condition.
  const steps: { kind: keyof PruneCounts; table: PgTable; time: string; where: SQL }[] = [];
  if (executionCutoff) {
    const before = sql`t.created_at < ${executionCutoff}::timestamptz`;
    steps.push(
      {
        kind: 'executions', table: executions, time: 'created_at',
        where: sql`${before} and t.status in (${list(terminalStatuses)})
          and not exists (select 1 from ${executionRequests} r where r.id = t.request_id and r.rollout_state in (${list(liveRollouts)}))`,
      },
      { kind: 'requests', table: executionRequests, time: 'created_at', where: sql`${before} and not exists (select 1 from ${executions} e where e.request_id = t.id)` },
      { kind: 'helpRequests', table: helpRequests, time: 'created_at', where: before },
      { kind: 'webhookDeliveries', table: webhookDeliveries, time: 'created_at', where: sql`${before} and t.status in ('delivered', 'failed')` },
    );
  }
  if (detectionCutoff)
    steps.push({
      kind: 'detectionEvents', table: detectionEvents, time: 'fired_at',
      where: sql`t.fired_at < ${detectionCutoff}::timestamptz and t.status not in (${list(openDetectionRuns)})`,
    });
  for (const step of steps) {
    if (!complete) break;
    complete = await drain(ctx, { ...options, size, counts, kind: step.kind }, (tx) => tx.execute(sql`
      delete from ${step.table} where id in (
        select t.id from ${step.table} t where ${step.where}
        order by t.${sql.raw(step.time)} limit ${size} for update of t skip locked)
      returning id`));
  }
  return { counts, cutoffs, complete };
}
