import { describe, expect, it } from 'vitest';
import { factSummary } from './facts';

describe('factSummary', () => {
  it('lists the known facts present, in order, and skips nested values', () => {
    expect(factSummary({ 'disk.free_pct': 12, 'os.name': 'Debian', other: 'x', 'network.ip': { v4: '10.0.0.2' } })).toBe('os.name: Debian · disk.free_pct: 12');
    expect(factSummary({})).toBe('');
  });
});
