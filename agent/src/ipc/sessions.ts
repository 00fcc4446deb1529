/**
 * @module Which users get a tray socket: on Linux everyone with a session runtime directory (`/run/user/<uid>`,
 * created by logind at login and removed at logout), on macOS and Windows the console user.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execText, findConsoleUser, parsePasswd } from '../exec/console-user';
import { quotePowerShell } from '../exec/powershell-quote';
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

/** The PowerShell that prints the SID of the account `name`. */
export const sidQuery = (name: string) =>
  `(New-Object System.Security.Principal.NTAccount(${quotePowerShell(name)})).Translate([System.Security.Principal.SecurityIdentifier]).Value`;

/** The SID of a Windows account, through PowerShell (no native binding needed). */
export async function windowsSid(name: string): Promise<string | null> {
  const out = await execText('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', sidQuery(name)]);
  const sid = out?.trim() ?? '';
  return /^S-1-[0-9-]+$/.test(sid) ? sid : null;
}

/** The users that should have a tray socket now. */
export async function sessionUsers(): Promise<IpcUser[]> {
  if (process.platform === 'linux') return linuxSessionUsers();
  const user = await findConsoleUser();
  if (!user) return [];
  if (process.platform !== 'win32') return [{ name: user.name, uid: user.uid, gid: user.gid }];
  const sid = await windowsSid(user.name);
  return sid ? [{ name: user.name, uid: -1, gid: -1, sid }] : [];
}
