/**
 * @module Whether now is a bad time for a non-urgent prompt. Linux: the session is locked (logind's LockedHint) or the
 * active X window is full screen (EWMH `_NET_WM_STATE`). Windows: `SHQueryUserNotificationState` (`dnd-windows.ts`).
 * macOS: a Focus is on or the screen is locked (`dnd-macos.ts`). Whatever cannot be asked counts as "not busy".
 */
import { execFile } from 'node:child_process';
import { macosBusy } from './dnd-macos';
import { windowsBusy } from './dnd-windows';

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

async function linuxBusy(): Promise<boolean> {
  const [locked, fullscreen] = await Promise.all([sessionLocked(), fullscreenActive()]);
  return locked || fullscreen;
}

/** The platform's own "busy" question, uncached. */
export function platformBusy(platform: NodeJS.Platform = process.platform): () => Promise<boolean> {
  if (platform === 'linux') return linuxBusy;
  if (platform === 'win32') return windowsBusy;
  if (platform === 'darwin') return macosBusy;
  return async () => false;
}

/**
 * `ask`, answered from its last result for `ttlMs` after that result came in; calls made while one is under way share it.
 * The queue asks before each non-urgent prompt and each retry, and on Windows an answer costs a PowerShell start.
 */
export function cachedFor(ttlMs: number, ask: () => Promise<boolean>, now: () => number = Date.now): () => Promise<boolean> {
  let last: { at: number; value: Promise<boolean> } | null = null;
  return () => {
    if (last && now() - last.at < ttlMs) return last.value;
    const entry = { at: Number.POSITIVE_INFINITY, value: ask() };
    // in flight: `at` stays in the future, so every call shares it until it settles and the ttl starts
    last = entry;
    void entry.value.then(
      () => void (entry.at = now()),
      () => void (last === entry && (last = null)),
    );
    return entry.value;
  };
}

/** True while a non-urgent prompt should wait; answered from a result at most 10 s old. */
export const userBusy = cachedFor(10_000, platformBusy());
