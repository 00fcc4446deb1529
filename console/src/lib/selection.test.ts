import { describe, expect, it } from 'vitest';
import { presetFromSearch, toggleSelection } from './selection';

const rows = ['a', 'b', 'c', 'd', 'e'];

describe('row selection', () => {
  it('toggles one row without shift', () => {
    const first = toggleSelection(new Set(), rows, null, 'b', false);
    expect([...first.selected]).toEqual(['b']);
    expect(first.anchor).toBe('b');
    expect([...toggleSelection(first.selected, rows, 'b', 'b', false).selected]).toEqual([]);
  });

  it('selects the range between the anchor and a shift-clicked row, in either direction', () => {
    expect([...toggleSelection(new Set(['b']), rows, 'b', 'd', true).selected].sort()).toEqual(['b', 'c', 'd']);
    expect([...toggleSelection(new Set(['d']), rows, 'd', 'a', true).selected].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('clears a range when the shift-clicked row was selected', () => {
    expect([...toggleSelection(new Set(rows), rows, 'a', 'c', true).selected].sort()).toEqual(['d', 'e']);
  });

  it('falls back to one row when the anchor is not among the rows shown', () => {
    expect([...toggleSelection(new Set(), rows, 'zz', 'c', true).selected]).toEqual(['c']);
  });
});

describe('deep-link presets', () => {
  it('reads the action and every other parameter', () => {
    expect(presetFromSearch(new URLSearchParams('action=restart-vpn&Profile=lab&Force=true&q=devices'))).toEqual({
      action: 'restart-vpn',
      parameters: { Profile: 'lab', Force: 'true' },
    });
  });

  it('is null without an action', () => {
    expect(presetFromSearch(new URLSearchParams('Profile=lab'))).toBeNull();
    expect(presetFromSearch(new URLSearchParams('action=%20'))).toBeNull();
  });
});
