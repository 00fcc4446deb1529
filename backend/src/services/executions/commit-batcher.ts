/**
 * Group commit for launches. A commit costs a disk flush (several ms) and the audit chain's lock serializes every
 * launch, so one transaction per launch caps throughput at a few dozen per second. Launches that arrive while a
 * commit is in flight wait and then commit together: one transaction, one flush, one audit look-up. If a batch
 * fails, each of its launches is retried alone, so one bad launch never fails the others.
 */
import type { AppContext } from '../../context';
import type { Tx } from '../../db';
import { appendAuditMany, type AuditInput } from '../audit';

export interface BatchedWrite {
  write(tx: Tx): Promise<void>;
  audit: AuditInput;
  at: Date;
}

interface Pending extends BatchedWrite {
  resolve(): void;
  reject(error: unknown): void;
}

/** Most launches per transaction; large fan-outs are heavy on their own and go alone. */
const maxBatch = 256;

class CommitBatcher {
  private queue: Pending[] = [];
  private running = false;

  constructor(private readonly ctx: AppContext) {}

  submit(item: BatchedWrite): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0, maxBatch);
      try {
        await this.commit(batch);
        batch.forEach((p) => p.resolve());
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else for (const p of batch) await this.commit([p]).then(p.resolve, p.reject);
      }
    }
    this.running = false;
  }

  private commit(batch: readonly Pending[]): Promise<void> {
    return this.ctx.db.transaction(async (tx) => {
      for (const p of batch) await p.write(tx);
      await appendAuditMany(tx, batch.map((p) => ({ input: p.audit, at: p.at })));
    });
  }
}

// One batcher per database handle, so test backends never share a queue.
const batchers = new WeakMap<object, CommitBatcher>();

/** Runs `write` and appends its audit entry in a transaction shared with other launches committing at the same time. */
export function commitBatched(ctx: AppContext, item: BatchedWrite): Promise<void> {
  let batcher = batchers.get(ctx.db);
  if (!batcher) batchers.set(ctx.db, (batcher = new CommitBatcher(ctx)));
  return batcher.submit(item);
}
