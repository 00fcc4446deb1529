/**
 * @module The primary screen's size, for placing the prompt window: `xwininfo -root` (Linux), the working area from
 * Windows Forms (Windows), and on macOS the main screen's visible frame from AppKit, through JavaScript for
 * Automation. The macOS call scripts no application (no `tell application`), so it raises no Automation prompt.
 */
import { execFile } from 'node:child_process';

export interface ScreenSize {
  width: number;
  height: number;
}

/** What `screenSize` answers when the platform does not. */
export const fallbackScreen: ScreenSize = { width: 1920, height: 1080 };

/** The command that prints the screen's size on `platform`. */
export function screenSizeCommand(platform: NodeJS.Platform): { command: string; args: string[] } {
  if (platform === 'win32')
    return {
      command: 'powershell.exe',
      args: ['-NoProfile', '-Command', 'Add-Type -AssemblyName System.Windows.Forms; $s=[System.Windows.Forms.Screen]::PrimaryScreen.WorkingArea; "$($s.Width)x$($s.Height)"'],
    };
  if (platform === 'darwin')
    return {
      command: '/usr/bin/osascript',
      // screens[0] holds the menu bar; its visible frame leaves out the menu bar and the Dock. In points, as windows are placed.
      args: ['-l', 'JavaScript', '-e', 'ObjC.import("AppKit"); var f = $.NSScreen.screens.objectAtIndex(0).visibleFrame; f.size.width + "x" + f.size.height'],
    };
  return { command: 'xwininfo', args: ['-root'] };
}

/** `Width: 1920` / `Height: 1080` from `xwininfo -root`. */
export function parseXwininfo(text: string): ScreenSize | null {
  const w = /Width:\s+(\d+)/.exec(text)?.[1];
  const h = /Height:\s+(\d+)/.exec(text)?.[1];
  return w && h ? { width: Number(w), height: Number(h) } : null;
}

/** `1440x875` (points may have a fraction on scaled displays: rounded down), alone on its line. */
export function parseWidthByHeight(text: string): ScreenSize | null {
  const m = /^\s*(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return null;
  const size = { width: Math.floor(Number(m[1])), height: Math.floor(Number(m[2])) };
  return size.width > 0 && size.height > 0 ? size : null;
}

/** The size in the output of `screenSizeCommand(platform)`, or null. */
export function parseScreenSize(text: string, platform: NodeJS.Platform): ScreenSize | null {
  return platform === 'win32' || platform === 'darwin' ? parseWidthByHeight(text) : parseXwininfo(text);
}

/** The primary screen's size, where it can be asked for; {@link fallbackScreen} otherwise. */
export function screenSize(platform: NodeJS.Platform = process.platform): Promise<ScreenSize> {
  const { command, args } = screenSizeCommand(platform);
  return new Promise((resolve) =>
    execFile(command, args, { timeout: 5000, windowsHide: true }, (err, out) => resolve((!err && parseScreenSize(out, platform)) || fallbackScreen)),
  );
}
