import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { devices as devicesTable } from '../../db/schema';
import { AppError } from '../../errors';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { buildFleet, insertFleet, type Fleet, type FleetDevice } from '../../testing/query-fleet';
import { QuerySyntaxError } from './errors';
import { runQuery } from './run';

const now = new Date('2025-03-01T12:00:00.000Z');
const hour = 3_600_000;

/** A fact as the compiler reads it: the nested path first, then the flat dotted key. */
function fact(d: FleetDevice, path: string): unknown {
  let v: unknown = d.facts;
  for (const segment of path.split('.')) {
    v = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[segment] : undefined;
  }
  return v === undefined ? d.facts[path] : v;
}
const num = (v: unknown): number | null =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?[0-9]{1,30}(\.[0-9]{1,30})?([eE][-+]?[0-9]{1,3})?\s*$/.test(v) ? Number(v) : null;
const iso = (d: Date | null) => d?.toISOString() ?? null;
const countBy = <T>(items: T[], key: (t: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
};
const byIdThen = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);

describe.each(['pglite', 'postgres'] as const)('runQuery on a seeded fleet (%s)', (database) => {
  let backend: TestBackend;
  let fleet: Fleet;
  const run = (query: string, extra: { limit?: number; timeoutMs?: number; scopeCondition?: ReturnType<typeof sql> } = {}) =>
    runQuery(backend.ctx, { query, ...extra });

  beforeAll(async () => {
    backend = await createTestBackend({ database, now: () => now });
    fleet = buildFleet({ devices: 10_000, executions: 20_000, now });
    await insertFleet(backend.ctx.db, fleet);
  }, 120_000);
  afterAll(() => backend?.close());

  it('answers the device example', async () => {
    const result = await run('devices | where os.platform == "linux" and disk.free_pct < 10 | list name, os.version, last_seen | sort last_seen desc | limit 50');
    const expected = fleet.devices
      .filter((d) => d.platform === 'linux' && (num(fact(d, 'disk.free_pct')) ?? Infinity) < 10)
      .sort((a, b) => (b.lastSeen?.getTime() ?? -Infinity) - (a.lastSeen?.getTime() ?? -Infinity) || byIdThen(a, b))
      .slice(0, 50)
      .map((d) => [d.name, d.osVersion, iso(d.lastSeen)]);
    expect(expected.length).toBe(50);
    expect(result.columns.map((c) => c.name)).toEqual(['name', 'os.version', 'last_seen']);
    expect(result.rows).toEqual(expected);
    expect(result.truncated).toBe(false);
    expect(result.elapsedMs).toBeGreaterThan(0);
  });

  it('answers the executions example', async () => {
    const result = await run('executions during past 24h | where action == "clear-temp" and status == "failed" | summarize count() by device.os.platform');
    const platformOf = new Map(fleet.devices.map((d) => [d.id, d.platform]));
    const matching = fleet.executions.filter((e) => e.createdAt.getTime() >= now.getTime() - 24 * hour && e.action === 'clear-temp' && e.status === 'failed');
    expect(result.rows).toEqual(countBy(matching, (e) => platformOf.get(e.deviceId)!));
  });

  it('answers the action-output example', async () => {
    const result = await run('devices | where remote_action.disk_usage.free_bytes < 10GB | summarize count() by platform');
    const matching = fleet.devices.filter((d) => (num(d.outputs['disk-usage.free_bytes']) ?? Infinity) < 10 * 1024 ** 3);
    expect(result.rows).toEqual(countBy(matching, (d) => d.platform));
    expect(result.columns).toEqual([
      { name: 'platform', type: 'string' },
      { name: 'count', type: 'number' },
    ]);
  });

  it('matches lists, text, nulls, durations and booleans like the JavaScript model', async () => {
    const cases: [string, (d: FleetDevice) => boolean][] = [
      ['tags contains "lab" and not tags contains "vip"', (d) => d.tags.includes('lab') && !d.tags.includes('vip')],
      ['tags in ("vip", "site:lyon")', (d) => d.tags.includes('vip') || d.tags.includes('site:lyon')],
      ['hostname contains "HOST-1" and cpu.cores >= 8', (d) => String(fact(d, 'hostname')).toLowerCase().includes('host-1') && (num(fact(d, 'cpu.cores')) ?? -1) >= 8],
      ['os.name startswith "ubuntu" or platform in ("macos")', (d) => String(fact(d, 'os.name')).toLowerCase().startsWith('ubuntu') || d.platform === 'macos'],
      ['disk.free_pct == null', (d) => fact(d, 'disk.free_pct') === undefined],
      ['disk.free_pct == "n/a"', (d) => fact(d, 'disk.free_pct') === 'n/a'],
      ['facts.disk.free_pct == true', (d) => fact(d, 'disk.free_pct') === true],
      ['disk.free_pct > 50', (d) => (num(fact(d, 'disk.free_pct')) ?? -Infinity) > 50],
      ['disk.free_pct in (10, 20, 30)', (d) => [10, 20, 30].includes(num(fact(d, 'disk.free_pct')) ?? NaN)],
      ['memory.free >= 8GB and not (platform == "windows")', (d) => (num(fact(d, 'memory.free')) ?? -1) >= 8 * 1024 ** 3 && d.platform !== 'windows'],
      ['last_seen < 7d', (d) => d.lastSeen !== null && d.lastSeen.getTime() < now.getTime() - 7 * 24 * hour],
      ['last_seen == null', (d) => d.lastSeen === null],
      ['enrolled_at >= "2024-06-01"', (d) => d.enrolledAt.getTime() >= Date.parse('2024-06-01T00:00:00Z')],
      ['online == true and agent_version != "0.1.0"', (d) => d.online && d.agentVersion !== '0.1.0'],
      ['remote_action.inventory.apps contains "zoom"', (d) => ((d.outputs['inventory.apps'] as string[] | undefined) ?? []).includes('zoom')],
      ['remote_action.disk-usage.free_bytes == "unknown"', (d) => d.outputs['disk-usage.free_bytes'] === 'unknown'],
      ['name startswith "PC-00012" or name == "pc-000999"', (d) => d.name.startsWith('pc-00012') || d.name === 'pc-000999'],
    ];
    for (const [condition, predicate] of cases) {
      const result = await run(`devices | where ${condition} | summarize count()`);
      expect([condition, result.rows]).toEqual([condition, [[fleet.devices.filter(predicate).length]]]);
    }
  });

  it('aggregates numbers, including numeric strings in facts', async () => {
    const result = await run('devices | summarize n = count(), avg(disk.free_pct), min(disk.free_pct), max(memory.free), sum(cpu.cores), last = max(last_seen) by platform');
    expect(result.columns.map((c) => c.name)).toEqual(['platform', 'n', 'avg_disk.free_pct', 'min_disk.free_pct', 'max_memory.free', 'sum_cpu.cores', 'last']);
    for (const [platform, n, avg, min, max, sum, last] of result.rows as [string, number, number, number, number, number, string][]) {
      const group = fleet.devices.filter((d) => d.platform === platform);
      const free = group.map((d) => num(fact(d, 'disk.free_pct'))).filter((v): v is number => v !== null);
      expect(n).toBe(group.length);
      expect(avg).toBeCloseTo(free.reduce((a, b) => a + b, 0) / free.length, 6);
      expect(min).toBe(Math.min(...free));
      expect(max).toBe(Math.max(...group.map((d) => num(fact(d, 'memory.free'))!)));
      expect(sum).toBe(group.reduce((a, d) => a + num(fact(d, 'cpu.cores'))!, 0));
      expect(last).toBe(new Date(Math.max(...group.map((d) => d.lastSeen?.getTime() ?? 0))).toISOString());
    }
  });

  it('pipes summarized rows into where, sort and limit', async () => {
    const result = await run(
      'executions | where duration > 5m and device.tags contains "lab" | summarize n = count(), failed = countif(exit_code > 1) by action, status | where n > 1 | sort n desc, action, status | limit 5',
    );
    const lab = new Set(fleet.devices.filter((d) => d.tags.includes('lab')).map((d) => d.id));
    const groups = new Map<string, { action: string; status: string; n: number; failed: number }>();
    for (const e of fleet.executions) {
      if (!lab.has(e.deviceId) || !e.startedAt || !e.finishedAt || e.finishedAt.getTime() - e.startedAt.getTime() <= 300_000) continue;
      const g = groups.get(`${e.action}/${e.status}`) ?? { action: e.action, status: e.status, n: 0, failed: 0 };
      g.n++;
      if ((e.exitCode ?? 0) > 1) g.failed++;
      groups.set(`${e.action}/${e.status}`, g);
    }
    const expected = [...groups.values()]
      .filter((g) => g.n > 1)
      .sort((a, b) => b.n - a.n || (a.action < b.action ? -1 : a.action > b.action ? 1 : a.status < b.status ? -1 : 1))
      .slice(0, 5)
      .map((g) => [g.action, g.status, g.n, g.failed]);
    expect(result.rows).toEqual(expected);
  });

  it('applies the row cap, reports truncation, and keeps stage order after a limit', async () => {
    const all = await run('devices');
    const names = fleet.devices.map((d) => d.name).sort();
    expect(all.rows.length).toBe(1000);
    expect(all.truncated).toBe(true);
    expect(all.rows[0]).toEqual([names[0], expect.any(String), expect.any(String), expect.any(Boolean), expect.toSatisfy((v) => v === null || typeof v === 'string')]);

    const capped = await run('devices | where platform == "linux" | limit 50', { limit: 10 });
    expect([capped.rows.length, capped.truncated]).toEqual([10, true]);
    const exact = await run('devices | limit 50');
    expect([exact.rows.length, exact.truncated]).toEqual([50, false]);

    const top = await run('devices | sort name desc | limit 10 | sort name | list name');
    expect(top.rows).toEqual(names.slice(-10).map((n) => [n]));
    const afterLimit = await run('devices | limit 100 | where platform == "macos" | summarize count()');
    expect(afterLimit.rows).toEqual([[fleet.devices.map((d) => d).sort((a, b) => (a.name < b.name ? -1 : 1)).slice(0, 100).filter((d) => d.platform === 'macos').length]]);
  });

  it('returns every column type as plain JSON values, the same from both drivers', async () => {
    const d = fleet.devices[1]!;
    const result = await run(`devices | where id == "${d.id}" | list id, name, tags, online, last_seen, disk.free_pct, remote_action.inventory.apps, cpu.cores`);
    expect(result.columns.map((c) => c.type)).toEqual(['string', 'string', 'string-list', 'boolean', 'datetime', 'json', 'json', 'json']);
    expect(result.rows).toEqual([[d.id, d.name, d.tags, d.online, iso(d.lastSeen), fact(d, 'disk.free_pct') ?? null, d.outputs['inventory.apps'] ?? null, fact(d, 'cpu.cores')]]);

    const e = fleet.executions[0]!;
    const execution = await run(`executions | where id == "${e.id}"`);
    expect(execution.columns.map((c) => c.name)).toEqual(['created_at', 'device.name', 'action', 'status', 'exit_code']);
    expect(execution.rows).toEqual([[iso(e.createdAt), fleet.devices.find((x) => x.id === e.deviceId)!.name, e.action, e.status, e.exitCode]]);
  });

  it('ANDs the device scope into devices and executions', async () => {
    const scopeCondition = sql`${devicesTable.tags} && array['site:paris']::text[]`;
    const inScope = new Set(fleet.devices.filter((d) => d.tags.includes('site:paris')).map((d) => d.id));
    expect((await run('devices | summarize count()', { scopeCondition })).rows).toEqual([[inScope.size]]);
    expect((await run('devices | where name == "pc-000000" or tags contains "vip" | summarize count()', { scopeCondition })).rows).toEqual([
      [fleet.devices.filter((d) => inScope.has(d.id) && (d.name === 'pc-000000' || d.tags.includes('vip'))).length],
    ]);
    expect((await run('executions | summarize count()', { scopeCondition })).rows).toEqual([[fleet.executions.filter((e) => inScope.has(e.deviceId)).length]]);
  });

  it('stops a query that runs past its timeout', async () => {
    const error = await run('executions | summarize count() by device.hostname, device.disk.free_pct | sort count desc', { timeoutMs: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, code: 'limit_exceeded', message: 'query took longer than 1 ms' });
    // the connection is usable afterwards
    expect((await run('devices | summarize count()')).rows).toEqual([[10_000]]);
  });

  it('rejects bad queries with positioned errors before touching the database', async () => {
    const error = await run('devices | where os.platform linux').catch((e) => e);
    expect(error).toBeInstanceOf(QuerySyntaxError);
    expect(error).toMatchObject({ status: 400, code: 'bad_request', details: { line: 1, column: 29, expected: expect.arrayContaining(['==']) } });
  });
});
