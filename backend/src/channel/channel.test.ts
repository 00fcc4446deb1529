/**
 * The agent channel against a listening backend, driven by a hand-written agent (`RawAgent`): handshake,
 * dispatch in order, progress and results on the state machine, acks, cancels, facts, presence, and hostile frames.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_MAX_MESSAGE_BYTES, canonicalJson, envelopeRootText, type Envelope } from '@fixpoint/protocol';
import { rootOfPath } from '@fixpoint/protocol/merkle';
import { idleDispatcher } from '../context';
import { devices } from '../db/schema';
import type { Hub } from './hub';
import { fleetPrincipal } from '../testing/principals';
import { launchExecutions } from '../services/executions';
import type { DeviceEvent } from '../events';
import { enrollmentToken, RawAgent, startLiveBackend, waitUntil, type LiveBackend } from '../testing/live';

let live: LiveBackend;
let token: string;
const deviceEvents: DeviceEvent[] = [];

beforeAll(async () => {
  live = await startLiveBackend({ channel: { authTimeoutMs: 1500, silenceMs: 4000, sweepMs: 100, presence: { flushMs: 50 } } });
  token = await enrollmentToken(live.api);
  live.backend.ctx.deviceEvents.subscribe((e) => deviceEvents.push(e));
  const created = await live.api('POST', '/actions', {
    slug: 'probe', name: 'Probe', purpose: 'data_collection',
    scripts: { linux: { source: 'echo probe' } },
    parameters: [{ name: 'Who', type: 'string', default: 'x' }],
    outputs: [{ name: 'count', type: 'int' }, { name: 'label', type: 'string' }],
  });
  expect(created.status).toBe(201);
});
afterAll(() => live?.stop());

const launch = async (deviceIds: string[], extra: Record<string, unknown> = {}) => {
  const res = await live.api('POST', '/executions', { action: 'probe', devices: deviceIds, parameters: { Who: 'ana' }, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.executions.map((e: { id: string }) => e.id) as string[];
};
const execution = async (id: string) => (await live.api('GET', `/executions/${id}`)).body;
const healthy = async () => expect((await fetch(`${live.url}/healthz`)).status).toBe(200);
const row = async (deviceId: string) => (await live.backend.ctx.db.select().from(devices).where(eq(devices.id, deviceId)))[0]!;

/** A RawAgent that pings twice a second, as the real one does every 30 s. */
async function agent(options: { pull?: boolean } = {}): Promise<RawAgent> {
  const a = await RawAgent.enroll(live.url, token);
  await a.connect(options);
  const timer = setInterval(() => a.ws?.readyState === 1 && a.ws.ping(), 500);
  a.ws!.once('close', () => clearInterval(timer));
  return a;
}

describe('handshake', () => {
  it('welcomes a device that signs the nonce, and marks it online', async () => {
    const a = await agent();
    expect(a.nonce).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a.of('welcome')[0]!.serverTime).toBeTruthy();
    expect(live.backend.ctx.dispatcher.isOnline(a.deviceId)).toBe(true);
    await waitUntil(async () => (await row(a.deviceId)).online, 5000, 'online');
    expect((await row(a.deviceId)).agentVersion).toBe('0.0.1-raw');
    await a.close();
    await waitUntil(async () => !(await row(a.deviceId)).online, 5000, 'offline');
    expect(live.backend.ctx.dispatcher.isOnline(a.deviceId)).toBe(false);
    expect((await row(a.deviceId)).lastSeen).not.toBeNull();
  });

  it('refuses unknown devices, bad signatures, other versions and anything before hello, then closes', async () => {
    const a = await RawAgent.enroll(live.url, token);
    const cases: [(x: RawAgent) => void, string][] = [
      [(x) => x.send(x.hello({ deviceId: '00000000-0000-4000-8000-000000000000' })), 'unauthenticated'],
      [(x) => x.send({ ...x.hello(), signature: Buffer.alloc(64, 1).toString('base64') }), 'unauthenticated'],
      [(x) => x.send(x.hello({ protocolVersion: 99 })), 'unsupported_version'],
      [(x) => x.send({ type: 'pull' }), 'protocol_error'],
      [(x) => x.sendRaw('{"type":"hello",'), 'protocol_error'],
      [(x) => x.sendRaw(Buffer.from([1, 2, 3]), true), 'protocol_error'],
      [(x) => x.send({ type: 'hello', deviceId: a.deviceId }), 'protocol_error'],
    ];
    for (const [act, code] of cases) {
      await a.open();
      act(a);
      expect((await a.waitFor('error')).code).toBe(code);
      expect((await a.waitClosed()).code).toBe(1008);
      expect(a.of('welcome')).toHaveLength(0);
    }
    expect(live.backend.ctx.dispatcher.isOnline(a.deviceId)).toBe(false);
    await healthy();
  });

  it('drops a connection that never says hello, and one that goes silent', async () => {
    const quiet = await RawAgent.enroll(live.url, token);
    await quiet.open();
    expect((await quiet.waitClosed(5000)).code).toBe(1006);
    await quiet.connect();
    expect(live.backend.ctx.dispatcher.isOnline(quiet.deviceId)).toBe(true);
    await quiet.waitClosed(8000);
    await waitUntil(() => !live.backend.ctx.dispatcher.isOnline(quiet.deviceId), 2000, 'forgotten');
  });

  it('lets a new connection replace the old one', async () => {
    const a = await agent();
    const first = a.ws!;
    const second = new RawAgent(live.url, a.deviceId, a.key, a.serverKey);
    await second.connect();
    await waitUntil(() => first.readyState === 3, 5000, 'old socket closed');
    expect(live.backend.ctx.dispatcher.isOnline(a.deviceId)).toBe(true);
    await second.close();
  });
});

describe('dispatch and reports', () => {
  it('signs a launch to several devices once, gives each its proof, and signs one by one for a version-1 agent', async () => {
    const [a, b] = [await agent(), await agent()];
    const old = await RawAgent.enroll(live.url, token);
    await old.open();
    old.send(old.hello({ protocolVersion: 1 }));
    await old.waitFor('welcome');
    old.send({ type: 'pull' });
    const ids = await launch([a.deviceId, b.deviceId, old.deviceId]);
    const [ea, eb] = [await a.waitFor('execute', (m) => m.envelope.payload.executionId === ids[0]), await b.waitFor('execute', (m) => m.envelope.payload.executionId === ids[1])].map(
      (m) => m.envelope as Envelope,
    ) as [Envelope, Envelope];
    const key = live.backend.ctx.signingKey;
    expect(ea.signature).toBe(eb.signature);
    expect(ea.proof!.root).toBe(eb.proof!.root);
    for (const e of [ea, eb]) expect(rootOfPath(e.payload, e.proof!)).toBe(e.proof!.root);
    expect(key.verify(envelopeRootText(ea.proof!.root), ea.signature)).toBe(true);
    const eo: Envelope = (await old.waitFor('execute', (m) => m.envelope.payload.executionId === ids[2])).envelope;
    expect(eo.proof).toBeUndefined();
    // who launched it rides in current envelopes only: an older agent's schema would refuse the field
    expect(ea.payload.origin).toMatchObject({ kind: expect.stringMatching(/^(person|api)$/) });
    expect(eo.payload.origin).toBeUndefined();
    expect(key.verify(canonicalJson(eo.payload), eo.signature)).toBe(true);
    await Promise.all([a.close(), b.close(), old.close()]);
  });

  it('pushes signed envelopes at launch, in order, and only after the pull', async () => {
    const a = await agent({ pull: false });
    const ids = [...(await launch([a.deviceId])), ...(await launch([a.deviceId]))];
    await new Promise((r) => setTimeout(r, 200));
    expect(a.of('execute')).toHaveLength(0);
    a.send({ type: 'pull' });
    await waitUntil(() => a.of('execute').length === 2, 5000, 'two envelopes');
    expect(a.of('execute').map((m) => m.envelope.payload.executionId)).toEqual(ids);
    const third = (await launch([a.deviceId]))[0]!;
    const pushed = await a.waitFor('execute', (m) => m.envelope.payload.executionId === third);
    const envelope: Envelope = pushed.envelope;
    expect(envelope.payload).toMatchObject({ deviceId: a.deviceId, actionSlug: 'probe', parameters: { Who: 'ana' }, platform: 'linux' });
    expect(live.backend.ctx.signingKey.verify(canonicalJson(envelope.payload), envelope.signature)).toBe(true);
    // A second pull re-offers nothing already sent on this connection.
    a.send({ type: 'pull' });
    await new Promise((r) => setTimeout(r, 200));
    expect(a.of('execute')).toHaveLength(3);
    await a.close();
  });

  it('sends launched work at once, but never ahead of older work the connection has not carried', async () => {
    const a = await agent();
    const hub = live.backend.ctx.dispatcher as Hub;
    await waitUntil(() => hub.connection(a.deviceId)?.pulled === true, 5000, 'the pull');
    await new Promise((r) => setTimeout(r, 300)); // the pull's push round, which finds nothing
    // Queued as by another instance whose notification has not arrived here.
    const { response } = await launchExecutions(
      { ...live.backend.ctx, dispatcher: idleDispatcher },
      { principal: fleetPrincipal('test:other-instance'), request: { action: 'probe', devices: [a.deviceId], parameters: { Who: 'bo' }, triggerInfo: {} } },
    );
    const older = response.executions[0]!.id;
    await new Promise((r) => setTimeout(r, 200));
    expect(a.of('execute')).toHaveLength(0);
    const newer = (await launch([a.deviceId]))[0]!;
    await waitUntil(() => a.of('execute').length === 2, 5000, 'both envelopes');
    expect(a.of('execute').map((m) => m.envelope.payload.executionId)).toEqual([older, newer]);
    // Nothing older is unsent now, so the next launch goes straight out, and nothing is sent twice.
    const third = (await launch([a.deviceId]))[0]!;
    await a.waitFor('execute', (m) => m.envelope.payload.executionId === third);
    await new Promise((r) => setTimeout(r, 200));
    expect(a.of('execute').map((m) => m.envelope.payload.executionId)).toEqual([older, newer, third]);
    await a.close();
  });

  it('maps status, result and duplicates onto the state machine and acks every result', async () => {
    const a = await agent();
    const [id] = await launch([a.deviceId]);
    await a.waitFor('execute');
    const at = new Date().toISOString();
    a.send({ type: 'status', executionId: id, status: 'delivered', at });
    a.send({ type: 'status', executionId: id, status: 'running', at });
    await waitUntil(async () => (await execution(id!)).status === 'running', 5000, 'running');
    const result = {
      type: 'result', executionId: id, status: 'succeeded', exitCode: 0, error: null, stdoutTail: 'out', stderrTail: '',
      outputs: { count: 7, label: 'seven' }, truncated: false, at,
    };
    a.send(result);
    await a.waitFor('ack', (m) => m.executionId === id);
    expect(await execution(id!)).toMatchObject({ status: 'succeeded', exitCode: 0, stdoutTail: 'out', outputs: { count: 7, label: 'seven' } });
    expect((await row(a.deviceId)).outputs).toMatchObject({ 'probe.count': 7, 'probe.label': 'seven' });
    expect(deviceEvents).toContainEqual({ deviceId: a.deviceId, kind: 'outputs' });
    // A re-sent result (after a reconnect) is acked again and changes nothing; so is a late refusal.
    a.send({ ...result, status: 'failed', exitCode: 3 });
    await waitUntil(() => a.of('ack').filter((m) => m.executionId === id).length === 2, 5000, 'second ack');
    a.send({ type: 'refused', executionId: id, reason: 'replayed', message: 'seen' });
    a.send({ type: 'status', executionId: id, status: 'running', at });
    await new Promise((r) => setTimeout(r, 200));
    expect(await execution(id!)).toMatchObject({ status: 'succeeded', exitCode: 0 });
    await a.close();
  });

  it('records refusals and reasons, and acks results it cannot apply', async () => {
    const a = await agent();
    const other = await agent();
    const [refused, restarted, foreign] = [...(await launch([a.deviceId])), ...(await launch([a.deviceId])), ...(await launch([other.deviceId]))];
    a.send({ type: 'refused', executionId: refused, reason: 'bad_signature', message: 'no match' });
    await waitUntil(async () => (await execution(refused!)).status === 'failed', 5000, 'refused → failed');
    expect((await execution(refused!)).error).toBe('refused: bad_signature: no match');
    const base = { type: 'result', exitCode: null, stdoutTail: '', stderrTail: '', outputs: {}, truncated: false, at: new Date().toISOString() };
    a.send({ ...base, executionId: restarted, status: 'failed', reason: 'agent_restarted', error: 'the agent restarted while this execution ran' });
    await a.waitFor('ack', (m) => m.executionId === restarted);
    expect((await execution(restarted!)).error).toBe('agent_restarted: the agent restarted while this execution ran');
    // Another device's execution: acked (so it is not re-sent forever) but not applied.
    a.send({ ...base, executionId: foreign, status: 'succeeded', exitCode: 0, error: null });
    await a.waitFor('ack', (m) => m.executionId === foreign);
    expect((await execution(foreign!)).status).toBe('queued');
    // A Windows exit code above 2^31 and an undeclared output still store.
    const [big] = await launch([a.deviceId]);
    a.send({ ...base, executionId: big, status: 'failed', exitCode: 3221225477, error: null, outputs: { nope: 1 } });
    await a.waitFor('ack', (m) => m.executionId === big);
    expect(await execution(big!)).toMatchObject({ status: 'failed', exitCode: 3221225477 | 0 });
    expect((await execution(big!)).error).toMatch(/not declared/);
    await a.close();
    await other.close();
  });

  it('sends cancel to the agent, and again when it reports progress on a canceled execution', async () => {
    const a = await agent();
    const [id] = await launch([a.deviceId]);
    await a.waitFor('execute');
    expect((await live.api('POST', `/executions/${id}/cancel`)).status).toBe(200);
    await a.waitFor('cancel', (m) => m.executionId === id);
    a.send({ type: 'status', executionId: id, status: 'running', at: new Date().toISOString() });
    await waitUntil(() => a.of('cancel').length === 2, 5000, 'second cancel');
    a.send({ type: 'result', executionId: id, status: 'canceled', exitCode: null, error: 'canceled', reason: 'canceled', stdoutTail: '', stderrTail: '', outputs: {}, truncated: false, at: new Date().toISOString() });
    await a.waitFor('ack', (m) => m.executionId === id);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.of('cancel')).toHaveLength(2);
    // cancels and acks are sealed for this device and connection, and signed by the pinned key
    expect(a.of('cancel')[0]!.binding).toMatchObject({ deviceId: a.deviceId, connection: a.nonce });
    expect(a.badSeals).toEqual([]);
    await a.close();
  });

  it('stores facts (replacing the previous snapshot) and announces changes only', async () => {
    const a = await agent();
    deviceEvents.length = 0;
    a.send({ type: 'facts', facts: { os: { platform: 'linux', version: '12.5' }, disk: { free_pct: 40 } } });
    await waitUntil(async () => (await row(a.deviceId)).facts.disk, 5000, 'facts');
    expect((await row(a.deviceId)).osVersion).toBe('12.5');
    a.send({ type: 'facts', facts: { os: { platform: 'linux', version: '12.5' }, disk: { free_pct: 40 } } });
    a.send({ type: 'facts', facts: { os: { platform: 'linux', version: '12.6' } } });
    await waitUntil(async () => (await row(a.deviceId)).osVersion === '12.6', 5000, 'replaced');
    expect((await row(a.deviceId)).facts).toEqual({ os: { platform: 'linux', version: '12.6' } });
    expect(deviceEvents.filter((e) => e.deviceId === a.deviceId)).toEqual([
      { deviceId: a.deviceId, kind: 'facts' },
      { deviceId: a.deviceId, kind: 'facts' },
    ]);
    await a.close();
  });
});

describe('hostile frames after authentication', () => {
  it('answers each bad frame with an error, never answers an error, and keeps the connection', async () => {
    const a = await agent();
    let nested: unknown = 1;
    for (let i = 0; i < 40; i++) nested = { n: nested };
    const frames: [() => void, string][] = [
      [() => a.sendRaw('not json'), 'protocol_error'],
      [() => a.send({ type: 'launch-missiles' }), 'protocol_error'],
      [() => a.send({ type: 'pull', extra: 1 }), 'protocol_error'],
      [() => a.send({ type: 'status', executionId: "' or 1=1 --", status: 'running', at: 'now' }), 'protocol_error'],
      [() => a.sendRaw(Buffer.from('{"type":"pull"}'), true), 'protocol_error'],
      [() => a.sendRaw(`{"type":"facts","facts":{"x":"${'a'.repeat(CHANNEL_MAX_MESSAGE_BYTES)}"}}`), 'payload_too_large'],
      [() => a.send({ type: 'facts', facts: { big: 'b'.repeat(300 * 1024) } }), 'payload_too_large'],
      [() => a.send({ type: 'facts', facts: { 'k\u0000': 1 } }), 'protocol_error'],
      [() => a.send({ type: 'facts', facts: { deep: nested } }), 'protocol_error'],
      [() => a.sendRaw(`{"type":"facts","facts":{"deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`), 'protocol_error'],
      [() => a.send(a.hello()), 'protocol_error'],
    ];
    for (const [act, code] of frames) {
      const before = a.of('error').length;
      act();
      await waitUntil(() => a.of('error').length > before, 5000, code);
      expect(a.of('error')[before]!.code).toBe(code);
    }
    a.send({ type: 'error', code: 'protocol_error', message: 'your frame was bad' });
    a.send({ type: 'status', executionId: '00000000-0000-4000-8000-000000000000', status: 'running', at: new Date().toISOString() });
    a.send({ type: 'result', executionId: '00000000-0000-4000-8000-000000000000', status: 'succeeded', exitCode: 0, error: null, stdoutTail: '\u0000', stderrTail: '', outputs: {}, truncated: false, at: new Date().toISOString() });
    await a.waitFor('ack');
    expect(a.of('error')).toHaveLength(frames.length);
    expect(a.closed).toBeNull();
    // Still a working channel.
    const [id] = await launch([a.deviceId]);
    await a.waitFor('execute', (m) => m.envelope.payload.executionId === id);
    await a.close();
    await healthy();
  });

  it('closes on a frame past twice the limit without reading it', async () => {
    const a = await agent();
    a.sendRaw('x'.repeat(CHANNEL_MAX_MESSAGE_BYTES * 2 + 10));
    expect((await a.waitClosed()).code).toBe(1009);
    await healthy();
  });
});
