/**
 * The Windows build of the agent, for real: the bundle runs on the official Windows build of Node under Wine
 * (process.platform is win32, so the agent takes its Windows paths: platform-windows.ts, named pipes, C:\ paths).
 * It enrolls against a backend listening on loopback, connects over the channel, and runs what the backend signs.
 * Wine has no PowerShell, so the scripts are cmd batch files (FIXPOINT_AGENT_TEST_WINDOWS_SHELL, a test-only setting).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
    const agent = await newAgent();
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

// referenced by later tests
void [readFileSync, statSync, winePath];
