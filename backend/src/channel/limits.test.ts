/**
 * Channel limits against a listening backend: a flood is cut off, an agent's reconnect burst is not, and facts are
 * stored at most `factsPerMinute` times a minute per device.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devices } from '../db/schema';
import { enrollmentToken, RawAgent, startLiveBackend, waitUntil, type LiveBackend } from '../testing/live';
import { factsPerMinute, FrameBudget, frameLimits } from './limits';

let live: LiveBackend;
let token: string;
beforeAll(async () => {
  live = await startLiveBackend();
  token = await enrollmentToken(live.api);
});
afterAll(() => live?.stop());

const factsOf = async (deviceId: string) => (await live.backend.ctx.db.select().from(devices).where(eq(devices.id, deviceId)))[0]!.facts;
const rateLimited = (a: RawAgent) => a.of('error').filter((e) => e.code === 'rate_limited');

describe('frame budget', () => {
  it('lets a burst through, drops past it, refills with time, and closes on a sustained flood', () => {
    const budget = new FrameBudget(0);
    for (let i = 0; i < frameLimits.burst; i++) expect(budget.take(0)).toBe('ok');
    expect(budget.take(0)).toBe('limited');
    expect(budget.take(0)).toBe('drop');
    // one frame's worth of refill: one frame passes, the episode goes on (no second reply)
    const tick = 1000 / frameLimits.perSecond;
    expect(budget.take(tick)).toBe('ok');
    expect(budget.take(tick)).toBe('drop');
    // faster than the refill: every fifth frame passes, drops pile up until the connection is closed
    const outcomes: string[] = [];
    for (let i = 0; outcomes.at(-1) !== 'close' && i < 100_000; i++) outcomes.push(budget.take(tick + (i * tick) / 5));
    expect(outcomes.at(-1)).toBe('close');
    expect(outcomes.filter((o) => o === 'limited')).toEqual([]);
    // a quiet spell refills the bucket and ends the episode
    const later = new FrameBudget(0);
    for (let i = 0; i <= frameLimits.burst; i++) later.take(0);
    expect(later.take(0)).toBe('drop');
    expect(later.take((frameLimits.burst / frameLimits.perSecond) * 1000)).toBe('ok');
    for (let i = 1; i < frameLimits.burst; i++) later.take((frameLimits.burst / frameLimits.perSecond) * 1000);
    expect(later.take((frameLimits.burst / frameLimits.perSecond) * 1000)).toBe('limited');
  });
});

describe('agent channel limits', () => {
  it('cuts off a device that floods the channel, and its facts do not replace the stored ones past the cap', async () => {
    const a = await RawAgent.enroll(live.url, token);
    await a.connect();
    // A sustained flood: rounds of frames, with a turn of the event loop between them so the close is seen, until the
    // server cuts the device off (a server slowed by a busy machine reads them later, not fewer of them).
    for (let n = 0, until = Date.now() + 60_000; n < 200_000 && a.ws!.readyState === 1 && Date.now() < until; ) {
      for (const end = n + 500; n < end; n++) a.send({ type: 'facts', facts: { n } });
      await new Promise((r) => setImmediate(r));
    }
    expect(await a.waitClosed()).toEqual({ code: 1008, reason: 'rate_limited' });
    expect(rateLimited(a).length).toBeGreaterThan(0);
    await waitUntil(async () => (await factsOf(a.deviceId)).n !== undefined, 5000, 'facts');
    expect((await factsOf(a.deviceId)).n).toBeLessThan(factsPerMinute);
    expect((await fetch(`${live.url}/healthz`)).status).toBe(200);
  });

  it('takes a reconnecting agent’s burst of results without limiting it', async () => {
    const a = await RawAgent.enroll(live.url, token);
    await a.connect();
    const ids = Array.from({ length: 1500 }, () => randomUUID());
    const at = new Date().toISOString();
    for (const executionId of ids)
      a.send({ type: 'result', executionId, status: 'succeeded', exitCode: 0, error: null, stdoutTail: '', stderrTail: '', outputs: {}, truncated: false, at });
    await waitUntil(() => a.of('ack').length === ids.length, 60_000, 'every result acked');
    expect(rateLimited(a)).toEqual([]);
    expect(a.closed).toBeNull();
    await a.close();
  }, 90_000); // beyond the 60 s the acks may take on a busy machine

  it(`stores facts at most ${factsPerMinute} times a minute per device, across reconnects, and refuses the rest`, async () => {
    const a = await RawAgent.enroll(live.url, token);
    await a.connect();
    for (let n = 1; n <= factsPerMinute + 2; n++) a.send({ type: 'facts', facts: { n } });
    await waitUntil(() => rateLimited(a).length === 2, 5000, 'two refusals');
    await waitUntil(async () => (await factsOf(a.deviceId)).n === factsPerMinute, 5000, 'the last allowed facts');
    await a.close();
    await a.connect();
    a.send({ type: 'facts', facts: { n: 100 } });
    await waitUntil(() => rateLimited(a).length === 1, 5000, 'refused after reconnecting');
    expect((await factsOf(a.deviceId)).n).toBe(factsPerMinute);
    const realNow = live.backend.ctx.now;
    live.backend.ctx.now = () => new Date(Date.now() + 61_000);
    try {
      a.send({ type: 'facts', facts: { n: 101 } });
      await waitUntil(async () => (await factsOf(a.deviceId)).n === 101, 5000, 'facts in the next minute');
    } finally {
      live.backend.ctx.now = realNow;
    }
    await a.close();
  });
});
