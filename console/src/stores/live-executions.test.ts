import type { Execution } from '@fixpoint/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeEventSource, fakeFetch, flush, uuid as id } from '../testing/fakes';
import { createLaunchProgress, createLiveExecutions, rolloutRecheckMs } from './live-executions';

const execution = (n: number, status: Execution['status'] = 'queued'): Execution => ({
  id: id(n), requestId: id(9), deviceId: id(8), actionId: 'a', actionSlug: 'x', actionVersionId: 'v', actionVersion: 1, status, trigger: 'manual',
  triggerInfo: {}, requestedBy: 'user:ana', parameters: {}, expiresAt: '2024-01-02T00:00:00Z', createdAt: '2024-01-01T00:00:00Z',
  deliveredAt: null, startedAt: null, finishedAt: null, exitCode: null, error: null, stdoutTail: null, stderrTail: null, outputs: null, neutral: null,
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers(); // the worker's next file must not inherit fake timers from a failed case
});

describe('launch progress', () => {
  it('counts per status from the summary, then moves counts with each event', async () => {
    const api = fakeFetch({
      [`GET /api/v1/requests/${id(9)}`]: () => ({ id: id(9), total: 2, counts: { queued: 2 } }),
      'GET /api/v1/executions': () => ({ items: [execution(1), execution(2)], total: 2, next: null }),
    });
    vi.stubGlobal('fetch', api.fetch);
    const live = fakeEventSource();
    const launch = createLaunchProgress(id(9), { eventSource: live.create, refreshMs: 10_000 });
    expect(live.sources[0]!.url).toBe(`/api/v1/executions/events?requestId=${id(9)}`);
    await flush();
    expect(launch.progress.value?.counts.queued).toBe(2);
    live.open();
    expect(launch.live.value).toBe('live');
    await flush();
    live.emit({ id: id(1), status: 'running' });
    live.sendRaw('not json');
    live.emit({ id: id(1), status: 'delivered' });
    expect(launch.progress.value?.counts).toMatchObject({ queued: 1, running: 1 });
    expect(launch.executions.value[0]!.status).toBe('running');
    live.drop();
    expect(launch.live.value).toBe('connecting');
    launch.dispose();
    expect(live.sources.every((s) => s.closed)).toBe(true);
  });

  it('holds events that arrive while reading and applies them on top', async () => {
    const waiting: (() => void)[] = [];
    const api = fakeFetch({
      [`GET /api/v1/requests/${id(9)}`]: () => ({ id: id(9), total: 1, counts: { queued: 1 } }),
      'GET /api/v1/executions': () => ({ items: [execution(1)], total: 1, next: null }),
    });
    vi.stubGlobal('fetch', (input: string, init?: RequestInit) => new Promise<Response>((resolve) => waiting.push(() => resolve(api.fetch(input, init)))));
    const live = fakeEventSource();
    const launch = createLaunchProgress(id(9), { eventSource: live.create });
    live.emit({ id: id(1), status: 'succeeded' });
    expect(launch.progress.value).toBeNull();
    for (const answer of waiting) answer();
    await flush();
    await flush();
    expect(launch.progress.value?.counts).toMatchObject({ queued: 0, succeeded: 1 });
    launch.dispose();
  });
});

describe('a staged launch', () => {
  const none = { held: 0, queued: 0, delivered: 0, running: 0, succeeded: 0, failed: 0, timed_out: 0, canceled: 0, expired: 0 };
  const rollout = (state: string, first: Partial<typeof none>, extra: Record<string, unknown> = {}) => ({
    state, currentWave: 1, waitSec: 0, breaker: { window: 20, minResults: 5, failureRate: 0.5 }, pausedReason: null, nextWaveAt: null,
    waves: [{ percent: 50, minSuccessRate: 1, devices: 1, counts: { ...none, ...first } }, { percent: 100, minSuccessRate: 0.9, devices: 1, counts: { ...none, held: 1 } }],
    ...extra,
  });
  const summaryWith = (r: ReturnType<typeof rollout>) => ({ id: id(9), total: 2, counts: {}, rollout: r }) as never;

  it('reads again while a running rollout is due to step: its current wave ended, at the next wave when it waits', () => {
    expect(rolloutRecheckMs(summaryWith(rollout('running', { failed: 1 })), 0, 1000)).toBe(1000);
    expect(rolloutRecheckMs(summaryWith(rollout('running', { running: 1 })), 0, 1000)).toBeNull();
    expect(rolloutRecheckMs(summaryWith(rollout('paused', { failed: 1 })), 0, 1000)).toBeNull();
    const waiting = rollout('running', { succeeded: 1 }, { nextWaveAt: '2024-01-01T00:01:00Z' });
    expect(rolloutRecheckMs(summaryWith(waiting), Date.parse('2024-01-01T00:00:00Z'), 1000)).toBe(60_000);
    expect(rolloutRecheckMs({ id: id(9), total: 2, counts: {}, rollout: null } as never, 0, 1000)).toBeNull();
  });

  it('shows the pause the server decided after the last result, with no event of its own', async () => {
    vi.useFakeTimers();
    // the first read comes before the server paused the rollout; nothing more arrives on the stream
    const reads = [rollout('running', { failed: 1 }), rollout('paused', { failed: 1 }, { pausedReason: 'wave 1: 0 of 1 runs succeeded' })];
    const api = fakeFetch({
      [`GET /api/v1/requests/${id(9)}`]: () => ({ id: id(9), total: 2, counts: { failed: 1, held: 1 }, rollout: reads.length > 1 ? reads.shift() : reads[0] }),
      'GET /api/v1/executions': () => ({ items: [execution(1, 'failed'), execution(2, 'held')], total: 2, next: null }),
    });
    vi.stubGlobal('fetch', api.fetch);
    const live = fakeEventSource();
    const launch = createLaunchProgress(id(9), { eventSource: live.create, refreshMs: 50 });
    await vi.advanceTimersByTimeAsync(0);
    expect(launch.summary.value?.rollout?.state).toBe('running');
    await vi.advanceTimersByTimeAsync(60);
    expect(launch.summary.value?.rollout).toMatchObject({ state: 'paused', pausedReason: 'wave 1: 0 of 1 runs succeeded' });
    const calls = api.calls.length;
    await vi.advanceTimersByTimeAsync(500);
    // paused: nothing is due, nothing more is read
    expect(api.calls.length).toBe(calls);
    launch.dispose();
  });

  it('shows the state the server announces in a request.rollout event at once, without reading again', async () => {
    vi.useFakeTimers();
    const api = fakeFetch({
      [`GET /api/v1/requests/${id(9)}`]: () => ({ id: id(9), total: 2, counts: { failed: 1, held: 1 }, rollout: rollout('running', { failed: 1 }) }),
      'GET /api/v1/executions': () => ({ items: [execution(1, 'failed'), execution(2, 'held')], total: 2, next: null }),
    });
    vi.stubGlobal('fetch', api.fetch);
    const live = fakeEventSource();
    // the fallback re-read is far off: only the event can move the state within this test
    const launch = createLaunchProgress(id(9), { eventSource: live.create, refreshMs: 60_000 });
    await vi.advanceTimersByTimeAsync(0);
    const calls = api.calls.length;
    const paused = rollout('paused', { failed: 1 }, { pausedReason: 'wave 1: 0 of 1 runs succeeded' });
    live.emitRollout({ ...paused, requestId: id(7) });
    expect(launch.summary.value?.rollout?.state).toBe('running');
    live.emitRollout({ ...paused, requestId: id(9) });
    expect(launch.summary.value?.rollout).toMatchObject({ state: 'paused', pausedReason: 'wave 1: 0 of 1 runs succeeded', currentWave: 1 });
    // a caller who sees part of the fleet gets no counts: the ones last read stay
    live.emitRollout({ ...rollout('canceled', {}), requestId: id(9), waves: null });
    expect(launch.summary.value?.rollout?.state).toBe('canceled');
    expect(launch.summary.value?.rollout?.waves[0]!.counts.failed).toBe(1);
    live.emitRollout({ requestId: id(9), state: 'bogus' });
    expect(launch.summary.value?.rollout?.state).toBe('canceled');
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.calls.length).toBe(calls);
    launch.dispose();
  });

  it('reads again when a release queues held executions', async () => {
    vi.useFakeTimers();
    let current = rollout('running', { running: 1 });
    const api = fakeFetch({
      [`GET /api/v1/requests/${id(9)}`]: () => ({ id: id(9), total: 2, counts: { running: 1, held: 1 }, rollout: current }),
      'GET /api/v1/executions': () => ({ items: [execution(1, 'running'), execution(2, 'held')], total: 2, next: null }),
    });
    vi.stubGlobal('fetch', api.fetch);
    const live = fakeEventSource();
    const launch = createLaunchProgress(id(9), { eventSource: live.create, refreshMs: 50 });
    await vi.advanceTimersByTimeAsync(0);
    const calls = api.calls.length;
    current = { ...rollout('running', { succeeded: 1 }), currentWave: 2 };
    live.emit({ id: id(2), status: 'queued' });
    await vi.advanceTimersByTimeAsync(60);
    expect(api.calls.length).toBeGreaterThan(calls);
    expect(launch.summary.value?.rollout?.currentWave).toBe(2);
    launch.dispose();
  });
});

describe('live execution list', () => {
  it('updates known rows at once and reads the page again for new executions', async () => {
    vi.useFakeTimers();
    let items = [execution(1)];
    const api = fakeFetch({ 'GET /api/v1/executions': () => ({ items, total: items.length, next: null }) });
    vi.stubGlobal('fetch', api.fetch);
    const live = fakeEventSource();
    const list = createLiveExecutions({ filter: { status: undefined }, eventSource: live.create, refreshMs: 50 });
    await vi.advanceTimersByTimeAsync(0);
    expect(list.page.value?.items).toHaveLength(1);
    live.emit({ id: id(1), status: 'running' });
    expect(list.page.value?.items[0]!.status).toBe('running');
    const reads = api.calls.length;
    items = [execution(2), { ...execution(1), status: 'running' }];
    live.emit({ id: id(2), status: 'queued' });
    live.emit({ id: id(2), status: 'delivered' });
    await vi.advanceTimersByTimeAsync(60);
    // Two events about a new execution, one read.
    expect(api.calls.length).toBe(reads + 1);
    expect(list.page.value?.items.map((e) => e.id)).toEqual([id(2), id(1)]);
    list.dispose();
    vi.useRealTimers();
  });
});
