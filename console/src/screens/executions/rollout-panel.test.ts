import { describe, expect, it } from 'vitest';
import { executionStatuses, type ExecutionStatus } from '@fixpoint/protocol';
import { waveCells } from './RolloutPanel';

describe('waveCells', () => {
  it('groups a wave by what it means for the rollout: good, bad, still to run, dropped', () => {
    const counts = Object.fromEntries(executionStatuses.map((s) => [s, 0])) as Record<ExecutionStatus, number>;
    Object.assign(counts, { succeeded: 7, failed: 2, timed_out: 1, held: 3, queued: 1, running: 2, canceled: 1, expired: 4 });
    expect(waveCells({ percent: 10, minSuccessRate: 0.9, devices: 21, counts })).toEqual({ succeeded: 7, failed: 3, waiting: 6, dropped: 5 });
  });
});
