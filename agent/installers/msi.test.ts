/**
 * The MSI, read back with msiinfo (msitools): the files, the service and how the installer drives it, the tray and
 * its autostart, the enroll action and its place between the service's installation and start, the properties and
 * the upgrade code.
 * Skipped without wixl and msiinfo (Debian packages wixl and msitools; .ci/run installs them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSea, buildTraySea } from '../sea/build-sea.mjs';
import { TRAY_APP_ID } from '@fixpoint/protocol';
import { MSI_UPGRADE_CODE, buildMsi, msiServiceConfig } from './msi';

const has = (tool: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const skip = !has('wixl') || !has('msiinfo') || !has('msibuild') ? 'wixl, msiinfo or msibuild is not installed (Debian: wixl, msitools)' : null;
const work = mkdtempSync(join(tmpdir(), 'fixpoint-msi-test-'));
let msi: string;

/** One table as rows of named columns (msiinfo export: names, types, key line, then the rows, tab-separated). */
function table(name: string): Record<string, string>[] {
  const [header, , , ...rows] = execFileSync('msiinfo', ['export', msi, name], { encoding: 'utf8' }).replace(/\r/g, '').split('\n').filter(Boolean);
  const columns = header!.split('\t');
  return rows.map((row) => Object.fromEntries(row.split('\t').map((value, i) => [columns[i]!, value])));
}

beforeAll(async () => {
  if (skip) return;
  const { built } = await buildSea({ targets: ['win-x64'], outDir: work, log: () => {} });
  const trays = await buildTraySea({ targets: ['win-x64'], outDir: work, log: () => {} });
  msi = buildMsi({ binary: built[0]!.file, winswDir: work, tray: trays.built[0]!.file, version: '0.1.0', outDir: work });
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(skip)(`the MSI${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('installs the agent and WinSW with its configuration, the agent being the file it was built from', () => {
    const files = Object.fromEntries(table('File').map((f) => [f.FileName, f]));
    expect(Object.keys(files).sort()).toEqual([
      'fixpoint-agent-service.exe', 'fixpoint-agent-service.exe.config', 'fixpoint-agent-service.xml', 'fixpoint-agent.exe', 'fixpoint-tray.exe', 'tray_windows_release.exe',
    ]);
    expect(Number(files['fixpoint-agent.exe']!.FileSize)).toBe(readFileSync(join(work, 'fixpoint-agent-win-x64.exe')).length);
    const directories = table('Directory').map((d) => `${d.Directory}:${d.DefaultDir}`);
    expect(directories).toContain('INSTALLDIR:Fixpoint');
  });

  it('installs the single-file tray, a GUI program, with systray2\'s helper in traybin\\ beside it', () => {
    const files = Object.fromEntries(table('File').map((f) => [f.FileName, f]));
    const tray = readFileSync(join(work, 'fixpoint-tray-win-x64.exe'));
    expect(Number(files['fixpoint-tray.exe']!.FileSize)).toBe(tray.length);
    expect(Number(files['tray_windows_release.exe']!.FileSize)).toBe(readFileSync(join(work, 'traybin', 'tray_windows_release.exe')).length);
    // PE optional header's Subsystem: 2, Windows GUI (the runtime ships as 3, console)
    const pe = tray.readUInt32LE(0x3c);
    expect(tray.readUInt16LE(pe + 24 + 68)).toBe(2);
    const components = Object.fromEntries(table('Component').map((c) => [c.Component, c]));
    expect(components.Tray).toMatchObject({ Directory_: 'INSTALLDIR', KeyPath: 'TrayExe' });
    expect(components.TrayHelper).toMatchObject({ Directory_: 'TRAYBIN', KeyPath: 'TrayHelperExe' });
    // 256: a 64-bit component, so its registry value lands in the 64-bit view
    expect(Number(components.Tray!.Attributes) & 256).toBe(256);
    expect(files['fixpoint-tray.exe']!.Component_).toBe('Tray');
    expect(files['tray_windows_release.exe']!.Component_).toBe('TrayHelper');
    const directories = table('Directory').map((d) => `${d.Directory}:${d.Directory_Parent}:${d.DefaultDir}`);
    expect(directories).toContain('TRAYBIN:INSTALLDIR:traybin');
  });

  it('puts the tray in the all-users Start menu with the app id its notifications are raised under', () => {
    const [shortcut, ...others] = table('Shortcut');
    expect(others).toEqual([]);
    // a Target that is a path (not a feature) makes it an ordinary, not an advertised, shortcut
    expect(shortcut).toMatchObject({ Shortcut: 'TrayShortcut', Directory_: 'ProgramMenuFolder', Name: 'Fixpoint', Component_: 'Tray', Target: '[#TrayExe]', WkDir: 'INSTALLDIR' });
    expect(table('Directory').map((d) => `${d.Directory}:${d.Directory_Parent}`)).toContain('ProgramMenuFolder:TARGETDIR');
    expect(table('MsiShortcutProperty')).toEqual([{ MsiShortcutProperty: 'TrayAppId', Shortcut_: 'TrayShortcut', PropertyKey: 'System.AppUserModel.ID', PropVariantValue: TRAY_APP_ID }]);
    // MsiShortcutProperty needs Windows Installer 5
    expect(Number(execFileSync('msiinfo', ['suminfo', msi], { encoding: 'utf8' }).match(/Version:\s*(\d+)/)?.[1])).toBeGreaterThanOrEqual(500);
  });

  it('starts the tray at every user\'s logon through the machine-wide Run value, removed with the tray on uninstall', () => {
    const registry = table('Registry');
    expect(registry).toHaveLength(1);
    // root 2: HKEY_LOCAL_MACHINE; the value is formatted at install time with the install folder
    expect(registry[0]).toMatchObject({
      Root: '2', Key: 'Software\\Microsoft\\Windows\\CurrentVersion\\Run', Name: 'FixpointTray', Value: '"[INSTALLDIR]fixpoint-tray.exe"', Component_: 'Tray',
    });
    const feature = table('FeatureComponents').filter((f) => f.Feature_ === 'Main').map((f) => f.Component_);
    expect(feature).toEqual(expect.arrayContaining(['Agent', 'ServiceHost', 'Tray', 'TrayHelper']));
    // the standard actions write the value on install and remove the values of removed components on uninstall
    const actions = table('InstallExecuteSequence').map((a) => a.Action);
    expect(actions).toEqual(expect.arrayContaining(['WriteRegistryValues', 'RemoveRegistryValues', 'InstallFiles', 'RemoveFiles']));
  });

  it('registers the FixpointAgent service on the WinSW host, starts it, and stops and removes it on uninstall', () => {
    const [service] = table('ServiceInstall');
    // own process (16), automatic start (2), normal error control (1), as LocalSystem, on the host's component
    expect(service).toMatchObject({ Name: 'FixpointAgent', ServiceType: '16', StartType: '2', ErrorControl: '1', StartName: 'LocalSystem', Component_: 'ServiceHost' });
    const [control] = table('ServiceControl');
    // start on install (1), stop on install (2) and uninstall (32), delete on uninstall (128)
    expect(control).toMatchObject({ Name: 'FixpointAgent', Event: String(1 | 2 | 32 | 128), Component_: 'ServiceHost' });
    const host = new XMLParser().parse(msiServiceConfig()).service;
    expect(host).toMatchObject({ id: 'FixpointAgent', executable: '%BASE%\\fixpoint-agent.exe', arguments: 'run', startmode: 'Automatic' });
  });

  it('enrolls with SERVER and TOKEN as the system, after the service is installed and before it starts', () => {
    const [enroll] = table('CustomAction');
    expect(enroll).toMatchObject({ Action: 'Enroll', Source: 'AgentExe', Target: 'enroll --server "[SERVER]" --token "[TOKEN]"' });
    // 18 (run an installed file) + 1024 deferred + 2048 no impersonation: elevated, inside the install script
    expect(Number(enroll!.Type)).toBe(18 | 1024 | 2048);
    const sequence = Object.fromEntries(table('InstallExecuteSequence').map((a) => [a.Action, a]));
    expect(sequence.Enroll!.Condition).toBe('SERVER AND TOKEN AND NOT REMOVE');
    const at = (action: string) => Number(sequence[action]!.Sequence);
    expect(at('InstallServices')).toBeLessThan(at('Enroll'));
    expect(at('Enroll')).toBeLessThan(at('StartServices'));
  });

  it('keeps one upgrade code, upgrades older versions in place and hides the token from the log', () => {
    const properties = Object.fromEntries(table('Property').map((p) => [p.Property, p.Value]));
    expect(properties).toMatchObject({ UpgradeCode: `{${MSI_UPGRADE_CODE}}`, ProductVersion: '0.1.0', ProductName: 'Fixpoint Agent', ALLUSERS: '1', MsiHiddenProperties: 'TOKEN' });
    expect(table('Upgrade').every((u) => u.UpgradeCode === `{${MSI_UPGRADE_CODE}}`)).toBe(true);
    expect(table('InstallExecuteSequence').map((a) => a.Action)).toContain('RemoveExistingProducts');
  });
});
