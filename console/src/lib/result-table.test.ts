import { describe, expect, it } from 'vitest';
import { formatCell, nextSort, pageOf, sortRows } from './result-table';

describe('formatCell', () => {
  it('shows each column type as text', () => {
    expect(formatCell(null, { name: 'name', type: 'string' })).toBe('');
    expect(formatCell(true, { name: 'online', type: 'boolean' })).toBe('yes');
    expect(formatCell(['a', 'b'], { name: 'tags', type: 'string-list' })).toBe('a, b');
    expect(formatCell({ x: 1 }, { name: 'os', type: 'json' })).toBe('{"x":1}');
    expect(formatCell(12.5, { name: 'count', type: 'number' })).toBe('12.5');
    expect(formatCell('2024-05-01T12:03:00Z', { name: 'last_seen', type: 'datetime' })).toMatch(/^2024-05-0\d \d\d:\d3$/);
    // Facts and outputs read as on the device page, by the column's name or its output type.
    expect(formatCell(81608687616, { name: 'memory.total_bytes', type: 'json' })).toBe('76 GB');
    expect(formatCell(12.34, { name: 'disk.free_pct', type: 'json' })).toBe('12.3 %');
    expect(formatCell(1016, { name: 'uptime_sec', type: 'json' })).toBe('17 min');
    expect(formatCell(0.3016, { name: 'remote_action.disk.used', type: 'ratio' as never })).toBe('30.2 %');
  });
});

describe('sortRows', () => {
  const rows = [['b', 10, null], ['a', 2, '2024-01-02T00:00:00Z'], ['c', null, '2023-01-01T00:00:00Z'], ['a10', 2, null]];

  it('sorts numbers as numbers and puts empty cells last in both directions', () => {
    expect(sortRows(rows, { column: 1, direction: 'asc' }, 'number').map((r) => r[0])).toEqual(['a', 'a10', 'b', 'c']);
    expect(sortRows(rows, { column: 1, direction: 'desc' }, 'number').map((r) => r[0])).toEqual(['b', 'a', 'a10', 'c']);
  });

  it('sorts text naturally and dates by time, keeping ties in query order', () => {
    expect(sortRows([['a10'], ['a9'], ['B']], { column: 0, direction: 'asc' }, 'string').map((r) => r[0])).toEqual(['a9', 'a10', 'B']);
    expect(sortRows(rows, { column: 2, direction: 'desc' }, 'datetime').map((r) => r[0])).toEqual(['a', 'c', 'b', 'a10']);
  });

  it('does not change its input', () => {
    const copy = structuredClone(rows);
    sortRows(rows, { column: 0, direction: 'desc' }, 'string');
    expect(rows).toEqual(copy);
  });

  it('flips the direction on the same column', () => {
    expect(nextSort(null, 2)).toEqual({ column: 2, direction: 'asc' });
    expect(nextSort({ column: 2, direction: 'asc' }, 2)).toEqual({ column: 2, direction: 'desc' });
    expect(nextSort({ column: 2, direction: 'desc' }, 1)).toEqual({ column: 1, direction: 'asc' });
  });
});

describe('pageOf', () => {
  it('cuts pages and clamps the page number', () => {
    const rows = Array.from({ length: 45 }, (_, i) => i);
    expect(pageOf(rows, 1, 20)).toMatchObject({ page: 1, pages: 3, from: 21, to: 40 });
    expect(pageOf(rows, 9, 20)).toMatchObject({ page: 2, from: 41, to: 45, items: [40, 41, 42, 43, 44] });
    expect(pageOf([], 0, 20)).toMatchObject({ page: 0, pages: 1, from: 0, to: 0, items: [] });
  });
});
