/**
 * @module The prompt window: the platform's Chromium-based browser in `--app=` mode (no tabs, no address bar), at a
 * fixed size in a corner — bottom-right on Windows, next to the notification area; top-right elsewhere.
 * `FIXPOINT_TRAY_BROWSER` names another browser; `FIXPOINT_TRAY_BROWSER_ARGS` adds flags (space-separated).
 */
import { spawn, execFile, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../log';

export interface WindowGeometry {
  width: number;
  height: number;
  x: number;
  y: number;
}

export const windowSize = { width: 440, height: 560 };
const margin = 16;

/** The first Chromium-based browser installed, or null. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, exists: (path: string) => boolean = existsSync): string | null {
  if (env.FIXPOINT_TRAY_BROWSER) return env.FIXPOINT_TRAY_BROWSER;
  const candidates =
    platform === 'win32'
      ? [env['ProgramFiles(x86)'], env.ProgramFiles, env.LOCALAPPDATA]
          .filter((d): d is string => !!d)
          .flatMap((d) => [join(d, 'Microsoft', 'Edge', 'Application', 'msedge.exe'), join(d, 'Google', 'Chrome', 'Application', 'chrome.exe')])
      : platform === 'darwin'
        ? [
            '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
            '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
            '/Applications/Chromium.app/Contents/MacOS/Chromium',
          ]
        : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge'];
  return candidates.find((c) => exists(c)) ?? null;
}

/** Where the window goes on a screen of `screen` size. */
export function placeWindow(screen: { width: number; height: number }, platform: NodeJS.Platform = process.platform): WindowGeometry {
  const { width, height } = windowSize;
  const x = Math.max(0, screen.width - width - margin);
  // Windows: above the taskbar, where toasts appear; elsewhere under the top bar
  const y = platform === 'win32' ? Math.max(0, screen.height - height - 64) : 48;
  return { width, height, x, y };
}

/** `Width: 1920` / `Height: 1080` from `xwininfo -root`. */
export function parseXwininfo(text: string): { width: number; height: number } | null {
  const w = /Width:\s+(\d+)/.exec(text)?.[1];
  const h = /Height:\s+(\d+)/.exec(text)?.[1];
  return w && h ? { width: Number(w), height: Number(h) } : null;
}

const run = (command: string, args: string[]) =>
  new Promise<string | null>((resolve) => execFile(command, args, { timeout: 5000, windowsHide: true }, (err, out) => resolve(err ? null : out)));

/** The PowerShell that prints the primary screen's working area as `<width>x<height>`. */
export const screenSizeScript =
  'Add-Type -AssemblyName System.Windows.Forms; $s=[System.Windows.Forms.Screen]::PrimaryScreen.WorkingArea; "$($s.Width)x$($s.Height)"';

/** The primary screen's size, where it can be asked for; 1920×1080 otherwise. */
export async function screenSize(platform: NodeJS.Platform = process.platform): Promise<{ width: number; height: number }> {
  const fallback = { width: 1920, height: 1080 };
  if (platform === 'linux') return parseXwininfo((await run('xwininfo', ['-root'])) ?? '') ?? fallback;
  if (platform === 'win32') {
    const out = await run('powershell.exe', ['-NoProfile', '-Command', screenSizeScript]);
    const m = /(\d+)x(\d+)/.exec(out ?? '');
    return m ? { width: Number(m[1]), height: Number(m[2]) } : fallback;
  }
  const out = await run('/usr/bin/osascript', ['-e', 'tell application "Finder" to get bounds of window of desktop']);
  const n = (out ?? '').split(',').map((s) => Number(s.trim()));
  return n.length === 4 && n.every(Number.isFinite) ? { width: n[2]!, height: n[3]! } : fallback;
}

export interface AppWindowOptions {
  url: string;
  browser: string;
  profileDir: string;
  geometry: WindowGeometry;
  /** Adds `--remote-debugging-port=0` (the port lands in `<profileDir>/DevToolsActivePort`), for tests. */
  debug?: boolean;
  extraArgs?: string[];
}

/** The flags every start of the prompt browser carries: its profile, where windows go, and nothing in the background. */
export function browserArgs(o: Omit<AppWindowOptions, 'url'>): string[] {
  const { width, height, x, y } = o.geometry;
  return [
    `--user-data-dir=${o.profileDir}`,
    `--window-size=${width},${height}`,
    `--window-position=${x},${y}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-extensions',
    '--disable-sync',
    '--disable-background-networking',
    '--disable-component-update',
    '--password-store=basic',
    ...(o.debug ? ['--remote-debugging-port=0'] : []),
    ...(o.extraArgs ?? []),
  ];
}

/** The browser's command line for an app window. */
export function appWindowArgs(o: AppWindowOptions): string[] {
  return [`--app=${o.url}`, ...browserArgs(o)];
}

export interface AppWindow {
  /** Resolves when the window has gone (the user closed it, or `close`). */
  closed: Promise<void>;
  close(): void;
}

/**
 * Opens the app window in a browser of its own (the cold path: see `warm-browser.ts` for the usual one). Its process
 * gets its own group, so closing ends the whole browser, and the browser exiting is the window closing.
 */
export function openAppWindow(options: AppWindowOptions): AppWindow {
  return spawnBrowser(options.browser, appWindowArgs(options));
}

/** Starts the browser in a process group of its own; `closed` is its exit, `close` ends the group. */
export function spawnBrowser(browser: string, args: string[], stdio: StdioOptions = 'ignore'): AppWindow & { child: ChildProcess } {
  const child: ChildProcess = spawn(browser, args, {
    detached: process.platform !== 'win32',
    stdio,
    windowsHide: false,
  });
  const closed = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      log.error('cannot start the browser', { browser, error: err.message });
      resolve();
    });
    child.once('exit', () => resolve());
  });
  return {
    child,
    closed,
    close() {
      if (child.exitCode !== null || child.pid === undefined) return;
      if (process.platform === 'win32') spawn('taskkill', ['/PID', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
      else
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
    },
  };
}
