/**
 * @module Consecutive runs on one agent: the Linux x64 single-file agent (as its service starts it), enrolled against
 * the agent tests' stand-in server (`FakeServer`, real protocol, real Ed25519 signatures), runs `true` once after
 * another: each envelope is sent when the previous result arrived. Reads the agent's RSS (/proc VmRSS) and open file
 * descriptors (/proc/<pid>/fd) every `every` runs, and times each run from the envelope sent to its result received.
 * Target: RSS grows ≤ 5 MB from run 500 to the last, and the descriptors end where they were after run 500.
 * `FIXPOINT_BENCH_HEAP_SNAPSHOTS=500,2500` also writes a heap snapshot of the agent after those runs (node's
 * `--heapsnapshot-signal`, through NODE_OPTIONS, which the binary's blob lets extend its flags) into a directory it
 * prints and leaves, to compare by constructor and retainers (Chrome's DevTools, Memory, Comparison). Scripts inherit that
 * NODE_OPTIONS; `true` starts no node. Writing a snapshot raises RSS by tens of MiB: readings after one say little.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentMessage } from '@fixpoint/protocol';
import { FakeServer } from '../agent/src/testing/fake-server';
import { openFds, rssBytes } from './lib/proc';
import type { Figure } from './lib/report';
import { median } from './lib/stats';

/** Signals the agent to write a heap snapshot and waits until the new file stops growing. */
async function heapSnapshot(pid: number, dir: string, run: number): Promise<void> {
  const files = () => readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot')).sort();
  const before = files().length;
  process.kill(pid, 'SIGUSR2');
  let size = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const file = files()[before];
    if (!file) continue;
    const now = statSync(join(dir, file)).size;
    if (now === size && now > 0) break;
    size = now;
  }
  process.stdout.write(`  run ${run}: heap snapshot ${join(dir, files()[before]!)}\n`);
}

/** Runs the agent once, to completion, with `args` (enroll). */
function runOnce(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(binary, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args[0]} exited with ${code}`)))));
}

export interface AgentRunsOptions {
  runs: number;
  /** Read RSS and descriptors every this many runs. */
  every: number;
  /** The run after which growth is counted (V8 and the allocator settle before it). */
  settledAt: number;
}

export async function benchAgentRuns(options: AgentRunsOptions): Promise<Figure[]> {
  const { buildSea } = await import('../agent/sea/build-sea.mjs');
  const outDir = mkdtempSync(join(tmpdir(), 'fixpoint-bench-runs-'));
  const { built } = await buildSea({ targets: ['linux-x64'], outDir, log: () => {} });
  const binary = built[0]!.file;
  const server = new FakeServer();
  await server.start();
  const stateDir = mkdtempSync(join(tmpdir(), 'fixpoint-bench-runs-state-'));
  const snapshotsAt = (process.env.FIXPOINT_BENCH_HEAP_SNAPSHOTS ?? '').split(',').filter(Boolean).map(Number);
  const snapshotDir = snapshotsAt.length ? mkdtempSync(join(tmpdir(), 'fixpoint-bench-heap-')) : '';
  const env = {
    ...process.env,
    FIXPOINT_AGENT_STATE_DIR: stateDir,
    FIXPOINT_AGENT_LOG_LEVEL: 'warn',
    ...(snapshotDir ? { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshotDir}` } : {}),
  };
  try {
    await runOnce(binary, ['enroll', '--server', `http://127.0.0.1:${server.port}`, '--token', [...server.tokens][0]!, '--name', 'bench-runs'], env);
    const deviceId = [...server.devices.keys()][0]!;
    const child = spawn(binary, ['run'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    try {
      await new Promise<void>((resolve) => server.once('connected', () => resolve()));
      // one waiter at a time: the result of the envelope in flight
      let waiting: { id: string; resolve: () => void } | null = null;
      server.on('message', ({ message }: { message: AgentMessage }) => {
        if (message.type === 'result' && message.executionId === waiting?.id) waiting.resolve();
      });
      const samples: { run: number; rss: number; fds: number }[] = [];
      const times: number[] = [];
      for (let run = 1; run <= options.runs; run++) {
        const envelope = server.envelope(deviceId, { script: 'true\n' });
        const done = new Promise<void>((resolve) => (waiting = { id: envelope.payload.executionId, resolve }));
        const start = performance.now();
        server.launch(deviceId, envelope);
        await done;
        times.push(performance.now() - start);
        // the stand-in server keeps what it received; the agent is what is measured
        server.received.length = 0;
        server.devices.get(deviceId)!.pending.length = 0;
        if (run === 1 || run % options.every === 0) {
          // let the run's clean-up (its directory is deleted after the result) finish before reading
          await new Promise((r) => setTimeout(r, 50));
          samples.push({ run, rss: rssBytes(child.pid!), fds: openFds(child.pid!) });
          process.stdout.write(`  run ${run}: RSS ${(samples.at(-1)!.rss / 2 ** 20).toFixed(1)} MiB, ${samples.at(-1)!.fds} open fds, median run ${median(times.slice(-options.every)).toFixed(1)} ms\n`);
        }
        if (snapshotsAt.includes(run)) await heapSnapshot(child.pid!, snapshotDir, run);
      }
      const settled = samples.find((s) => s.run >= options.settledAt) ?? samples[0]!;
      const last = samples.at(-1)!;
      const growth = (last.rss - settled.rss) / 2 ** 20;
      const trace = samples.map((s) => `${s.run}: ${(s.rss / 2 ** 20).toFixed(1)} MiB/${s.fds} fds`).join(', ');
      return [
        {
          name: `Agent: RSS growth, runs ${settled.run} → ${last.run} (single binary)`,
          value: growth,
          unit: 'MiB',
          baseline: settled.rss / 2 ** 20,
          target: '≤ 5 MB',
          ok: growth * 1.048576 <= 5,
          note: `RSS at run 1 ${(samples[0]!.rss / 2 ** 20).toFixed(1)} MiB; ${trace}`,
        },
        { name: `Agent: open fds, runs ${settled.run} → ${last.run}`, value: last.fds, unit: 'fds', baseline: settled.fds, target: 'flat', ok: last.fds <= settled.fds },
        { name: 'Agent: one run of `true`, envelope sent → result received (median)', value: median(times), unit: 'ms', target: 'reference' },
      ];
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  } finally {
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  }
}
