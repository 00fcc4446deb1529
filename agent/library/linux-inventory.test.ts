/** Runs the Linux scripts of the inventory actions (files, software, uptime, logs) for real through the agent's runner. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { tempDir } from '../src/testing/helpers';
import { describeEachToolset, hasCommand, libraryAction as action, missingOutputs, runLinux } from './testing';

const MiB = 1024 * 1024;

describeEachToolset('list-large-files', () => {
  it('lists the largest files first, with the count and total of all files above the minimum', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a b'));
    writeFileSync(join(dir, 'big.iso'), Buffer.alloc(3 * MiB));
    writeFileSync(join(dir, 'a b', 'mid "q" \\.bin'), Buffer.alloc(2 * MiB));
    writeFileSync(join(dir, 'tab\there'), Buffer.alloc(1.5 * MiB));
    writeFileSync(join(dir, 'small'), Buffer.alloc(MiB - 1));
    const r = await runLinux(action('list-large-files'), { path: dir, min_size_mb: 1, top: 2 });
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(missingOutputs(action('list-large-files'), r)).toEqual([]);
    expect(r.outputs).toEqual({
      path: dir,
      files: [`3.0 MiB  ${dir}/big.iso`, `2.0 MiB  ${dir}/a b/mid "q" \\.bin`],
      count: 3,
      total_bytes: 6.5 * MiB,
    });
    const all = await runLinux(action('list-large-files'), { path: dir, min_size_mb: 1 });
    expect(all.outputs.files).toContain(`1.5 MiB  ${dir}/tab\there`);
  });

  it('reports an empty list for nothing that large, and rejects bad numbers and folders', async () => {
    const dir = tempDir();
    const r = await runLinux(action('list-large-files'), { path: dir });
    expect(r.outputs).toMatchObject({ files: [], count: 0, total_bytes: 0 });
    expect((await runLinux(action('list-large-files'), { path: dir, top: 0 })).error).toBe("list-large-files: top must be a whole number, not '0'");
    expect((await runLinux(action('list-large-files'), { path: dir, top: 500 })).error).toBe('list-large-files: top must be at most 200');
    expect((await runLinux(action('list-large-files'), { path: join(dir, 'nope') })).error).toContain('no such folder');
  });
});

describeEachToolset('installed-applications', () => {
  // One unfiltered listing for both cases below (it reads the whole package database).
  let r: Awaited<ReturnType<typeof runLinux>>;
  beforeAll(async () => {
    r = await runLinux(action('installed-applications'));
  });

  it('lists the packages as "name version", filtered case-insensitively', async () => {
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(missingOutputs(action('installed-applications'), r)).toEqual([]);
    const apps = r.outputs.applications as string[];
    expect(r.outputs.count).toBeGreaterThan(20);
    expect(apps.length).toBe(Math.min(1000, r.outputs.count as number));
    expect(r.outputs.truncated).toBe((r.outputs.count as number) > 1000);
    for (const app of apps) expect(app).toMatch(/^\S+ \S/);

    const bash = await runLinux(action('installed-applications'), { filter: 'BASH' });
    expect(bash.outputs.applications).toEqual(expect.arrayContaining([expect.stringMatching(/^bash \S+$/)]));
    for (const app of bash.outputs.applications as string[]) expect(app.toLowerCase()).toContain('bash');
    const none = await runLinux(action('installed-applications'), { filter: '$(no such package)' });
    expect(none.outputs).toMatchObject({ applications: [], count: 0, truncated: false });
  });

  it('names dpkg as the source on a Debian-family system', ({ skip }) => {
    skip(!hasCommand('dpkg-query'), 'dpkg-query is not installed on this machine');
    expect(r.outputs.sources).toMatch(/^dpkg/);
  });
});

describeEachToolset('uptime-and-last-boot', () => {
  it('reports the boot time and uptime the kernel knows', async () => {
    const r = await runLinux(action('uptime-and-last-boot'));
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(missingOutputs(action('uptime-and-last-boot'), r)).toEqual([]);
    const up = r.outputs.uptime as number;
    expect(Math.abs(up - uptime())).toBeLessThan(5);
    expect(r.outputs.uptime_days).toBeCloseTo(up / 86400, 2);
    const boot = Date.parse(r.outputs.last_boot as string);
    expect(Math.abs(boot - (Date.now() - uptime() * 1000))).toBeLessThan(120_000);
  });
});

describeEachToolset('collect-logs', () => {
  const packageLog = ['/var/log/dpkg.log', '/var/log/dnf.log', '/var/log/pacman.log'].find((f) => existsSync(f));

  it.skipIf(!packageLog)('returns the last lines of the package manager log, optionally filtered', async () => {
    const r = await runLinux(action('collect-logs'), { log: 'package-manager', lines: 5 });
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(missingOutputs(action('collect-logs'), r)).toEqual([]);
    const expected = readFileSync(packageLog!, 'utf8').trimEnd().split('\n').slice(-5).join('\n');
    expect(r.outputs).toEqual({ source: packageLog, line_count: 5, tail: expected });
    expect(r.stdoutTail.trimEnd()).toBe(expected);

    const filtered = await runLinux(action('collect-logs'), { log: 'package-manager', lines: 3, filter: 'INSTALLED' });
    const lines = (filtered.outputs.tail as string).split('\n');
    expect(lines.length).toBeLessThanOrEqual(3);
    for (const line of lines) expect(line.toLowerCase()).toContain('installed');
  });

  it('reads the system and kernel logs or says clearly why it cannot', async () => {
    for (const log of ['system', 'kernel', 'auth']) {
      const r = await runLinux(action('collect-logs'), { log, lines: 3 });
      if (r.status === 'succeeded') expect(r.outputs.line_count).toBeLessThanOrEqual(3);
      else expect(r.error).toMatch(/^collect-logs: no \w+ log/);
    }
  });

  it('reads no other log than the listed ones, even when handed one directly', async () => {
    await expect(runLinux(action('collect-logs'), { log: '/etc/shadow' })).rejects.toThrow(/log must be one of/);
    const raw = await runLinux(action('collect-logs'), { log: '/etc/shadow', lines: 5 }, { raw: true });
    expect(raw.error).toBe("collect-logs: unknown log '/etc/shadow': use system, kernel, auth, package-manager or application");
    expect(raw.stdoutTail).toBe('');
    const app = await runLinux(action('collect-logs'), { log: 'application' });
    expect(app.error).toBe('collect-logs: there is no application log on Linux: use system');
  });
});
