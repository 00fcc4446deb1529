/**
 * @module `npm run bench [-- --quick] [-- --only api,query]`: runs every benchmark against a backend it starts itself,
 * prints a table of value, bare baseline, ratio and DESIGN.md target, and writes JSON to bench/results/.
 * `-- --soak=60m` runs only the soak, for that long; `-- --instances=3` only the multi-instance fan-out (both: both).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchApi } from './api';
import { benchAgent } from './agent';
import { benchAgentRuns } from './agent-runs';
import { benchExtension } from './extension';
import { benchFleet } from './fleet';
import { benchInstances } from './instances';
import { buildBackend, root } from './lib/backend';
import { withPostgresDatabase } from './lib/postgres';
import { printTable, type Figure } from './lib/report';
import { benchQuery } from './query';
import { benchRetention } from './retention';
import { benchRollout } from './rollout';
import { benchSoak, parseDuration } from './soak';
import { benchTray } from './tray';

const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const soakArg = process.argv.find((a) => a.startsWith('--soak='))?.slice('--soak='.length);
const instancesArg = Number(process.argv.find((a) => a.startsWith('--instances='))?.slice('--instances='.length)) || undefined;
/** `--agents=N`: agents per instance for `--instances` (default 5,000). */
const agentsArg = Number(process.argv.find((a) => a.startsWith('--agents='))?.slice('--agents='.length)) || undefined;
const long = [soakArg && 'soak', instancesArg && 'instances'].filter((s): s is string => !!s);
const only = onlyArg ? new Set(onlyArg.split(',')) : long.length ? new Set(long) : null;
/** `--fanout=N`: the fleet suite connects N agents and runs only the fan-out to them (to compare changes to it). */
const fanoutArg = Number(process.argv.find((a) => a.startsWith('--fanout='))?.slice('--fanout='.length)) || undefined;
/** `--runs=N`: how many consecutive runs `agent-runs` makes (default 10,000; quick 1,000). */
const runsArg = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length)) || undefined;

const suites: Record<string, () => Promise<Figure[]>> = {
  api: () => withPostgresDatabase((url) => benchApi({ seconds: quick ? 2 : 10, databaseUrl: url })).then((f) => f ?? benchApi({ seconds: quick ? 2 : 10 })),
  fleet: async () => {
    const fleet = fanoutArg
      ? { steps: [fanoutArg], dispatchAt: [], dispatchRuns: 0, fanoutAt: fanoutArg }
      : quick
        ? { steps: [1000, 2000], dispatchAt: [1000], dispatchRuns: 60, fanoutAt: 2000 }
        : { steps: [1000, 5000, 10_000, 19_000], dispatchAt: [1000, 10_000], dispatchRuns: 300, fanoutAt: 10_000 };
    return (await withPostgresDatabase((url) => benchFleet({ ...fleet, databaseUrl: url }))) ?? benchFleet(fleet);
  },
  rollout: async () => {
    const rollout = { devices: 1000, runs: quick ? 5 : 20 };
    return (await withPostgresDatabase((url) => benchRollout({ ...rollout, databaseUrl: url }))) ?? benchRollout(rollout);
  },
  query: () => benchQuery({ devices: quick ? 20_000 : 100_000, runs: quick ? 15 : 50 }),
  retention: () => benchRetention({ rows: quick ? 20_000 : 100_000 }),
  agent: () => benchAgent({ idleSeconds: quick ? 10 : 60, runs: quick ? 30 : 300 }),
  'agent-runs': () => benchAgentRuns({ runs: runsArg ?? (quick ? 1000 : 10_000), every: quick ? 100 : 500, settledAt: 500 }),
  extension: () => benchExtension({ renders: quick ? 20 : 100 }),
  tray: () => benchTray({ runs: quick ? 5 : 20 }),
};
// Not part of a plain `npm run bench`: they run for as long as asked, or need more than one backend.
const longSuites: Record<string, () => Promise<Figure[]>> = {
  soak: async () => {
    const soak = { durationMs: parseDuration(soakArg ?? '5m'), label: soakArg ?? '5m' };
    return (await withPostgresDatabase((url) => benchSoak({ ...soak, databaseUrl: url }))) ?? benchSoak(soak);
  },
  instances: async () => {
    const instances = { instances: instancesArg ?? 3, perInstance: agentsArg ?? 5000 };
    const figures = await withPostgresDatabase((url) => benchInstances({ ...instances, databaseUrl: url }));
    if (!figures) throw new Error('several instances need PostgreSQL (FIXPOINT_TEST_PG_URL, default 127.0.0.1:5432)');
    return figures;
  },
};

const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 1024 ** 3), node: process.version };
process.stdout.write(`Fixpoint benchmarks (${quick ? 'quick' : 'full'}) on ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}\n`);
buildBackend();
const figures: Figure[] = [];
for (const [name, run] of Object.entries({ ...suites, ...longSuites })) {
  if (only ? !only.has(name) : name in longSuites) continue;
  process.stdout.write(`… ${name}\n`);
  try {
    figures.push(...(await run()));
  } catch (e) {
    figures.push({ name, value: NaN, unit: '', target: '–', ok: false, note: `failed: ${(e as Error).message}` });
  }
}
const table = printTable(figures);
process.stdout.write(`\n${table}\n`);
for (const f of figures.filter((f) => f.note)) process.stdout.write(`note: ${f.name}: ${f.note}\n`);
const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), quick, machine, figures }, null, 2));
process.stdout.write(`\nwrote ${file}\n`);
