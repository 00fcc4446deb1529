/**
 * The Windows build of the agent, for real: the bundle runs on the official Windows build of Node under Wine
 * (process.platform is win32, so the agent takes its Windows paths: platform-windows.ts, named pipes, C:\ paths).
 * It enrolls against a backend listening on loopback, connects over the channel, and runs what the backend signs.
 * Wine has no PowerShell, so the scripts are cmd batch files (FIXPOINT_AGENT_TEST_WINDOWS_SHELL, a test-only setting).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from '../../backend/src/testing/live';
import { WineAgent, winePath } from './wine';

const runtime = inject('windows');
let live: LiveBackend;
let token: string;
const agents: WineAgent[] = [];
const work = mkdtempSync(join(tmpdir(), 'fixpoint-wine-work-'));

// Batch files want CRLF line ends. Outputs are JSON lines appended to %FIXPOINT_OUTPUT_FILE% (see exec/outputs.ts);
// the redirection goes first so that echo adds no trailing space.
const batch = (...lines: string[]) => ['@echo off', ...lines].join('\r\n') + '\r\n';
const output = (name: string, json: string) => `>>"%FIXPOINT_OUTPUT_FILE%" echo {"name":"${name}","value":${json}}`;

beforeAll(async () => {
  if (!runtime) return;
  live = await startLiveBackend({ expirySweepMs: 60_000 });
  token = await enrollmentToken(live.api);
  const actions = [
    {
      slug: 'greet', name: 'Greet', purpose: 'data_collection',
      scripts: {
        windows: {
          shell: 'powershell',
          source: batch(
            'echo hello %FIXPOINT_PARAM_WHO%',
            output('greeting', '"hi %FIXPOINT_PARAM_WHO%"'),
            output('count', '%FIXPOINT_PARAM_TIMES%'),
            output('os', '"%OS%"'),
            output('script', '"%~nx0"'),
            'exit /b 0',
          ),
        },
      },
      parameters: [
        { name: 'Who', type: 'string', required: true },
        { name: 'Times', type: 'int', default: 2 },
      ],
      outputs: [
        { name: 'greeting', type: 'string' },
        { name: 'count', type: 'int' },
        { name: 'os', type: 'string' },
        { name: 'script', type: 'string' },
      ],
    },
    // A tree: cmd.exe runs node.exe (the agent's own runtime), which writes the time into a file 5 times a second.
    ...[['beat', 6], ['beat-long', 600]].map(([slug, timeoutSec]) => ({
      slug, name: slug, purpose: 'data_collection', timeoutSec,
      scripts: {
        windows: {
          shell: 'powershell',
          source: batch(
            'echo beating',
            `"%FIXPOINT_NODE%" -e "setInterval(() => require('fs').writeFileSync(process.argv[1], String(Date.now())), 200)" "%FIXPOINT_PARAM_BEAT%"`,
          ),
        },
      },
      parameters: [{ name: 'Beat', type: 'string', required: true }],
    })),
  ];
  for (const action of actions) {
    const created = await live.api('POST', '/actions', action);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
}, 120_000);

beforeEach((ctx) => {
  if (!runtime) ctx.skip('wine64 is not installed');
});

afterAll(async () => {
  for (const a of agents) await a.dispose();
  await live?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** One enrolled agent for the whole file: Wine starts node.exe in seconds, not milliseconds. */
let shared: Promise<WineAgent> | undefined;
const theAgent = () => (shared ??= newAgent());

const newAgent = async () => {
  const agent = new WineAgent(runtime!, { FIXPOINT_AGENT_TEST_WINDOWS_SHELL: 'cmd' });
  agents.push(agent);
  await agent.enroll(live.url, token);
  agent.start();
  await waitUntil(() => live.backend.ctx.dispatcher.isOnline(agent.deviceId), 30_000, `the agent connected; its log:\n${agent.log}`);
  return agent;
};

const launch = async (action: string, deviceId: string, parameters: Record<string, unknown> = {}) => {
  const res = await live.api('POST', '/executions', { action, devices: [deviceId], parameters });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.executions[0].id as string;
};
const settled = (id: string, timeoutMs = 30_000) =>
  waitUntil(async () => {
    const e = (await live.api('GET', `/executions/${id}`)).body;
    return ['succeeded', 'failed', 'timed_out', 'canceled', 'expired'].includes(e.status) && e;
  }, timeoutMs, `execution ${id} finished`);

describe('the Windows agent under Wine', () => {
  it('enrolls as a Windows device, runs a signed cmd script on the Windows spawn path, and reports its outputs', async () => {
    const agent = await theAgent();
    const device = (await live.api('GET', `/devices/${agent.deviceId}`)).body;
    expect(device).toMatchObject({ name: 'wine-device', platform: 'windows' });

    const id = await launch('greet', agent.deviceId, { Who: 'ana', Times: 3 });
    const done = await settled(id);
    expect(done, agent.log).toMatchObject({
      status: 'succeeded',
      exitCode: 0,
      outputs: { greeting: 'hi ana', count: 3, os: 'Windows_NT', script: 'script.cmd' },
    });
    expect(done.stdoutTail).toContain('hello ana');
    const after = (await live.api('GET', `/devices/${agent.deviceId}`)).body;
    expect(after.outputs).toMatchObject({ 'greet.greeting': 'hi ana', 'greet.count': 3 });
  });
});

/** True once the file stopped changing: the process tree writing it is gone. */
async function stoppedBeating(file: string): Promise<boolean> {
  const before = statSync(file).mtimeMs;
  await new Promise((r) => setTimeout(r, 1500));
  return statSync(file).mtimeMs === before;
}

describe('process trees under Wine', () => {
  it('kills the whole tree on timeout and reports timed_out', async () => {
    const agent = await theAgent();
    const beat = join(work, 'beat-timeout');
    const id = await launch('beat', agent.deviceId, { Beat: winePath(beat) });
    const done = await settled(id, 40_000);
    expect(done, agent.log).toMatchObject({ status: 'timed_out', error: expect.stringMatching(/timed out after 6 s/) });
    expect(done.stdoutTail).toContain('beating');
    // node.exe, a grandchild of the agent, had started, and is gone with its parent.
    expect(existsSync(beat)).toBe(true);
    expect(await stoppedBeating(beat)).toBe(true);
  });

  it('after an agent crash mid-script, kills what is left on restart and reports agent_restarted, never running it again', async () => {
    const agent = await theAgent();
    const beat = join(work, 'beat-crash');
    const id = await launch('beat-long', agent.deviceId, { Beat: winePath(beat) });
    await waitUntil(() => existsSync(beat), 30_000, 'the script running');
    await agent.kill();
    await waitUntil(() => !live.backend.ctx.dispatcher.isOnline(agent.deviceId), 10_000, 'the disconnect noticed');
    // the agent is gone, its script is not
    expect(await stoppedBeating(beat)).toBe(false);
    agent.start();
    const failed = await settled(id, 40_000);
    expect(failed, agent.log).toMatchObject({ status: 'failed', exitCode: null });
    expect(failed.error).toMatch(/^agent_restarted: /);
    // the leftovers are killed in the background, after the result
    await waitUntil(() => stoppedBeating(beat), 30_000, `the leftover tree killed; the agent's log:\n${agent.log}`);
    const journal = readFileSync(join(agent.stateDir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(journal.filter((r) => r.id === id && r.t === 'start')).toHaveLength(1);
  });
});
