/**
 * The Debian package, installed for real: `dpkg -i` with /etc/fixpoint/agent.conf naming a live backend enrolls the
 * device; the installed unit's ExecStart (started directly: no systemd here) brings it online; `dpkg -r` removes it.
 * Needs root and dpkg (as in CI); the machine is left as it was (purge, /etc/fixpoint removed).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from '../../backend/src/testing/live';
import { buildSea } from '../sea/build-sea.mjs';
import { DEB_BINARY, DEB_CONFIG, DEB_STATE_DIR, DEB_UNIT, buildDeb } from './deb';

const has = (tool: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const installed = () => {
  try {
    // any state but not-installed: a failed configure leaves "half-configured"
    const status = execFileSync('dpkg-query', ['-W', '-f=${Status}', 'fixpoint-agent'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return !status.includes('not-installed');
  } catch {
    return false;
  }
};

const dpkg = (args: string[]) =>
  new Promise<void>((resolve, reject) => execFile('dpkg', args, (err, _out, stderr) => (err ? reject(new Error(`dpkg ${args.join(' ')}: ${stderr}`)) : resolve())));

const skip =
  process.platform !== 'linux' || process.arch !== 'x64' ? 'not Linux x64'
  : process.getuid?.() !== 0 ? 'not root (dpkg -i installs system-wide)'
  : !has('dpkg') || !has('dpkg-deb') ? 'dpkg is not installed'
  : existsSync('/run/systemd/system') ? 'systemd runs here: the package would start a real service'
  : installed() || existsSync(DEB_STATE_DIR) || existsSync('/etc/fixpoint') ? 'a fixpoint-agent is already on this machine'
  : null;

const work = mkdtempSync(join(tmpdir(), 'fixpoint-deb-test-'));
let live: LiveBackend;
let deb: string;
let daemon: ChildProcess | undefined;

beforeAll(async () => {
  if (skip) return;
  const { built } = await buildSea({ targets: ['linux-x64'], outDir: work, log: () => {} });
  deb = buildDeb({ binary: built[0]!.file, target: 'linux-x64', version: '0.1.0', outDir: work, compression: 0 });
  live = await startLiveBackend({ expirySweepMs: 60_000 });
}, 300_000);

afterAll(async () => {
  if (daemon && daemon.exitCode === null) {
    const exited = new Promise((resolve) => daemon!.once('exit', resolve));
    daemon.kill('SIGKILL');
    await exited;
  }
  if (!skip) {
    if (installed()) execFileSync('dpkg', ['--purge', 'fixpoint-agent'], { stdio: 'ignore' });
    rmSync('/etc/fixpoint', { recursive: true, force: true });
    rmSync(DEB_STATE_DIR, { recursive: true, force: true });
  }
  await live?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(skip)(`the Debian package${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('holds the binary, its link, the unit and the maintainer scripts', () => {
    const listing = execFileSync('dpkg-deb', ['--contents', deb], { encoding: 'utf8' });
    for (const path of [DEB_BINARY, DEB_UNIT, '/usr/bin/fixpoint-agent -> /usr/lib/fixpoint/fixpoint-agent']) expect(listing).toContain(`.${path}`);
    expect(execFileSync('dpkg-deb', ['--field', deb, 'Package', 'Architecture'], { encoding: 'utf8' })).toBe('Package: fixpoint-agent\nArchitecture: amd64\n');
  });

  it('enrolls at install from /etc/fixpoint/agent.conf, runs as its unit says, and is removed', async () => {
    const token = await enrollmentToken(live.api);
    mkdirSync('/etc/fixpoint', { recursive: true });
    writeFileSync(DEB_CONFIG, `SERVER=${live.url}\nTOKEN=${token}\nNAME=deb-device\n`, { mode: 0o600 });
    // asynchronously: the backend in this process answers the enrollment
    await dpkg(['-i', deb]);
    const identity = JSON.parse(readFileSync(join(DEB_STATE_DIR, 'identity.json'), 'utf8')) as { deviceId: string };
    const device = (await live.api('GET', `/devices/${identity.deviceId}`)).body;
    expect(device).toMatchObject({ name: 'deb-device', online: false });
    expect(execFileSync('/usr/bin/fixpoint-agent', ['--version'], { encoding: 'utf8' })).toMatch(/^fixpoint-agent 0\.1\.0 .*node v22\.23\.3\)\n$/);

    // the service as systemd would start it: ExecStart and Environment from the installed unit
    const unit = readFileSync(DEB_UNIT, 'utf8');
    const words = (line: string) => [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
    const [program, ...args] = words(/^ExecStart=(.*)$/m.exec(unit)![1]!);
    const [, key, value] = /^([^=]+)=(.*)$/.exec(words(/^Environment=(.*)$/m.exec(unit)![1]!)[0]!)!;
    expect(program).toBe(DEB_BINARY);
    daemon = spawn(program!, args, { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', FIXPOINT_AGENT_IPC_DIR: process.env.FIXPOINT_AGENT_IPC_DIR!, [key!]: value! }, stdio: 'ignore' });
    await waitUntil(() => live.backend.ctx.dispatcher.isOnline(identity.deviceId), 20_000, 'the installed agent connected');
    const exited = new Promise((resolve) => daemon!.once('exit', resolve));
    daemon.kill('SIGTERM');
    await exited;

    await dpkg(['-r', 'fixpoint-agent']);
    expect(existsSync(DEB_BINARY) || existsSync(DEB_UNIT) || existsSync('/usr/bin/fixpoint-agent')).toBe(false);
    // a remove keeps the enrollment; the purge in afterAll forgets it
    expect(existsSync(join(DEB_STATE_DIR, 'identity.json'))).toBe(true);
  }, 90_000);
});
