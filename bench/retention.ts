/**
 * The retention prune: 100,000 finished executions (over 1,000 requests) and 100,000 detection runs past the retention,
 * beside 10,000 recent executions it keeps, pruned in batches of 2,000 on PGlite (and PostgreSQL when a server answers).
 * The figure is the slowest batch, since a batch is what holds row locks (and, on PGlite, the one connection).
 * The bare baseline deletes the same rows in the same batches by age alone: no status, rollout or lock checks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Figure } from './lib/report';
import { percentile } from './lib/stats';
import { loadConfig } from '../backend/src/config';
import { openDatabase, type Database } from '../backend/src/db';
import { detectionEvents, executionRequests, executions } from '../backend/src/db/schema';
import { createContext } from '../backend/src/server';
import { pruneHistory } from '../backend/src/services/retention';
import { seedAction, seedDevices } from '../backend/src/testing/fleet';
import { seedDetectionRuns, seedHistory, seedRule } from '../backend/src/testing/history';
import { withPostgresDatabase } from './lib/postgres';

const day = 86_400_000;
const batchSize = 2000;

interface Run {
  batches: number[];
  totalMs: number;
  deleted: number;
}

async function measure(database: Database, rows: number): Promise<{ prune: Run; bare: Run }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fixpoint-bench-retention-'));
  try {
    const ctx = await createContext(loadConfig({ FIXPOINT_DATA_DIR: dataDir, FIXPOINT_LOG_LEVEL: 'silent' }), database);
    await seedAction(ctx);
    const deviceIds = await seedDevices(ctx, 1000, { platform: 'linux' });
    const ruleId = await seedRule(ctx);
    const old = new Date(Date.now() - 120 * day);
    const seed = async () => {
      await seedHistory(ctx, { deviceIds, requests: rows / 100, executions: rows, at: old, status: 'succeeded' });
      await seedDetectionRuns(ctx, { ruleId, deviceIds, count: rows, at: old, status: 'succeeded' });
      await ctx.db.execute(sql`analyze`);
    };
    await seed();
    await seedHistory(ctx, { deviceIds, requests: 100, executions: rows / 10, at: new Date(Date.now() - day), status: 'succeeded' });

    const prune: Run = { batches: [], totalMs: 0, deleted: 0 };
    let start = performance.now();
    const result = await pruneHistory(ctx, { batchSize, onBatch: (b) => b.deleted && prune.batches.push(b.ms) });
    prune.totalMs = performance.now() - start;
    prune.deleted = result.counts.executions + result.counts.requests + result.counts.detectionEvents;

    await seed();
    const cutoff = new Date(Date.now() - 90 * day).toISOString();
    const bare: Run = { batches: [], totalMs: 0, deleted: 0 };
    const statements = [
      sql`delete from ${executions} where id in (select id from ${executions} where created_at < ${cutoff}::timestamptz limit ${batchSize}) returning id`,
      sql`delete from ${executionRequests} where id in (select id from ${executionRequests} where created_at < ${cutoff}::timestamptz limit ${batchSize}) returning id`,
      sql`delete from ${detectionEvents} where id in (select id from ${detectionEvents} where fired_at < ${cutoff}::timestamptz limit ${batchSize}) returning id`,
    ];
    start = performance.now();
    for (const statement of statements) {
      for (;;) {
        const t0 = performance.now();
        const result = await ctx.db.transaction(async (tx) => tx.execute(statement));
        const n = Array.isArray(result) ? result.length : (result as { rows: unknown[] }).rows.length;
        if (n) bare.batches.push(performance.now() - t0);
        bare.deleted += n;
        if (n < batchSize) break;
      }
    }
    bare.totalMs = performance.now() - start;
    return { prune, bare };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchRetention(options: { rows: number }): Promise<Figure[]> {
  const figures: Figure[] = [];
  const record = (kind: string, { prune, bare }: { prune: Run; bare: Run }) => {
    const slowest = Math.max(...prune.batches);
    const bareSlowest = Math.max(...bare.batches);
    figures.push({
      name: `Retention: slowest batch of ${batchSize} (${kind})`, value: slowest, unit: 'ms', baseline: bareSlowest, ratio: slowest / bareSlowest, target: 'reference',
      note: `${prune.deleted} rows in ${prune.batches.length} batches, ${Math.round(prune.totalMs)} ms (bare ${bare.deleted} rows, ${Math.round(bare.totalMs)} ms); batch p50 ${percentile(prune.batches, 50).toFixed(1)} ms (bare ${percentile(bare.batches, 50).toFixed(1)} ms)`,
    });
  };
  const pglite = await openDatabase({});
  try {
    record('PGlite', await measure(pglite, options.rows));
  } finally {
    await pglite.close();
  }
  const pg = await withPostgresDatabase(async (url) => {
    const db = await openDatabase({ url });
    try {
      return await measure(db, options.rows);
    } finally {
      await db.close();
    }
  });
  if (pg) record('PostgreSQL', pg);
  return figures;
}
