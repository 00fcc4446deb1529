/**
 * @module Device facts: what the agent reports about its machine at connect, when something stable changes, and
 * hourly. Keys are snake_case, as the query language reads them (`disk.free_pct`, `os.platform`).
 */
import os from 'node:os';
import { AGENT_VERSION } from '../config';
import { findConsoleUser } from '../exec/console-user';
import { windowsSessions } from '../exec/windows-sessions';
import { collectBattery } from './battery';
import { collectDisks, type DiskFact } from './disks';
import { collectOs } from './os-info';

export type Facts = Record<string, unknown>;

function ipAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? []) if (!a.internal && !a.address.startsWith('fe80:')) out.push(a.address);
  return out.sort();
}

/** The system volume: `/` on Linux and macOS (the data volume on recent macOS), C:\ on Windows. */
function systemDisk(disks: DiskFact[]): DiskFact | null {
  return disks.find((d) => d.mount === '/System/Volumes/Data') ?? disks.find((d) => d.mount === '/' || /^C:/i.test(d.mount)) ?? disks[0] ?? null;
}

/**
 * The console user's name (`DOMAIN\\name` on Windows), never the FIXPOINT_AGENT_CONSOLE_USER override meant for runs.
 */
export async function loggedInUser(
  platform: NodeJS.Platform = process.platform,
  lookups = { posix: findConsoleUser, windows: windowsSessions },
): Promise<string | null> {
  const env = { ...process.env, FIXPOINT_AGENT_CONSOLE_USER: undefined };
  if (platform === 'win32') return (await lookups.windows(env)).console?.name ?? null;
  return (await lookups.posix(env))?.name ?? null;
}

/** Collects every fact; a probe that fails leaves its fact empty rather than failing the whole report. */
export async function collectFacts(): Promise<Facts> {
  const [osFact, disks, battery, user] = await Promise.all([
    collectOs(),
    collectDisks().catch(() => [] as DiskFact[]),
    collectBattery().catch(() => null),
    loggedInUser().catch(() => null),
  ]);
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    os: osFact,
    arch: os.arch(),
    uptime_sec: Math.round(os.uptime()),
    cpu: { model: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length },
    memory: { total_bytes: os.totalmem(), free_bytes: os.freemem() },
    disk: systemDisk(disks),
    disks,
    logged_in_user: user,
    ip_addresses: ipAddresses(),
    agent_version: AGENT_VERSION,
    battery,
  };
}

/**
 * The part of the facts whose change is worth a report: everything except the always-moving values
 * (uptime, free memory), with free disk space rounded to whole percents.
 */
export function stableFactsKey(facts: Facts): string {
  const { uptime_sec: _u, memory, disk, disks, battery, ...rest } = facts as Facts & {
    memory?: { total_bytes?: number };
    disk?: DiskFact | null;
    disks?: DiskFact[];
    battery?: { percent?: number | null; status?: string } | null;
  };
  const roughDisk = (d: DiskFact | null | undefined) => (d ? { m: d.mount, t: d.total_bytes, f: Math.round(d.free_pct) } : null);
  return JSON.stringify({
    ...rest,
    memory: memory?.total_bytes,
    disk: roughDisk(disk),
    disks: (disks ?? []).map(roughDisk),
    battery: battery ? { s: battery.status, p: battery.percent === null || battery.percent === undefined ? null : Math.round(battery.percent / 5) } : null,
  });
}
