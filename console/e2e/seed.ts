/**
 * @module Arranging data for the browser tests: devices enrolled through the public enroll route with their own
 * Ed25519 keys (as an agent would), and executions moved through the state machine from the test process, since
 * no agent runs in these tests.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { AppContext } from '../../backend/src/context';
import { transitionExecution } from '../../backend/src/services/executions';
import type { apiSession } from './harness';

export type Call = Awaited<ReturnType<typeof apiSession>>;

/** Creates an enrollment token as admin and enrolls each device with a fresh key pair; returns the device ids by name. */
export async function enrollDevices(
  url: string,
  call: Call,
  devices: { name: string; platform: 'windows' | 'macos' | 'linux'; facts?: Record<string, unknown> }[],
  tags: string[] = [],
): Promise<Record<string, string>> {
  const token = await call('POST', '/api/v1/enrollment-tokens', { description: 'browser tests', oneTime: false, tags });
  if (token.status !== 201) throw new Error(`token: ${token.status} ${JSON.stringify(token.body)}`);
  const ids: Record<string, string> = {};
  for (const d of devices) {
    const { publicKey } = generateKeyPairSync('ed25519');
    const res = await fetch(`${url}/api/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: token.body.token,
        publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
        name: d.name,
        platform: d.platform,
        osVersion: d.platform === 'windows' ? '10.0.22631' : '6.1.0',
        agentVersion: '0.1.0',
        facts: d.facts ?? {},
      }),
    });
    const body = (await res.json()) as { deviceId: string };
    if (res.status !== 201) throw new Error(`enroll ${d.name}: ${res.status} ${JSON.stringify(body)}`);
    ids[d.name] = body.deviceId;
  }
  return ids;
}

/** Plays an agent's reports for one execution: running, then a final status with tails and outputs. */
export async function finishExecution(
  ctx: AppContext,
  execution: { id: string; deviceId: string },
  result: { status?: 'succeeded' | 'failed'; outputs?: Record<string, unknown>; stdout?: string; stderr?: string; exitCode?: number } = {},
): Promise<void> {
  await transitionExecution(ctx, { executionId: execution.id, deviceId: execution.deviceId, to: 'running' });
  await transitionExecution(ctx, {
    executionId: execution.id,
    deviceId: execution.deviceId,
    to: result.status ?? 'succeeded',
    exitCode: result.exitCode ?? (result.status === 'failed' ? 1 : 0),
    stdoutTail: result.stdout ?? '',
    stderrTail: result.stderr ?? '',
    outputs: result.outputs,
  });
}

/** An action with two typed outputs that every platform can run, by hand or on a schedule. */
export const inventoryAction = {
  slug: 'collect-inventory',
  name: 'Collect inventory',
  purpose: 'data_collection',
  description: 'Reports free disk space and whether the disk is healthy.',
  triggers: ['manual', 'api', 'schedule', 'detection'],
  parameters: [{ name: 'Drive', type: 'string', default: 'C:', description: 'The volume to look at' }],
  outputs: [
    { name: 'free_kb', type: 'int', description: 'Free space in KB' },
    { name: 'healthy', type: 'bool', description: 'The disk reports no errors' },
  ],
  scripts: {
    windows: { source: '$d = Get-PSDrive ($env:FIXPOINT_PARAM_Drive.TrimEnd(":"))\nfixpoint output free_kb ([int]($d.Free / 1KB))\nfixpoint output healthy true' },
    linux: { shell: 'sh', source: 'fixpoint output free_kb "$(df -k / | awk \'NR==2 {print $4}\')"\nfixpoint output healthy true' },
    macos: { shell: 'zsh', source: 'fixpoint output free_kb "$(df -k / | awk \'NR==2 {print $4}\')"\nfixpoint output healthy true' },
  },
};
