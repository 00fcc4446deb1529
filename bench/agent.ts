/**
 * The agent: idle RSS and CPU of the real bundled agent (`agent/dist/fixpoint-agent.mjs`, enrolled against a bench
 * backend and connected, started with the service's node flags), read from /proc; and script start overhead: the agent's runner (`startRun` on `true`,
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

async function idle(seconds: number): Promise<Figure[]> {
  if (!existsSync(bundle) && spawnSync('npm', ['run', 'build', '-w', 'agent', '--silent'], { cwd: root, stdio: 'inherit' }).status !== 0)
    throw new Error('agent build failed');
  const backend = await startBackend();
  const stateDir = mkdtempSync(join(tmpdir(), 'fixpoint-bench-agent-'));
  const env = { ...process.env, FIXPOINT_AGENT_STATE_DIR: stateDir, FIXPOINT_AGENT_LOG_LEVEL: 'warn' };
  try {
    const { token } = (await poster(backend, await backend.token())('/enrollment-tokens', { oneTime: true })) as { token: string };
    const enrolled = spawnSync(process.execPath, [bundle, 'enroll', '--server', backend.url, '--token', token, '--name', 'bench-agent'], { env, encoding: 'utf8' });
    if (enrolled.status !== 0) throw new Error(`agent enroll failed: ${enrolled.stderr}`);
    // launched exactly as the installed service launches it (systemd unit, launchd plist, sc.exe)
    const child = spawn(process.execPath, [...AGENT_NODE_FLAGS, bundle, 'run'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
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
      return [
        { name: 'Agent: idle RSS (bundled, connected)', value: peak, unit: 'MiB', target: '≤ 45 MB', ok: peak * 1.048576 <= 45, note: `peak of ${seconds} one-second readings` },
        { name: `Agent: idle CPU over ${seconds} s`, value: cpu, unit: 'ms', target: 'no polling while idle', ok: cpu / seconds <= 5, note: `${(cpu / seconds / 10).toFixed(2)} % of one core` },
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
  return [...(await idle(options.idleSeconds)), await startOverhead(options.runs)];
}
