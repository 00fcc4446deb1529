// @vitest-environment node
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PromptRequest } from '@fixpoint/protocol';
import { PromptQueue } from './prompt-queue';

const hour = 3600_000;
function prompt(overrides: Partial<PromptRequest> = {}): PromptRequest {
  return { requestId: randomUUID(), urgency: 'normal', expiresAt: new Date(Date.UTC(2030, 0, 1)).toISOString(), ...overrides } as PromptRequest;
}

function setup(busy = false) {
  const clock = { now: Date.UTC(2029, 0, 1) };
  const state = { busy };
  const queue = new PromptQueue({ minGapMs: 6 * hour, now: () => clock.now, busy: async () => state.busy });
  return { queue, clock, state };
}

describe('prompt queue', () => {
  it('shows one prompt at a time, urgent ones first', async () => {
    const { queue } = setup();
    const normal = prompt();
    const urgent = prompt({ urgency: 'urgent' });
    queue.upsert(normal);
    queue.upsert(urgent);
    expect(await queue.next()).toEqual({ show: urgent });
    queue.markShown(urgent.requestId);
    expect(await queue.next()).toEqual({ idle: true });
    queue.remove(urgent.requestId);
    // the gap after the urgent one holds the normal one back
    expect(await queue.next()).toEqual({ waitMs: 6 * hour });
  });

  it('keeps a minimum gap between non-urgent prompts, which urgent ones and the user ignore', async () => {
    const { queue, clock } = setup();
    const [a, b, c] = [prompt(), prompt(), prompt({ urgency: 'urgent' })];
    queue.upsert(a);
    queue.markShown(a.requestId);
    queue.remove(a.requestId);
    queue.upsert(b);
    clock.now += hour;
    expect(await queue.next()).toEqual({ waitMs: 5 * hour });
    expect(await queue.next(true)).toEqual({ show: b });
    queue.upsert(c);
    expect(await queue.next()).toEqual({ show: c });
    clock.now += 5 * hour;
    queue.remove(c.requestId);
    expect(await queue.next()).toEqual({ show: b });
  });

  it('holds non-urgent prompts while the user is busy or has asked not to be disturbed', async () => {
    const { queue, clock, state } = setup(true);
    const p = prompt();
    queue.upsert(p);
    expect(await queue.next()).toEqual({ waitMs: 60_000 });
    state.busy = false;
    queue.setDnd(clock.now + hour);
    expect(queue.dndActiveUntil).toBe(clock.now + hour);
    expect(await queue.next()).toEqual({ waitMs: hour });
    const urgent = prompt({ urgency: 'urgent' });
    queue.upsert(urgent);
    state.busy = true;
    expect(await queue.next()).toEqual({ show: urgent });
  });

  it('brings postponed prompts back after their delay, keeps an agent-side postpone, and drops expired ones', async () => {
    const { queue, clock } = setup();
    const p = prompt();
    queue.upsert(p);
    queue.markShown(p.requestId);
    queue.snooze(p.requestId, hour);
    expect(queue.current).toBeNull();
    // the agent sends it again (a reconnect) without the local postpone: the later time wins
    queue.upsert(p);
    expect(await queue.next()).toEqual({ waitMs: hour });
    const later = prompt({ notBefore: new Date(clock.now + 2 * hour).toISOString() });
    queue.upsert(later);
    expect(await queue.next()).toEqual({ waitMs: hour });
    const expired = prompt({ expiresAt: new Date(clock.now - 1).toISOString() });
    queue.upsert(expired);
    await queue.next();
    expect(queue.count).toBe(2);
  });
});

describe('prompt queue with a deadline', () => {
  it('brings a postponed prompt back for its countdown, past the do-not-disturb rules', async () => {
    const { queue, clock } = setup(true);
    const at = new Date(clock.now + 2 * hour).toISOString();
    const request = prompt({ deadline: { at, countdownSec: 600, postponesLeft: 1 } });
    queue.upsert(request);
    queue.markShown(request.requestId);
    queue.snooze(request.requestId, 24 * hour);
    queue.setDnd(clock.now + 10 * hour);
    expect(await queue.next()).toEqual({ waitMs: 2 * hour - 600_000 });
    clock.now += 2 * hour - 600_000;
    // busy, in the gap and under do-not-disturb, yet the countdown goes on screen
    expect(await queue.next()).toEqual({ show: request });
  });
});
