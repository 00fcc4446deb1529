/**
 * Hostile and random input: token soup, grammar-shaped queries with random types, mutated queries, and edge cases.
 * Every query must either answer or fail with a positioned QueryError; no database error may reach the caller,
 * and the tables must be intact afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { QueryError, QueryResult, queryLimits } from '@fixpoint/protocol';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { buildFleet, insertFleet, prng } from '../../testing/query-fleet';
import { QuerySyntaxError } from './errors';
import { runQuery } from './run';

const now = new Date('2025-03-01T12:00:00.000Z');
// FIXPOINT_FUZZ_ROUNDS=20 FIXPOINT_FUZZ_SEED=9 runs a longer campaign with other queries
const scale = Number(process.env.FIXPOINT_FUZZ_ROUNDS ?? 1);
const seed = Number(process.env.FIXPOINT_FUZZ_SEED ?? 1);

const hostileStrings = [
  '"; drop table devices; --',
  "'; delete from executions where '1'='1",
  '$1) or (1=1',
  '\\" or \\"\\"=\\"',
  'Robert\'); DROP TABLE devices;--',
  '%_\\%',
  '😀 ünïcødé 漢字 עברית',
  '\u202e\u0301\u200b',
  '{"a": [1, 2]}',
  'x'.repeat(2000),
];
const tables = ['devices', 'executions', 'responses', 'DEVICES', 'pg_catalog.pg_tables', 'devices;'];
const fields = [
  'name', 'platform', 'os.platform', 'os.version', 'agent_version', 'tags', 'online', 'last_seen', 'enrolled_at', 'id',
  'disk.free_pct', 'memory.free', 'cpu.cores', 'hostname', 'facts.os.name', 'facts.a-b.c_d', 'remote_action.disk_usage.free_bytes',
  'remote_action.inventory.apps', 'remote_action.bad', 'action', 'status', 'trigger', 'created_at', 'duration', 'exit_code',
  'device.platform', 'device.tags', 'device.disk.free_pct', 'device.last_seen', 'outputs.x', 'stdout', 'count', 'n', 'countif', 'pg_sleep',
];
const words = ['where', 'list', 'sort', 'limit', 'summarize', 'by', 'and', 'or', 'not', 'in', 'contains', 'startswith', 'during', 'past', 'asc', 'desc', 'ago', 'true', 'false', 'null', 'count()', 'sum(', 'countif(', '=', '==', '!=', '<', '<=', '>', '>=', '|', '(', ')', ',', '7d', '10GB', '-3', '1.5', '0', '99999999999999999', '"linux"', "'x'", '\\', '"unterminated', '#', '//', '\n', '\u0000', '🙂'];

/** Generates grammar-shaped queries whose types, fields and tables are random. */
function generator(seed: number) {
  const rnd = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const literal = (): string =>
    pick([
      () => JSON.stringify(pick(hostileStrings)),
      () => JSON.stringify(pick(['linux', 'windows', 'failed', 'lab', 'site:paris', 'pc-0', '2024-05-01', '2024-13-45', ''])),
      () => String(Math.round((rnd() - 0.3) * 10 ** Math.floor(rnd() * 12))),
      () => `${Math.floor(rnd() * 100)}${pick(['KB', 'MB', 'GB', 'TB', 'b'])}`,
      () => `${Math.floor(rnd() * 1000)}${pick(['s', 'm', 'h', 'd', 'w'])}${rnd() < 0.3 ? ' ago' : ''}`,
      () => pick(['true', 'false', 'null']),
    ])();
  // half of the comparisons are well-typed, so that many queries reach the database
  const typed = (): string =>
    pick([
      () => `${pick(['name', 'os.version', 'hostname', 'action', 'stdout'])} ${pick(['==', '!=', '<', 'contains', 'startswith'])} ${JSON.stringify(pick(hostileStrings))}`,
      () => `${pick(['disk.free_pct', 'memory.free', 'cpu.cores', 'exit_code', 'duration', 'remote_action.disk_usage.free_bytes'])} ${pick(['<', '>=', '==', '!='])} ${literal()}`,
      () => `${pick(['last_seen', 'enrolled_at', 'created_at', 'device.last_seen'])} ${pick(['<', '>'])} ${Math.floor(rnd() * 30)}d`,
      () => `${pick(['tags', 'device.tags'])} ${pick(['contains', 'not contains'])} ${JSON.stringify(pick(['lab', 'vip', hostileStrings[0]!]))}`,
      () => `${pick(['online', 'disk.free_pct'])} ${pick(['==', '!='])} ${pick(['true', 'false', 'null'])}`,
      () => `${pick(['platform', 'device.platform'])} in ("linux", "macos")`,
    ])();
  const expr = (depth: number): string => {
    const r = rnd();
    if (depth > 4 || r < 0.4) {
      if (rnd() < 0.5) return typed();
      const op = pick(['==', '!=', '<', '<=', '>', '>=', 'contains', 'startswith', 'not contains', 'in', 'not in']);
      const value = op.endsWith('in') ? `(${Array.from({ length: 1 + Math.floor(rnd() * 3) }, literal).join(', ')})` : literal();
      return `${pick(fields)} ${op} ${value}`;
    }
    if (r < 0.55) return `not ${expr(depth + 1)}`;
    if (r < 0.7) return `(${expr(depth + 1)})`;
    return `${expr(depth + 1)} ${pick(['and', 'or'])} ${expr(depth + 1)}`;
  };
  const fieldList = () => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(fields)).join(', ');
  const aggregate = () => {
    const alias = rnd() < 0.3 ? `${pick(['n', 'total', 'count', 'x'])} = ` : '';
    return alias + pick([() => 'count()', () => `countif(${expr(3)})`, () => `${pick(['sum', 'avg', 'min', 'max'])}(${pick(fields)})`])();
  };
  const stage = (): string =>
    pick([
      () => `where ${expr(0)}`,
      () => `list ${fieldList()}`,
      () => `sort ${pick(fields)} ${pick(['asc', 'desc', ''])}${rnd() < 0.3 ? `, ${pick(fields)} desc` : ''}`,
      () => `limit ${1 + Math.floor(rnd() * 200)}`,
      () => `summarize ${aggregate()}${rnd() < 0.5 ? `, ${aggregate()}` : ''}${rnd() < 0.7 ? ` by ${fieldList()}` : ''}`,
    ])();
  return {
    rnd,
    pick,
    query(): string {
      const table = rnd() < 0.9 ? pick(['devices', 'executions']) : pick(tables);
      const during = rnd() < 0.2 ? ` during past ${1 + Math.floor(rnd() * 100)}${pick(['h', 'd'])}` : '';
      return `${table}${during}${Array.from({ length: Math.floor(rnd() * 5) }, () => ` | ${stage()}`).join('')}`;
    },
    soup(): string {
      return Array.from({ length: 1 + Math.floor(rnd() * 25) }, () => (rnd() < 0.3 ? pick(fields) : rnd() < 0.1 ? pick(hostileStrings) : pick(words))).join(rnd() < 0.8 ? ' ' : '');
    },
    mutate(text: string): string {
      const chars = [...text];
      for (let i = 0, n = 1 + Math.floor(rnd() * 4); i < n; i++) {
        const at = Math.floor(rnd() * (chars.length + 1));
        const r = rnd();
        if (r < 0.33) chars.splice(at, 1);
        else if (r < 0.66) chars.splice(at, 0, pick(['"', "'", '|', '(', ')', '=', '!', '<', ',', '.', '\\', ' ', 'x', '9', 'é', '😀', '\n']));
        else chars.splice(at, 1, pick(['"', ')', '|', '-', '.']));
      }
      return chars.join('');
    },
  };
}

/** Queries at (and just past) each limit: the ones at the limit must answer, the others fail with a position. */
function limitCases() {
  const pad = (q: string) => q + ' '.repeat(Math.max(0, queryLimits.maxQueryBytes - q.length));
  const depth = queryLimits.maxDepth;
  return {
    accepted: {
      padded: pad('devices | list name'),
      deepest: `devices | where ${'('.repeat(depth)}name == "x"${')'.repeat(depth)}`,
      orChain: `devices | where ${Array.from({ length: 380 }, (_, i) => `name == "pc-${i}"`).join(' or ')}`,
      inList: `devices | where cpu.cores in (${Array.from({ length: 2000 }, (_, i) => i).join(',')}) | summarize count()`,
      manyParameters: pad(`devices | where a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p > 1${' or a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p > 1'.repeat(250)}`),
      widest: `devices | summarize ${Array.from({ length: 99 }, (_, i) => `c${i} = countif(cpu.cores > ${i})`).join(', ')} by platform`,
    },
    rejected: {
      paddedOver: `${pad('devices | list name')}x`,
      tooDeep: `devices | where ${'('.repeat(depth + 1)}name == "x"${')'.repeat(depth + 1)}`,
      notChain: `devices | where ${'not '.repeat(2000)}name == "x"`,
      openParens: `devices | where ${'('.repeat(5000)}`,
      tooWide: `devices | list ${Array.from({ length: 3000 }, () => 'a').join(',')}`,
      tooManyAggregates: `devices | summarize ${Array.from({ length: 300 }, (_, i) => `c${i} = count()`).join(', ')}`,
      tooManySortKeys: `devices | sort ${Array.from({ length: 2000 }, () => 'a').join(',')}`,
      pathTooDeep: `devices | where facts.${'a.'.repeat(200)}b == 1`,
    },
  };
}

/** Hostile and odd inputs beyond the limits. */
function edgeCases(): string[] {
  const { accepted, rejected } = limitCases();
  return [
    ...Object.values(accepted),
    ...Object.values(rejected),
    `devices | where name == "${hostileStrings[0]}"`,
    `devices | where ${hostileStrings[0]} == 1`,
    `devices | where name == "${'é'.repeat(5000)}"`,
    `devices | where name == "${'\\u0000'}"`,
    `devices | list ${Array.from({ length: 100 }, () => 'disk.free_pct').join(',')}`,
    `devices | summarize count() by ${Array.from({ length: 100 }, () => 'a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p').join(',')}`,
    `devices | where ${'a.'.repeat(16)}b == 1`,
    `devices${' | sort name | limit 500'.repeat(15)}`,
    `devices | where last_seen < ${Number.MAX_SAFE_INTEGER}s`,
    `devices | where memory.free > 1e400`,
    `devices | where cpu.cores > ${'9'.repeat(20)}`,
    `executions | summarize count() by device.facts.${'x'.repeat(3000)}`,
    '\u0000',
    '',
    '   ',
    '\ufeffdevices',
    'devices | where name == "\ud83d"',
  ];
}

function check(query: string, outcome: unknown): 'ok' | 'rejected' {
  if (!(outcome instanceof Error)) {
    expect(QueryResult.safeParse(outcome).success, query).toBe(true);
    return 'ok';
  }
  if (!(outcome instanceof QuerySyntaxError)) throw new Error(`unexpected error for ${JSON.stringify(query.slice(0, 300))}: ${outcome.stack}`);
  const error = QueryError.parse(outcome.queryError);
  expect(error.offset, query).toBeLessThanOrEqual(query.length);
  expect(error.message.startsWith(`line ${error.line}, column ${error.column}: `), error.message).toBe(true);
  expect(outcome.details).toEqual(error);
  return 'rejected';
}

describe.each([
  ['pglite', 400],
  ['postgres', 120],
] as const)('query fuzzing (%s)', (database, rounds) => {
  let backend: TestBackend;
  const counts = async () => {
    const result = await backend.ctx.db.execute(sql`select (select count(*) from devices)::int as d, (select count(*) from executions)::int as e`);
    const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
    return rows[0];
  };

  beforeAll(async () => {
    backend = await createTestBackend({ database, now: () => now });
    await insertFleet(backend.ctx.db, buildFleet({ devices: 300, executions: 600, now, seed: 7 }));
  }, 60_000);
  afterAll(() => backend?.close());

  it('answers or rejects with a position, never anything else', async () => {
    const before = await counts();
    const gen = generator(seed * 2 + (database === 'pglite' ? 0 : 1));
    const queries = [...edgeCases()];
    for (let i = 0; i < rounds * scale; i++) queries.push(gen.query(), gen.soup(), gen.mutate(gen.query()));
    const tally = { ok: 0, rejected: 0 };
    for (const query of queries) {
      const outcome = await runQuery(backend.ctx, { query, limit: 50 }).catch((e: unknown) => e);
      tally[check(query, outcome)]++;
    }
    // the generator must reach the database often enough to mean something
    console.info(`${database}: ${tally.ok} answered, ${tally.rejected} rejected`);
    expect(tally.ok).toBeGreaterThan(rounds / 4);
    expect(tally.rejected).toBeGreaterThan(rounds);
    expect(await counts()).toEqual(before);
    expect(before).toEqual({ d: 300, e: 600 });
  }, 240_000);

  it('answers queries at each limit and rejects those past it with a position', async () => {
    const { accepted, rejected } = limitCases();
    for (const [name, query] of Object.entries(accepted)) {
      expect([name, check(query, await runQuery(backend.ctx, { query }).catch((e: unknown) => e))]).toEqual([name, 'ok']);
    }
    for (const [name, query] of Object.entries(rejected)) {
      expect([name, check(query, await runQuery(backend.ctx, { query }).catch((e: unknown) => e))]).toEqual([name, 'rejected']);
    }
  });
});
