import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/helpers';
import { linuxBattery, parsePmset } from './battery';
import { parseDf } from './disks';
import { collectFacts, stableFactsKey } from './index';
import { parseOsRelease } from './os-info';

describe('facts', () => {
  it('parses df -kP, skipping pseudo file systems and keeping mount points with spaces', () => {
    const df = `Filesystem     1024-blocks      Used Available Capacity Mounted on
/dev/nvme0n1p2   488245288 390596232  72830344      85% /
tmpfs              8133412         0   8133412       0% /dev/shm
/dev/sdb1          1000000    250000    750000      25% /media/USB Stick
overlay           10000000   5000000   5000000      50% /var/lib/docker/x
`;
    expect(parseDf(df)).toEqual([
      { mount: '/', filesystem: '/dev/nvme0n1p2', total_bytes: 499963174912, free_bytes: 74578272256, free_pct: 14.9 },
      { mount: '/media/USB Stick', filesystem: '/dev/sdb1', total_bytes: 1024000000, free_bytes: 768000000, free_pct: 75 },
      { mount: '/var/lib/docker/x', filesystem: 'overlay', total_bytes: 10240000000, free_bytes: 5120000000, free_pct: 50 },
    ]);
  });

  it('reads a Linux battery from power_supply', () => {
    const root = tempDir();
    mkdirSync(join(root, 'AC'));
    writeFileSync(join(root, 'AC', 'type'), 'Mains\n');
    mkdirSync(join(root, 'BAT0'));
    for (const [f, v] of [['type', 'Battery'], ['capacity', '57'], ['status', 'Discharging'], ['energy_full', '40000'], ['energy_full_design', '50000']])
      writeFileSync(join(root, 'BAT0', f!), `${v}\n`);
    expect(linuxBattery(root)).toEqual({ percent: 57, status: 'discharging', health_pct: 80 });
    expect(linuxBattery(join(root, 'missing'))).toBeNull();
  });

  it('parses pmset and os-release', () => {
    expect(parsePmset("Now drawing from 'Battery Power'\n -InternalBattery-0 (id=123)\t87%; discharging; 4:01 remaining present: true\n")).toEqual({ percent: 87, status: 'discharging' });
    expect(parseOsRelease('NAME="Debian GNU/Linux"\nVERSION_ID="12"\n')).toEqual({ name: 'Debian GNU/Linux', version: '12' });
  });

  it('collects real facts on this machine', async () => {
    const facts = await collectFacts();
    expect(facts).toMatchObject({ hostname: expect.any(String), arch: process.arch, agent_version: expect.any(String) });
    expect((facts.os as { platform: string }).platform).toBe('linux');
    expect((facts.cpu as { cores: number }).cores).toBeGreaterThan(0);
    expect((facts.disks as unknown[]).length).toBeGreaterThan(0);
    expect(facts.disk).toMatchObject({ free_pct: expect.any(Number) });
  });

  it('ignores always-moving values when deciding whether facts changed', () => {
    const a = { hostname: 'h', uptime_sec: 1, memory: { total_bytes: 8, free_bytes: 1 }, disk: { mount: '/', filesystem: 'x', total_bytes: 100, free_bytes: 50, free_pct: 50.2 } };
    const b = { ...a, uptime_sec: 99, memory: { total_bytes: 8, free_bytes: 5 }, disk: { ...a.disk, free_pct: 49.9 } };
    expect(stableFactsKey(a)).toBe(stableFactsKey(b));
    expect(stableFactsKey(a)).not.toBe(stableFactsKey({ ...a, hostname: 'renamed' }));
  });
});
