import type { Execution } from '@fixpoint/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeEventSource, fakeFetch, flush, uuid as id } from '../testing/fakes';
import { createLaunchProgress, createLiveExecutions } from './live-executions';

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
