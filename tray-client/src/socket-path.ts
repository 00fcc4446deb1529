/**
 * @module Where the agent listens for this user's tray, seen from the tray's side; mirrors `agent/src/ipc/paths.ts`.
 * `FIXPOINT_TRAY_SOCKET` and `FIXPOINT_TRAY_TOKEN_FILE` override it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { windowsPipeName } from '@fixpoint/protocol/tray-crypto';

export interface AgentEndpoint {
  /** The socket path; on Windows the pipe's name comes from the secret, see {@link socketFor}. */
  socket: string;
  token: string;
  /** Windows: the user's SID, which with the secret names the pipe. */
  sid?: string;
  /** Windows: the agent challenges, and the hello carries a proof of the secret instead of the secret. */
  sealed?: boolean;
}

/** Where to connect once the secret is read. */
export function socketFor(endpoint: AgentEndpoint, secret: string): string {
  return endpoint.sid ? windowsPipeName(endpoint.sid, secret) : endpoint.socket;
}

/** The SID of the user running this process (`whoami /user`). */
function currentSid(): Promise<string | null> {
  return new Promise((resolve) =>
    execFile('whoami', ['/user', '/fo', 'csv', '/nh'], { windowsHide: true, timeout: 10_000 }, (err, out) => {
      const sid = err ? null : /"(S-1-[0-9-]+)"/.exec(out)?.[1];
      resolve(sid ?? null);
    }),
  );
}

/** The socket (or pipe) and the secret file of the current user (of `uid`, on Linux and macOS). */
export async function agentEndpoint(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, uid?: number): Promise<AgentEndpoint> {
  if (env.FIXPOINT_TRAY_SOCKET) return { socket: env.FIXPOINT_TRAY_SOCKET, token: env.FIXPOINT_TRAY_TOKEN_FILE ?? join(env.FIXPOINT_TRAY_SOCKET, '..', 'token') };
  if (platform === 'win32') {
    const sid = await currentSid();
    if (!sid) throw new Error('cannot tell this account’s SID');
    return { socket: `\\\\.\\pipe\\fixpoint-${sid}`, sid, sealed: true, token: join(env.ProgramData ?? 'C:\\ProgramData', 'Fixpoint', 'tray', sid, 'token') };
  }
  // root's folder for this uid (root, the user's group, 0750), in root's base (0711): nothing on the way is a user's
  const dir = `${platform === 'darwin' ? '/var/run/fixpoint' : '/run/fixpoint'}/${uid ?? process.getuid!()}`;
  return { socket: `${dir}/agent.sock`, token: `${dir}/token` };
}
