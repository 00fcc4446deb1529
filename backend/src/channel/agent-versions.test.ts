/**
 * Agents on channel version 1 against a listening backend (PGlite): an envelope carrying fields their strict schema
 * lacks is never sent to them; the execution fails at once with `agent_too_old`, through the result path, while a
 * version-2 agent gets the same launch and a version-1 agent still gets envelopes it can read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTerminal, type Envelope, type ExecutionEvent } from '@fixpoint/protocol';
import { enrollmentToken, RawAgent, startLiveBackend, waitUntil, type LiveBackend } from '../testing/live';
import { agentTooOldError, fieldsTooNewForVersion1 } from './versions';

let live: LiveBackend;
let token: string;
const events: ExecutionEvent[] = [];

beforeAll(async () => {
  live = await startLiveBackend();
  token = await enrollmentToken(live.api);
  live.backend.ctx.events.subscribe((e) => events.push(e));
  for (const [slug, extra] of [['plain', {}], ['ask-first', { runAs: 'user', whenNoUser: 'skip' }]] as const) {
    const created = await live.api('POST', '/actions', { slug, name: slug, purpose: 'data_collection', scripts: { linux: { source: 'echo hi' } }, ...extra });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
});
afterAll(() => live?.stop());

async function agentSpeaking(protocolVersion: number): Promise<RawAgent> {
  const a = await RawAgent.enroll(live.url, token);
  await a.open();
  a.send(a.hello({ protocolVersion }));
  await a.waitFor('welcome');
  a.send({ type: 'pull' });
  return a;
}

const launch = async (action: string, deviceIds: string[]) => {
  const res = await live.api('POST', '/executions', { action, devices: deviceIds });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.executions as { id: string; deviceId: string }[];
};

describe('envelopes a version-1 agent cannot read', () => {
  it('fails the execution at once with agent_too_old and sends nothing; a version-2 agent gets the same launch', async () => {
    const [old, current] = [await agentSpeaking(1), await agentSpeaking(2)];
    const launched = await launch('ask-first', [old.deviceId, current.deviceId]);
    const forOld = launched.find((e) => e.deviceId === old.deviceId)!.id;
    const forCurrent = launched.find((e) => e.deviceId === current.deviceId)!.id;

    const sent = await current.waitFor('execute', (m) => m.envelope.payload.executionId === forCurrent, 30_000);
    expect((sent.envelope as Envelope).payload.whenNoUser).toBe('skip');

    const failed = await waitUntil(
      async () => {
        const body = (await live.api('GET', `/executions/${forOld}`)).body;
        return body.status === 'failed' ? body : undefined;
      },
      30_000,
      'the version-1 execution failed',
    );
    expect(failed.error).toBe(agentTooOldError(1, ['whenNoUser']));
    expect(failed.error).toMatch(/^agent_too_old: this agent speaks channel protocol 1; whenNoUser needs version 2/);
    expect(failed.finishedAt).toBeTruthy();
    // published like any result, so live status, webhooks, rollouts and detection see it
    expect(events.some((e) => e.id === forOld && e.status === 'failed')).toBe(true);
    // the version-2 one is untouched: still waiting for its agent
    expect((await live.api('GET', `/executions/${forCurrent}`)).body.status).not.toBe('failed');
    expect(old.of('execute').some((m) => m.envelope.payload.executionId === forOld)).toBe(false);

    // the version-1 agent still gets what it can read, and its summary counts the failure
    const [plain] = await launch('plain', [old.deviceId]);
    await old.waitFor('execute', (m) => m.envelope.payload.executionId === plain!.id, 30_000);
    expect(old.of('execute').some((m) => m.envelope.payload.executionId === forOld)).toBe(false);
    const requestId = (await live.api('GET', `/executions/${forOld}`)).body.requestId as string;
    const summary = (await live.api('GET', `/requests/${requestId}`)).body;
    expect(summary.counts.failed).toBe(1);
    expect(isTerminal(failed.status)).toBe(true);
    await Promise.all([old.close(), current.close()]);
  });

  it('names every field a version-1 agent lacks: whenNoUser and notBefore', () => {
    const payload = { executionId: 'x' } as Envelope['payload'];
    const envelope = (extra: object) => ({ payload: { ...payload, ...extra }, signature: '' }) as Envelope;
    expect(fieldsTooNewForVersion1(envelope({}))).toEqual([]);
    expect(fieldsTooNewForVersion1(envelope({ notBefore: '2026-01-01T09:00:00' }))).toEqual(['notBefore']);
    expect(fieldsTooNewForVersion1(envelope({ whenNoUser: 'fail', notBefore: '2026-01-01T09:00:00Z' }))).toEqual(['whenNoUser', 'notBefore']);
    expect(agentTooOldError(1, ['whenNoUser', 'notBefore'])).toBe(
      'agent_too_old: this agent speaks channel protocol 1; whenNoUser and notBefore need version 2 or later — update the agent',
    );
  });
});
