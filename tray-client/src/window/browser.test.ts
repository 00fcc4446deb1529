// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { appWindowArgs, findBrowser, placeWindow, windowSize } from './browser';
import { notificationCommand } from '../notify';
import { parseActiveWindow, parseFullscreen, parseLockedHint } from '../dnd';

describe('prompt window', () => {
  it('finds the platform’s Chromium-based browser', () => {
    const has = (paths: string[]) => (p: string) => paths.includes(p);
    expect(findBrowser({}, 'linux', has(['/usr/bin/chromium']))).toBe('/usr/bin/chromium');
    expect(findBrowser({ 'ProgramFiles(x86)': 'C:\\PF86' }, 'win32', has(['C:\\PF86/Microsoft/Edge/Application/msedge.exe']))).toContain('msedge.exe');
    expect(findBrowser({}, 'darwin', has(['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']))).toContain('Google Chrome');
    expect(findBrowser({}, 'linux', has([]))).toBeNull();
    expect(findBrowser({ FIXPOINT_TRAY_BROWSER: '/opt/b' }, 'linux', has([]))).toBe('/opt/b');
  });

  it('places the window bottom-right on Windows and top-right elsewhere', () => {
    const screen = { width: 1920, height: 1080 };
    expect(placeWindow(screen, 'win32')).toEqual({ ...windowSize, x: 1920 - windowSize.width - 16, y: 1080 - windowSize.height - 64 });
    expect(placeWindow(screen, 'linux')).toEqual({ ...windowSize, x: 1920 - windowSize.width - 16, y: 48 });
    expect(placeWindow({ width: 300, height: 300 }, 'darwin').x).toBe(0);
  });

  it('opens an app window with its own profile, size and position', () => {
    const args = appWindowArgs({ url: 'http://127.0.0.1:1/p/t/', browser: 'b', profileDir: '/tmp/p', geometry: { width: 440, height: 560, x: 10, y: 20 }, debug: true });
    expect(args).toEqual(expect.arrayContaining(['--app=http://127.0.0.1:1/p/t/', '--user-data-dir=/tmp/p', '--window-size=440,560', '--window-position=10,20', '--remote-debugging-port=0']));
    expect(appWindowArgs({ url: 'u', browser: 'b', profileDir: 'p', geometry: { width: 1, height: 1, x: 0, y: 0 } })).not.toContain('--remote-debugging-port=0');
  });

  it('builds notification commands without letting the text escape its quotes', () => {
    expect(notificationCommand('IT', 'Disk "full"', true, 'linux')).toEqual({ command: 'notify-send', args: ['--app-name=Fixpoint', '--urgency=critical', '--', 'IT', 'Disk "full"'] });
    expect(notificationCommand('IT', 'a" & do shell script "x', false, 'darwin').args[1]).toBe('display notification "a\\" & do shell script \\"x" with title "IT"');
    expect(notificationCommand("it's", 'x', false, 'win32').args.at(-1)).toContain("CreateTextNode('it''s')");
  });

  it('reads the lock and full-screen state', () => {
    expect(parseLockedHint('LockedHint=yes\n')).toBe(true);
    expect(parseLockedHint('LockedHint=no\n')).toBe(false);
    expect(parseLockedHint(null)).toBe(false);
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW(WINDOW): window id # 0x1e00007')).toBe('0x1e00007');
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW(WINDOW): window id # 0x0')).toBeNull();
    expect(parseFullscreen('_NET_WM_STATE(ATOM) = _NET_WM_STATE_FULLSCREEN')).toBe(true);
    expect(parseFullscreen('_NET_WM_STATE(ATOM) = ')).toBe(false);
  });
});
