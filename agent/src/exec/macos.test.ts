import { describe, expect, it } from 'vitest';
import { parseConsoleOwner } from './console-user';
import { macosAsUserCommand } from './platform-posix';

const ana = { name: 'ana', uid: 501 };

describe('macOS user runs', () => {
  it('runs the script through launchctl asuser, then sudo to the user', () => {
    expect(macosAsUserCommand(ana, '/bin/zsh', ['/var/fixpoint/run/x/script.sh'])).toEqual({
      command: '/bin/launchctl',
      args: ['asuser', '501', '/usr/bin/sudo', '-E', '-H', '-u', 'ana', '--', '/bin/zsh', '/var/fixpoint/run/x/script.sh'],
    });
  });

  it('passes the uid as a string right after asuser', () => {
    const { args } = macosAsUserCommand({ name: 'bob', uid: 502 }, '/bin/sh', []);
    expect(args.slice(0, 2)).toEqual(['asuser', '502']);
    expect(typeof args[1]).toBe('string');
  });

  it('gives sudo -E and -H before the user, and ends its options before the command', () => {
    const { args } = macosAsUserCommand(ana, '/bin/bash', ['-c', 'echo hi']);
    const sudo = args.indexOf('/usr/bin/sudo');
    expect(sudo).toBe(2);
    const options = args.slice(sudo + 1, args.indexOf('--'));
    expect(options).toEqual(['-E', '-H', '-u', 'ana']);
    // everything after `--` is the command: an argument that looks like an option is the script's, not sudo's
    expect(args.slice(args.indexOf('--') + 1)).toEqual(['/bin/bash', '-c', 'echo hi']);
    expect(args.filter((a) => a === '--')).toHaveLength(1);
  });
});

describe('macOS console user', () => {
  it('reads the owner of /dev/console', () => {
    expect(parseConsoleOwner('ana\n')).toBe('ana');
    expect(parseConsoleOwner('first.last\n')).toBe('first.last');
  });

  it('sees nobody at the login window, in Setup Assistant, as root, or without an answer', () => {
    for (const out of ['root\n', 'loginwindow\n', '_mbsetupuser\n', '', '\n', '   ', null]) expect(parseConsoleOwner(out)).toBeNull();
    expect(parseConsoleOwner('ana\nbob\n')).toBeNull();
  });
});
