/**
 * Runs every Linux script of the library for real, through a signed envelope and the agent's runner, on this machine:
 * exit status, and declared outputs with the right types (the runner rejects a mistyped output, failing the run).
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { tempDir } from '../src/testing/helpers';
import { describeEachToolset, hasCommand, libraryAction, missingOutputs, runLinux } from './testing';

const action = libraryAction;
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
const age = (path: string, days: number) => utimesSync(path, daysAgo(days), daysAgo(days));
const systemd = existsSync('/run/systemd/system');

describeEachToolset('disk-usage', () => {
  it('measures the system drive by default', async () => {
    const r = await runLinux(action('disk-usage'));
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(missingOutputs(action('disk-usage'), r)).toEqual([]);
    const o = r.outputs as Record<string, number>;
    expect(r.outputs.path).toBe('/');
    expect(o.free_bytes).toBeGreaterThan(0);
    expect(o.total_bytes).toBeGreaterThanOrEqual(o.free_bytes!);
    expect(o.free_ratio).toBeGreaterThan(0);
    expect(o.free_ratio).toBeLessThanOrEqual(1);
  });

  it('measures the volume of a given folder, and fails clearly on a missing one without running its text', async () => {
    const dir = tempDir();
    const r = await runLinux(action('disk-usage'), { path: dir });
    expect(r.status).toBe('succeeded');
    expect(r.outputs).toMatchObject({ path: dir, total_bytes: expect.any(Number) });
    const marker = join(dir, 'pwned');
    const bad = await runLinux(action('disk-usage'), { path: `/nope/$(touch ${marker})` });
    expect(bad.status).toBe('failed');
    expect(bad.error).toContain('disk-usage: no such file or folder: /nope/$(touch');
    expect(existsSync(marker)).toBe(false);
  });
});

describeEachToolset('clear-temp-files', () => {
  function fixture() {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub dir'));
    const old = [join(dir, 'old.tmp'), join(dir, 'sub dir', 'we"ird \\ name.log')];
    writeFileSync(old[0]!, 'x'.repeat(100));
    writeFileSync(old[1]!, 'y'.repeat(23));
    const fresh = join(dir, 'fresh.tmp');
    writeFileSync(fresh, 'new');
    for (const f of old) age(f, 30);
    // An old link to a file outside: the link is not a file to delete, and its target is never touched.
    const target = join(tempDir(), 'keep-me');
    writeFileSync(target, 'precious');
    age(target, 30);
    symlinkSync(target, join(dir, 'link'));
    return { dir, old, fresh, target };
  }

  it('is a dry run by default: reports what it would delete and deletes nothing', async () => {
    const { dir, old, fresh } = fixture();
    const r = await runLinux(action('clear-temp-files'), { directory: dir });
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(missingOutputs(action('clear-temp-files'), r)).toEqual([]);
    expect(r.outputs).toMatchObject({ dry_run: true, folders: [dir], files_matched: 2, bytes_matched: 123, files_removed: 0, bytes_removed: 0 });
    expect([...(r.outputs.matched_files as string[])].sort()).toEqual([...old].sort());
    for (const f of [...old, fresh]) expect(existsSync(f)).toBe(true);
  });

  it('deletes only files older than min_age_days when dry_run is false, never a link target', async () => {
    const { dir, old, fresh, target } = fixture();
    const r = await runLinux(action('clear-temp-files'), { directory: dir, dry_run: false });
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(r.outputs).toMatchObject({ dry_run: false, files_matched: 2, files_removed: 2, bytes_removed: 123, files_failed: 0 });
    for (const f of old) expect(existsSync(f)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('precious');
    const younger = await runLinux(action('clear-temp-files'), { directory: fixture().dir, min_age_days: 60 });
    expect(younger.outputs).toMatchObject({ files_matched: 0, matched_files: [] });
  });

  it('refuses folders outside the temporary folders, also through a link', async () => {
    const r = await runLinux(action('clear-temp-files'), { directory: '/etc', dry_run: false });
    expect(r.status).toBe('failed');
    expect(r.error).toContain('refusing to clean /etc');
    const escape = join(tempDir(), 'escape');
    symlinkSync('/etc', escape);
    const viaLink = await runLinux(action('clear-temp-files'), { directory: escape, dry_run: false });
    expect(viaLink.error).toContain('refusing to clean /etc');
    const zero = await runLinux(action('clear-temp-files'), { directory: tempDir(), min_age_days: 0 });
    expect(zero.error).toContain('min_age_days must be a whole number from 1 to 3650');
  });

  it('looks at /tmp and /var/tmp by default (dry run)', async () => {
    const r = await runLinux(action('clear-temp-files'));
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(r.outputs).toMatchObject({ dry_run: true, files_removed: 0, folders: expect.arrayContaining(['/tmp']) });
  });
});

// What the service actions can do depends on this machine; each case skips, saying why, where it cannot happen.
// (Looked up in each test: the busybox pass puts its applets first on PATH.)
const serviceManager = () => systemd || hasCommand('rc-service');
const cups = () => hasCommand('cupsd') || existsSync('/usr/sbin/cupsd');

describeEachToolset('restart-service', () => {
  it('fails with a clear message where there is no service manager', async ({ skip }) => {
    skip(serviceManager(), 'this machine has a service manager (systemd or OpenRC)');
    const r = await runLinux(action('restart-service'), { service: 'cups' });
    expect(r.status).toBe('failed');
    expect(r.error).toBe('restart-service: no supported service manager: systemd is not running on this device and OpenRC (rc-service) is not installed');
  });

  it('names a service the service manager does not know', async ({ skip }) => {
    skip(!serviceManager(), 'no service manager (systemd or OpenRC) on this machine');
    const r = await runLinux(action('restart-service'), { service: 'fixpoint-no-such-service' });
    expect(r.error).toContain('no such service');
  });

  it('rejects hostile names and itself', async () => {
    const hostile = await runLinux(action('restart-service'), { service: 'cups; reboot' });
    expect(hostile.error).toBe('restart-service: invalid service name: cups; reboot');
    const self = await runLinux(action('restart-service'), { service: 'fixpoint-agent' });
    expect(self.error).toContain('cannot restart itself');
  });
});

describeEachToolset('restart-print-spooler', () => {
  it('fails clearly when CUPS is missing', async ({ skip }) => {
    skip(cups(), 'CUPS is installed on this machine');
    const r = await runLinux(action('restart-print-spooler'));
    expect(r.status).toBe('failed');
    expect(r.error).toBe('restart-print-spooler: CUPS (the print spooler) is not installed on this device');
  });

  it('restarts CUPS where it is installed, or says why it could not', async ({ skip }) => {
    skip(!cups(), 'CUPS is not installed on this machine');
    const r = await runLinux(action('restart-print-spooler'));
    if (r.status === 'succeeded') expect(r.outputs).toMatchObject({ running: true, jobs_cleared: 0 });
    else expect(r.error).toMatch(/^restart-print-spooler: /);
  });
});

describeEachToolset('flush-dns-cache and pending-reboot', () => {
  it('flush-dns-cache reports which caches it flushed (none is fine)', async () => {
    const r = await runLinux(action('flush-dns-cache'));
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(missingOutputs(action('flush-dns-cache'), r)).toEqual([]);
    expect(r.outputs.flushed).toBe((r.outputs.caches as string[]).length > 0);
  });

  it('pending-reboot answers with a bool and its reasons', async () => {
    const r = await runLinux(action('pending-reboot'));
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(missingOutputs(action('pending-reboot'), r)).toEqual([]);
    expect(r.outputs.pending).toBe((r.outputs.reasons as string[]).length > 0);
    expect(r.outputs.pending).toBe(existsSync('/run/reboot-required') || existsSync('/run/reboot-needed') ? true : r.outputs.pending);
  });
});

describeEachToolset('battery-health', () => {
  const saved = process.env.SYSFS_POWER_SUPPLY;
  afterEach(() => {
    if (saved === undefined) delete process.env.SYSFS_POWER_SUPPLY;
    else process.env.SYSFS_POWER_SUPPLY = saved;
  });
  /** A power_supply tree like the kernel's: one folder per supply, one file per attribute. */
  function sysfs(supplies: Record<string, Record<string, string>>): string {
    const root = tempDir();
    for (const [name, attributes] of Object.entries(supplies)) {
      mkdirSync(join(root, name));
      for (const [file, value] of Object.entries(attributes)) writeFileSync(join(root, name, file), `${value}\n`);
    }
    return root;
  }

  it('reports present=false and nothing else on this machine when it has no battery', async () => {
    const r = await runLinux(action('battery-health'));
    expect(r.status).toBe('succeeded');
    const hasBattery = r.outputs.present === true;
    if (!hasBattery) expect(r.outputs).toEqual({ present: false });
    else expect(r.outputs.health_ratio).toBeGreaterThan(0);
  });

  it('reads energy-based batteries and skips peripheral ones and mains', async () => {
    process.env.SYSFS_POWER_SUPPLY = sysfs({
      AC: { type: 'Mains', online: '1' },
      hidpp_battery_0: { type: 'Battery', scope: 'Device', capacity: '5' },
      BAT0: { type: 'Battery', energy_full_design: '57000000', energy_full: '45600000', cycle_count: '312', capacity: '81', status: 'Discharging', model_name: '5B10W13975' },
    });
    const r = await runLinux(action('battery-health'));
    expect(r.outputs).toEqual({
      present: true, model: '5B10W13975', design_capacity_mwh: 57000, full_capacity_mwh: 45600, health_ratio: 0.8,
      cycle_count: 312, charge_ratio: 0.81, status: 'Discharging',
    });
  });

  it('converts charge-based batteries with their voltage, and leaves out a cycle count of 0', async () => {
    process.env.SYSFS_POWER_SUPPLY = sysfs({
      BAT1: { type: 'Battery', charge_full_design: '5000000', charge_full: '4250000', voltage_min_design: '11100000', cycle_count: '0', capacity: '100', status: 'Full' },
    });
    const r = await runLinux(action('battery-health'));
    expect(r.outputs).toEqual({
      present: true, model: 'BAT1', design_capacity_mwh: 55500, full_capacity_mwh: 47175, health_ratio: 0.85, charge_ratio: 1, status: 'Full',
    });
    process.env.SYSFS_POWER_SUPPLY = sysfs({ mouse: { type: 'Battery', scope: 'Device' } });
    expect((await runLinux(action('battery-health'))).outputs).toEqual({ present: false });
  });
});
