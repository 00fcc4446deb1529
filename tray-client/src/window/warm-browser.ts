/**
 * @module The warm prompt browser: started with the tray, with no window (`--no-startup-window`), the tray's
 * profile, and the DevTools protocol on a pipe only the tray holds. A prompt then costs a window, not a browser start:
 * the tray runs the browser again with `--app=<url>` and the same profile, and Chromium's process singleton hands the
 * URL to the running browser (the new process exits at once). The window's size and position come from the warm
 * browser's own command line, and are corrected over the pipe when the screen changed since.
 *
 * The window closing is its page target going away (`Target.targetDestroyed`), whoever closed it; the browser itself
 * stays up for the next prompt. It ends with the tray: the pipe closing ends it.
 */
import type { Readable, Writable } from 'node:stream';
import { log } from '../log';
import { appWindowArgs, browserArgs, spawnBrowser, type AppWindow, type WindowGeometry } from './browser';
import { DevToolsPipe } from './devtools-pipe';

export interface WarmBrowserOptions {
  browser: string;
  profileDir: string;
  /** Also a DevTools port (in `<profileDir>/DevToolsActivePort`), for tests. */
  debug?: boolean;
  extraArgs?: string[];
  /** How long a start or a new window may take (default 20 s). */
  timeoutMs?: number;
}

interface Running {
  window: AppWindow & { child: { pid?: number | undefined } };
  pipe: DevToolsPipe;
  geometry: WindowGeometry;
}

const sameGeometry = (a: WindowGeometry, b: WindowGeometry) => a.width === b.width && a.height === b.height && a.x === b.x && a.y === b.y;

/** Moves a window opened after the screen changed, through the pipe of the browser that opened it. */
async function place(pipe: DevToolsPipe, targetId: string, g: WindowGeometry): Promise<void> {
  try {
    const { windowId } = (await pipe.send('Browser.getWindowForTarget', { targetId })) as { windowId: number };
    await pipe.send('Browser.setWindowBounds', { windowId, bounds: { left: g.x, top: g.y, width: g.width, height: g.height } });
  } catch (err) {
    log.warn('cannot place the prompt window', { error: (err as Error).message });
  }
}

const timeout = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms).unref());

export class WarmBrowser {
  private running: Running | null = null;
  private starting: Promise<Running | null> | null = null;

  constructor(private readonly options: WarmBrowserOptions) {}

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? 20_000;
  }

  /** Whether the browser is up and answering. */
  get isRunning(): boolean {
    return !!this.running?.pipe.isOpen;
  }

  /** The browser's process id, while it runs. */
  get pid(): number | undefined {
    return this.isRunning ? this.running!.window.child.pid : undefined;
  }

  /** Starts the browser unless it runs; resolves false when it could not be started. Windows open at `geometry`. */
  async start(geometry: WindowGeometry): Promise<boolean> {
    if (this.isRunning) return true;
    this.starting ??= this.launch(geometry).finally(() => (this.starting = null));
    return (await this.starting) !== null;
  }

  private async launch(geometry: WindowGeometry): Promise<Running | null> {
    const { browser, profileDir, debug, extraArgs } = this.options;
    const args = [...browserArgs({ browser, profileDir, geometry, debug, extraArgs }), '--no-startup-window', '--remote-debugging-pipe'];
    const window = spawnBrowser(browser, args, ['ignore', 'ignore', 'ignore', 'pipe', 'pipe']);
    const [, , , toBrowser, fromBrowser] = window.child.stdio;
    const pipe = new DevToolsPipe(toBrowser as Writable, fromBrowser as Readable);
    // Every new window is reported, so `open` can tell its own from the rest.
    const ready = pipe.send('Target.setDiscoverTargets', { discover: true }).then(
      () => true,
      () => false,
    );
    if (!(await Promise.race([ready, timeout(this.timeoutMs, false)]))) {
      // e.g. another browser holds the profile, and took the start as its own
      log.warn('the prompt browser did not start', { browser });
      window.close();
      return null;
    }
    const running = { window, pipe, geometry };
    this.running = running;
    void pipe.closed.then(() => {
      if (this.running === running) this.running = null;
      log.info('the prompt browser exited');
    });
    log.info('prompt browser started', { pid: window.child.pid });
    return running;
  }

  /**
   * Opens an app window on `url` at `geometry`, starting the browser first if it is not up. Null when the browser
   * could not be started (the caller falls back to a browser of the window's own).
   */
  async open(url: string, geometry: WindowGeometry): Promise<AppWindow | null> {
    if (!(await this.start(geometry))) return null;
    const { pipe, geometry: launched } = this.running!;
    let targetId: string | null = null;
    let closeWanted = false;
    let resolveCreated!: (id: string | null) => void;
    const created = new Promise<string | null>((r) => (resolveCreated = r));
    let resolveGone!: () => void;
    const gone = new Promise<void>((r) => (resolveGone = r));
    const unsubscribe = [
      pipe.on('Target.targetCreated', (p) => {
        const info = p.targetInfo as { targetId: string; type: string; url: string };
        if (targetId || info.type !== 'page' || !info.url.startsWith(url)) return;
        targetId = info.targetId;
        resolveCreated(targetId);
      }),
      pipe.on('Target.targetDestroyed', (p) => {
        if (p.targetId === targetId) resolveGone();
      }),
    ];
    // The second start hands `--app` to the running browser and exits. Should the running one have gone meanwhile,
    // it becomes a browser of its own; the pipe has closed then, which counts as the window closing, and `close`
    // ends that browser too.
    const opener = spawnBrowser(this.options.browser, appWindowArgs({ ...this.options, url, geometry }));
    void Promise.race([created, timeout(this.timeoutMs, null), pipe.closed.then(() => null)]).then((id) => {
      if (!id) {
        log.error('the prompt window did not open', { url });
        resolveGone();
      } else if (closeWanted) void pipe.send('Target.closeTarget', { targetId: id }).catch(() => undefined);
      else if (!sameGeometry(geometry, launched)) void place(pipe, id, geometry);
    });
    const closed = Promise.race([gone, pipe.closed]).then(() => {
      for (const off of unsubscribe) off();
    });
    return {
      closed,
      close: () => {
        closeWanted = true;
        if (targetId) void pipe.send('Target.closeTarget', { targetId }).catch(() => undefined);
        opener.close();
      },
    };
  }

  /** Ends the browser and its windows. */
  stop(): void {
    this.running?.window.close();
    this.running = null;
  }
}
