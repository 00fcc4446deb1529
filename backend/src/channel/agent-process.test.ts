/**
 * End to end with real processes: the bundled agent (`fixpoint-agent.mjs`) enrolled through its CLI and run as a
 * daemon against a listening backend. Tampered, misaddressed, replayed and expired envelopes are built here with
 * the backend's own key (a test-only signer) and pushed through the hub's low-level send, since the backend never
 * produces them.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '@fixpoint/protocol';
import { idleDispatcher } from '../context';
import { envelopeFor, expireOverdue, signEnvelope } from '../services/executions';
import { AgentProcess, buildAgentBundle, greetAction } from '../testing/agent-process';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from '../testing/live';

let bundle: string;
let live: LiveBackend;
let token: string;
let port: number;
const dataDir = mkdtempSync(join(tmpdir(), 'fixpoint-e2e-'));
const work = mkdtempSync(join(tmpdir(), 'fixpoint-e2e-work-'));
const agents: AgentProcess[] = [];
const warnings: Record<string, unknown>[] = [];

const start = async (p = 0) => {
  live = await startLiveBackend({ dataDir, port: p, keepData: true, expirySweepMs: 60_000 });
  port = Number(new URL(live.url).port);
  const warn = live.backend.ctx.log.warn;
  live.backend.ctx.log.warn = (msg, fields) => {
    warnings.push({ msg, ...fields });
    warn(msg, fields);
  };
};

beforeAll(async () => {
  bundle = buildAgentBundle();
  await start();
  token = await enrollmentToken(live.api);
  const created = await live.api('POST', '/actions', greetAction);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}, 120_000);

afterAll(async () => {
  for (const a of agents) await a.dispose();
  await live?.stop();
});

const newAgent = async (options: { maxConcurrency?: number } = {}) => {
  const agent = new AgentProcess(bundle, options);
  agents.push(agent);
  await agent.enroll(live.url, token);
  agent.start();
  await waitUntil(() => live.backend.ctx.dispatcher.isOnline(agent.deviceId), 20_000, 'agent connected');
  return agent;
};

const launch = async (deviceId: string, parameters: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => {
  const res = await live.api('POST', '/executions', { action: 'greet', devices: [deviceId], parameters: { Who: 'ana', ...parameters }, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.executions[0].id as string;
};
const execution = async (id: string) => (await live.api('GET', `/executions/${id}`)).body;
const settled = (id: string, timeoutMs = 20_000) =>
  waitUntil(async () => {
    const e = await execution(id);
    return ['succeeded', 'failed', 'timed_out', 'canceled', 'expired'].includes(e.status) && e;
  }, timeoutMs, `execution ${id} finished`);

/** Launches without pushing, so the test decides what the agent receives. Returns the execution and its genuine envelope. */
async function launchQuietly(deviceId: string, parameters: Record<string, unknown> = {}): Promise<{ id: string; envelope: Envelope }> {
  const { ctx } = live.backend;
  const hub = ctx.dispatcher;
  ctx.dispatcher = idleDispatcher;
  try {
    const id = await launch(deviceId, parameters);
    return { id, envelope: await envelopeFor(ctx, id) };
  } finally {
    ctx.dispatcher = hub;
  }
}

/** Pushes an envelope through the hub's low-level send, marked as sent so a later push does not follow it. */
function push(deviceId: string, envelope: Envelope): void {
  const { hub } = live.backend.channel;
  hub.connection(deviceId)!.sent.add(envelope.payload.executionId);
  expect(hub.send(deviceId, { type: 'execute', envelope })).toBe(true);
}

describe('a real agent', () => {
  it('enrolls with a token, runs a script with parameters, and its typed outputs land on the execution and the device', async () => {
    const agent = await newAgent();
    const id = await launch(agent.deviceId, { Who: 'ana', Times: 3 });
    const done = await settled(id);
    expect(done).toMatchObject({ status: 'succeeded', exitCode: 0, outputs: { greeting: 'hi ana', count: 3, ok: true, tags: ['a', 'b'] } });
    expect(done.stdoutTail).toContain('hello ana');
    expect(done.deliveredAt && done.startedAt && done.finishedAt).toBeTruthy();
    // Presence is written once a second.
    const device = await waitUntil(async () => {
      const d = (await live.api('GET', `/devices/${agent.deviceId}`)).body;
      return d.online && d;
    }, 5000, 'online');
    expect(device).toMatchObject({ name: 'e2e-device', platform: 'linux', agentVersion: '0.1.0' });
    expect(device.outputs).toMatchObject({ 'greet.greeting': 'hi ana', 'greet.count': 3, 'greet.ok': true });
    await waitUntil(async () => (await live.api('GET', `/devices/${agent.deviceId}`)).body.facts.hostname, 10_000, 'facts');
    // A wrong token is refused by the real enrollment route.
    const stranger = new AgentProcess(bundle);
    agents.push(stranger);
    expect((await stranger.cli(['enroll', '--server', live.url, '--token', 'fxp_enr_not-a-real-token'])).stderr).toMatch(/unauthenticated/);
  });

  it('refuses tampered, misaddressed, replayed and expired envelopes, and the refusals are recorded', async () => {
    const agent = await newAgent();
    const other = await newAgent();
    const { ctx } = live.backend;
    const mark = join(work, 'tamper-runs');
    const reasonOf = async (id: string) => (await settled(id)).error as string;

    const script = await launchQuietly(agent.deviceId, { Mark: mark, Tag: 'script' });
    push(agent.deviceId, { ...script.envelope, script: `${script.envelope.script}\necho pwned >> ${mark}` });
    expect(await reasonOf(script.id)).toMatch(/^refused: script_hash_mismatch: /);

    const params = await launchQuietly(agent.deviceId, { Mark: mark, Tag: 'params' });
    const e = params.envelope;
    push(agent.deviceId, { ...e, payload: { ...e.payload, parameters: { ...e.payload.parameters, Who: 'mallory' } } });
    expect(await reasonOf(params.id)).toMatch(/^refused: bad_signature: /);
    // The genuine envelope of the refused execution arrives after all: the refusal stands and nothing runs.
    push(agent.deviceId, e);
    await waitUntil(() => warnings.filter((w) => w.executionId === params.id && w.reason === 'bad_signature').length === 2, 10_000, 'refusal repeated');

    // A row for this device whose signed payload names another device.
    const misaddressed = await launchQuietly(agent.deviceId, { Mark: mark, Tag: 'misaddressed' });
    const foreignPayload = { ...misaddressed.envelope.payload, deviceId: other.deviceId };
    push(agent.deviceId, { ...misaddressed.envelope, payload: foreignPayload, signature: signEnvelope(ctx, foreignPayload) });
    expect(await reasonOf(misaddressed.id)).toMatch(/^refused: wrong_device: /);
    // And the genuine envelope of another device's execution: refused; that device's execution is untouched.
    const theirs = await launchQuietly(other.deviceId, { Mark: mark, Tag: 'theirs' });
    push(agent.deviceId, theirs.envelope);
    await waitUntil(() => warnings.find((w) => w.executionId === theirs.id && w.reason === 'wrong_device'), 10_000, 'refusal of a foreign envelope');
    expect((await execution(theirs.id)).status).toBe('queued');

    const expired = await launchQuietly(agent.deviceId, { Mark: mark, Tag: 'expired' });
    const stalePayload = { ...expired.envelope.payload, issuedAt: new Date(Date.now() - 7200_000).toISOString(), expiresAt: new Date(Date.now() - 3600_000).toISOString() };
    push(agent.deviceId, { ...expired.envelope, payload: stalePayload, signature: signEnvelope(ctx, stalePayload) });
    expect(await reasonOf(expired.id)).toMatch(/^refused: expired: /);

    const genuine = await launchQuietly(agent.deviceId, { Mark: mark, Tag: 'genuine' });
    push(agent.deviceId, genuine.envelope);
    expect((await settled(genuine.id)).status).toBe('succeeded');
    await waitUntil(() => live.backend.channel.hub.connection(agent.deviceId)?.sent.has(genuine.id) === false, 5000, 'acked');
    push(agent.deviceId, genuine.envelope);
    await waitUntil(() => warnings.find((w) => w.executionId === genuine.id && w.reason === 'replayed'), 10_000, 'replay refused');
    expect((await execution(genuine.id)).status).toBe('succeeded');

    // Only the genuine envelope ever ran, once.
    expect(readFileSync(mark, 'utf8')).toBe('genuine\n');
    expect(agent.running && other.running).toBe(true);
  });

  it('reports agent_restarted after kill -9 mid-script, and reconnects after a backend restart to get queued work', async () => {
    const agent = await newAgent();
    const mark = join(work, 'killed-runs');
    const id = await launch(agent.deviceId, { Mark: mark, Tag: 'run', Sleep: '300' });
    await waitUntil(async () => (await execution(id)).status === 'running' && existsSync(mark), 15_000, 'running');
    await agent.kill('SIGKILL');
    await waitUntil(() => !live.backend.ctx.dispatcher.isOnline(agent.deviceId), 5000, 'disconnect noticed');
    agent.start();
    const failed = await settled(id);
    expect(failed).toMatchObject({ status: 'failed', exitCode: null });
    expect(failed.error).toMatch(/^agent_restarted: /);
    expect(readFileSync(mark, 'utf8')).toBe('run\n');

    // Backend restart on the same port and data: the agent comes back by itself and gets work queued meanwhile.
    await waitUntil(() => live.backend.ctx.dispatcher.isOnline(agent.deviceId), 10_000, 'reconnected after the kill');
    await live.stop();
    await start(port);
    const queued = await launch(agent.deviceId, { Who: 'after-restart' });
    expect((await settled(queued, 30_000)).outputs).toMatchObject({ greeting: 'hi after-restart' });
    expect(live.backend.ctx.dispatcher.isOnline(agent.deviceId)).toBe(true);
    await waitUntil(async () => (await live.api('GET', `/devices/${agent.deviceId}`)).body.online, 5000, 'online again');
  }, 90_000);

  it('delivers work queued while offline in launch order, and expires what is overdue without running it', async () => {
    const agent = await newAgent({ maxConcurrency: 1 });
    await agent.kill('SIGTERM');
    await waitUntil(async () => !(await live.api('GET', `/devices/${agent.deviceId}`)).body.online, 5000, 'offline');
    const mark = join(work, 'offline-runs');
    const first = await launch(agent.deviceId, { Mark: mark, Tag: 'first' });
    const overdue = await launch(agent.deviceId, { Mark: mark, Tag: 'overdue' }, { expirySec: 60 });
    const second = await launch(agent.deviceId, { Mark: mark, Tag: 'second' });
    const third = await launch(agent.deviceId, { Mark: mark, Tag: 'third' });
    const { ctx } = live.backend;
    const realNow = ctx.now;
    ctx.now = () => new Date(Date.now() + 120_000);
    try {
      await expireOverdue(ctx);
    } finally {
      ctx.now = realNow;
    }
    agent.start();
    for (const id of [first, second, third]) expect((await settled(id)).status).toBe('succeeded');
    expect(readFileSync(mark, 'utf8')).toBe('first\nsecond\nthird\n');
    expect((await execution(overdue)).status).toBe('expired');
    const delivered = await Promise.all([first, second, third].map(async (id) => (await execution(id)).deliveredAt));
    expect([...delivered].sort()).toEqual(delivered);
  });

  it('cancels only through a signed cancel: an unsigned or foreign one is refused and the script keeps running', async () => {
    const agent = await newAgent();
    const { hub } = live.backend.channel;
    const id = await launch(agent.deviceId, { Sleep: '30' });
    await waitUntil(async () => (await execution(id)).status === 'running', 20_000, 'running');
    const refusedBefore = warnings.filter((w) => w.msg === 'channel: the agent reported an error').length;
    const conn = hub.connection(agent.deviceId)!;
    const binding = { deviceId: agent.deviceId, connection: conn.nonce, seq: 1_000_000, expiresAt: new Date(Date.now() + 60_000).toISOString() };
    hub.sendRaw(agent.deviceId, JSON.stringify({ type: 'cancel', executionId: id }));
    hub.sendRaw(agent.deviceId, JSON.stringify({ type: 'cancel', executionId: id, binding, keyId: live.backend.ctx.signingKey.keyId, signature: 'AAAA' }));
    await waitUntil(() => warnings.filter((w) => w.msg === 'channel: the agent reported an error').length >= refusedBefore + 2, 10_000, 'refusals');
    // The agent's own record of the run: still no result after both were refused.
    const resultInJournal = () =>
      readFileSync(join(agent.stateDir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean)
        .map((line) => JSON.parse(line) as { t: string; id: string; r?: { status: string } })
        .find((rec) => rec.t === 'result' && rec.id === id)?.r;
    expect(resultInJournal()).toBeUndefined();
    expect((await execution(id)).status).toBe('running');
    expect((await live.api('POST', `/executions/${id}/cancel`)).status).toBe(200);
    expect((await waitUntil(resultInJournal, 20_000, 'the agent ended the run'))!.status).toBe('canceled');
  });

  it('survives malformed frames in both directions', async () => {
    const agent = await newAgent();
    const { hub } = live.backend.channel;
    const before = warnings.filter((w) => w.msg === 'channel: the agent reported an error').length;
    for (const frame of ['garbage', '{"type":"execute"}', '{"type":"unknown"}', JSON.stringify({ type: 'ack', executionId: 'x' }), 'x'.repeat(2 * 1024 * 1024 + 1)])
      expect(hub.sendRaw(agent.deviceId, frame)).toBe(true);
    await waitUntil(() => warnings.filter((w) => w.msg === 'channel: the agent reported an error').length >= before + 5, 10_000, 'agent errors');
    const codes = warnings.filter((w) => w.msg === 'channel: the agent reported an error').slice(before).map((w) => w.code);
    expect(codes).toContain('payload_too_large');
    expect(agent.running).toBe(true);
    const id = await launch(agent.deviceId, { Who: 'still-here' });
    expect((await settled(id)).status).toBe('succeeded');
    expect((await fetch(`${live.url}/healthz`)).status).toBe(200);
  });
});
