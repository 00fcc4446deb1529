// The parts of the Windows platform that do not need Windows; the rest runs under Wine (agent/windows/).
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeServer } from '../testing/fake-server';
import { parseExitCode, powershellArgs, taskAction, testShell, userTaskWrapper, windowsPlatform } from './platform-windows';
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

/** A Windows command line split the way the C runtime (and powershell.exe) splits it: quotes group, `\"` is a quote. */
function splitCommandLine(line: string): string[] {
  const argv: string[] = [];
  let current: string | null = null;
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i]!;
    if (ch === '\\') {
      let n = 0;
      while (line[i + n] === '\\') n += 1;
      const quoteFollows = line[i + n] === '"';
      current = (current ?? '') + '\\'.repeat(quoteFollows ? Math.floor(n / 2) : n) + (quoteFollows && n % 2 ? '"' : '');
      i += n - 1 + (quoteFollows && n % 2 ? 1 : 0);
    } else if (ch === '"') {
      quoted = !quoted;
      current ??= '';
    } else if (/\s/.test(ch) && !quoted) {
      if (current !== null) argv.push(current);
      current = null;
    } else current = (current ?? '') + ch;
  }
  if (current !== null) argv.push(current);
  return argv;
}

describe('the scheduled task of a user run', () => {
  const exe = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

  it('starts PowerShell hidden: every option comes before -File, and the script path is the last argument', () => {
    const script = 'C:\\Users\\Jane Doe\\AppData\\Local\\Temp\\fixpoint-run-42-x\\run.ps1';
    const argv = splitCommandLine(taskAction(script, exe));
    expect(argv[0]).toBe(exe);
    // what follows `-File <path>` goes to the script, not to PowerShell
    expect(argv.slice(-2)).toEqual(['-File', script]);
    expect(argv.slice(1, -2)).toEqual(expect.arrayContaining(['-WindowStyle', 'Hidden', '-NoProfile', '-NonInteractive']));
    expect(argv.indexOf('-WindowStyle')).toBeLessThan(argv.indexOf('-File'));
    expect(argv.slice(1)).toEqual([...powershellArgs(script).slice(0, -2), '-WindowStyle', 'Hidden', '-File', script]);
  });

  it('fits schtasks /TR (261 characters) for a run directory under the system temp folder', () => {
    const script = 'C:\\Windows\\SystemTemp\\fixpoint-run-123456-AbCdEf\\run.ps1';
    expect(taskAction(script, exe).length).toBeLessThanOrEqual(261);
  });

  it('ends the run at once with the reason when schtasks cannot make the task, and removes it', async () => {
    // a stand-in schtasks first on PATH: it logs its calls and refuses /Create as Windows does for an unknown account
    const dir = mkdtempSync(join(tmpdir(), 'fixpoint-schtasks-'));
    const calls = join(dir, 'calls');
    writeFileSync(join(dir, 'schtasks'), `#!/bin/sh\necho "$1" >> ${calls}\n[ "$1" = /Create ] && { echo 'ERROR: No mapping between account names and security IDs was done.' >&2; exit 1; }\nexit 0\n`);
    chmodSync(join(dir, 'schtasks'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${dir}:${path}`;
    try {
      const user = { name: 'CONTOSO\\nobody', uid: -1, gid: -1, home: '', shell: exe };
      const started = Date.now();
      const exit = await windowsPlatform.spawn({ command: exe, args: ['-File', 'x.ps1'], cwd: dir, env: {}, user }).exited;
      expect(exit.code).toBeNull();
      expect(exit.error).toContain('No mapping between account names');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(readFileSync(calls, 'utf8').split('\n').filter(Boolean)).toEqual(['/Create', '/Delete']);
    } finally {
      process.env.PATH = path;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the wrapper of a user run (run.ps1)', () => {
  it('starts with a BOM, so Windows PowerShell reads a non-ASCII path in it as UTF-8', () => {
    expect(userTaskWrapper('C:\\ps.exe', ['C:\\Users\\Seán\\run\\script.ps1']).charCodeAt(0)).toBe(0xfeff);
  });

  it('fetches the process handle before waiting, so the exit code is there to write', () => {
    const lines = userTaskWrapper('C:\\ps.exe', ['C:\\run\\script.ps1']).split('\r\n');
    const handle = lines.indexOf('$null = $p.Handle');
    expect(handle).toBeGreaterThan(lines.findIndex((l) => l.startsWith('$p = Start-Process')));
    expect(handle).toBeLessThan(lines.indexOf('$p.WaitForExit()'));
  });

  it('reads an empty or garbled exit code file as no exit code, not as success', () => {
    expect(parseExitCode('3\r\n')).toBe(3);
    expect(parseExitCode('-1073741510')).toBe(-1073741510);
    expect(parseExitCode('0')).toBe(0);
    expect(parseExitCode('')).toBeNull();
    expect(parseExitCode('\r\n')).toBeNull();
    expect(parseExitCode('1.5')).toBeNull();
  });
});
