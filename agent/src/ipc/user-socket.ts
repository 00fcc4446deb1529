/**
 * @module Opening one user's tray socket: a root-owned folder for the user, a fresh secret only the user can read,
 * and the socket itself, created by root and owned by the user.
 *
 * Who may talk to the agent. Node exposes no SO_PEERCRED (nor GetNamedPipeClientProcessId), so admission rests on
 * three checks, each enough to stop another local user on its own:
 * 1. File permissions the kernel enforces on `connect`: the socket is 0600 and owned by the user, in a folder (0750)
 *    only root and the user's group may enter; nobody but the user and root can open it.
 * 2. The secret: 32 random bytes, renewed at every agent start, in a 0600 file owned by the user next to the socket.
 *    A tray must present it in its hello; it is compared in constant time.
 * 3. On Linux, the pid a tray names in its hello must be a process of that user (`/proc/<pid>/status`).
 * On Windows (see "Tray IPC on Windows" in agent/src/README.md) the OS enforces less:
 * - The pipe is open to every local account for reading and writing (`userListenOptions`): Node can only add an
 *   Everyone entry to the pipe's default DACL, whose own entries let other accounts merely read, and a tray must
 *   write its hello. That write access also lets another account add server instances under the same name.
 * - The secret's file is what the OS guards: its folder is limited to SYSTEM, Administrators and the user's SID.
 * - The pipe's name ends in a one-way tag of the secret (`windowsPipeName`), so nobody can create it before the agent.
 * - The secret never crosses the pipe: the agent challenges, the tray proves the secret over both nonces, and the
 *   agent proves it back (`@fixpoint/protocol/tray-crypto`): a server instance another account added learns no secret and cannot
 *   pose as the agent. It could still relay a whole connection and read or change the lines after the hello, which
 *   nothing seals. Nothing checks which process or account is at the other end.
 *
 * Every directory on the way is root's (see `paths.ts`), so nothing the agent creates, chowns or deletes here can be
 * redirected by the user: the user owns only the socket and the secret, and cannot rename or replace them. The
 * secret is still created with O_EXCL|O_NOFOLLOW and chowned through its descriptor, and the socket created 0600 by
 * the umask (never chmod'ed by path) and chowned with lchown.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchownSync, lchownSync, mkdirSync, openSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { createServer, type ListenOptions, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { ensureDir, ensureTrustedDir } from '../state/trusted-dirs';
import { applyAcl, secretFileAclCommand } from '../state/windows-acl';
import { windowsPipeName } from '@fixpoint/protocol/tray-crypto';
import { ipcBase, userListenOptions, userSocketPaths, type UserSocketPaths } from './paths';

/** An account that gets a tray socket. */
export interface IpcUser {
  name: string;
  uid: number;
  gid: number;
  /** Windows only. */
  sid?: string;
}

const unlinkIfPresent = (path: string) => {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
};

/**
 * The root-owned base of the agent's sockets (0711), checked from the root directory down and created if missing;
 * anything else found in its place is removed, never reused. Returns its real path.
 */
export function prepareIpcBase(): string {
  return ensureTrustedDir(ipcBase(), { mode: 0o711 });
}

/** The user's folder in the base: root's, the user's group, 0750. Paths come back real. */
function preparePosixDir(user: IpcUser): UserSocketPaths {
  const dir = ensureDir(prepareIpcBase(), String(user.uid), { mode: 0o750, gid: user.gid });
  return { dir, socket: join(dir, 'agent.sock'), token: join(dir, 'token') };
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

function listen(server: Server, options: ListenOptions, umask: number | null): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // The socket is bound synchronously inside listen(): the umask makes it 0600 from its first instant.
    const previous = umask === null ? null : process.umask(umask);
    try {
      server.listen(options, () => {
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
  /** Where it listens, and the secret's file. */
  paths: UserSocketPaths;
  /** The secret trays of this user must present. */
  token: string;
}

/** Prepares the directory and secret, then listens; `onConnection` gets every accepted socket. */
export async function openUserSocket(user: IpcUser, onConnection: (socket: Socket) => void): Promise<OpenedUserSocket> {
  const token = randomBytes(32).toString('base64url');
  const server = createServer({ allowHalfOpen: false }, onConnection);
  if (process.platform === 'win32') {
    const stem = userSocketPaths(user);
    const paths = { ...stem, socket: windowsPipeName(user.sid ?? '', token) };
    mkdirSync(paths.dir, { recursive: true });
    await icacls([paths.dir, '/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F', `*${user.sid}:(OI)(CI)R`]);
    // The one place the Windows secret is written: before the pipe exists, so its name is unknown until then.
    writeSecret(paths.token, token, null);
    await applyAcl(secretFileAclCommand(paths.token, user.sid ?? ''));
    await listen(server, userListenOptions(paths.socket), null);
    return { server, paths, token };
  }
  const paths = preparePosixDir(user);
  writeSecret(paths.token, token, user);
  unlinkIfPresent(paths.socket);
  await listen(server, userListenOptions(paths.socket), 0o177);
  lchownSync(paths.socket, user.uid, user.gid);
  return { server, paths, token };
}

/** Stops listening and removes the socket, the secret and (POSIX) the user's folder. */
export async function closeUserSocket(opened: OpenedUserSocket): Promise<void> {
  await new Promise<void>((resolve) => opened.server.close(() => resolve()));
  const { paths } = opened;
  if (process.platform !== 'win32') unlinkIfPresent(paths.socket);
  unlinkIfPresent(paths.token);
  if (process.platform === 'win32') return;
  try {
    rmdirSync(paths.dir);
  } catch {
    // a new socket for the same user may be on its way in
  }
}
