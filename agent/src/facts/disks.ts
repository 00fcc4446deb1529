/** @module Volumes and their free space: `df -kP` on Linux and macOS, statfs per drive letter on Windows. */
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { execText } from '../exec/console-user';

export interface DiskFact {
  mount: string;
  filesystem: string;
  total_bytes: number;
  free_bytes: number;
  free_pct: number;
}

// Pseudo and memory file systems say nothing about the device's disks.
const pseudo = /^(tmpfs|devtmpfs|udev|none|shm|proc|sysfs|cgroup2?|devfs|map |overlay-tmp|squashfs)/;
const pseudoMount = /^\/(proc|sys|dev|run)(\/|$)|^\/System\/Volumes\/(VM|Preboot|Update|xarts|iSCPreboot|Hardware)$/;

const pct = (free: number, total: number) => (total > 0 ? Math.round((free / total) * 1000) / 10 : 0);

/** Parses POSIX `df -kP` output (1024-byte blocks; the mount point may contain spaces). */
export function parseDf(text: string): DiskFact[] {
  const disks: DiskFact[] = [];
  for (const line of text.split('\n').slice(1)) {
    const m = /^(.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)%\s+(\/.*)$/.exec(line.trim());
    if (!m) continue;
    const [, filesystem, total, , avail, , mount] = m;
    if (pseudo.test(filesystem!) || pseudoMount.test(mount!)) continue;
    const totalBytes = Number(total) * 1024;
    const freeBytes = Number(avail) * 1024;
    disks.push({ mount: mount!, filesystem: filesystem!, total_bytes: totalBytes, free_bytes: freeBytes, free_pct: pct(freeBytes, totalBytes) });
  }
  return disks;
}

export async function collectDisks(): Promise<DiskFact[]> {
  if (process.platform !== 'win32') return parseDf((await execText('df', ['-kP'])) ?? '');
  const disks: DiskFact[] = [];
  for (const letter of 'CDEFGHIJKLMNOPQRSTUVWXYZ') {
    const mount = `${letter}:\\`;
    if (!existsSync(mount)) continue;
    try {
      const s = await statfs(mount);
      const total = s.blocks * s.bsize;
      const free = s.bavail * s.bsize;
      disks.push({ mount, filesystem: letter, total_bytes: total, free_bytes: free, free_pct: pct(free, total) });
    } catch {
      // removable drive without media
    }
  }
  return disks;
}
