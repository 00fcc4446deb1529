/**
 * Signed control frames on a running agent: forged, tampered, expired, misaddressed, replayed and unsigned cancels
 * are refused with a protocol error and change nothing; a cancel sealed by the pinned key works.
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { controlSigningText, type ControlBody } from '@fixpoint/protocol';
import type { Agent } from '../agent';
import { FakeServer, waitUntil } from '../testing/fake-server';
import { enrolledState, startTestAgent } from '../testing/helpers';

let server: FakeServer;
let agent: Agent | null = null;

beforeEach(async () => {
  server = new FakeServer();
  await server.start();
});

afterEach(async () => {
  await agent?.stop();
  agent = null;
  await server.stop();
});

function startAgent(): string {
  const state = enrolledState(server);
  agent = startTestAgent(state, { maxConcurrency: 1 });
  return state.identity.deviceId;
}

const errors = () => server.messages('error').map((m) => m.message);

describe('control frames on a running agent', () => {
  it('refuses cancels that are unsigned, forged, tampered, expired, misaddressed, replayed or for another connection', async () => {
    const deviceId = startAgent();
    await server.waitFor('pull');
    const running = server.launch(deviceId, { script: 'sleep 1.5; echo survived' });
    const runningId = running.payload.executionId;
    const queued = server.launch(deviceId, { script: 'echo queued ran' });
    await waitUntil(() => server.messages('status', runningId).some((s) => s.status === 'running'), 10_000, 'running');
    const cancel = (executionId: string): ControlBody => ({ type: 'cancel', executionId });

    const stale = server.seal(deviceId, cancel(runningId));
    const other = generateKeyPairSync('ed25519');
    const forged = { ...server.seal(deviceId, cancel(runningId)), signature: '' };
    forged.signature = sign(null, Buffer.from(controlSigningText(forged)), other.privateKey).toString('base64');
    const frames: [string, RegExp][] = [
      [JSON.stringify(cancel(runningId)), /invalid message/],
      [JSON.stringify(forged), /signature does not match/],
      [JSON.stringify({ ...server.seal(deviceId, cancel(runningId)), keyId: 'another-key' }), /not the pinned key/],
      [JSON.stringify({ ...server.seal(deviceId, cancel(queued.payload.executionId)), executionId: runningId }), /signature does not match/],
      [JSON.stringify(server.seal(deviceId, cancel(runningId), { expiresAt: new Date(Date.now() - 1000).toISOString() })), /expired/],
      [JSON.stringify(server.seal(deviceId, cancel(runningId), { deviceId: randomUUID() })), /addressed to device/],
      [JSON.stringify(server.seal(deviceId, cancel(runningId), { connection: 'x'.repeat(32) })), /another connection/],
      [JSON.stringify(server.seal(deviceId, cancel(runningId), { seq: stale.binding.seq })), /not above/],
    ];
    // the first sealed frame goes through (a cancel of something unknown changes nothing), so the last is a replay
    server.send(deviceId, server.seal(deviceId, cancel(randomUUID())));
    for (const [frame] of frames) server.sendRaw(deviceId, frame);
    await waitUntil(() => errors().length >= frames.length, 10_000, 'a protocol error for every bad frame');
    expect(server.messages('error').every((m) => m.code === 'protocol_error')).toBe(true);
    frames.forEach(([, pattern], i) => expect(errors()[i]).toMatch(pattern));

    const result = await server.waitFor('result', runningId);
    expect(result).toMatchObject({ status: 'succeeded', stdoutTail: 'survived\n' });
    expect((await server.waitFor('result', queued.payload.executionId)).stdoutTail).toBe('queued ran\n');
  });

  it('acts on a sealed cancel, and refuses a frame sealed for an earlier connection', async () => {
    const deviceId = startAgent();
    await server.waitFor('pull');
    const early = server.seal(deviceId, { type: 'cancel', executionId: randomUUID() });
    await server.stop();
    await server.start();
    await waitUntil(() => server.messages('pull').length >= 2, 10_000, 'second pull');
    const e = server.launch(deviceId, { script: 'sleep 30' });
    const id = e.payload.executionId;
    await waitUntil(() => server.messages('status', id).some((s) => s.status === 'running'), 10_000, 'running');
    server.send(deviceId, { ...early, executionId: id });
    server.sendRaw(deviceId, JSON.stringify({ ...server.seal(deviceId, { type: 'cancel', executionId: randomUUID() }), binding: { ...early.binding } }));
    await waitUntil(() => errors().length >= 2, 10_000, 'two refusals');
    expect(errors()[1]).toMatch(/signature does not match/);
    server.sendRaw(deviceId, JSON.stringify(early));
    await waitUntil(() => errors().length >= 3, 10_000, 'refusal of the old frame');
    expect(errors()[2]).toMatch(/another connection/);
    expect(server.messages('result', id)).toEqual([]);
    server.send(deviceId, { type: 'cancel', executionId: id });
    expect((await server.waitFor('result', id)).status).toBe('canceled');
  });
});
