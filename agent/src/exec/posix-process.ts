/**
 * @module POSIX process trees. Every script starts in a new session (spawn `detached`), so its process group id is
 * its pid and one signal to `-pid` reaches every child and grandchild it did not move out on purpose.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import type { ProcessExit, RunningProcess, SpawnRequest } from './platform';

interface ProcStat {
  state: string;
  pgid: number;
  startTime: string;
}

/** Linux `/proc/<pid>/stat`: state, process group and start time (clock ticks since boot). */
export function procStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; fields resume after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', pgid: Number(fields[2]), startTime: fields[19] ?? '' };
  } catch {
    return null;
  }
}

const hasProc = process.platform === 'linux';

/** True while `pid` runs. A zombie (exited, waiting to be reaped) counts as gone. */
export function isProcessAlive(pid: number): boolean {
  if (hasProc) {
    const st = procStat(pid);
    return st !== null && st.state !== 'Z' && st.state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Live members of process group `pgid` (Linux only; elsewhere an empty list). */
export function groupMembers(pgid: number): number[] {
  if (!hasProc) return [];
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(Number(name));
    if (st && st.pgid === pgid && st.state !== 'Z' && st.state !== 'X') pids.push(Number(name));
  }
  return pids;
}

/** Sends `signal` to a whole process group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while process group `pgid` has a member still running. */
function groupRuns(pgid: number): boolean {
  if (hasProc) return groupMembers(pgid).length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once group `pgid` has no running member, or after `maxMs`. */
async function groupGone(pgid: number, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  while (groupRuns(pgid) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}

/**
 * Kills a process group left by a previous agent process. The start-time token guards against pid reuse: a live
 * leader with another start time is a different process and is left alone. A dead leader with live members is still
 * ours, because a group id cannot be reused while the group has members.
 */
export function killLeftoverGroup(pgid: number, startToken: string | undefined): boolean {
  if (hasProc) {
    const leader = procStat(pgid);
    const leaderAlive = leader !== null && leader.state !== 'Z' && leader.state !== 'X';
    if (leaderAlive && (leader.pgid !== pgid || (startToken && leader.startTime !== startToken))) return false;
    if (!leaderAlive && groupMembers(pgid).length === 0) return false;
  }
  return signalGroup(pgid, 'SIGKILL');
}

/** The start-time token of `pid` (Linux); undefined elsewhere. */
export function processStartToken(pid: number): string | undefined {
  return hasProc ? procStat(pid)?.startTime : undefined;
}

/**
 * Spawns a script in its own process group. `exited` resolves once the leader exited, its pipes closed and the rest of
 * its group is gone. When the leader exits on its own, stragglers left in its group are killed at once so nothing
 * outlives the execution.
 */
export function spawnInGroup(request: SpawnRequest, asUid?: { uid: number; gid: number }): RunningProcess {
  const graceMs = request.killGraceMs ?? 5000;
  const child = spawn(request.command, request.args, {
    cwd: request.cwd,
    env: request.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asUid ?? {}),
  });
  const pid = child.pid;
  let forceTimer: NodeJS.Timeout | null = null;
  let signalled = false;
  const exited = new Promise<ProcessExit>((resolve) => {
    let exit: ProcessExit | null = null;
    let settled = false;
    const settle = (value: ProcessExit) => {
      if (settled) return;
      settled = true;
      // A signalled member may still be dying; the result waits for it, up to the SIGKILL grace and a second.
      if (pid === undefined || !signalled) return resolve(value);
      void groupGone(pid, forceTimer ? graceMs + 1000 : 1000).then(() => resolve(value));
    };
    child.once('error', (err) => {
      if (pid === undefined) settle({ code: null, signal: null, error: err.message });
    });
    let pipesTimer: NodeJS.Timeout | null = null;
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      if (pid !== undefined && !forceTimer) signalled = signalGroup(pid, 'SIGKILL');
      // A child that left the group could hold the pipes open forever; stop waiting for them after a moment.
      pipesTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        settle(exit!);
      }, forceTimer ? graceMs + 1000 : 2000);
      pipesTimer.unref();
    });
    child.once('close', (code, signal) => {
      // cleared, not left to run out: its closure holds the child, its pipes and their read buffers for two seconds,
      // which at one run every 25 ms kept some 80 finished children (and 10 MiB of buffers) alive
      if (pipesTimer) clearTimeout(pipesTimer);
      settle(exit ?? { code, signal });
    });
  });
  return {
    pid,
    stdout: child.stdout,
    stderr: child.stderr,
    exited,
    killTree: () => {
      if (pid === undefined || forceTimer) return;
      signalled = signalGroup(pid, 'SIGTERM');
      forceTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      forceTimer.unref();
    },
  };
}
