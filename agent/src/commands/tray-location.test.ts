import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parsePlist } from 'plist';
import { trayDesktopEntry, trayLaunchAgentPlist, trayRunKeyCommand } from './autostart';
import { installService } from './service';
import { findTray, trayBinaryCandidates, traySpec } from './tray-location';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fixpoint-tray-location-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function place(dir: string, ...names: string[]): void {
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\n');
    chmodSync(join(dir, name), 0o755);
  }
}

describe('the tray beside the agent', () => {
  it('is the single-file tray of the same platform next to a single-file agent', () => {
    const dir = tempDir();
    place(dir, 'fixpoint-agent-linux-x64', 'fixpoint-tray-linux-x64', 'fixpoint-tray.mjs');
    expect(findTray({ agentFile: join(dir, 'fixpoint-agent-linux-x64'), singleExecutable: true })).toBe(join(dir, 'fixpoint-tray-linux-x64'));
  });

  it('is plain fixpoint-tray next to an installed fixpoint-agent, and fixpoint-tray.exe on Windows', () => {
    const dir = tempDir();
    place(dir, 'fixpoint-agent', 'fixpoint-tray');
    expect(findTray({ agentFile: join(dir, 'fixpoint-agent'), singleExecutable: true })).toBe(join(dir, 'fixpoint-tray'));
    expect(trayBinaryCandidates('C:\\Fixpoint\\fixpoint-agent-win-x64.exe'.replace(/\\/g, '/'))).toEqual(['C:/Fixpoint/fixpoint-tray-win-x64.exe', 'C:/Fixpoint/fixpoint-tray.exe']);
  });

  it('is none when only the tray bundle sits next to a single-file agent (it has no node to run it)', () => {
    const dir = tempDir();
    place(dir, 'fixpoint-agent-linux-x64', 'fixpoint-tray.mjs');
    expect(findTray({ agentFile: join(dir, 'fixpoint-agent-linux-x64'), singleExecutable: true })).toBeUndefined();
  });

  it('is the tray bundle next to the bundle agent', () => {
    const dir = tempDir();
    place(dir, 'fixpoint-agent.mjs', 'fixpoint-tray.mjs', 'fixpoint-tray-linux-x64');
    expect(findTray({ agentFile: join(dir, 'fixpoint-agent.mjs'), singleExecutable: false })).toBe(join(dir, 'fixpoint-tray.mjs'));
  });

  it('is what --tray names, refusing a bundle for the single-file agent', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'other'));
    place(join(dir, 'other'), 'my-tray', 'fixpoint-tray.mjs');
    expect(findTray({ agentFile: join(dir, 'fixpoint-agent'), singleExecutable: true, explicit: join(dir, 'other/my-tray') })).toBe(join(dir, 'other/my-tray'));
    expect(() => findTray({ agentFile: join(dir, 'fixpoint-agent'), singleExecutable: true, explicit: join(dir, 'other/fixpoint-tray.mjs') })).toThrow(/cannot start the tray bundle/);
  });
});

describe('starting the single-file tray', () => {
  const binary = { trayPath: '/usr/local/lib/fix point/fixpoint-tray' };

  it('runs the executable alone in the autostart entry, the LaunchAgent and the Run key', () => {
    expect(trayDesktopEntry(binary)).toContain('\nExec="/usr/local/lib/fix point/fixpoint-tray"\n');
    expect(parsePlist(trayLaunchAgentPlist(binary))).toMatchObject({ ProgramArguments: [binary.trayPath] });
    expect(trayRunKeyCommand({ trayPath: 'C:\\Fixpoint\\fixpoint-tray.exe' })[8]).toBe(`powershell.exe -NoProfile -WindowStyle Hidden -Command "& 'C:\\Fixpoint\\fixpoint-tray.exe'"`);
  });

  it('is what install of the single-file agent writes when the tray sits beside it', async () => {
    const dir = tempDir();
    const root = tempDir();
    place(dir, 'fixpoint-agent-linux-x64', 'fixpoint-tray-linux-x64');
    const agent = join(dir, 'fixpoint-agent-linux-x64');
    const trayPath = findTray({ agentFile: agent, singleExecutable: true });
    expect(traySpec(agent, trayPath!)).toEqual({ trayPath });
    await installService({ nodePath: agent, stateDir: '/var/lib/fixpoint', trayPath }, { platform: 'linux', root, run: async () => undefined });
    const entry = readFileSync(join(root, 'etc/xdg/autostart/fixpoint-tray.desktop'), 'utf8');
    expect(entry).toContain(`\nExec="${trayPath}"\n`);
    expect(readFileSync(join(root, 'etc/systemd/system/fixpoint-agent.service'), 'utf8')).toContain(`ExecStart="${agent}" run`);
  });
});
