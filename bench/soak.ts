/**
 * @module The soak: one backend on its own PostgreSQL database (PGlite when no server answers) under a steady mixed
 * load for a set time (`--soak=60m`): 2,000 simulated agents connected, one launch a second to 100 of them (in turn),
 * a schedule firing every minute on 100 devices, and a detection rule that flaps (50 devices report a full disk, then a
 * healthy one, every 30 s, so the rule fires on each of them once a minute). Besides the launches, the API is read
 * four times a second (a launch's request). Every interval: backend RSS and open descriptors (/proc/<pid>/), API p50
 * and p99, database size. Reports flatness after the warm-up, p99 over time and database growth per hour, and writes
 * an SVG plot of RSS and p99 over time to bench/plots/ (the intervals as JSON to bench/results/).
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBackend, root } from './lib/backend';
import { Fleet } from './fleet/agents';
import { poster, seedFleetDevices } from './fleet/devices';
import { plotSvg } from './lib/plot';
import { cpuMs, openFds, rssBytes } from './lib/proc';
import type { Figure } from './lib/report';
import { median, percentile, percentilePerInterval, relativeSpread, thirdsDrift, type TimedSample } from './lib/stats';

export interface SoakOptions {
  durationMs: number;
  /** Label of the duration in file names, e.g. `60m`. */
  label: string;
  agents?: number;
  databaseUrl?: string;
}

export interface IntervalRow {
  minute: number;
  /** Highest and lowest RSS read in the interval (every 2 s): the garbage collector makes a sawtooth. */
  rssMiB: number;
  rssLowMiB: number;
  fds: number;
  p50: number;
  p99: number;
  calls: number;
  errors: number;
  dbMiB: number;
  cpuPct: number;
}

/** Parses `60m`, `90s`, `1h` into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text} (give e.g. 60m, 90s, 1h)`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}

const dirBytes = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? dirBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);

/** The soak's plot: RSS (interval peaks) and API p99 over time, the end of the warm-up marked. */
export function soakPlot(rows: readonly IntervalRow[], run: { intervalMs: number; warmupMs: number; label: string; agents: number; db: string }): string {
  const every = `${run.intervalMs / 1000} s`;
  return plotSvg(
    [
      { title: `backend RSS, peak per ${every}`, unit: 'MiB', points: rows.map((r) => ({ x: r.minute, y: r.rssMiB })), markerX: run.warmupMs / 60_000 },
      { title: `API p99 per ${every}`, unit: 'ms', points: rows.map((r) => ({ x: r.minute, y: r.p99 })), markerX: run.warmupMs / 60_000 },
    ],
    {
      title: `Soak, ${run.label} (${run.db}); dashed: end of the warm-up`,
      subtitle: `${run.agents.toLocaleString('en')} agents, a launch to 100 of them a second, a schedule a minute, a flapping detection rule, 4 API reads a second`,
    },
  );
}

export async function benchSoak(options: SoakOptions): Promise<Figure[]> {
  const agents = options.agents ?? 2000;
  const db = options.databaseUrl ? 'PostgreSQL' : 'PGlite';
  const intervalMs = Math.max(10_000, Math.round(options.durationMs / 60));
  const warmupMs = Math.max(2 * intervalMs, options.durationMs / 6);
  const backend = await startBackend(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {});
  const pid = backend.child.pid!;
  const { default: postgres } = await import('postgres');
  const sql = options.databaseUrl ? postgres(options.databaseUrl, { max: 1, onnotice: () => {} }) : null;
  const dbBytes = async () => (sql ? Number((await sql`select pg_database_size(current_database()) as n`)[0]!.n) : dirBytes(backend.dataDir));
  let fleet: Fleet | null = null;
  const timers: NodeJS.Timeout[] = [];
  try {
    // valid past the end of the run (a token that expired at the hour made the last minute's calls fail)
    const token = await backend.token(Math.ceil(options.durationMs / 1000) + 1800);
    const post = poster(backend, token);
    await post('/actions', {
      slug: 'soak-noop', name: 'Soak no-op', purpose: 'data_collection', scripts: { linux: { source: 'true\n' } },
      outputs: [{ name: 'ok', type: 'bool' }], triggers: ['manual', 'api', 'schedule', 'detection'],
    });
    const devices = await seedFleetDevices(backend, token, agents, options.databaseUrl);
    fleet = new Fleet({ channelUrl: `${backend.url.replace(/^http/, 'ws')}/api/v1/agent/channel`, ...devices, events: { refused: (id, reason) => process.stderr.write(`envelope ${id} refused: ${reason}\n`) } });
    await fleet.connect(devices.ids);
    const flapping = new Set(devices.ids.slice(-50));
    fleet.report(flapping, { type: 'facts', facts: { disk: { free_pct: 50 } } });
    await post('/schedules', { name: 'soak every minute', action: 'soak-noop', target: 'devices | sort name | limit 100', cron: '* * * * *', rollout: null });
    await post('/detections', {
      name: 'soak flapping disk', condition: 'disk.free_pct < 10', action: 'soak-noop',
      guards: { cooldownSec: 0, maxRunsPerDevicePerDay: 100, canaryPercent: 0, maxConcurrent: 1000 },
    });

    const calls: TimedSample[] = [];
    let errors = 0;
    let launches = 0;
    let lastRequest: string | null = null;
    const call = async (path: string, init?: RequestInit) => {
      const t0 = performance.now();
      try {
        const res = await fetch(`${backend.url}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
        const body = (await res.json()) as { requestId?: string };
        if (!res.ok) errors++;
        calls.push({ at: t0, value: performance.now() - t0 });
        return body;
      } catch {
        errors++;
        return {};
      }
    };
    const start = performance.now();
    let next = 0;
    timers.push(setInterval(() => {
      const ids = Array.from({ length: 100 }, (_, i) => devices.ids[(next + i) % (agents - flapping.size)]!);
      next = (next + 100) % (agents - flapping.size);
      launches++;
      void call('/executions', { method: 'POST', body: JSON.stringify({ action: 'soak-noop', devices: ids, parameters: {}, confirmDeviceCount: 100, rollout: null }) })
        .then((b) => { if (b.requestId) lastRequest = b.requestId; });
    }, 1000));
    timers.push(setInterval(() => { if (lastRequest) void call(`/requests/${lastRequest}`); }, 250));
    let low = false;
    timers.push(setInterval(() => {
      low = !low;
      fleet!.report(flapping, { type: 'facts', facts: { disk: { free_pct: low ? 5 : 50 } } });
    }, 30_000));

    const rows: IntervalRow[] = [];
    let rssReadings: number[] = [];
    timers.push(setInterval(() => rssReadings.push(rssBytes(pid) / 2 ** 20), 2000));
    let cpu0 = cpuMs(pid);
    process.stdout.write(`  soak ${options.label} on ${db}: ${agents} agents connected; a row every ${intervalMs / 1000} s, warm-up ${(warmupMs / 60_000).toFixed(1)} min\n`);
    while (performance.now() - start < options.durationMs) {
      const from = start + rows.length * intervalMs;
      await new Promise((r) => setTimeout(r, Math.max(0, from + intervalMs - performance.now())));
      const i = rows.length;
      const p99 = percentilePerInterval(calls, start, intervalMs, 99)[i];
      const p50 = percentilePerInterval(calls, start, intervalMs, 50)[i];
      const cpu = cpuMs(pid);
      const row: IntervalRow = {
        minute: (from + intervalMs - start) / 60_000, rssMiB: Math.max(...rssReadings), rssLowMiB: Math.min(...rssReadings), fds: openFds(pid), p50: p50?.value ?? NaN,
        p99: p99?.value ?? NaN, calls: p99?.count ?? 0, errors, dbMiB: (await dbBytes()) / 2 ** 20, cpuPct: ((cpu - cpu0) / intervalMs) * 100,
      };
      cpu0 = cpu;
      rssReadings = [rssBytes(pid) / 2 ** 20];
      rows.push(row);
      process.stdout.write(`  ${row.minute.toFixed(1)} min: RSS ${row.rssLowMiB.toFixed(0)}–${row.rssMiB.toFixed(0)} MiB, ${row.fds} fds, API p50 ${row.p50.toFixed(1)} / p99 ${row.p99.toFixed(1)} ms (${row.calls} calls, ${errors} errors so far), DB ${row.dbMiB.toFixed(1)} MiB, backend CPU ${row.cpuPct.toFixed(0)} %\n`);
    }
    for (const t of timers) clearInterval(t);

    const runs = sql ? await sql<{ trigger: string; status: string; n: string }[]>`select trigger, status, count(*) as n from executions group by 1, 2 order by 1, 2` : [];
    const settled = rows.filter((r) => r.minute * 60_000 > warmupMs);
    const first = settled[0] ?? rows[0]!;
    const last = rows.at(-1)!;
    const hours = ((last.minute - first.minute) * 60_000) / 3_600_000;
    const growthPerHour = hours > 0 ? (last.dbMiB - first.dbMiB) / hours : NaN;
    const rssDrift = thirdsDrift(settled.map((r) => r.rssMiB));
    const fdDrift = thirdsDrift(settled.map((r) => r.fds));
    const p99s = settled.map((r) => r.p99).filter(Number.isFinite);
    for (const dir of ['plots', 'results']) mkdirSync(join(root, 'bench', dir), { recursive: true });
    const plotFile = join(root, 'bench', 'plots', `soak-${options.label}.svg`);
    writeFileSync(plotFile, soakPlot(rows, { intervalMs, warmupMs, label: options.label, agents, db }));
    writeFileSync(join(root, 'bench', 'results', `soak-${options.label}.json`), JSON.stringify({ intervalMs, warmupMs, launches, rows, runs }, null, 2));
    const trace = (pick: (r: IntervalRow) => number) => rows.filter((_, i) => i % Math.max(1, Math.round(rows.length / 12)) === 0 || i === rows.length - 1).map((r) => `${r.minute.toFixed(intervalMs < 60_000 ? 1 : 0)}′ ${pick(r).toFixed(1)}`).join(', ');
    return [
      {
        name: `Soak ${options.label}: backend RSS drift after warm-up (${db})`, value: rssDrift * 100, unit: '%', target: '≤ 10 %', ok: Math.abs(rssDrift) <= 0.1,
        note: `median of the last third of the interval peaks over the first third; peaks ${first.rssMiB.toFixed(1)} → ${last.rssMiB.toFixed(1)} MiB, spread ${(relativeSpread(settled.map((r) => r.rssMiB)) * 100).toFixed(0)} % (${trace((r) => r.rssMiB)}); plot ${plotFile}`,
      },
      {
        name: `Soak ${options.label}: open fds drift after warm-up`, value: fdDrift * 100, unit: '%', target: '≤ 10 %', ok: Math.abs(fdDrift) <= 0.1,
        note: `fds ${first.fds} → ${last.fds}, spread ${(relativeSpread(settled.map((r) => r.fds)) * 100).toFixed(1)} % (${trace((r) => r.fds)})`,
      },
      {
        name: `Soak ${options.label}: API p99, median over intervals`, value: median(p99s), unit: 'ms', target: 'reference',
        note: `p99 per ${intervalMs / 1000} s: min ${Math.min(...p99s).toFixed(1)}, max ${Math.max(...p99s).toFixed(1)}, last/first ${(last.p99 / first.p99).toFixed(2)}× (${trace((r) => r.p99)}); p99 of all ${calls.length} calls ${percentile(calls.map((c) => c.value), 99).toFixed(1)} ms; ${errors} failed calls`,
      },
      {
        name: `Soak ${options.label}: database growth`, value: growthPerHour, unit: 'MiB/h', target: 'reference',
        note: `${first.dbMiB.toFixed(1)} → ${last.dbMiB.toFixed(1)} MiB; ${launches} launches; executions by trigger/status: ${runs.map((r) => `${r.trigger}/${r.status} ${r.n}`).join(', ')}`,
      },
      { name: `Soak ${options.label}: backend CPU, median over intervals`, value: median(settled.map((r) => r.cpuPct)), unit: '% of a core', target: 'reference' },
    ];
  } finally {
    for (const t of timers) clearInterval(t);
    await fleet?.stop();
    await sql?.end();
    await backend.stop();
  }
}
