import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeServer, waitUntil } from '../testing/fake-server';
import { Backoff } from './backoff';
import { apiUrl, channelUrl } from './channel-url';

describe('backoff', () => {
  it('grows exponentially up to the cap, with full jitter', () => {
    const max = new Backoff({ random: () => 0.999999 });
    const bounds = Array.from({ length: 9 }, () => max.next(0));
    expect(bounds).toEqual([999, 1999, 3999, 7999, 15999, 31999, 59999, 59999, 59999]);
    const min = new Backoff({ random: () => 0 });
    expect(min.next()).toBe(0);
  });

  it('resets only after a connection stayed up for a minute', () => {
    const b = new Backoff({ random: () => 0.999999 });
    for (let i = 0; i < 5; i++) b.next(0);
    b.connected(1000);
    expect(b.next(30_000)).toBe(31999); // flapping: keeps growing
    b.connected(100_000);
    expect(b.next(160_000)).toBe(999);
  });
});

describe('channel URLs', () => {
  it('maps http(s) to ws(s) and keeps a path prefix', () => {
    expect(channelUrl('https://fp.example.com')).toBe('wss://fp.example.com/api/v1/agent/channel');
    expect(channelUrl('http://127.0.0.1:8080/base/')).toBe('ws://127.0.0.1:8080/base/api/v1/agent/channel');
    expect(apiUrl('https://fp.example.com/base', '/api/v1/enroll')).toBe('https://fp.example.com/base/api/v1/enroll');
  });
});

describe('the server side of the contract (fake server) with a hostile client', () => {
  const server = new FakeServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('answers malformed frames and bad hellos with errors, without crashing', async () => {
    const ws = new WebSocket(channelUrl(server.url));
    const replies: { type: string; code?: string }[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    const closed = new Promise((r) => ws.once('close', r));
    await new Promise((r) => ws.once('open', r));
    await waitUntil(() => replies[0]?.type === 'challenge', 5000, 'challenge');
    ws.send('{"type":"hello"');
    ws.send(JSON.stringify({ type: 'result', executionId: 'not-a-uuid' }));
    ws.send(JSON.stringify({ type: 'pull' }));
    ws.send(JSON.stringify({ type: 'facts', facts: { big: 'x'.repeat(2.2 * 1024 * 1024) } }));
    await waitUntil(() => replies.length >= 5, 5000, 'four errors');
    expect(replies.slice(1).map((r) => r.code)).toEqual(['protocol_error', 'protocol_error', 'protocol_error', 'payload_too_large']);
    ws.send(JSON.stringify({ type: 'hello', deviceId: '11111111-2222-4333-8444-555555555555', signature: 'AAAA', agentVersion: '1', protocolVersion: 1 }));
    await waitUntil(() => replies.some((r) => r.code === 'unauthenticated'), 5000, 'unauthenticated');
    await closed;
  });
});
