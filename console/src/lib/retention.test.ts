import { describe, expect, it } from 'vitest';
import { describeRetention } from './retention';

describe('describeRetention', () => {
  it('says how long each kind of history is kept', () => {
    expect(describeRetention({ executionDays: 90, detectionDays: 90 })).toBe('Finished executions and detection runs are kept for 90 days.');
    expect(describeRetention({ executionDays: 1, detectionDays: 1 })).toBe('Finished executions and detection runs are kept for 1 day.');
    expect(describeRetention({ executionDays: 7, detectionDays: 31 })).toBe('Finished executions are kept for 7 days, detection runs 31 days.');
    expect(describeRetention({ executionDays: 0, detectionDays: 60 })).toBe('Finished executions are kept forever, detection runs 60 days.');
    expect(describeRetention({ executionDays: 30, detectionDays: 0 })).toBe('Finished executions are kept for 30 days, detection runs forever.');
    expect(describeRetention({ executionDays: 0, detectionDays: 0 })).toBe('Finished executions and detection runs are kept forever.');
  });
});
