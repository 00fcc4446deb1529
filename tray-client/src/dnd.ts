/**
 * @module Whether now is a bad time for a non-urgent prompt: the session is locked, or the active window is full
 * screen. Linux only (logind's LockedHint, the EWMH _NET_WM_STATE of the active X window); elsewhere the OS gives
 * no reliable answer to an unprivileged process, so this says "not busy".
 */
import { execFile } from 'node:child_process';

const run = (command: string, args: string[]) =>
  new Promise<string | null>((resolve) =>
    execFile(command, args, { timeout: 3000, windowsHide: true }, (err, out) => resolve(err ? null : out)),
  );

/** `LockedHint=yes` from `loginctl show-session`. */
export function parseLockedHint(text: string | null): boolean {
  return /^LockedHint=yes$/m.test(text ?? '');
}

/** The window id in `_NET_ACTIVE_WINDOW(WINDOW): window id # 0x1e00007`, or null. */
export function parseActiveWindow(text: string | null): string | null {
  const id = /window id # (0x[0-9a-f]+)/i.exec(text ?? '')?.[1];
  return id && id !== '0x0' ? id : null;
}

export function parseFullscreen(text: string | null): boolean {
  return (text ?? '').includes('_NET_WM_STATE_FULLSCREEN');
}

export async function sessionLocked(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const session = env.XDG_SESSION_ID;
  return parseLockedHint(await run('loginctl', session ? ['show-session', session, '-p', 'LockedHint'] : ['show-session', 'self', '-p', 'LockedHint']));
}

export async function fullscreenActive(): Promise<boolean> {
  const active = parseActiveWindow(await run('xprop', ['-root', '_NET_ACTIVE_WINDOW']));
  return active ? parseFullscreen(await run('xprop', ['-id', active, '_NET_WM_STATE'])) : false;
}

/** True while a non-urgent prompt should wait. */
export async function userBusy(): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  const [locked, fullscreen] = await Promise.all([sessionLocked(), fullscreenActive()]);
  return locked || fullscreen;
}
