/**
 * @module The retention prune: deletes finished executions (their outputs are columns of the row), the requests left
 * with no execution, users' help requests (with their screenshots), finished webhook deliveries, and finished detection
 * runs, once older than the configured days. It works in short batches,
 * each its own transaction, so no lock is held for long and an instance's other queries (PGlite has one connection)
 * run between batches. Each batch first takes a transaction-level advisory lock without waiting: an instance that
 * cannot get it stops, because another instance is pruning, so on PostgreSQL one instance prunes at a time and every
 * row is deleted, and counted, once.
 */
import { sql } from 'drizzle-orm';
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

  const executionCutoff = cutoffs.executions?.toISOString();
  if (executionCutoff) {
    const terminal = sql.join(terminalStatuses.map((s) => sql`${s}`), sql`, `);
    const live = sql.join(liveRollouts.map((s) => sql`${s}`), sql`, `);
    complete = await drain(ctx, { ...options, size, counts, kind: 'executions' }, (tx) => tx.execute(sql`
      delete from ${executions} where ${executions.id} in (
        select e.id from ${executions} e
        where e.created_at < ${executionCutoff}::timestamptz and e.status in (${terminal})
          and not exists (select 1 from ${executionRequests} r where r.id = e.request_id and r.rollout_state in (${live}))
        order by e.created_at limit ${size} for update of e skip locked)
      returning ${executions.id}`));
    // a request goes once it is past the retention and none of its executions is left
    if (complete) {
      complete = await drain(ctx, { ...options, size, counts, kind: 'requests' }, (tx) => tx.execute(sql`
        delete from ${executionRequests} where ${executionRequests.id} in (
          select r.id from ${executionRequests} r
          where r.created_at < ${executionCutoff}::timestamptz
            and not exists (select 1 from ${executions} e where e.request_id = r.id)
          order by r.created_at limit ${size} for update of r skip locked)
        returning ${executionRequests.id}`));
    }
    if (complete) {
      complete = await drain(ctx, { ...options, size, counts, kind: 'helpRequests' }, (tx) => tx.execute(sql`
        delete from ${helpRequests} where ${helpRequests.id} in (
          select h.id from ${helpRequests} h where h.created_at < ${executionCutoff}::timestamptz
          order by h.created_at limit ${size} for update of h skip locked)
        returning ${helpRequests.id}`));
    }
    if (complete) {
      complete = await drain(ctx, { ...options, size, counts, kind: 'webhookDeliveries' }, (tx) => tx.execute(sql`
        delete from ${webhookDeliveries} where ${webhookDeliveries.id} in (
          select w.id from ${webhookDeliveries} w
          where w.created_at < ${executionCutoff}::timestamptz and w.status in ('delivered', 'failed')
          order by w.created_at limit ${size} for update of w skip locked)
        returning ${webhookDeliveries.id}`));
    }
  }

  const detectionCutoff = cutoffs.detectionEvents?.toISOString();
  if (complete && detectionCutoff) {
    const open = sql.join(openDetectionRuns.map((s) => sql`${s}`), sql`, `);
    complete = await drain(ctx, { ...options, size, counts, kind: 'detectionEvents' }, (tx) => tx.execute(sql`
      delete from ${detectionEvents} where ${detectionEvents.id} in (
        select d.id from ${detectionEvents} d
        where d.fired_at < ${detectionCutoff}::timestamptz and d.status not in (${open})
        order by d.fired_at limit ${size} for update of d skip locked)
      returning ${detectionEvents.id}`));
  }
  return { counts, cutoffs, complete };
}
