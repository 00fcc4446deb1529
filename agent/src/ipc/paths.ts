/**
 * @module Where each user's tray socket lives. The tray client computes the same paths from its own side
 * (`tray-client/src/agent-link.ts`), so the two must change together.
 *
 * | platform | socket | secret |
 * |---|---|---|
 * | Linux | `/run/user/<uid>/fixpoint/agent.sock` (the user's `$XDG_RUNTIME_DIR`) | `…/fixpoint/token` |
 * | macOS | `/var/run/fixpoint/<uid>/agent.sock` | `/var/run/fixpoint/<uid>/token` |
 * | Windows | `\\.\pipe\fixpoint-<SID>` | `%ProgramData%\Fixpoint\tray\<SID>\token` |
 */
import { join } from 'node:path';

export interface UserSocketPaths {
  /** The private directory holding the socket and the secret (0700, owned by the user); on Windows the secret's folder. */
  dir: string;
  /** The socket path, or the pipe name on Windows. */
  socket: string;
  /** The per-user secret a tray presents in its hello (0600, owned by the user). */
  token: string;
}

/** Where the per-user runtime directories are (logind creates `/run/user/<uid>` for each session). */
export function runtimeBase(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.FIXPOINT_AGENT_RUNTIME_BASE) return env.FIXPOINT_AGENT_RUNTIME_BASE;
  return platform === 'darwin' ? '/var/run/fixpoint' : '/run/user';
}

/** The socket, secret and directory of one user, by uid (POSIX) or SID (Windows). */
export function userSocketPaths(
  who: { uid: number; sid?: string },
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): UserSocketPaths {
  if (platform === 'win32') {
    if (!who.sid || !/^S-1-[0-9-]+$/.test(who.sid)) throw new Error('a Windows user needs its SID');
    const dir = join(env.ProgramData ?? 'C:\\ProgramData', 'Fixpoint', 'tray', who.sid);
    return { dir, socket: `\\\\.\\pipe\\fixpoint-${who.sid}`, token: join(dir, 'token') };
  }
  const base = join(runtimeBase(env, platform), String(who.uid));
  const dir = platform === 'darwin' ? base : join(base, 'fixpoint');
  return { dir, socket: join(dir, 'agent.sock'), token: join(dir, 'token') };
}
