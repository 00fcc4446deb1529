/**
 * Held envelopes: a schedule in device time reaches agents ahead of time and each holds the envelope until its own
 * clock reads the signed wall-clock time; the expiry still ends a hold. Real agent processes (the bundled CLI), each
 * in its own time zone through `TZ`, against the fake server.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { holdEndsAt } from './exec/hold';
import type { Agent } from './agent';
import { waitUntil } from './testing/fake-server';
import { enrolledState, startTestAgent, tempDir } from './testing/helpers';
import { useBundledAgents } from './testing/bundled';

const agents = useBundledAgents();
const { server, children } = agents;

/** A wall-clock time with no zone: what `ms` reads as in UTC shifted by `offsetHours`. */
const wallClockAt = (ms: number, offsetHours: number) => new Date(ms + offsetHours * 3600_000).toISOString().slice(0, 19);

async function enroll(): Promise<{ stateDir: string; deviceId: string }> {
  const stateDir = join(tempDir(), 'state');
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [agents.bundle, 'enroll', '--server', server.url, '--token', 'enroll-token-0123456789'], { env: { ...process.env, FIXPOINT_AGENT_STATE_DIR: stateDir } }, (err) =>
      err ? reject(err) : resolve(),
    ),
  );
  return { stateDir, deviceId: JSON.parse(readFileSync(join(stateDir, 'identity.json'), 'utf8')).deviceId };
}

function startDaemon(stateDir: string, tz: string): ChildProcess {
  const child = spawn(process.execPath, [agents.bundle, 'run'], {
    env: { ...process.env, TZ: tz, FIXPOINT_AGENT_STATE_DIR: stateDir, FIXPOINT_AGENT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return child;
}

describe('holdEndsAt', () => {
  it('reads an instant as is, and rejects texts that name no time', () => {
    expect(holdEndsAt('2025-05-01T09:00:00Z')).toBe(Date.parse('2025-05-01T09:00:00Z'));
    expect(holdEndsAt('2025-05-01T09:00:00.250Z')).toBe(Date.parse('2025-05-01T09:00:00.250Z'));
    expect(holdEndsAt('2025-02-30T09:00:00')).toBeNaN();
    expect(holdEndsAt('tomorrow')).toBeNaN();
  });

  it('reads a wall-clock time on this process clock', () => {
    const local = new Date(2025, 4, 1, 9, 30, 15, 500);
    expect(holdEndsAt('2025-05-01T09:30:15.5')).toBe(local.getTime());
  });
});

describe('envelopes held until the device clock reads their time', () => {
  it('an agent at UTC+14 runs at its local time; one at UTC-12 holds the same envelope until it expires', async () => {
    const east = await enroll();
    const west = await enroll();
    startDaemon(east.stateDir, 'Pacific/Kiritimati');
    startDaemon(west.stateDir, 'Etc/GMT+12');
    await waitUntil(() => server.devices.get(east.deviceId)?.pulled && server.devices.get(west.deviceId)?.pulled, 15_000, 'agents connected');

    // 3 s from now on a clock 14 h ahead of UTC; the west agent's clock reads that 26 h later
    const due = Math.ceil((Date.now() + 3000) / 1000) * 1000;
    const notBefore = wallClockAt(due, 14);
    const eastRun = server.launch(east.deviceId, { script: 'date -u +%s%3N', notBefore, expiresInSec: 60 });
    const westRun = server.launch(west.deviceId, { script: 'echo ran', notBefore, expiresInSec: 6 });

    // delivered (held) at once, not running yet
    await server.waitFor('status', eastRun.payload.executionId);
    expect(server.messages('status', eastRun.payload.executionId).map((m) => m.status)).toEqual(['delivered']);
    const result = await server.waitFor('result', eastRun.payload.executionId, 15_000);
    expect(result.status).toBe('succeeded');
    const startedAt = Number(result.stdoutTail!.trim());
    expect(startedAt).toBeGreaterThanOrEqual(due);
    expect(startedAt).toBeLessThan(due + 3000);

    // the west agent never runs it: its hold outlasts the expiry, which ends it
    const refused = await server.waitFor('refused', westRun.payload.executionId, 15_000);
    expect(refused.reason).toBe('expired');
    expect(Date.parse(refused.message.match(/\d{4}-\S+Z/)![0])).toBe(Date.parse(westRun.payload.expiresAt));
    expect(server.messages('result', westRun.payload.executionId)).toEqual([]);
    expect(server.messages('status', westRun.payload.executionId).map((m) => m.status)).toEqual(['delivered']);
  }, 40_000);

  it('refuses a hold that names no time, and a notBefore changed on the way breaks the signature', async () => {
    const agent = await enroll();
    startDaemon(agent.stateDir, 'UTC');
    await waitUntil(() => server.devices.get(agent.deviceId)?.pulled, 15_000, 'agent connected');
    const nonsense = server.launch(agent.deviceId, { script: 'echo ran', notBefore: '2025-13-01T00:00:00' });
    expect((await server.waitFor('refused', nonsense.payload.executionId)).reason).toBe('malformed_envelope');
    const held = server.envelope(agent.deviceId, { script: 'echo ran', notBefore: new Date(Date.now() + 3600_000).toISOString() });
    const moved = { ...held, payload: { ...held.payload, notBefore: new Date(Date.now() - 1000).toISOString() } };
    server.launch(agent.deviceId, moved);
    expect((await server.waitFor('refused', held.payload.executionId)).reason).toBe('bad_signature');
  }, 30_000);
});

describe('a held envelope', () => {
  let agent: Agent | null = null;
  afterEach(async () => {
    await agent?.stop();
    agent = null;
  });

  it('answers a second copy with delivered, and a cancel ends it before it ever runs', async () => {
    const state = enrolledState(server);
    const deviceId = state.identity.deviceId;
    agent = startTestAgent(state);
    await waitUntil(() => server.devices.get(deviceId)?.pulled, 15_000, 'agent connected');
    const held = server.launch(deviceId, { script: 'echo ran', notBefore: new Date(Date.now() + 3600_000).toISOString() });
    const id = held.payload.executionId;
    await server.waitFor('status', id);
    server.send(deviceId, { type: 'execute', envelope: held });
    await waitUntil(() => server.messages('status', id).length === 2, 10_000, 'second status');
    expect(server.messages('status', id).map((m) => m.status)).toEqual(['delivered', 'delivered']);
    server.send(deviceId, { type: 'cancel', executionId: id });
    expect(await server.waitFor('result', id)).toMatchObject({ status: 'canceled', stdoutTail: '' });
    // a later envelope without a hold runs at once
    const now = server.launch(deviceId, { script: 'echo now' });
    expect((await server.waitFor('result', now.payload.executionId)).status).toBe('succeeded');
  }, 30_000);
});
