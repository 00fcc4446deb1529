// @vitest-environment node
/**
 * The prompt browser, for real: Chromium under Xvfb (displays 200–249; the self-help end-to-end test takes 90–139 and
 * the tray bench 150–199). Windows are closed through the DevTools port, as the window's close button would.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppWindow, type WindowGeometry } from './browser';
import { WarmBrowser } from './warm-browser';

const chromium = '/usr/bin/chromium';
const canRun = process.platform === 'linux' && existsSync(chromium) && spawnSync('which', ['Xvfb']).status === 0;
const display = 200 + (process.pid % 50);
// root cannot use Chromium's sandbox; the tray itself runs as the user
const extraArgs = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-gpu'];
const geometry: WindowGeometry = { width: 440, height: 560, x: 824, y: 48 };

async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The page targets of the browser whose DevTools port is in `profileDir`. */
async function pages(profileDir: string): Promise<{ id: string; url: string }[]> {
  try {
    const port = readFileSync(join(profileDir, 'DevToolsActivePort'), 'utf8').split('\n')[0];
    const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { id: string; type: string; url: string }[];
    return list.filter((t) => t.type === 'page');
  } catch {
    return [];
  }
}

/** Closes the window showing `url`, from outside the tray: what the user does with the close button. */
async function closeFromOutside(profileDir: string, url: string): Promise<void> {
  const target = await until(async () => (await pages(profileDir)).find((p) => p.url === url), `a window on ${url}`);
  const port = readFileSync(join(profileDir, 'DevToolsActivePort'), 'utf8').split('\n')[0];
  await fetch(`http://127.0.0.1:${port}/json/close/${target.id}`);
}

/** The size and position of the app window on `/p/<name>/` (its X class instance is `127.0.0.1__p_<name>`). */
const windowBounds = (name: string) =>
  execFileSync('xwininfo', ['-display', `:${display}`, '-root', '-tree'], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.includes(`__p_${name}"`))
    ?.match(/(\d+x\d+\+\d+\+\d+)/)?.[1];

describe.skipIf(!canRun)('the prompt browser', () => {
  let xvfb: ChildProcess;
  let server: Server;
  let base: string;
  const loads: string[] = [];
  const dirs: string[] = [];
  const profile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'fixpoint-tray-profile-'));
    dirs.push(dir);
    return dir;
  };

  // the project's files share a worker (isolate: false): the display goes back to what it was
  const outerDisplay = process.env.DISPLAY;

  beforeAll(async () => {
    rmSync(`/tmp/.X${display}-lock`, { force: true });
    xvfb = spawn('Xvfb', [`:${display}`, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    await until(() => existsSync(`/tmp/.X11-unix/X${display}`), 'Xvfb');
    process.env.DISPLAY = `:${display}`;
    server = createServer((req, res) => {
      loads.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>prompt</title>prompt');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 30_000);

  afterAll(() => {
    if (outerDisplay === undefined) delete process.env.DISPLAY;
    else process.env.DISPLAY = outerDisplay;
    server?.close();
    xvfb?.kill('SIGTERM');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps one browser running: each prompt opens a window in it, and the user closing one is seen', async () => {
    const profileDir = profile();
    const warm = new WarmBrowser({ browser: chromium, profileDir, debug: true, extraArgs });
    try {
      expect(await warm.start(geometry)).toBe(true);
      const pid = warm.pid;
      expect(await pages(profileDir)).toEqual([]);

      const first = (await warm.open(`${base}/p/first/`, geometry))!;
      await until(() => loads.includes('/p/first/'), 'the first page');
      await until(() => windowBounds('first') === '440x560+824+48', 'the window where the browser places it');
      let closed = false;
      void first.closed.then(() => (closed = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(closed).toBe(false);
      await closeFromOutside(profileDir, `${base}/p/first/`);
      await first.closed;
      expect(warm.isRunning).toBe(true);

      // the same browser again, and a window placed for a screen that changed since the start
      const moved = { ...geometry, x: 400, y: 100 };
      const second = (await warm.open(`${base}/p/second/`, moved))!;
      await until(() => loads.includes('/p/second/'), 'the second page');
      expect(warm.pid).toBe(pid);
      await until(() => windowBounds('second') === '440x560+400+100', 'the window to move');
      second.close();
      await second.closed;
      await until(async () => (await pages(profileDir)).length === 0, 'no window left');
      expect(warm.isRunning).toBe(true);
    } finally {
      warm.stop();
    }
    await until(() => !warm.isRunning, 'the browser to end');
  }, 60_000);

  it('starts again after the browser exited', async () => {
    const profileDir = profile();
    const warm = new WarmBrowser({ browser: chromium, profileDir, debug: true, extraArgs });
    try {
      expect(await warm.start(geometry)).toBe(true);
      process.kill(warm.pid!, 'SIGKILL');
      await until(() => !warm.isRunning, 'the browser to be gone');
      const win = (await warm.open(`${base}/p/again/`, geometry))!;
      await until(() => loads.includes('/p/again/'), 'the page');
      win.close();
      await win.closed;
    } finally {
      warm.stop();
    }
  }, 60_000);

  it('gives up cleanly when the browser cannot start', async () => {
    const warm = new WarmBrowser({ browser: '/nonexistent/chromium', profileDir: profile(), timeoutMs: 5000 });
    expect(await warm.start(geometry)).toBe(false);
    expect(await warm.open(`${base}/p/never/`, geometry)).toBeNull();
  });

  it('cold: a window in a browser of its own, which ends when the window closes', async () => {
    const profileDir = profile();
    const win = openAppWindow({ url: `${base}/p/cold/`, browser: chromium, profileDir, geometry, debug: true, extraArgs });
    await until(() => loads.includes('/p/cold/'), 'the page');
    await closeFromOutside(profileDir, `${base}/p/cold/`);
    await win.closed;
  }, 60_000);
});
