// The parts of the Windows platform that do not need Windows; the rest runs under Wine (agent/windows/).
import { readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeServer } from '../testing/fake-server';
import { testShell, windowsPlatform } from './platform-windows';
import { prepareWorkspace } from './workspace';

const device = '11111111-2222-4333-8444-555555555555';
const envelope = () => new FakeServer().envelope(device, { script: '@echo off\r\necho hi\r\n', shell: 'powershell' });
const setting = 'FIXPOINT_AGENT_TEST_WINDOWS_SHELL';
afterEach(() => {
  delete process.env[setting];
});

describe('the test-only cmd setting of the Windows platform', () => {
  it('is off unless set to cmd exactly', () => {
    expect(testShell({})).toBeNull();
    expect(testShell({ [setting]: 'CMD' })).toBeNull();
    expect(testShell({ [setting]: 'cmd' })).toBe('cmd');
  });

  it('runs PowerShell .ps1 files with a BOM by default, and cmd .cmd files without one when set', async () => {
    expect(windowsPlatform.scriptExtension('powershell')).toBe('.ps1');
    expect(windowsPlatform.interpreter('powershell', 'C:\\run\\script.ps1').command).toMatch(/\\WindowsPowerShell\\v1\.0\\powershell\.exe$/);
    const ps = await prepareWorkspace(windowsPlatform, envelope(), null);
    expect(ps.scriptPath).toMatch(/script\.ps1$/);
    expect(readFileSync(ps.scriptPath, 'utf8').charCodeAt(0)).toBe(0xfeff);

    process.env[setting] = 'cmd';
    expect(windowsPlatform.interpreter('powershell', 'C:\\run\\script.cmd')).toEqual({
      command: expect.stringMatching(/\\System32\\cmd\.exe$/),
      args: ['/d', '/c', 'C:\\run\\script.cmd'],
    });
    const cmd = await prepareWorkspace(windowsPlatform, envelope(), null);
    expect(cmd.scriptPath).toMatch(/script\.cmd$/);
    expect(readFileSync(cmd.scriptPath, 'utf8')).toBe('@echo off\r\necho hi\r\n');
    // still only PowerShell's shell: no other shell runs on Windows
    expect(() => windowsPlatform.interpreter('sh', '/x')).toThrow(/sh scripts do not run on Windows/);
    for (const ws of [ps, cmd]) rmSync(ws.dir, { recursive: true, force: true });
  });
});
