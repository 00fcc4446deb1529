/**
 * @module Where each user's tray socket lives. The tray client computes the same paths from its own side
 * (`tray-client/src/socket-path.ts`), so the two must change together.
 *
 * | platform | socket | secret |
 * |---|---|---|
 * | Linux | `/run/fixpoint/<uid>/agent.sock` | `/run/fixpoint/<uid>/token` |
 * | macOS | `/var/run/fixpoint/<uid>/agent.sock` | `/var/run/fixpoint/<uid>/token` |
 * | Windows | `\\.\pipe\fixpoint-<SID>-<tag>` | `%ProgramData%\Fixpoint\tray\<SID>\token` |
 *
 * On Windows the pipe's name ends in a tag of the secret (`windowsPipeName` in `@fixpoint/protocol/tray-crypto`): only who can read the secret can
 * know the name before the agent listens on it, so nobody can create the pipe first.
 *
 * On Linux and macOS every directory on the way belongs to root: the base (0711) and each user's folder (root, the
 * user's group, 0750). Only the socket and the secret in it belong to the user. Nothing there is the user's to
 * rename or replace, so no file operation of the agent can be redirected (see `state/trusted-dirs.ts`). Run control
 * sockets sit next to them, in `<base>/runs/`.
 */
import type { ListenOptions } from 'node:net';
import { join } from 'node:path';
import { isWindowsSid } from '@fixpoint/protocol';

export interface UserSocketPaths {
  /** The directory holding the socket and the secret; on Windows the secret's folder. */
  dir: string;
  /** The socket path; on Windows the pipe name's stem, which `windowsPipeName` completes with the secret's tag. */
  socket: string;
  /** The per-user secret a tray presents in its hello (0600, owned by the user). */
  token: string;
}

/** Where logind creates the session runtime directories (`/run/user/<uid>`); the agent only reads them, to follow logins. */
export function sessionBase(env: NodeJS.ProcessEnv = process.env): string {
  return env.FIXPOINT_AGENT_RUNTIME_BASE || '/run/user';
}

/** The root-owned directory of the agent's local sockets (POSIX): `FIXPOINT_AGENT_IPC_DIR`, else `/run/fixpoint` or, on macOS, `/var/run/fixpoint`. */
export function ipcBase(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.FIXPOINT_AGENT_IPC_DIR) return env.FIXPOINT_AGENT_IPC_DIR;
  return platform === 'darwin' ? '/var/run/fixpoint' : '/run/fixpoint';
}

/** The socket, secret and directory of one user, by uid (POSIX) or SID (Windows). */
export function userSocketPaths(
  who: { uid: number; sid?: string },
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): UserSocketPaths {
  if (platform === 'win32') {
    if (!who.sid || !isWindowsSid(who.sid)) throw new Error('a Windows user needs its SID');
    const dir = join(env.ProgramData ?? 'C:\\ProgramData', 'Fixpoint', 'tray', who.sid);
    return { dir, socket: `\\\\.\\pipe\\fixpoint-${who.sid}`, token: join(dir, 'token') };
  }
  if (!Number.isInteger(who.uid) || who.uid < 0) throw new Error(`not a uid: ${who.uid}`);
  const dir = join(ipcBase(env, platform), String(who.uid));
  return { dir, socket: join(dir, 'agent.sock'), token: join(dir, 'token') };
}

/**
 * How a user socket listens. A pipe the agent (LocalSystem) creates gets a default DACL that lets other accounts
 * only read, so a tray could not send its hello; Node cannot set a DACL of its own, only add Everyone read and write
 * (`uv_pipe_chmod`). So the pipe is open to every local account, and the secret is what admits the user (see
 * `user-socket.ts`). On POSIX the socket's mode comes from the umask at bind time instead.
 */
export function userListenOptions(path: string, platform: NodeJS.Platform = process.platform): ListenOptions {
  return platform === 'win32' ? { path, readableAll: true, writableAll: true } : { path };
}
