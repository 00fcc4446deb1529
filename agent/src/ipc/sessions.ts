/**
 * @module Which users get a tray socket: on Linux everyone with a session runtime directory (`/run/user/<uid>`,
 * created by logind at login and removed at logout), on Windows every account with an interactive session
 * (`exec/windows-sessions.ts`), on macOS the console user.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execText, findConsoleUser, parsePasswd } from '../exec/console-user';
import { windowsSessions } from '../exec/windows-sessions';
import { sessionBase } from './paths';
import type { IpcUser } from './user-socket';

/** Account details by uid (getent), or null. */
export async function lookupUid(uid: number): Promise<IpcUser | null> {
  const line = await execText('getent', ['passwd', String(uid)]);
  const account = line ? parsePasswd(line.split('\n')[0]!) : null;
  return account && account.uid === uid ? { name: account.name, uid: account.uid, gid: account.gid } : null;
}

/** Users with a runtime directory under `base` that they own (root excluded). */
export async function linuxSessionUsers(base = sessionBase()): Promise<IpcUser[]> {
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return [];
  }
  const users: IpcUser[] = [];
  for (const name of names) {
    if (!/^[1-9]\d{0,9}$/.test(name)) continue;
    const uid = Number(name);
    try {
      const st = lstatSync(join(base, name));
      if (!st.isDirectory() || st.uid !== uid) continue;
    } catch {
      continue;
    }
    const user = await lookupUid(uid);
    if (user) users.push(user);
  }
  return users;
}

/** Windows: one tray pipe per account with an interactive session, active or disconnected (its tray still runs). */
export async function windowsSessionUsers(sessions: typeof windowsSessions = windowsSessions): Promise<IpcUser[]> {
  const users: IpcUser[] = [];
  for (const s of (await sessions()).sessions)
    if (!users.some((u) => u.sid === s.sid)) users.push({ name: s.name, uid: -1, gid: -1, sid: s.sid });
  return users;
}

/** The users that should have a tray socket now. */
export async function sessionUsers(): Promise<IpcUser[]> {
  if (process.platform === 'linux') return linuxSessionUsers();
  if (process.platform === 'win32') return windowsSessionUsers();
  const user = await findConsoleUser();
  return user ? [{ name: user.name, uid: user.uid, gid: user.gid }] : [];
}
