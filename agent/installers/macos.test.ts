/**
 * The macOS tarball: the binaries, the launchd daemon plist (read back by a plist parser) pointing at where
 * install.sh puts the binary, and install.sh itself (parsed by sh; it needs a Mac to run).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSea, buildTraySea } from '../sea/build-sea.mjs';
import { MACOS_BINARY, MACOS_TRAY, buildMacosTarball } from './macos';

const work = mkdtempSync(join(tmpdir(), 'fixpoint-macos-test-'));
const unpacked = join(work, 'unpacked', 'fixpoint-agent-0.1.0-macos');
let tarball: string;

beforeAll(async () => {
  const { built } = await buildSea({ targets: ['darwin-x64', 'darwin-arm64'], outDir: work, log: () => {} });
  const trays = await buildTraySea({ targets: ['darwin-x64'], outDir: work, log: () => {} });
  tarball = buildMacosTarball({ binaries: built, tray: trays.built[0]!.file, version: '0.1.0', outDir: work });
  execFileSync('mkdir', ['-p', join(work, 'unpacked')]);
  execFileSync('tar', ['-xzf', tarball, '-C', join(work, 'unpacked')]);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the macOS tarball', () => {
  it('holds the x64 binary, the daemon plist and an install script', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const name of ['fixpoint-agent-darwin-x64', 'com.fixpoint.agent.plist', 'install.sh']) expect(listing).toContain(`fixpoint-agent-0.1.0-macos/${name}`);
    const binary = readFileSync(join(unpacked, 'fixpoint-agent-darwin-x64'));
    expect(binary.readUInt32LE(0)).toBe(0xfeedfacf);
    expect(statSync(join(unpacked, 'install.sh')).mode & 0o111).toBeTruthy();
  });

  it('runs the installed binary alone as the daemon', () => {
    const plist = parsePlist(readFileSync(join(unpacked, 'com.fixpoint.agent.plist'), 'utf8')) as Record<string, unknown>;
    expect(plist).toMatchObject({ Label: 'com.fixpoint.agent', ProgramArguments: [MACOS_BINARY, 'run'], RunAtLoad: true, KeepAlive: true });
  });

  it('has an install script sh parses, that installs what the plist names and enrolls when told', () => {
    execFileSync('sh', ['-n', join(unpacked, 'install.sh')]);
    const script = readFileSync(join(unpacked, 'install.sh'), 'utf8');
    expect(script).toContain(`install -m 0755 "$binary" ${MACOS_BINARY}`);
    expect(script).toContain('enroll --server "$SERVER" --token "$TOKEN"');
    expect(script).toContain('launchctl bootstrap system /Library/LaunchDaemons/com.fixpoint.agent.plist');
  });

  it('holds the x64 tray with its helper, and the LaunchAgent that runs the installed tray alone', () => {
    const tray = readFileSync(join(unpacked, 'fixpoint-tray-darwin-x64'));
    expect(tray.readUInt32LE(0)).toBe(0xfeedfacf);
    expect(tray.includes(Buffer.from('fixpoint-tray'))).toBe(true);
    expect(statSync(join(unpacked, 'traybin/tray_darwin_release')).mode & 0o111).toBeTruthy();
    const plist = parsePlist(readFileSync(join(unpacked, 'com.fixpoint.tray.plist'), 'utf8')) as Record<string, unknown>;
    expect(plist).toMatchObject({ Label: 'com.fixpoint.tray', ProgramArguments: [MACOS_TRAY], LimitLoadToSessionType: 'Aqua' });
    const script = readFileSync(join(unpacked, 'install.sh'), 'utf8');
    // beside the agent under the name `fixpoint-agent install` looks for, its helper in traybin/ beside it
    expect(MACOS_TRAY).toBe(MACOS_BINARY.replace('fixpoint-agent', 'fixpoint-tray'));
    expect(script).toContain(`install -m 0755 "$here/fixpoint-tray-darwin-x64" ${MACOS_TRAY}`);
    expect(script).toContain('"$(dirname /usr/local/lib/fixpoint/fixpoint-tray)/traybin/tray_darwin_release"');
    expect(script).toContain('/Library/LaunchAgents/com.fixpoint.tray.plist');
    // the session lookup picks the loginwindow owners, root left out
    const line = script.split('\n').find((l) => l.includes('loginwindow'))!;
    const awk = /awk ('[^']+')/.exec(line)![1]!;
    const ps = '  0 /System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow\n501 /System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow\n501 /usr/bin/login\n';
    expect(execFileSync('sh', ['-c', `awk ${awk}`], { input: ps, encoding: 'utf8' })).toBe('501\n');
  });
});
