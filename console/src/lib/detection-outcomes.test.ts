import { describe, expect, it } from 'vitest';
import { runOutcome } from './detection-outcomes';

describe('runOutcome', () => {
  it('names neutral self-help outcomes apart from the failed status they carry', () => {
    expect(runOutcome({ status: 'failed', neutral: 'declined' })).toEqual({ label: 'Declined by the user (neutral)', neutral: true });
    expect(runOutcome({ status: 'failed', neutral: 'no_user' })).toEqual({ label: 'Nobody logged in (neutral)', neutral: true });
    expect(runOutcome({ status: 'failed', neutral: null })).toEqual({ label: 'Failed', neutral: false });
    expect(runOutcome({ status: 'launched', neutral: null }).label).toBe('In flight');
  });
});
