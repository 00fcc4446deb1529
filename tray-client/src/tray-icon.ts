/**
 * @module The tray icon and its menu, through systray2's helper binary (Go; appindicator on Linux, which needs
 * libayatana-appindicator3-1). npm unpacks that binary without its exec bit, and the tray runs as the user while
 * the package belongs to root, so it is copied into the user's cache and made executable there. Where no tray can
 * be shown (no display, no indicator support, the binary dies), the client goes on without an icon.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SysTrayModule, { type MenuItem } from 'systray2';
import systrayPackage from 'systray2/package.json';
import { log } from './log';

// systray2 is CommonJS compiled from TypeScript: under node's ESM interop the class sits on `.default` of the default import
const SysTray = ((SysTrayModule as unknown as { default?: typeof SysTrayModule }).default ?? SysTrayModule) as typeof SysTrayModule;
type SysTray = SysTrayModule;

declare const __FIXPOINT_TRAY_ICONS__: { png: string; ico: string } | undefined;

export interface TrayMenuHandlers {
  openPending(): void;
  toggleDnd(): void;
  about(): void;
  /** More items after "Do not disturb" (self-service, activity: see menu-extras.ts), and their clicks (true when handled). */
  extras?(): MenuItem[];
  clickExtra?(title: string): boolean;
  /** "Get help": opens the form; `helpTitle` is the item's text in the user's language. */
  getHelp?(): void;
  helpTitle?: string;
}

export interface TrayState {
  pending: number;
  dndUntil: number | null;
}

const binaries: Partial<Record<NodeJS.Platform, string>> = { linux: 'tray_linux_release', darwin: 'tray_darwin_release', win32: 'tray_windows_release.exe' };

/** systray2's binary for this platform: next to the bundle (`dist/traybin`), else in the package. */
function packagedBinary(name: string): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'traybin', name);
  if (existsSync(beside)) return beside;
  try {
    const pkg = createRequire(import.meta.url).resolve('systray2/package.json');
    const inPackage = join(dirname(pkg), 'traybin', name);
    return existsSync(inPackage) ? inPackage : null;
  } catch {
    return null;
  }
}

/** Copies the binary where systray2's `copyDir` looks (`<dir>/<version>/<name>`) and makes it executable. */
export function installTrayBinary(version: string, cacheBase = join(process.env.XDG_CACHE_HOME || join(homedir() || tmpdir(), '.cache'), 'fixpoint-tray')): string | null {
  const name = binaries[process.platform];
  const source = name && packagedBinary(name);
  if (!name || !source) return null;
  const target = join(cacheBase, version, name);
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  copyFileSync(source, target);
  if (process.platform !== 'win32') chmodSync(target, 0o755);
  return cacheBase;
}

function icon(): string {
  const kind = process.platform === 'win32' ? 'ico' : 'png';
  if (typeof __FIXPOINT_TRAY_ICONS__ !== 'undefined') return __FIXPOINT_TRAY_ICONS__[kind];
  return readFileSync(new URL(`../assets/icon.${kind}`, import.meta.url)).toString('base64');
}

/** systray2 looks for its copied binary under its own version. */
const systrayVersion = (): string => systrayPackage.version;

export class TrayIcon {
  private tray: SysTray | null = null;
  private items: { open: MenuItem; dnd: MenuItem; about: MenuItem; help: MenuItem } | null = null;

  constructor(private readonly handlers: TrayMenuHandlers) {}

  /** Shows the icon; resolves false (and the client runs without one) when there is no tray to show it in. */
  async start(state: TrayState): Promise<boolean> {
    if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
    try {
      const copyDir = installTrayBinary(systrayVersion());
      if (!copyDir) return false;
      const help = { title: this.handlers.helpTitle ?? 'Get help', tooltip: 'Ask IT for help', enabled: this.handlers.getHelp !== undefined };
      const items = { open: this.openItem(state), dnd: this.dndItem(state), about: { title: 'About Fixpoint', tooltip: 'Version and help', enabled: true }, help };
      const tray = new SysTray({ menu: { icon: icon(), title: '', tooltip: this.tooltip(state), items: this.menuItems(items) }, copyDir });
      await Promise.race([tray.ready(), new Promise((_, reject) => setTimeout(() => reject(new Error('no tray after 10 s')), 10_000))]);
      // the helper process exists only once ready
      tray.onError((err) => log.warn('tray icon: failed', { error: err.message }));
      tray.onExit((code) => {
        log.info('tray icon: the tray helper exited; going on without an icon', { code });
        this.tray = null;
      });
      await tray.onClick((event) => {
        if (this.handlers.clickExtra?.(event.item.title)) return;
        if (event.item.title === items.about.title) this.handlers.about();
        else if (event.item.title === items.help.title) this.handlers.getHelp?.();
        else if (event.item === items.dnd || event.item.title.startsWith('Do not disturb')) this.handlers.toggleDnd();
        else this.handlers.openPending();
      });
      this.tray = tray;
      this.items = items;
      return true;
    } catch (err) {
      log.info('tray icon: not available', { user: userInfo().username, error: String(err) });
      this.tray = null;
      return false;
    }
  }

  update(state: TrayState): void {
    if (!this.tray || !this.items) return;
    Object.assign(this.items.open, this.openItem(state));
    Object.assign(this.items.dnd, this.dndItem(state));
    const menu = { icon: icon(), title: state.pending ? String(state.pending) : '', tooltip: this.tooltip(state), items: this.menuItems(this.items) };
    void this.tray.sendAction({ type: 'update-menu', menu }).catch(() => {});
  }

  stop(): void {
    void this.tray?.kill(false).catch(() => {});
    this.tray = null;
  }

  private menuItems(items: { open: MenuItem; dnd: MenuItem; about: MenuItem; help: MenuItem }): MenuItem[] {
    return [items.open, items.help, items.dnd, ...(this.handlers.extras?.() ?? []), SysTray.separator, items.about];
  }

  private tooltip(state: TrayState): string {
    return state.pending ? `Fixpoint: ${state.pending} waiting for you` : 'Fixpoint';
  }

  private openItem(state: TrayState): MenuItem {
    return { title: `Open pending (${state.pending})`, tooltip: 'Show the next question waiting for you', enabled: state.pending > 0 };
  }

  private dndItem(state: TrayState): MenuItem {
    return { title: 'Do not disturb for 1 hour', tooltip: 'Hold non-urgent questions for an hour', checked: state.dndUntil !== null, enabled: true };
  }
}
