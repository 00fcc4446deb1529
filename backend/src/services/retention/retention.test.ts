import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { retentionSuite } from '../../testing/retention-suite';

retentionSuite('pglite');

describe('retention settings', () => {
  it('default to 90 days; detection runs follow but never below what cooldowns read; 0 keeps forever', () => {
    expect(loadConfig({}).retention).toEqual({ executionDays: 90, detectionDays: 90 });
    expect(loadConfig({ FIXPOINT_RETENTION_DAYS: '7' }).retention).toEqual({ executionDays: 7, detectionDays: 31 });
    expect(loadConfig({ FIXPOINT_RETENTION_DAYS: '0' }).retention).toEqual({ executionDays: 0, detectionDays: 0 });
    expect(loadConfig({ FIXPOINT_RETENTION_DAYS: '30', FIXPOINT_DETECTION_RETENTION_DAYS: '400' }).retention).toEqual({ executionDays: 30, detectionDays: 400 });
    expect(() => loadConfig({ FIXPOINT_DETECTION_RETENTION_DAYS: '10' })).toThrow(/FIXPOINT_DETECTION_RETENTION_DAYS: 0 \(keep forever\) or at least 31/);
    expect(() => loadConfig({ FIXPOINT_RETENTION_DAYS: '-1' })).toThrow(/FIXPOINT_RETENTION_DAYS/);
  });
});
