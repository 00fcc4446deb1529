/** @module Battery charge and state: /sys/class/power_supply on Linux, `pmset -g batt` on macOS. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execText } from '../exec/console-user';

export interface BatteryFact {
  percent: number | null;
  status: string;
  health_pct?: number;
}

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
};

/** The first battery under a power_supply directory, or null (desktops, servers). */
export function linuxBattery(root = '/sys/class/power_supply'): BatteryFact | null {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return null;
  }
  for (const name of names) {
    const dir = join(root, name);
    if (read(join(dir, 'type')) !== 'Battery') continue;
    const capacity = Number(read(join(dir, 'capacity')));
    const full = Number(read(join(dir, 'energy_full')) ?? read(join(dir, 'charge_full')));
    const design = Number(read(join(dir, 'energy_full_design')) ?? read(join(dir, 'charge_full_design')));
    return {
      percent: Number.isFinite(capacity) ? capacity : null,
      status: (read(join(dir, 'status')) ?? 'unknown').toLowerCase(),
      ...(full > 0 && design > 0 ? { health_pct: Math.round((full / design) * 100) } : {}),
    };
  }
  return null;
}

/** Parses `pmset -g batt`: "-InternalBattery-0 (id=…)	87%; discharging; 4:01 remaining present: true". */
export function parsePmset(text: string): BatteryFact | null {
  const m = /InternalBattery[^\t]*\t(\d+)%;\s*([^;]+);/.exec(text);
  return m ? { percent: Number(m[1]), status: m[2]!.trim().toLowerCase() } : null;
}

export async function collectBattery(): Promise<BatteryFact | null> {
  if (process.platform === 'linux') return linuxBattery();
  if (process.platform === 'darwin') return parsePmset((await execText('/usr/bin/pmset', ['-g', 'batt'])) ?? '');
  return null;
}
