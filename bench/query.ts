/**
 * Query latency: the DESIGN.md query shape (`devices | where … | sort | limit 100`) over a seeded fleet of 100,000
 * devices, on PGlite and on PostgreSQL. The bare baseline is the same filter written by hand as plain SQL.
 */
import { sql } from 'drizzle-orm';
import type { Figure } from './lib/report';
import { percentile } from './lib/stats';
import { openDatabase, type Database } from '../backend/src/db';
import { buildFleet, insertFleet } from '../backend/src/testing/query-fleet';
import { compileQuery } from '../backend/src/services/query';
import { withPostgresDatabase } from './lib/postgres';

const query = 'devices | where os.platform == "windows" and disk.free_pct < 10 | list name, last_seen | sort last_seen desc | limit 100';

async function time(database: Database, runs: number) {
  const { sql: compiled } = compileQuery(query, { now: new Date() });
  const bare = sql`select name, last_seen from devices where platform = 'windows' and (case when jsonb_typeof(facts #> '{disk,free_pct}') = 'number' then (facts #> '{disk,free_pct}')::numeric end) < 10 order by last_seen desc nulls last limit 100`;
  const measure = async (statement: typeof bare) => {
    const samples: number[] = [];
    for (let i = 0; i < runs + 3; i++) {
      const start = performance.now();
      await database.db.execute(statement);
      if (i >= 3) samples.push(performance.now() - start);
    }
    return samples;
  };
  return { dsl: await measure(compiled), bare: await measure(bare) };
}

export async function benchQuery(options: { devices: number; runs: number }): Promise<Figure[]> {
  const fleet = buildFleet({ devices: options.devices, executions: 0, now: new Date() });
  const figures: Figure[] = [];
  const record = (kind: string, r: { dsl: number[]; bare: number[] }, target: string, limit?: number) => {
    const p50 = percentile(r.dsl, 50);
    const bare = percentile(r.bare, 50);
    figures.push({
      name: `Query p50 (${kind}, ${options.devices / 1000}k devices)`, value: p50, unit: 'ms', baseline: bare, ratio: p50 / bare, target,
      ...(limit ? { ok: p50 <= limit } : {}),
    });
    figures.push({ name: `Query p99 (${kind})`, value: percentile(r.dsl, 99), unit: 'ms', baseline: percentile(r.bare, 99), target: '–' });
  };
  const pglite = await openDatabase({});
  try {
    await insertFleet(pglite.db, fleet);
    await pglite.db.execute(sql`analyze`);
    record('PGlite', await time(pglite, options.runs), 'reference');
  } finally {
    await pglite.close();
  }
  const pg = await withPostgresDatabase(async (url) => {
    const db = await openDatabase({ url });
    try {
      await insertFleet(db.db, fleet);
      await db.db.execute(sql`analyze`);
      return await time(db, options.runs);
    } finally {
      await db.close();
    }
  });
  if (pg) record('PostgreSQL', pg, '≤ 100 ms p50', 100);
  else figures.push({ name: 'Query (PostgreSQL)', value: NaN, unit: 'ms', target: '≤ 100 ms p50', note: 'PostgreSQL not reachable' });
  return figures;
}
