// @vitest-environment node
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { notificationStateBusy, notificationStateCommand, notificationStateScript, parseNotificationState, windowsBusy } from './dnd-windows';

describe('Windows notification state', () => {
  it('reads the number the PowerShell call prints, and nothing else', () => {
    // what the script prints: PowerShell ends its output with CRLF
    for (const n of [1, 2, 3, 4, 5, 6, 7]) expect(parseNotificationState(`${n}\r\n`)).toBe(n);
    expect(parseNotificationState('5')).toBe(5);
    expect(parseNotificationState('')).toBeNull();
    expect(parseNotificationState(null)).toBeNull();
    expect(parseNotificationState('0\r\n')).toBeNull();
    expect(parseNotificationState('8\r\n')).toBeNull();
    expect(parseNotificationState('15\r\n')).toBeNull();
    expect(parseNotificationState("Add-Type : Cannot add type. The type name 'FixpointTray.Shell' already exists.\r\n")).toBeNull();
    expect(parseNotificationState('QUNS_BUSY\r\n')).toBeNull();
  });

  it('holds prompts in every state but QUNS_ACCEPTS_NOTIFICATIONS', () => {
    const busy = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((n) => [n, notificationStateBusy(parseNotificationState(`${n}\r\n`))]));
    expect(busy).toEqual({ 1: true, 2: true, 3: true, 4: true, 5: false, 6: true, 7: true });
    expect(notificationStateBusy(parseNotificationState('garbage'))).toBe(false);
    expect(notificationStateBusy(parseNotificationState(''))).toBe(false);
  });

  it('asks shell32 in one PowerShell call with an inline P/Invoke signature', () => {
    expect(notificationStateCommand.command).toBe('powershell.exe');
    expect(notificationStateCommand.args.at(-1)).toBe(notificationStateScript);
    expect(notificationStateScript).toContain('Add-Type');
    expect(notificationStateScript).toContain('[DllImport("shell32.dll")] public static extern int SHQueryUserNotificationState(out int state);');
    // the member definition is a single-quoted PowerShell string: nothing inside may end it
    const definition = /-MemberDefinition '([^']*)'/.exec(notificationStateScript)?.[1];
    expect(definition).toContain('SHQueryUserNotificationState');
    expect(notificationStateScript).toContain('[ref]$state');
  });
});

describe.skipIf(process.platform === 'win32')('the Windows query, run', () => {
  const path = process.env.PATH;
  let dir: string | null = null;
  afterEach(() => {
    process.env.PATH = path;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // A stand-in powershell.exe first on PATH prints what Windows would, so the whole path from process to answer runs.
  const fakePowerShell = (stdout: string, exitCode = 0) => {
    dir = mkdtempSync(join(tmpdir(), 'fixpoint-qun-'));
    const script = join(dir, 'powershell.exe');
    writeFileSync(script, `#!/bin/sh\nprintf '${stdout}'\nexit ${exitCode}\n`);
    chmodSync(script, 0o755);
    process.env.PATH = `${dir}${delimiter}${path}`;
  };

  it('is busy when PowerShell prints a busy state', async () => {
    fakePowerShell('2\\r\\n');
    expect(await windowsBusy()).toBe(true);
  });

  it('is not busy when notifications are accepted, or the call fails', async () => {
    fakePowerShell('5\\r\\n');
    expect(await windowsBusy()).toBe(false);
    fakePowerShell('2\\r\\n', 1);
    expect(await windowsBusy()).toBe(false);
  });
});
