/**
 * @module Finding the user at the console on Linux and macOS, and their account details.
 * `FIXPOINT_AGENT_CONSOLE_USER` overrides detection (an empty value means "nobody"), for tests and kiosks;
 * `FIXPOINT_AGENT_CONSOLE_USER_FILE` names a file read on every look instead (empty or missing means "nobody"), so
 * the console user can change while the agent runs.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { RunUser } from './platform';

/** Runs a command and returns its stdout, or null when it fails or is missing. */
export function execText(command: string, args: string[], timeoutMs = 5000): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 1024 * 1024, windowsHide: true }, (err, stdout) =>
      resolve(err ? null : stdout),
    );
  });
}

/** `key=value` lines (loginctl show-session) into a map. */
export function parseKeyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** Picks the local user from `who` output: a graphical display (`:0`) or a local tty, never a remote pts session. */
export function parseWho(text: string): string | null {
  const local = text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 2 && f[0])
    .filter(([, tty]) => tty!.startsWith(':') || tty!.startsWith('tty') || tty === 'console');
  const graphical = local.find(([, tty]) => tty!.startsWith(':') || tty === 'console');
  return (graphical ?? local[0])?.[0] ?? null;
}

/** A `getent passwd` line into an account, or null. */
export function parsePasswd(line: string): RunUser | null {
  const f = line.trim().split(':');
  if (f.length < 7 || !f[0]) return null;
  const uid = Number(f[2]);
  const gid = Number(f[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) return null;
  return { name: f[0], uid, gid, home: f[5] || '/', shell: f[6] || '/bin/sh' };
}

async function linuxSeatUser(): Promise<string | null> {
  const list = await execText('loginctl', ['list-sessions', '--no-legend']);
  if (!list) return null;
  const sessions: Record<string, string>[] = [];
  for (const line of list.split('\n')) {
    const id = line.trim().split(/\s+/)[0];
    if (!id) continue;
    const info = await execText('loginctl', ['show-session', id, '-p', 'Name', '-p', 'Active', '-p', 'Remote', '-p', 'Class', '-p', 'Seat', '-p', 'Type']);
    if (info) sessions.push(parseKeyValues(info));
  }
  return pickSeatSession(sessions);
}

/** The owner of the active, local, seated user session; graphical sessions first. */
export function pickSeatSession(sessions: Record<string, string>[]): string | null {
  const candidates = sessions.filter((s) => s.Active === 'yes' && s.Remote !== 'yes' && s.Class === 'user' && s.Seat && s.Name);
  const graphical = candidates.find((s) => ['x11', 'wayland', 'mir'].includes(s.Type ?? ''));
  return (graphical ?? candidates[0])?.Name ?? null;
}

/** Looks up an account by name (getent on Linux, dscacheutil on macOS). */
export async function lookupUser(name: string): Promise<RunUser | null> {
  if (!/^[A-Za-z0-9._][A-Za-z0-9._@-]{0,63}$/.test(name)) return null;
  if (process.platform === 'darwin') {
    const text = await execText('/usr/bin/dscacheutil', ['-q', 'user', '-a', 'name', name]);
    if (!text) return null;
    const kv: Record<string, string> = {};
    for (const line of text.split('\n')) {
      const m = /^(\w+):\s*(.*)$/.exec(line.trim());
      if (m) kv[m[1]!] = m[2]!;
    }
    return parsePasswd(`${kv.name}:*:${kv.uid}:${kv.gid}::${kv.dir ?? ''}:${kv.shell ?? ''}`);
  }
  const line = await execText('getent', ['passwd', name]);
  return line ? parsePasswd(line.split('\n')[0]!) : null;
}

/** The console user's account, or null when nobody is logged in at the console. */
export async function findConsoleUser(env: NodeJS.ProcessEnv = process.env): Promise<RunUser | null> {
  let name: string | null;
  if (env.FIXPOINT_AGENT_CONSOLE_USER_FILE) name = readNameFile(env.FIXPOINT_AGENT_CONSOLE_USER_FILE);
  else if (env.FIXPOINT_AGENT_CONSOLE_USER !== undefined) name = env.FIXPOINT_AGENT_CONSOLE_USER || null;
  else if (process.platform === 'darwin') {
    name = parseConsoleOwner(await execText('/usr/bin/stat', ['-f', '%Su', '/dev/console']));
  } else name = (await linuxSeatUser()) ?? parseWho((await execText('who', [])) ?? '');
  if (!name) return null;
  const user = await lookupUser(name);
  return user && user.uid !== 0 ? user : null;
}

function readNameFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/**
 * macOS: the user at the console from `stat -f %Su /dev/console` (the device's owner). Nobody while it is root (no
 * one logged in), `loginwindow` (the login screen) or `_mbsetupuser` (Setup Assistant), or when stat printed nothing.
 */
export function parseConsoleOwner(statOutput: string | null): string | null {
  const owner = statOutput?.trim() ?? '';
  return owner && !owner.includes('\n') && !['root', 'loginwindow', '_mbsetupuser'].includes(owner) ? owner : null;
}

/** A login-like environment for a user run; the agent's own environment does not leak into it. */
export function posixUserEnv(user: RunUser, agentEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.platform === 'darwin' ? '/usr/local/bin:/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin:/sbin' : '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: user.home,
    USER: user.name,
    LOGNAME: user.name,
    SHELL: user.shell,
    LANG: agentEnv.LANG ?? 'C.UTF-8',
  };
  const runtime = `/run/user/${user.uid}`;
  if (process.platform === 'linux' && existsSync(runtime)) {
    env.XDG_RUNTIME_DIR = runtime;
    if (existsSync(`${runtime}/bus`)) env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${runtime}/bus`;
  }
  return env;
}
