/** Readings from /proc (Linux only): resident memory and CPU time of a process. */
import { readdirSync, readFileSync } from 'node:fs';

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** User + system CPU time in milliseconds (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 1/100 s). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The soft open-file limit of this process. */
export function openFileLimit(): number {
  const m = readFileSync('/proc/self/limits', 'utf8').match(/^Max open files\s+(\d+)/m);
  return m ? Number(m[1]) : NaN;
}

/** Open file descriptors of a process (entries of /proc/<pid>/fd). */
export const openFds = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;
