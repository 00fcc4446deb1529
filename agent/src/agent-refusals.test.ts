/**
 * A refused execution id is journaled and never runs afterwards: not when a correctly signed envelope with the same
 * id arrives later, not after a restart. A forged copy of an execution the agent holds does not fail it. An acked
 * id, even one the journal keeps only as a seen id, is refused as a replay after a restart.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '@fixpoint/protocol';
import type { Agent } from './agent';
import { Journal, shownAckedRuns } from './state/journal';
import type { AgentPaths } from './config';
import type { Identity } from './state/identity';
import { FakeServer, waitUntil } from './testing/fake-server';
import { enrolledState, startTestAgent, tempDir } from './testing/helpers';

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

function startAgent(state: { paths: AgentPaths; identity: Identity }): void {
  agent = startTestAgent(state);
}

/** The same execution id and signature with another script: what a proxy in the middle could inject. */
function forgedCopy(real: Envelope, script: string): Envelope {
  const scriptSha256 = createHash('sha256').update(script, 'utf8').digest('hex');
  return { ...real, script, payload: { ...real.payload, scriptSha256 } };
}

describe('refused execution ids', () => {
  it('never runs a refused id, even correctly signed and after a restart, and repeats the refusal', async () => {
    const state = enrolledState(server);
    const deviceId = state.identity.deviceId;
    startAgent(state);
    await server.waitFor('pull');
    const marker = join(tempDir(), 'ran');
    const real = server.envelope(deviceId, { script: `echo x >> ${marker}` });
    const id = real.payload.executionId;

    server.send(deviceId, { type: 'execute', envelope: forgedCopy(real, 'echo forged') });
    expect(await server.waitFor('refused', id)).toMatchObject({ reason: 'bad_signature' });
    server.send(deviceId, { type: 'execute', envelope: real });
    await waitUntil(() => server.messages('refused', id).length === 2, 10_000, 'second refusal');
    expect(server.messages('refused', id)[1]).toMatchObject({ reason: 'bad_signature', message: expect.stringMatching(/^refused before: /) });

    await agent!.stop();
    startAgent(state);
    await waitUntil(() => server.messages('pull').length === 2, 10_000, 'pull after restart');
    server.launch(deviceId, real);
    await waitUntil(() => server.messages('refused', id).length === 3, 10_000, 'refusal after restart');
    // a later execution still runs: the agent is fine, only the refused id is closed
    const later = server.launch(deviceId, { script: 'echo later' });
    expect((await server.waitFor('result', later.payload.executionId)).status).toBe('succeeded');
    expect(existsSync(marker)).toBe(false);
    expect(server.messages('status', id)).toEqual([]);
    expect(server.messages('result', id)).toEqual([]);
    const journal = Journal.open(state.paths.journal, { readOnly: true });
    expect(journal.get(id)?.refused).toMatchObject({ reason: 'bad_signature' });
    expect(journal.interrupted()).toEqual([]);
    journal.close();
  });

  it('answers a forged copy of an execution it runs with its status, and finishes the real one', async () => {
    const state = enrolledState(server);
    const deviceId = state.identity.deviceId;
    startAgent(state);
    await server.waitFor('pull');
    const marker = join(tempDir(), 'ran');
    const real = server.launch(deviceId, { script: `sleep 1; echo x >> ${marker}` });
    const id = real.payload.executionId;
    await waitUntil(() => server.messages('status', id).some((s) => s.status === 'running'), 10_000, 'running');
    server.send(deviceId, { type: 'execute', envelope: forgedCopy(real, 'echo forged') });
    await waitUntil(() => server.messages('status', id).filter((s) => s.status === 'running').length === 2, 10_000, 'status again');
    expect((await server.waitFor('result', id)).status).toBe('succeeded');
    expect(server.messages('refused', id)).toEqual([]);
    expect(readFileSync(marker, 'utf8')).toBe('x\n');
  });

  it('refuses a replay of an acked id after a restart, from a journal of the old format and from a compacted one', async () => {
    const state = enrolledState(server);
    const deviceId = state.identity.deviceId;
    const marker = join(tempDir(), 'ran');
    const replay = server.envelope(deviceId, { script: `echo x >> ${marker}` });
    const id = replay.payload.executionId;
    // the journal as agents wrote it before seen records: start, pid, result and ack lines; the replayed id is the
    // oldest, so the journal keeps it as a seen id once it has read the newer runs
    const at = new Date().toISOString();
    const lines = [id, ...Array.from({ length: shownAckedRuns + 20 }, () => randomUUID())].flatMap((x, n) => [
      { t: 'start', id: x, at, exp: replay.payload.expiresAt, action: 'test-action' },
      { t: 'pid', id: x, pid: 40_000 + n, ps: '1' },
      { t: 'result', id: x, r: { type: 'result', executionId: x, status: 'succeeded', exitCode: 0, error: null, stdoutTail: 'x\n', stderrTail: '', outputs: {}, truncated: false, startedAt: at, at } },
      { t: 'ack', id: x },
    ]);
    writeFileSync(state.paths.journal, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`, { mode: 0o600 });

    startAgent(state);
    await server.waitFor('pull');
    server.send(deviceId, { type: 'execute', envelope: replay });
    expect((await server.waitFor('refused', id)).reason).toBe('replayed');
    await agent!.stop();
    agent = null;

    const journal = Journal.open(state.paths.journal);
    journal.compact();
    journal.close();
    expect(readFileSync(state.paths.journal, 'utf8')).toContain(`{"t":"seen","id":"${id}"`);
    startAgent(state);
    await waitUntil(() => server.messages('pull').length === 2, 10_000, 'pull after restart');
    server.send(deviceId, { type: 'execute', envelope: replay });
    await waitUntil(() => server.messages('refused', id).length === 2, 10_000, 'refusal after restart');
    expect(server.messages('refused', id)[1]!.reason).toBe('replayed');
    expect(existsSync(marker)).toBe(false);
    expect(server.messages('status', id)).toEqual([]);
  });
});
