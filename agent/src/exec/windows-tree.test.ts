import { describe, expect, it } from 'vitest';
import { parseProcessTable, treeOf } from './windows-tree';

describe('the Windows process tree fallback', () => {
  it('reads wmic tables in UTF-16 (with or without a byte order mark) and in ANSI', () => {
    const table = 'ParentProcessId  ProcessId  \r\n0                4          \r\n4                76         \r\n76               300        \r\n\r\n';
    const expected = [[0, 4], [4, 76], [76, 300]];
    expect(parseProcessTable(Buffer.from(`\ufeff${table}`, 'utf16le'))).toEqual(expected);
    expect(parseProcessTable(Buffer.from(table, 'utf16le'))).toEqual(expected);
    expect(parseProcessTable(Buffer.from(table, 'latin1'))).toEqual(expected);
  });

  it('takes the root and all its descendants, root first, and nothing else', () => {
    const pairs: [number, number][] = [[0, 4], [4, 76], [76, 300], [300, 310], [76, 320], [4, 90], [90, 91], [0, 0]];
    expect(treeOf(pairs, 76)).toEqual([76, 300, 320, 310]);
    expect(treeOf(pairs, 310)).toEqual([310]);
    // a cycle (a reused pid) cannot loop
    expect(treeOf([[1, 2], [2, 1]], 1)).toEqual([1, 2]);
  });
});
