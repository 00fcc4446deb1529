/**
 * @module The control socket of one run: how `fixpoint campaign` inside a script reaches the agent. Each run gets its
 * own socket, `<ipc base>/runs/<execution id>.sock` (a named pipe on Windows), and its own secret in
 * `FIXPOINT_CONTROL_TOKEN`; a connection carries one `campaign` or `campaign_status` request and gets one `outcome`
 * line back.
 *
 * The socket is not in the run directory: a user run's directory belongs to the user, who could swap it for a link
 * between the agent creating the socket, chowning it and (when it closes) unlinking it. The `runs` folder is root's.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { lchownSync, unlinkSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { lineSplitter, parseScriptCampaignRequest, type IpcError, type ScriptCampaignOutcome, type ScriptControlRequest } from '@fixpoint/protocol';
import { log } from '../log';
import type { RunUser } from '../exec/platform';
import { ensureDir } from '../state/trusted-dirs';
import { prepareIpcBase } from './user-socket';

/** Starts (or reads, `campaign_status`) a campaign for a script; `abandon` is called when the script goes away before the outcome. */
export type StartCampaign = (request: ScriptControlRequest) => { outcome: Promise<ScriptCampaignOutcome>; abandon(): void };

export interface ControlEndpoint {
  /** `FIXPOINT_CONTROL` and `FIXPOINT_CONTROL_TOKEN` for the script. */
  env: Record<string, string>;
  /** Stops listening; every campaign wait still open is abandoned before it resolves. */
  close(): Promise<void>;
}

/** Campaigns one run may wait for at once. */
const maxConcurrent = 4;

function serve(socket: Socket, token: string, start: StartCampaign, active: Set<Socket>): void {
  socket.setEncoding('utf8');
  let done = false;
  const reply = (message: ScriptCampaignOutcome | IpcError) => {
    done = true;
    if (!socket.destroyed) socket.end(`${JSON.stringify(message)}\n`);
  };
  const push = lineSplitter(
    (line) => {
      if (done) return;
      const parsed = parseScriptCampaignRequest(line);
      if (!parsed.ok) return reply(parsed.error);
      const given = Buffer.from(parsed.message.token);
      const expected = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return reply({ type: 'error', code: 'unauthenticated', message: 'wrong FIXPOINT_CONTROL_TOKEN' });
      if (active.size >= maxConcurrent) return reply({ type: 'error', code: 'conflict', message: `at most ${maxConcurrent} campaigns at once per run` });
      done = true;
      active.add(socket);
      const { outcome, abandon } = start(parsed.message);
      socket.once('close', () => {
        active.delete(socket);
        abandon();
      });
      void outcome.then((o) => !socket.destroyed && socket.end(`${JSON.stringify(o)}\n`));
    },
    () => reply({ type: 'error', code: 'payload_too_large', message: 'the request is too long' }),
  );
  socket.on('data', (chunk: string) => push(chunk));
  socket.on('error', () => {});
}

/** Where the run's socket goes: a fresh path in the root-owned `runs` folder (POSIX), or a pipe name. */
function controlPath(executionId: string): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(executionId)) throw new Error(`not an execution id: ${executionId}`);
  if (process.platform === 'win32') return `\\\\.\\pipe\\fixpoint-run-${executionId}`;
  const path = join(ensureDir(prepareIpcBase(), 'runs', { mode: 0o711 }), `${executionId}.sock`);
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return path;
}

/** Opens the run's control socket (owned by the run's user for user runs). */
export async function openControlEndpoint(executionId: string, user: RunUser | null, start: StartCampaign): Promise<ControlEndpoint> {
  const token = randomBytes(32).toString('base64url');
  const path = controlPath(executionId);
  const active = new Set<Socket>();
  const server = createServer((socket) => serve(socket, token, start, active));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // created 0600 from its first instant, then handed to the run's user
    const previous = process.platform === 'win32' ? null : process.umask(0o177);
    try {
      server.listen(process.platform === 'win32' ? { path, readableAll: true, writableAll: true } : { path }, () => resolve());
    } finally {
      if (previous !== null) process.umask(previous);
    }
  });
  if (user && user.uid >= 0 && process.platform !== 'win32') lchownSync(path, user.uid, user.gid);
  return {
    env: { FIXPOINT_CONTROL: path, FIXPOINT_CONTROL_TOKEN: token },
    async close() {
      // Every wait still open is abandoned (on its socket's close) before this resolves.
      const closed = [...active].map((socket) => new Promise((resolve) => socket.once('close', resolve)));
      for (const socket of active) socket.destroy();
      await Promise.all(closed);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Logs and swallows a failure to open the control socket: the run goes on, only `fixpoint campaign` is unavailable. */
export async function tryOpenControlEndpoint(...args: Parameters<typeof openControlEndpoint>): Promise<ControlEndpoint | null> {
  try {
    return await openControlEndpoint(...args);
  } catch (err) {
    log.warn('run: cannot open the control socket; fixpoint campaign is unavailable in this run', { error: String(err) });
    return null;
  }
}
