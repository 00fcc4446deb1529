/**
 * The agent: idle RSS and CPU of the real bundled agent (`agent/dist/fixpoint-agent.mjs`, enrolled against a bench
 * backend and connected, started with the service's node flags) and of the Linux x64 single-file agent (built by
 * `agent/sea/build-sea.mjs`, started alone as its service starts it: the same flags are in its blob), read from /proc,
 * next to its runtime's own floor (the same node, with the same flags, running an empty timer); and script start overhead: the agent's runner (`startRun` on `true`,
 * workspace and output handling included) against a bare `spawn('sh', ['-c', 'true'])`, medians of many runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_NODE_FLAGS } from '../agent/src/commands/service-spec';
import { posixPlatform } from '../agent/src/exec/platform-posix';
import { startRun } from '../agent/src/exec/runner';
import { FakeServer } from '../agent/src/testing/fake-server';
import { root, startBackend } from './lib/backend';
import { cpuMs, rssBytes } from './lib/proc';
import type { Figure } from './lib/report';
import { median } from './lib/stats';
import { poster } from './fleet/devices';

const bundle = join(root, 'agent/dist/fixpoint-agent.mjs');

/** How an agent process is started: its program and arguments before the command, and extra environment. */
interface AgentLaunch {
  label: string;
  command: string[];
  env?: Record<string, string>;
  /** The node this agent runs on, for the floor its RSS is compared with. */
  runtime?: string;
}

async function bundleLaunch(): Promise<AgentLaunch> {
  if (!existsSync(bundle) && spawnSync('npm', ['run', 'build', '-w', 'agent', '--silent'], { cwd: root, stdio: 'inherit' }).status !== 0)
    throw new Error('agent build failed');
  // launched exactly as the installed service launches it (systemd unit, launchd plist, sc.exe)
  return { label: 'bundled', command: [process.execPath, ...AGENT_NODE_FLAGS, bundle] };
}

/** The single-file agent (cached in .cache/sea/ while the agent is unchanged). */
async function binaryLaunches(): Promise<AgentLaunch[]> {
  const { buildSea } = await import('../agent/sea/build-sea.mjs');
  const outDir = mkdtempSync(join(tmpdir(), 'fixpoint-bench-sea-'));
  const { built } = await buildSea({ targets: ['linux-x64'], outDir, log: () => {} });
  const binary = built[0]!.file;
  // @ts-expect-error the script is plain JavaScript without declarations
  const { fetchRuntime } = (await import('../scripts/runtimes.mjs')) as { fetchRuntime(target: string): string };
  return [{ label: 'single binary', command: [binary], runtime: fetchRuntime('linux-x64') }];
}

/** Peak RSS of `node` with the agent's flags doing nothing but wait, read like the agent's: what no agent goes below. */
async function runtimeFloor(node: string, seconds: number): Promise<number> {
  const child = spawn(node, [...AGENT_NODE_FLAGS, '-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 5000));
    const rss: number[] = [];
    for (let s = 0; s < seconds; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      rss.push(rssBytes(child.pid!));
    }
    return Math.max(...rss) / 2 ** 20;
  } finally {
    child.kill('SIGTERM');
  }
}

async function idle(seconds: number, launch: AgentLaunch): Promise<Figure[]> {
  const [program, ...first] = launch.command as [string, ...string[]];
  const backend = await startBackend();
  const stateDir = mkdtempSync(join(tmpdir(), 'fixpoint-bench-agent-'));
  const env = { ...process.env, FIXPOINT_AGENT_STATE_DIR: stateDir, FIXPOINT_AGENT_LOG_LEVEL: 'warn', ...launch.env };
  try {
    const { token } = (await poster(backend, await backend.token())('/enrollment-tokens', { oneTime: true })) as { token: string };
    const enrolled = spawnSync(program, [...first.filter((a) => !a.startsWith('--')), 'enroll', '--server', backend.url, '--token', token, '--name', 'bench-agent'], { env, encoding: 'utf8' });
    if (enrolled.status !== 0) throw new Error(`agent enroll failed: ${enrolled.stderr}`);
    const child = spawn(program, [...first, 'run'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    try {
      // Connected and settled: start-up work (facts, first report, and the one full collection V8's memory reducer
      // runs about 8–10 s after start) is not idle time.
      await new Promise((r) => setTimeout(r, 12_000));
      const cpu0 = cpuMs(child.pid!);
      const rss: number[] = [];
      for (let s = 0; s < seconds; s++) {
        await new Promise((r) => setTimeout(r, 1000));
        rss.push(rssBytes(child.pid!));
      }
      const cpu = cpuMs(child.pid!) - cpu0;
      const peak = Math.max(...rss) / 2 ** 20;
      const floor = launch.runtime ? await runtimeFloor(launch.runtime, seconds) : undefined;
      const floorNote = floor === undefined ? '' : `; baseline: its runtime idling with the same flags`;
      return [
        { name: `Agent: idle RSS (${launch.label}, connected)`, value: peak, unit: 'MiB', baseline: floor, ratio: floor && peak / floor, target: '≤ 45 MB', ok: peak * 1.048576 <= 45, note: `peak of ${seconds} one-second readings${floorNote}` },
        { name: `Agent: idle CPU over ${seconds} s (${launch.label})`, value: cpu, unit: 'ms', target: 'no polling while idle', ok: cpu / seconds <= 5, note: `${(cpu / seconds / 10).toFixed(2)} % of one core` },
      ];
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  } finally {
    await backend.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function startOverhead(runs: number): Promise<Figure> {
  const server = new FakeServer();
  const device = '11111111-2222-4333-8444-555555555555';
  const bare: number[] = [];
  const agent: number[] = [];
  // Interleaved, so a burst of load on the shared machine hits both sides alike.
  for (let i = 0; i < runs + 5; i++) {
    let start = performance.now();
    await new Promise((resolve) => spawn('sh', ['-c', 'true'], { stdio: 'ignore' }).once('exit', resolve));
    if (i >= 5) bare.push(performance.now() - start);
    const envelope = server.envelope(device, { script: 'true\n' });
    start = performance.now();
    const result = await startRun(envelope, { platform: posixPlatform }).result;
    if (result.status !== 'succeeded') throw new Error(`startRun on true: ${result.status} ${result.error}`);
    if (i >= 5) agent.push(performance.now() - start);
  }
  const value = median(agent);
  const baseline = median(bare);
  return { name: 'Agent: script run overhead (`true`)', value, unit: 'ms', baseline, ratio: value / baseline, target: '≤ 1.2× bare spawn', ok: value / baseline <= 1.2 };
}

export async function benchAgent(options: { idleSeconds: number; runs: number }): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const launch of [await bundleLaunch(), ...(await binaryLaunches())]) figures.push(...(await idle(options.idleSeconds, launch)));
  // the runner is the same code in the bundle and the binary: one figure for both
  return [...figures, await startOverhead(options.runs)];
}
