/**
 * @module A line diff (Myers' O(ND) algorithm) and its grouping into hunks, for comparing action versions: the
 * console's version history and the backend's approvals queue use the same one. Zod-free, like `parameters.ts`.
 */

export interface DiffLine {
  kind: 'same' | 'add' | 'del';
  text: string;
  /** 1-based line number in the old text (null for added lines). */
  oldNo: number | null;
  /** 1-based line number in the new text (null for deleted lines). */
  newNo: number | null;
}

export interface DiffHunk {
  oldStart: number;
  newStart: number;
  lines: DiffLine[];
}

/** Past this many edits the diff stops searching for the shortest script and shows the middle as replaced. */
const maxEdits = 2000;

/** Shortest edit script between two line lists, with unchanged lines kept in place. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ kind: 'same', text: a[i]!, oldNo: i + 1, newNo: i + 1 });
  const middle = myers(a.slice(start, endA), b.slice(start, endB));
  for (const line of middle)
    out.push({ ...line, oldNo: line.oldNo === null ? null : line.oldNo + start, newNo: line.newNo === null ? null : line.newNo + start });
  for (let i = endA, j = endB; i < a.length; i++, j++) out.push({ kind: 'same', text: a[i]!, oldNo: i + 1, newNo: j + 1 });
  return out;
}

function myers(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return replaced(a, b);
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[-d-1 .. d+1] as it was before step d: enough to walk back from the end.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace);
    }
  }
  return replaced(a, b);
}

function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[]): DiffLine[] {
  const out: DiffLine[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const snapshot = trace[d]!;
    const at = (k: number) => snapshot[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ kind: 'same', text: a[x - 1]!, oldNo: x, newNo: y });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) out.push({ kind: 'add', text: b[y - 1]!, oldNo: null, newNo: y });
    else out.push({ kind: 'del', text: a[x - 1]!, oldNo: x, newNo: null });
    x = prevX;
    y = prevY;
  }
  return out.reverse();
}

function replaced(a: readonly string[], b: readonly string[]): DiffLine[] {
  return [
    ...a.map((text, i): DiffLine => ({ kind: 'del', text, oldNo: i + 1, newNo: null })),
    ...b.map((text, i): DiffLine => ({ kind: 'add', text, oldNo: null, newNo: i + 1 })),
  ];
}

/** Groups a diff into hunks of changes with `context` unchanged lines around each; unchanged stretches are left out. */
export function toHunks(lines: readonly DiffLine[], context = 3): DiffHunk[] {
  const changed = lines.map((l, i) => (l.kind === 'same' ? -1 : i)).filter((i) => i >= 0);
  const hunks: DiffHunk[] = [];
  let from = -1;
  let to = -1;
  const flush = () => {
    if (from < 0) return;
    const slice = lines.slice(from, to + 1);
    const first = slice[0]!;
    hunks.push({ oldStart: first.oldNo ?? oldBefore(lines, from) + 1, newStart: first.newNo ?? newBefore(lines, from) + 1, lines: slice });
  };
  for (const i of changed) {
    const lo = Math.max(0, i - context);
    const hi = Math.min(lines.length - 1, i + context);
    if (from >= 0 && lo <= to + 1) to = Math.max(to, hi);
    else {
      flush();
      from = lo;
      to = hi;
    }
  }
  flush();
  return hunks;
}

function oldBefore(lines: readonly DiffLine[], index: number): number {
  for (let i = index - 1; i >= 0; i--) if (lines[i]!.oldNo !== null) return lines[i]!.oldNo!;
  return 0;
}

function newBefore(lines: readonly DiffLine[], index: number): number {
  for (let i = index - 1; i >= 0; i--) if (lines[i]!.newNo !== null) return lines[i]!.newNo!;
  return 0;
}

/** Counts of added and deleted lines, for a summary such as "+3 −1". */
export function countChanges(lines: readonly DiffLine[]): { added: number; deleted: number } {
  let added = 0;
  let deleted = 0;
  for (const l of lines) {
    if (l.kind === 'add') added++;
    else if (l.kind === 'del') deleted++;
  }
  return { added, deleted };
}
