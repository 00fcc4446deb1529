import { describe, expect, it } from 'vitest';
import { applyAcl, restrictStateDir, secretFileAclCommand, stateDirAclCommand } from './windows-acl';

describe('Windows ACL commands', () => {
  it('gives the state folder to SYSTEM and Administrators only, by SID, inheritance removed', () => {
    expect(stateDirAclCommand('C:\\ProgramData\\Fix point')).toEqual([
      'icacls',
      'C:\\ProgramData\\Fix point',
      '/inheritance:r',
      '/grant:r',
      '*S-1-5-18:(OI)(CI)F',
      '*S-1-5-32-544:(OI)(CI)F',
    ]);
  });

  it("lets only the tray's user read its secret, and SYSTEM rewrite it", () => {
    const sid = 'S-1-5-21-1004336348-1177238915-682003330-1001';
    expect(secretFileAclCommand('C:\\ProgramData\\Fixpoint\\tray\\x\\token', sid)).toEqual([
      'icacls',
      'C:\\ProgramData\\Fixpoint\\tray\\x\\token',
      '/inheritance:r',
      '/grant:r',
      `*${sid}:R`,
      '*S-1-5-18:F',
    ]);
  });

  it('refuses anything but a SID as the user, so no name or extra grant reaches icacls', () => {
    for (const bad of ['', 'alice', 'S-1-5-21-1:F *S-1-1-0', 'S-1-', '*S-1-5-18']) expect(() => secretFileAclCommand('C:\\t', bad)).toThrow(/not a SID/);
  });
});

describe('applying an ACL', () => {
  it('runs the command as an argument array', async () => {
    const calls: string[][] = [];
    await applyAcl(stateDirAclCommand('C:\\Fixpoint'), async (cmd, args) => void calls.push([cmd, ...args]));
    expect(calls).toEqual([stateDirAclCommand('C:\\Fixpoint')]);
  });

  it('fails loudly when icacls fails', async () => {
    const failing = async () => {
      throw new Error('icacls: Access is denied.');
    };
    await expect(applyAcl(stateDirAclCommand('C:\\Fixpoint'), failing)).rejects.toThrow(/could not restrict access to C:\\Fixpoint: icacls: Access is denied/);
  });

  it('restricts the state folder on Windows only', async () => {
    const calls: string[][] = [];
    const run = async (cmd: string, args: string[]) => void calls.push([cmd, ...args]);
    await restrictStateDir('/var/lib/fixpoint-agent', 'linux', run);
    expect(calls).toEqual([]);
    await restrictStateDir('C:\\ProgramData\\Fixpoint', 'win32', run);
    expect(calls).toEqual([stateDirAclCommand('C:\\ProgramData\\Fixpoint')]);
  });
});
