/**
 * @module Killing a process tree on Windows. `taskkill /T /F` is the way; where it fails and the root is still alive
 * (Wine's taskkill has no /T, and rejects the whole command), the tree is walked through WMI's parent links
 * (`wmic process get ParentProcessId,ProcessId`) and every process in it is terminated. `wmic` is missing from
 * the newest Windows 11 by default, where `taskkill /T` works.
 */
import { execFile } from 'node:child_process';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** wmic's table as [parent, child] pairs. Its output is UTF-16 when it goes to a pipe or file, ANSI on some systems. */
export function parseProcessTable(output: Buffer): [number, number][] {
  const utf16 = output.length > 1 && (output[0] === 0xff || output.subarray(0, 64).filter((b) => b === 0).length > 8);
  const text = output.toString(utf16 ? 'utf16le' : 'latin1');
  const pairs: [number, number][] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line.replace(/^\ufeff/, ''));
    if (m) pairs.push([Number(m[1]), Number(m[2])]);
  }
  return pairs;
}

/** `root` and everything below it, root first. */
export function treeOf(pairs: [number, number][], root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [parent, child] of pairs) if (parent !== child) children.set(parent, [...(children.get(parent) ?? []), child]);
  const tree = new Set([root]);
  // a Set iterates what is added during the loop, in insertion order: breadth first, each process once
  for (const pid of tree) for (const child of children.get(pid) ?? []) tree.add(child);
  return [...tree];
}

/**
 * Terminates `pid` and every process below it by WMI's parent links. Also what is left when `pid` itself is gone:
 * Windows keeps an orphan's ParentProcessId, so the children of a dead run are still found by it.
 */
export function killByWmi(pid: number): void {
  execFile('wmic', ['process', 'get', 'ParentProcessId,ProcessId'], { windowsHide: true, encoding: 'buffer', timeout: 30_000 }, (err, stdout) => {
    if (err) return;
    // collected before the first kill, so a dying parent cannot hide its children
    for (const member of treeOf(parseProcessTable(stdout), pid)) {
      try {
        process.kill(member, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/** Forcefully ends `pid` and its descendants; taskkill /F is the only kill Windows offers for a tree. */
export function killTreeByPid(pid: number): void {
  execFile('taskkill', ['/PID', String(pid), '/T', '/F'], { windowsHide: true, timeout: 30_000 }, (err) => {
    if (err && isAlive(pid)) killByWmi(pid);
  });
}
