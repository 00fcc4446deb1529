/**
 * @module The retention runner: prunes history on an unref'd timer, a minute after start and then every hour, and
 * records each prune that deleted something in the audit log and the log with its counts.
 */
import type { AppContext } from '../../context';
import { appendAudit } from '../audit';
import { pruneHistory, type PruneOptions, type PruneResult } from './prune';

/** One prune, audited (`retention.prune`, with the counts and cutoffs) and logged when it deleted rows. */
export async function runRetention(ctx: AppContext, options: PruneOptions = {}): Promise<PruneResult> {
  const result = await pruneHistory(ctx, options);
  const { counts, cutoffs } = result;
  if (Object.values(counts).some((n) => n > 0)) {
    const details = {
      ...counts,
      executionsBefore: cutoffs.executions?.toISOString() ?? null,
      detectionEventsBefore: cutoffs.detectionEvents?.toISOString() ?? null,
    };
    await ctx.db.transaction((tx) => appendAudit(tx, { actor: 'system', action: 'retention.prune', target: null, details }, ctx.now()));
    ctx.log.info('retention: pruned history', details);
  }
  return result;
}

export interface RetentionRunnerOptions extends PruneOptions {
  /** Delay before the first prune; default one minute, so start-up is not slowed. */
  firstAfterMs?: number;
  /** Time between prunes; default one hour. */
  everyMs?: number;
}

export interface RetentionRunner {
  /** Runs one prune now (after one in flight). */
  tick(): Promise<PruneResult>;
  /** Stops the timers and waits for a prune in flight. */
  stop(): Promise<void>;
}

/** Starts pruning in the background; nothing runs when every kind is kept forever. */
export function startRetention(ctx: AppContext, options: RetentionRunnerOptions = {}): RetentionRunner {
  let running: Promise<PruneResult> | null = null;
  let stopped = false;
  const tick = async (): Promise<PruneResult> => {
    while (running) await running.catch(() => undefined);
    running = runRetention(ctx, options).finally(() => (running = null));
    return running;
  };
  const background = () => {
    if (stopped || running) return;
    tick().catch((error: unknown) => ctx.log.error('retention: prune failed', { error: String(error) }));
  };
  const { executionDays, detectionDays } = ctx.config.retention;
  const enabled = executionDays > 0 || detectionDays > 0;
  const first = enabled ? setTimeout(background, options.firstAfterMs ?? 60_000) : undefined;
  const timer = enabled ? setInterval(background, options.everyMs ?? 3_600_000) : undefined;
  first?.unref();
  timer?.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      while (running) await running.catch(() => undefined);
    },
  };
}
