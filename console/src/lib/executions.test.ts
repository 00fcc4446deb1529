import type { Execution, ExecutionEvent } from '@fixpoint/protocol';
import { describe, expect, it } from 'vitest';
import {
  applyEventToList, applyProgressEvent, filterFromSearch, finishedCount, isNewer, progressFrom, timeline, withEvent,
} from './executions';

const execution = (id: string, status: Execution['status'] = 'queued'): Execution => ({
  id, requestId: 'r', deviceId: 'd', actionId: 'a', actionSlug: 'x', actionVersionId: 'v', actionVersion: 1, status, trigger: 'manual',
  triggerInfo: {}, requestedBy: 'user:ana', parameters: {}, expiresAt: '2024-01-02T00:00:00Z', createdAt: '2024-01-01T00:00:00Z',
  deliveredAt: null, startedAt: null, finishedAt: null, exitCode: null, error: null, stdoutTail: null, stderrTail: null, outputs: null, neutral: null,
});
const event = (id: string, status: Execution['status'], at = '2024-01-01T00:00:05Z'): ExecutionEvent => ({ type: 'execution', id, requestId: 'r', deviceId: 'd', status, at });

describe('events on a list', () => {
  it('stamps the time each status brings and never goes back', () => {
    const running = withEvent(execution('1'), event('1', 'running'));
    expect(running).toMatchObject({ status: 'running', deliveredAt: '2024-01-01T00:00:05Z', startedAt: '2024-01-01T00:00:05Z' });
    const done = withEvent(running, event('1', 'succeeded', '2024-01-01T00:00:09Z'));
    expect(done.finishedAt).toBe('2024-01-01T00:00:09Z');
    expect(withEvent(done, event('1', 'running'))).toBe(done);
    expect(isNewer('succeeded', 'failed')).toBe(false);
  });

  it('asks for a refresh for unknown executions and finished ones', () => {
    const items = [execution('1'), execution('2')];
    expect(applyEventToList(items, event('3', 'queued')).refresh).toBe(true);
    const delivered = applyEventToList(items, event('1', 'delivered'));
    expect(delivered.refresh).toBe(false);
    expect(delivered.items[0]!.status).toBe('delivered');
    expect(items[0]!.status).toBe('queued');
    expect(applyEventToList(delivered.items, event('1', 'failed')).refresh).toBe(true);
  });

  it('reads filters from the URL and drops unknown values', () => {
    const f = filterFromSearch(new URLSearchParams('status=running&trigger=nope&action=%20clean%20&device='));
    expect(f).toEqual({ status: 'running', action: 'clean', deviceId: undefined, trigger: undefined });
  });
});

describe('progress of a launch', () => {
  it('moves counts from the old status to the new one', () => {
    let p = progressFrom({ total: 3, counts: { queued: 3 } }, [execution('1'), execution('2'), execution('3')]);
    p = applyProgressEvent(p, event('1', 'running')).progress;
    p = applyProgressEvent(p, event('1', 'succeeded')).progress;
    p = applyProgressEvent(p, event('2', 'failed')).progress;
    expect(p.counts).toMatchObject({ queued: 1, running: 0, succeeded: 1, failed: 1 });
    expect(finishedCount(p)).toBe(2);
  });

  it('ignores stale events and reports unknown executions', () => {
    const p = progressFrom({ total: 1, counts: { succeeded: 1 } }, [execution('1', 'succeeded')]);
    expect(applyProgressEvent(p, event('1', 'running'))).toEqual({ progress: p, unknown: false });
    expect(applyProgressEvent(p, event('9', 'running'))).toEqual({ progress: p, unknown: true });
  });
});

describe('timeline', () => {
  it('gives each step its time and the gap from the one before', () => {
    const steps = timeline({ ...execution('1', 'succeeded'), deliveredAt: '2024-01-01T00:00:01Z', startedAt: '2024-01-01T00:00:01.5Z', finishedAt: '2024-01-01T00:01:10Z' });
    expect(steps.map((s) => [s.label, s.afterSec])).toEqual([['Queued', null], ['Delivered', 1], ['Running', 0.5], ['Finished (succeeded)', 68.5]]);
    expect(timeline(execution('1')).map((s) => s.at)).toEqual(['2024-01-01T00:00:00Z', null, null, null]);
  });
});
