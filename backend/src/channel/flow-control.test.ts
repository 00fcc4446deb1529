/** Pushing large envelopes to an agent that does not read: the hub stops adding to socket buffers past its budget. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enrollmentToken, RawAgent, startLiveBackend, waitUntil, type LiveBackend } from '../testing/live';

let live: LiveBackend;
beforeAll(async () => {
  live = await startLiveBackend({ channel: { sendBufferBytes: 1024 * 1024 } });
  const script = `#!/bin/sh\n${`# ${'x'.repeat(98)}\n`.repeat(5000)}echo big\n`;
  const created = await live.api('POST', '/actions', { slug: 'big-script', name: 'Big', purpose: 'data_collection', scripts: { linux: { source: script } } });
  expect(created.status).toBe(201);
});
afterAll(() => live?.stop());

it('holds back pushes while the socket buffers are over budget, and delivers everything in order once the agent reads', async () => {
  const agent = await RawAgent.enroll(live.url, await enrollmentToken(live.api));
  await agent.connect();
  const socket = (agent.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  socket.pause();
  const ids: string[] = [];
  for (let i = 0; i < 24; i++) {
    const res = await live.api('POST', '/executions', { action: 'big-script', devices: [agent.deviceId] });
    expect(res.status).toBe(202);
    ids.push(res.body.executions[0].id);
  }
  await new Promise((r) => setTimeout(r, 1000));
  const conn = live.backend.channel.hub.connection(agent.deviceId)!;
  expect(conn.sent.size).toBeLessThan(ids.length);
  expect(conn.buffered).toBeGreaterThan(0);
  // Other traffic is not held up meanwhile.
  expect((await fetch(`${live.url}/healthz`)).status).toBe(200);
  socket.resume();
  await waitUntil(() => agent.of('execute').length === ids.length, 20_000, 'every envelope');
  expect(agent.of('execute').map((m) => m.envelope.payload.executionId)).toEqual(ids);
  await agent.close();
});
