/**
 * @module A real desktop session for end-to-end tests of the tray: a local account, its session runtime directory
 * (what logind creates at login), an X server (Xvfb), a session bus and a notification daemon (dunst), and the
 * bundled tray client running as that account. The prompt window is reached over the DevTools protocol
 * (`FIXPOINT_TRAY_TEST=1` starts the tray's browser with `--remote-debugging-port=0`; the port is in DevToolsActivePort).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { bundleOncePerRun } from './bundles';

const trayDir = new URL('../../../tray-client/', import.meta.url).pathname;

/** Builds the tray bundle into a world-readable folder (the tray runs as another account; once per test run, see `bundles.ts`). */
export function buildTrayBundle(): string {
  const out = bundleOncePerRun('tray', (dir) => execFileSync(process.execPath, ['build.mjs', '--outdir', dir], { cwd: trayDir }));
  return join(out, 'fixpoint-tray.mjs');
}

export interface LocalUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** Creates a local account with a home directory (`useradd -m`). */
export function createLocalUser(name: string): LocalUser {
  execFileSync('useradd', ['-m', '-s', '/bin/sh', name]);
  const [, , uid, gid, , home] = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split(':');
  return { name, uid: Number(uid), gid: Number(gid), home: home! };
}

export function removeLocalUser(user: LocalUser): void {
  execFileSync('userdel', ['-r', '-f', user.name], { stdio: 'ignore' });
}

/** Where logind creates the session runtime directories; the agent's `FIXPOINT_AGENT_RUNTIME_BASE` can point elsewhere. */
export const sessionBase = '/run/user';

export const runtimeDir = (user: LocalUser, base = sessionBase) => `${base}/${user.uid}`;

/** Where the agent listens for the user's tray (root's folder; the agent's `FIXPOINT_AGENT_IPC_DIR` can move it). */
export const traySocket = (user: LocalUser, ipcDir = process.env.FIXPOINT_AGENT_IPC_DIR ?? '/run/fixpoint') => ({ socket: `${ipcDir}/${user.uid}/agent.sock`, token: `${ipcDir}/${user.uid}/token` });

/**
 * What logind does at login: `/run/user/<uid>`, 0700, owned by the user. A private `base` keeps the session out of
 * sight of other agents on the machine (an agent serves every session under its base).
 */
export function openSession(user: LocalUser, base = sessionBase): void {
  mkdirSync(base, { recursive: true, mode: 0o755 });
  const dir = runtimeDir(user, base);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chownSync(dir, user.uid, user.gid);
  chmodSync(dir, 0o700);
}

/** What logind does at logout. */
export function closeSession(user: LocalUser, base = sessionBase): void {
  rmSync(runtimeDir(user, base), { recursive: true, force: true });
}

export class DesktopSession {
  private xvfb: ChildProcess | null = null;
  private tray: ChildProcess | null = null;
  readonly profileDir: string;
  trayLog = '';

  /** The X display, once `startX` has one. */
  private display: number | null = null;

  constructor(
    readonly user: LocalUser,
    readonly trayBundle: string,
  ) {
    this.profileDir = join(user.home, '.cache', 'fixpoint-e2e-profile');
  }

  get displayName(): string {
    if (this.display === null) throw new Error('the X server is not started');
    return `:${this.display}`;
  }

  /**
   * Starts the X server on a free display and waits until it answers. Xvfb picks the display itself (`-displayfd`) and
   * writes its number once it accepts connections, so sessions of files running side by side never share one.
   */
  async startX(): Promise<void> {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    this.xvfb = xvfb;
    let errors = '';
    xvfb.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
    const display = await new Promise<number>((resolve, reject) => {
      let written = '';
      const timer = setTimeout(() => reject(new Error(`Xvfb did not start within 10 s:\n${errors}`)), 10_000);
      xvfb.stdio[3]!.on('data', (d: Buffer) => {
        written += d.toString();
        if (!written.includes('\n')) return;
        clearTimeout(timer);
        resolve(Number(written.trim()));
      });
      xvfb.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Xvfb exited (${code}):\n${errors}`));
      });
    });
    this.display = display;
  }

  /** Starts the tray client as the user, in a session bus with a notification daemon. */
  startTray(env: Record<string, string> = {}): void {
    const script = `dunst >/dev/null 2>&1 & exec ${JSON.stringify(process.execPath)} ${JSON.stringify(this.trayBundle)}`;
    this.tray = spawn('dbus-run-session', ['--', 'sh', '-c', script], {
      uid: this.user.uid,
      gid: this.user.gid,
      cwd: this.user.home,
      detached: true,
      // stdin carries `menu <title>` clicks (see clickMenu)
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        PATH: '/usr/local/bin:/usr/bin:/bin',
        HOME: this.user.home,
        USER: this.user.name,
        LOGNAME: this.user.name,
        LANG: 'C.UTF-8',
        DISPLAY: this.displayName,
        XDG_RUNTIME_DIR: runtimeDir(this.user),
        FIXPOINT_TRAY_TEST: '1',
        FIXPOINT_TRAY_MIN_GAP_SEC: '0',
        FIXPOINT_TRAY_PROFILE_DIR: this.profileDir,
        // the agent's socket in this test's socket base (the tray finds /run/fixpoint by itself otherwise)
        FIXPOINT_TRAY_SOCKET: traySocket(this.user).socket,
        ...env,
      },
    });
    const collect = (d: Buffer) => (this.trayLog += d.toString());
    this.tray.stdout!.on('data', collect);
    this.tray.stderr!.on('data', collect);
  }

  /** Clicks the tray menu item titled `title`, through the tray's test switch (Xvfb has no tray to show the icon in). */
  clickMenu(title: string): void {
    if (!this.tray?.stdin) throw new Error('the tray is not running');
    this.tray.stdin.write(`menu ${title}\n`);
  }

  /** Waits for a line of the tray's log containing `text`. */
  async trayLogged(text: string, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!this.trayLog.includes(text)) {
      if (Date.now() > end) throw new Error(`the tray never logged ${JSON.stringify(text)}:\n${this.trayLog}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Ends the tray and everything it started (browser, dunst, the session bus). */
  async stopTray(): Promise<void> {
    const tray = this.tray;
    this.tray = null;
    if (!tray?.pid || tray.exitCode !== null) return;
    const exited = new Promise((r) => tray.once('exit', r));
    try {
      process.kill(-tray.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    try {
      process.kill(-tray.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    // the prompt window's browser has a process group of its own
    try {
      execFileSync('pkill', ['-KILL', '-u', String(this.user.uid), 'chromium'], { stdio: 'ignore' });
    } catch {
      // none left
    }
  }

  /** The open prompt page (or another tray page, by its path: `/h/` for "Get help"), through the app window's DevTools port. */
  async promptPage(timeoutMs = 20_000, path = '/p/'): Promise<{ browser: Browser; page: Page }> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const port = this.devToolsPort();
      if (port) {
        try {
          const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
          const page = browser.contexts().flatMap((c) => c.pages()).find((p) => p.url().includes(path));
          if (page) return { browser, page };
          await browser.close();
        } catch {
          // the window is still starting, or an old port file
        }
      }
      if (Date.now() > end) throw new Error(`no prompt window:\n${this.trayLog}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The DevTools port of the tray's browser (from `DevToolsActivePort`), once it has one. */
  private devToolsPort(): string | null {
    const portFile = join(this.profileDir, 'DevToolsActivePort');
    return existsSync(portFile) ? readFileSync(portFile, 'utf8').split('\n')[0]! : null;
  }

  /**
   * Whether a prompt window is open: a page of the tray's browser shows a prompt. (The browser itself may keep
   * running between prompts.)
   */
  async promptWindowOpen(): Promise<boolean> {
    const port = this.devToolsPort();
    if (!port) return false;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(2000) });
      const targets = (await res.json()) as { type: string; url: string }[];
      return targets.some((t) => t.type === 'page' && t.url.includes('/p/'));
    } catch {
      // no browser on that port any more
      return false;
    }
  }

  /** Whether a browser runs as the user (the prompt window's, or the one the tray keeps warm). */
  browserRunning(): boolean {
    return this.browserPids().length > 0;
  }

  /** The user's browser processes. */
  private browserPids(): string[] {
    try {
      return execFileSync('pgrep', ['-u', String(this.user.uid), 'chromium'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    } catch {
      return []; // none
    }
  }

  /**
   * The memory of the user's browser processes, in bytes: RSS summed, PSS (shared pages split between the processes
   * that map them, the browser binary's included) and anonymous memory (what is the browser's alone).
   */
  browserMemory(): { processes: number; rss: number; pss: number; anonymous: number } {
    const pids = this.browserPids();
    const kib = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    const total = { processes: pids.length, rss: 0, pss: 0, anonymous: 0 };
    for (const pid of pids)
      try {
        const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
        total.rss += kib(rollup, 'Rss');
        total.pss += kib(rollup, 'Pss');
        total.anonymous += kib(rollup, 'Anonymous');
      } catch {
        // exited meanwhile
      }
    return total;
  }

  /** A screenshot of the whole screen (`import -window root`). */
  screenshot(path: string): void {
    execFileSync('import', ['-display', this.displayName, '-window', 'root', path]);
  }

  async stop(): Promise<void> {
    await this.stopTray();
    this.xvfb?.kill('SIGTERM');
    this.xvfb = null;
  }
}
