import { describe, expect, it } from 'vitest';
import { findConsoleUser, parseKeyValues, parsePasswd, parseWho, pickSeatSession, posixUserEnv } from './console-user';

describe('console user detection', () => {
  it('picks the active local seat session, graphical first', () => {
    const sessions = [
      parseKeyValues('Name=sshuser\nActive=yes\nRemote=yes\nClass=user\nSeat=\nType=tty'),
      parseKeyValues('Name=gdm\nActive=no\nRemote=no\nClass=greeter\nSeat=seat0\nType=wayland'),
      parseKeyValues('Name=bob\nActive=yes\nRemote=no\nClass=user\nSeat=seat0\nType=tty'),
      parseKeyValues('Name=ana\nActive=yes\nRemote=no\nClass=user\nSeat=seat0\nType=wayland'),
    ];
    expect(pickSeatSession(sessions)).toBe('ana');
    expect(pickSeatSession(sessions.slice(0, 3))).toBe('bob');
    expect(pickSeatSession(sessions.slice(0, 2))).toBeNull();
  });

  it('reads who output, ignoring remote pts sessions', () => {
    expect(parseWho('ops      pts/0        2025-01-01 10:00 (10.0.0.5)\nana      :0           2025-01-01 09:00 (:0)\n')).toBe('ana');
    expect(parseWho('bob      tty1         2025-01-01 09:00\n')).toBe('bob');
    expect(parseWho('ops      pts/0        2025-01-01 10:00 (10.0.0.5)\n')).toBeNull();
    expect(parseWho('')).toBeNull();
  });

  it('parses passwd lines', () => {
    expect(parsePasswd('ana:x:1000:1000:Ana,,,:/home/ana:/bin/bash')).toEqual({ name: 'ana', uid: 1000, gid: 1000, home: '/home/ana', shell: '/bin/bash' });
    expect(parsePasswd('garbage')).toBeNull();
  });

  it('honours the override, and never returns root', async () => {
    expect(await findConsoleUser({ FIXPOINT_AGENT_CONSOLE_USER: '' })).toBeNull();
    expect(await findConsoleUser({ FIXPOINT_AGENT_CONSOLE_USER: 'root' })).toBeNull();
    expect(await findConsoleUser({ FIXPOINT_AGENT_CONSOLE_USER: '../etc;rm' })).toBeNull();
  });

  it('builds a login-like environment that does not leak the agent environment', () => {
    const env = posixUserEnv({ name: 'ana', uid: 4242, gid: 4242, home: '/home/ana', shell: '/bin/zsh' }, { SECRET_AGENT_VAR: 'x', LANG: 'fr_FR.UTF-8' });
    expect(env).toMatchObject({ HOME: '/home/ana', USER: 'ana', LOGNAME: 'ana', SHELL: '/bin/zsh', LANG: 'fr_FR.UTF-8' });
    expect(env.SECRET_AGENT_VAR).toBeUndefined();
  });
});
