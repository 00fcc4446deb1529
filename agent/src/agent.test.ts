import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent, type AgentOptions } from './agent';
import { posixPlatform } from './exec/platform-posix';
import { FakeServer, waitUntil } from './testing/fake-server';
import { enrolledState, startTestAgent, tempDir } from './testing/helpers';
import { Journal } from './state/journal';
import { readStatusFile } from './state/status-file';

let server: FakeServer;
let agent: Agent | null = null;

function startAgent(extra: Partial<AgentOptions> = {}, maxConcurrency = 2) {
  const { paths, identity } = enrolledState(server);
  agent = startTestAgent({ paths, identity }, { collectFacts: async () => ({ hostname: 'test-host' }), maxConcurrency, ...extra });
  return { paths, deviceId: identity.deviceId };
}

beforeEach(async () => {
  server = new FakeServer();
  await server.start();
});

afterEach(async () => {
  await agent?.stop();
  agent = null;
  await server.stop();
});

describe('agent over the channel', () => {
  it('authenticates, reports facts, pulls, runs a pushed envelope and records the ack', async () => {
    const { deviceId, paths } = startAgent();
    await server.waitFor('pull');
    expect((await server.waitFor('facts')).facts).toEqual({ hostname: 'test-host' });
    const e = server.launch(deviceId, { script: 'echo hello; fixpoint output answer 42', outputs: [{ name: 'answer', type: 'int', description: '' }] });
    const id = e.payload.executionId;
    const result = await server.waitFor('result', id);
    expect(result).toMatchObject({ status: 'succeeded', exitCode: 0, stdoutTail: 'hello\n', outputs: { answer: 42 } });
    expect(server.messages('status', id).map((m) => m.status)).toEqual(['delivered', 'running']);
    await waitUntil(() => Journal.open(paths.journal, { readOnly: true }).get(id)?.acked, 5000, 'ack in journal');
    expect(readStatusFile(paths)).toMatchObject({ state: 'connected', pid: process.pid });
  });

  it('delivers pending work in order on connect and never runs more than maxConcurrency at once', async () => {
    const log = join(tempDir(), 'log');
    writeFileSync(log, '');
    const { paths, identity } = enrolledState(server);
    const ids = [1, 2, 3, 4, 5].map(
      (n) => server.launch(identity.deviceId, { script: `echo "start ${n} $(date +%s%N)" >> ${log}; sleep 0.4; echo "end ${n} $(date +%s%N)" >> ${log}` }).payload.executionId,
    );
    agent = new Agent({
      paths, identity, platform: posixPlatform,
      config: { requirePublisherSignature: false, publisherKeys: [], maxConcurrency: 2 },
      collectFacts: async () => ({}),
    });
    agent.start();
    for (const id of ids) expect((await server.waitFor('result', id)).status).toBe('succeeded');
    const events = readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' '));
    // Spawn order is launch order (two scripts started together may still print in either order).
    const running = server.messages('status').filter((m) => m.status === 'running').map((m) => m.executionId);
    expect(running).toEqual(ids);
    let active = 0;
    let peak = 0;
    for (const [kind] of [...events].sort((a, b) => Number(BigInt(a[2]!) - BigInt(b[2]!)))) {
      active += kind === 'start' ? 1 : -1;
      peak = Math.max(peak, active);
    }
    expect(peak).toBe(2);
  });

  it('refuses tampered, foreign, expired and replayed envelopes without running them', async () => {
    const { deviceId, paths } = startAgent();
    await server.waitFor('pull');
    const marker = join(tempDir(), 'ran');
    const script = `echo x >> ${marker}`;
    const tampered = { ...server.envelope(deviceId, { script }), script: `${script}; echo evil` };
    const otherDevice = server.envelope('99999999-2222-4333-8444-555555555555', { script });
    const expired = server.envelope(deviceId, { script, expiresInSec: -5 });
    for (const e of [tampered, otherDevice, expired]) server.launch(deviceId, e);
    expect((await server.waitFor('refused', tampered.payload.executionId)).reason).toBe('script_hash_mismatch');
    expect((await server.waitFor('refused', otherDevice.payload.executionId)).reason).toBe('wrong_device');
    expect((await server.waitFor('refused', expired.payload.executionId)).reason).toBe('expired');

    const good = server.launch(deviceId, { script });
    await server.waitFor('result', good.payload.executionId);
    await waitUntil(() => Journal.open(paths.journal, { readOnly: true }).get(good.payload.executionId)?.acked, 5000, 'ack');
    server.send(deviceId, { type: 'execute', envelope: good });
    expect((await server.waitFor('refused', good.payload.executionId)).reason).toBe('replayed');
    expect(readFileSync(marker, 'utf8')).toBe('x\n');
  });

  it('re-sends an unacked result instead of running a duplicate delivery, and again after reconnecting', async () => {
    server.autoAck = false;
    const { deviceId, paths } = startAgent();
    await server.waitFor('pull');
    const marker = join(tempDir(), 'ran');
    const e = server.launch(deviceId, { script: `echo x >> ${marker}` });
    const id = e.payload.executionId;
    await server.waitFor('result', id);
    server.send(deviceId, { type: 'execute', envelope: e });
    await waitUntil(() => server.messages('result', id).length === 2, 5000, 'second result');

    await server.stop();
    await server.start();
    await waitUntil(() => server.messages('result', id).length === 3, 10_000, 'result re-sent after reconnect');
    expect(server.connections).toBeGreaterThanOrEqual(2);
    server.send(deviceId, { type: 'ack', executionId: id });
    await waitUntil(() => Journal.open(paths.journal, { readOnly: true }).get(id)?.acked, 5000, 'ack');
    expect(readFileSync(marker, 'utf8')).toBe('x\n');
    expect(server.messages('refused', id)).toEqual([]);
  });

  it('offers a result again while connected when the server never acked it (it could not store it), and stops once acked', async () => {
    server.autoAck = false;
    const { deviceId } = startAgent({ resultResendMs: 150 });
    await server.waitFor('pull');
    const connections = server.connections;
    const e = server.launch(deviceId, { script: 'true' });
    const id = e.payload.executionId;
    await server.waitFor('result', id);
    server.send(deviceId, { type: 'error', code: 'internal', message: 'the server could not handle this message' });
    await waitUntil(() => server.messages('result', id).length >= 3, 5000, 'the result offered again');
    expect(server.connections).toBe(connections);
    server.send(deviceId, { type: 'ack', executionId: id });
    await new Promise((r) => setTimeout(r, 200));
    const after = server.messages('result', id).length;
    await new Promise((r) => setTimeout(r, 600));
    expect(server.messages('result', id).length).toBe(after);
  });

  it('reconnects after a server restart and receives work pushed afterwards', async () => {
    const { deviceId } = startAgent();
    await server.waitFor('pull');
    await server.stop();
    await new Promise((r) => setTimeout(r, 300));
    await server.start();
    await waitUntil(() => server.messages('pull').length >= 2, 10_000, 'second pull');
    const e = server.launch(deviceId, { script: 'echo back' });
    expect((await server.waitFor('result', e.payload.executionId)).stdoutTail).toBe('back\n');
  });

  it('answers malformed, oversized and binary frames with errors and keeps working', async () => {
    const { deviceId } = startAgent();
    await server.waitFor('pull');
    server.sendRaw(deviceId, '{not json');
    server.sendRaw(deviceId, JSON.stringify({ type: 'execute', envelope: { nope: true } }));
    server.sendRaw(deviceId, JSON.stringify({ type: 'reboot' }));
    server.sendRaw(deviceId, JSON.stringify({ type: 'challenge', nonce: 'a'.repeat(32) }));
    // unsigned: a control frame without its seal is refused like any other bad frame
    server.sendRaw(deviceId, JSON.stringify({ type: 'ack', executionId: '00000000-0000-4000-8000-000000000009' }));
    server.sendRaw(deviceId, JSON.stringify({ type: 'x', pad: 'y'.repeat(2.5 * 1024 * 1024) }));
    server.sendRaw(deviceId, Buffer.from([1, 2, 3]), true);
    server.send(deviceId, { type: 'error', code: 'internal', message: 'server had a bad day' });
    await waitUntil(() => server.messages('error').length >= 7, 5000, 'seven error replies');
    const codes = server.messages('error').map((m) => m.code);
    expect(codes.filter((c) => c === 'protocol_error')).toHaveLength(6);
    expect(codes).toContain('payload_too_large');
    const e = server.launch(deviceId, { script: 'echo still fine' });
    expect((await server.waitFor('result', e.payload.executionId)).status).toBe('succeeded');
    expect(server.connections).toBe(1);
  });

  it('cancels queued and running executions', async () => {
    const { deviceId } = startAgent({}, 1);
    await server.waitFor('pull');
    const running = server.launch(deviceId, { script: 'sleep 30' });
    const queued = server.launch(deviceId, { script: 'echo never' });
    await waitUntil(() => server.messages('status', running.payload.executionId).some((s) => s.status === 'running'), 5000, 'running');
    server.send(deviceId, { type: 'cancel', executionId: queued.payload.executionId });
    server.send(deviceId, { type: 'cancel', executionId: running.payload.executionId });
    expect(await server.waitFor('result', queued.payload.executionId)).toMatchObject({ status: 'canceled', stdoutTail: '' });
    expect((await server.waitFor('result', running.payload.executionId)).status).toBe('canceled');
  });

  it('drops a connection that no longer answers pings, and reconnects', async () => {
    await server.stop();
    server = new FakeServer({ autoPong: false });
    await server.start();
    startAgent({ channel: { keepaliveMs: 150, backoff: { baseMs: 10, capMs: 50 } } });
    await waitUntil(() => server.connections >= 2, 5000, 'a second connection');
  });

  it('sends facts at connect, again when they change, and not when nothing changed', async () => {
    let hostname = 'before';
    startAgent({ collectFacts: async () => ({ hostname, uptime_sec: Math.random() }), factsCheckMs: 50 });
    await server.waitFor('facts');
    await new Promise((r) => setTimeout(r, 300));
    expect(server.messages('facts')).toHaveLength(1);
    hostname = 'after';
    await waitUntil(() => server.messages('facts').length === 2, 5000, 'changed facts');
    expect(server.messages('facts')[1]!.facts.hostname).toBe('after');
  });

  it('keeps retrying with backoff when the server rejects its credentials', async () => {
    const { paths, deviceId } = startAgent();
    await server.waitFor('pull');
    server.devices.delete(deviceId);
    await server.stop();
    await server.start();
    await waitUntil(() => server.connections >= 4, 10_000, 'several attempts');
    expect(readStatusFile(paths)?.lastError).toMatch(/unauthenticated/);
  });
});
