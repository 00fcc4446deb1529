/**
 * The MSI, read back with msiinfo (msitools): the files, the service and how the installer drives it, the enroll
 * action and its place between the service's installation and start, the properties and the upgrade code.
 * Skipped without wixl and msiinfo (Debian packages wixl and msitools; .ci/run installs them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSea } from '../sea/build-sea.mjs';
import { MSI_UPGRADE_CODE, buildMsi, msiServiceConfig } from './msi';

const has = (tool: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const skip = !has('wixl') || !has('msiinfo') ? 'wixl or msiinfo is not installed (Debian: wixl, msitools)' : null;
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
  msi = buildMsi({ binary: built[0]!.file, winswDir: work, version: '0.1.0', outDir: work });
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(skip)(`the MSI${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('installs the agent and WinSW with its configuration, the agent being the file it was built from', () => {
    const files = Object.fromEntries(table('File').map((f) => [f.FileName, f]));
    expect(Object.keys(files).sort()).toEqual(['fixpoint-agent-service.exe', 'fixpoint-agent-service.exe.config', 'fixpoint-agent-service.xml', 'fixpoint-agent.exe']);
    expect(Number(files['fixpoint-agent.exe']!.FileSize)).toBe(readFileSync(join(work, 'fixpoint-agent-win-x64.exe')).length);
    const directories = table('Directory').map((d) => `${d.Directory}:${d.DefaultDir}`);
    expect(directories).toContain('INSTALLDIR:Fixpoint');
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
