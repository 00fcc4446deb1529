// Where the agent uses the Windows sessions (exec/windows-sessions.ts): tray pipes, runs as the logged-in user, facts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { windowsConsoleUser } from '../exec/platform-windows';
import { mergeSessions, parseCimSessions, parseQueryUser, pickConsoleSession, type windowsSessions } from '../exec/windows-sessions';
import { loggedInUser } from '../facts';
import { windowsSessionUsers } from './sessions';

const fixture = (name: string) => readFileSync(new URL(`../exec/fixtures/windows/${name}`, import.meta.url), 'utf8');
/** The machine of the recorded outputs: alice at the console, bob disconnected, three more. */
const recorded: typeof windowsSessions = async () => {
  const cim = parseCimSessions(fixture('cim-sessions.json'));
  const sessions = mergeSessions(cim, parseQueryUser(fixture('quser-en.txt')));
  return { sessions, console: pickConsoleSession(sessions, cim.console) };
};
const nobody: typeof windowsSessions = async () => ({ sessions: [], console: null });

describe('Windows sessions in the agent', () => {
  it('opens a tray pipe for every account with an interactive session, disconnected ones too, once per SID', async () => {
    const users = await windowsSessionUsers(recorded);
    expect(users.map((u) => u.name)).toEqual([
      'CONTOSO\\alice',
      'CONTOSO\\bob',
      'CONTOSO\\carol.longname.2026x',
      'CONTOSO\\firstname.lastname.extra',
      'DESKTOP-7Q1B2C\\dana',
    ]);
    expect(users[0]).toEqual({ name: 'CONTOSO\\alice', uid: -1, gid: -1, sid: 'S-1-5-21-3623811015-3361044348-30300820-1104' });
    const twice: typeof windowsSessions = async () => {
      const r = await recorded();
      return { ...r, sessions: [...r.sessions, { ...r.sessions[0]!, sessionId: 9 }] };
    };
    expect(await windowsSessionUsers(twice)).toHaveLength(5);
    expect(await windowsSessionUsers(nobody)).toEqual([]);
  });

  it('runs as the active console session’s user, in their profile', async () => {
    expect(await windowsConsoleUser({}, recorded)).toMatchObject({ name: 'CONTOSO\\alice', home: 'C:\\Users\\alice', sessionId: 1 });
    expect(await windowsConsoleUser({}, nobody)).toBeNull();
    expect(await windowsConsoleUser({ FIXPOINT_AGENT_CONSOLE_USER: 'VM\\kiosk' }, recorded)).toMatchObject({ name: 'VM\\kiosk' });
  });

  it('reports the console user as the logged_in_user fact on win32', async () => {
    const posix = async () => null;
    expect(await loggedInUser('win32', { posix, windows: recorded })).toBe('CONTOSO\\alice');
    expect(await loggedInUser('win32', { posix, windows: nobody })).toBeNull();
  });
});
