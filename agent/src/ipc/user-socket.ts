/**
 * @module Opening one user's tray socket: a private directory handed to the user, a fresh secret only the user can
 * read, and the socket itself, created by root and owned by the user.
 *
 * Who may talk to the agent. Node exposes no SO_PEERCRED (nor GetNamedPipeClientProcessId), so admission rests on
 * three checks, each enough to stop another local user on its own:
 * 1. File permissions the kernel enforces on `connect`: the socket is 0600 and its directory 0700, both owned by the
 *    user; nobody but the user and root can open it.
 * 2. The secret: 32 random bytes, renewed at every agent start, in a 0600 file owned by the user next to the socket.
 *    A tray must present it in its hello; it is compared in constant time.
 * 3. On Linux, the pid a tray names in its hello must be a process of that user (`/proc/<pid>/status`).
 * On Windows the pipe's ACL cannot be narrowed to one SID from Node, so the pipe admits any local account by ACL and
 * the secret (its folder ACL'd by `icacls` to SYSTEM, Administrators and the user's SID) is what admits the user.
 *
 * The user owns the directory the socket lives in, so every step here refuses to follow links: the secret is
 * created with O_EXCL|O_NOFOLLOW and chowned through its descriptor, the socket is created 0600 by the umask (never
 * chmod'ed by path) and chowned with lchown.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchownSync, lchownSync, lstatSync, mkdirSync, openSync, unlinkSync, writeSync, chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { UserSocketPaths } from './paths';

/** An account that gets a tray socket. */
export interface IpcUser {
  name: string;
  uid: number;
  gid: number;
  /** Windows only. */
  sid?: string;
}

const lstatOrNull = (path: string) => {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
};

const unlinkIfPresent = (path: string) => {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
};

/** Creates (or takes back) the user's private directory; refuses anything that is not a plain directory. */
function preparePosixDir(paths: UserSocketPaths, user: IpcUser): void {
  const parent = dirname(paths.dir);
  if (process.platform === 'darwin') {
    // /var/run/fixpoint/<uid>: the base is root's, so the user cannot swap the per-user directory itself.
    mkdirSync(parent, { recursive: true, mode: 0o755 });
    const base = lstatSync(parent);
    if (!base.isDirectory() || base.uid !== 0) throw new Error(`${parent} must be a directory owned by root`);
  } else {
    // Linux: the session's runtime directory, which logind creates for the user.
    const st = lstatOrNull(parent);
    if (!st?.isDirectory() || st.uid !== user.uid) throw new Error(`${parent} is not ${user.name}'s runtime directory`);
  }
  let st = lstatOrNull(paths.dir);
  if (st && !st.isDirectory()) {
    unlinkSync(paths.dir);
    st = null;
  }
  if (!st) mkdirSync(paths.dir, { mode: 0o700 });
  st = lstatSync(paths.dir);
  if (!st.isDirectory()) throw new Error(`${paths.dir} is not a directory`);
  lchownSync(paths.dir, user.uid, user.gid);
  chmodSync(paths.dir, 0o700);
}

function writeSecret(path: string, token: string, owner: IpcUser | null): void {
  unlinkIfPresent(path);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  const fd = openSync(path, flags, 0o600);
  try {
    writeSync(fd, `${token}\n`);
    if (owner) fchownSync(fd, owner.uid, owner.gid);
  } finally {
    closeSync(fd);
  }
}

const icacls = (args: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile('icacls', args, { windowsHide: true, timeout: 30_000 }, (err) => (err ? reject(err) : resolve())),
  );

function listen(server: Server, path: string, umask: number | null): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // The socket is bound synchronously inside listen(): the umask makes it 0600 from its first instant.
    const previous = umask === null ? null : process.umask(umask);
    try {
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      if (previous !== null) process.umask(previous);
    }
  });
}

export interface OpenedUserSocket {
  server: Server;
  /** The secret trays of this user must present. */
  token: string;
}

/** Prepares the directory and secret, then listens; `onConnection` gets every accepted socket. */
export async function openUserSocket(paths: UserSocketPaths, user: IpcUser, onConnection: (socket: Socket) => void): Promise<OpenedUserSocket> {
  const token = randomBytes(32).toString('base64url');
  const server = createServer({ allowHalfOpen: false }, onConnection);
  if (process.platform === 'win32') {
    mkdirSync(paths.dir, { recursive: true });
    await icacls([paths.dir, '/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F', `*${user.sid}:(OI)(CI)R`]);
    writeSecret(paths.token, token, null);
    await listen(server, paths.socket, null);
    return { server, token };
  }
  preparePosixDir(paths, user);
  writeSecret(paths.token, token, user);
  unlinkIfPresent(paths.socket);
  await listen(server, paths.socket, 0o177);
  lchownSync(paths.socket, user.uid, user.gid);
  return { server, token };
}

/** Stops listening and removes the socket and the secret (the directory stays: it may hold a tray's state). */
export async function closeUserSocket(opened: OpenedUserSocket, paths: UserSocketPaths): Promise<void> {
  await new Promise<void>((resolve) => opened.server.close(() => resolve()));
  if (process.platform !== 'win32') unlinkIfPresent(paths.socket);
  try {
    unlinkIfPresent(paths.token);
  } catch {
    // already gone with the session's runtime directory
  }
}
