import { describe, expect, it } from 'vitest';
import { countChanges, diffLines, toHunks, type DiffLine } from './diff';

/** Applies a diff to the old lines; the result must be the new lines. */
function apply(diff: DiffLine[]): { old: string[]; new: string[] } {
  return {
    old: diff.filter((l) => l.kind !== 'add').map((l) => l.text),
    new: diff.filter((l) => l.kind !== 'del').map((l) => l.text),
  };
}

const render = (diff: DiffLine[]) => diff.map((l) => `${{ same: ' ', add: '+', del: '-' }[l.kind]}${l.text}`).join('\n');

describe('diffLines', () => {
  it('marks nothing for identical input', () => {
    const d = diffLines(['a', 'b'], ['a', 'b']);
    expect(d.every((l) => l.kind === 'same')).toBe(true);
    expect(countChanges(d)).toEqual({ added: 0, deleted: 0 });
  });

  it('finds a single changed line between unchanged ones', () => {
    expect(render(diffLines(['a', 'b', 'c'], ['a', 'x', 'c']))).toBe(' a\n-b\n+x\n c');
  });

  it('handles insertions and deletions at the edges and empty sides', () => {
    expect(render(diffLines([], ['a']))).toBe('+a');
    expect(render(diffLines(['a'], []))).toBe('-a');
    expect(render(diffLines(['a', 'b'], ['z', 'a', 'b', 'c']))).toBe('+z\n a\n b\n+c');
  });

  it('keeps the longest common subsequence (minimal edits)', () => {
    const a = 'abcabba'.split('');
    const b = 'cbabac'.split('');
    const d = diffLines(a, b);
    const { added, deleted } = countChanges(d);
    expect(added + deleted).toBe(5); // the classic Myers example: D = 5
    expect(apply(d)).toEqual({ old: a, new: b });
  });

  it('numbers lines on both sides', () => {
    const d = diffLines(['a', 'b', 'c'], ['a', 'c', 'd']);
    expect(d).toEqual([
      { kind: 'same', text: 'a', oldNo: 1, newNo: 1 },
      { kind: 'del', text: 'b', oldNo: 2, newNo: null },
      { kind: 'same', text: 'c', oldNo: 3, newNo: 2 },
      { kind: 'add', text: 'd', oldNo: null, newNo: 3 },
    ]);
  });

  it('reproduces both sides for random edits', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 200; round++) {
      const a = Array.from({ length: rand(30) }, () => String.fromCharCode(97 + rand(5)));
      const b = a.filter(() => rand(4) !== 0).flatMap((x) => (rand(5) === 0 ? [x, String.fromCharCode(97 + rand(5))] : [x]));
      const d = diffLines(a, b);
      expect(apply(d)).toEqual({ old: a, new: b });
      const olds = d.filter((l) => l.oldNo !== null).map((l) => l.oldNo);
      expect(olds).toEqual(a.map((_, i) => i + 1));
    }
  });

  it('stays correct when the edit count passes the search limit', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`);
    const d = diffLines(a, b);
    expect(apply(d)).toEqual({ old: a, new: b });
  });
});

describe('toHunks', () => {
  const old = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);

  it('keeps context around each change and leaves out long unchanged stretches', () => {
    const changed = [...old];
    changed[2] = 'changed 3';
    changed[16] = 'changed 17';
    const hunks = toHunks(diffLines(old, changed), 2);
    expect(hunks).toHaveLength(2);
    expect(hunks[0]!.oldStart).toBe(1);
    expect(hunks[0]!.lines.map((l) => l.text)).toEqual(['line 1', 'line 2', 'line 3', 'changed 3', 'line 4', 'line 5']);
    expect(hunks[1]!.oldStart).toBe(15);
    expect(hunks[1]!.newStart).toBe(15);
  });

  it('merges changes whose context overlaps', () => {
    const changed = [...old];
    changed[5] = 'x';
    changed[8] = 'y';
    expect(toHunks(diffLines(old, changed), 3)).toHaveLength(1);
  });

  it('gives no hunk when nothing changed', () => {
    expect(toHunks(diffLines(old, old))).toEqual([]);
  });

  it('starts a hunk of pure additions after the preceding line', () => {
    const hunks = toHunks(diffLines(['a', 'b'], ['a', 'b', 'c']), 0);
    expect(hunks).toEqual([{ oldStart: 3, newStart: 3, lines: [{ kind: 'add', text: 'c', oldNo: null, newNo: 3 }] }]);
  });
});
