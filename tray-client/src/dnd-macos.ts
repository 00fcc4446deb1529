/**
 * @module macOS: whether a Focus (Do Not Disturb, Work, Sleep…) is on, or the screen is locked.
 *
 * Focus: macOS 12 and later keep the Focus the user turned on in `~/Library/DoNotDisturb/DB/Assertions.json`; a Focus
 * is on while `data[0].storeAssertionRecords` holds a record. Recent macOS lets only processes with Full Disk Access
 * read that folder: when the file cannot be read, the answer is "no Focus" and the tray logs it once. A Focus that a
 * schedule turned on has no record there, and is not seen. Before macOS 12 the file does not exist ("no Focus").
 *
 * Lock: `ioreg -n Root -d1` lists the console sessions; the user's own has `CGSSessionScreenIsLocked=Yes` while the
 * screen is locked, and `kCGSSessionOnConsoleKey=No` while another user has the screen (fast user switching).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { log } from './log';

const Assertions = z.looseObject({
  data: z.array(z.looseObject({ storeAssertionRecords: z.array(z.unknown()).optional() })),
});

/** Where the Focus assertions live for the user whose home is `home`. */
export const focusAssertionsPath = (home: string) => join(home, 'Library', 'DoNotDisturb', 'DB', 'Assertions.json');

/** Whether `Assertions.json` says a Focus is on; null when the text is not that file's shape. */
export function parseFocusAssertions(text: string): boolean | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = Assertions.safeParse(json);
  return parsed.success ? parsed.data.data.some((d) => (d.storeAssertionRecords?.length ?? 0) > 0) : null;
}

let warned = false;

/** Whether a Focus is on. Never throws: a missing file is "no Focus", an unreadable or odd one too (logged once). */
export async function focusActive(home: string = homedir()): Promise<boolean> {
  const path = focusAssertionsPath(home);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && !warned) {
      warned = true;
      log.warn('cannot read the Focus state (the tray needs Full Disk Access for it); prompts ignore Focus', { path, code });
    }
    return false;
  }
  const on = parseFocusAssertions(text);
  if (on === null && !warned) {
    warned = true;
    log.warn('the Focus state file has an unknown shape; prompts ignore Focus', { path });
  }
  return on ?? false;
}

/** For tests: the next unreadable file is logged again. */
export function resetFocusWarning(): void {
  warned = false;
}

/**
 * Whether `ioreg -n Root -d1` shows the session of `uid` locked or away from the console. No entry for the user
 * (or no `IOConsoleUsers` at all) is "not locked": the lock must be seen to hold a prompt.
 */
export function parseConsoleLocked(text: string, uid: number): boolean {
  const users = /"IOConsoleUsers"\s*=\s*\((.*)\)/.exec(text)?.[1] ?? '';
  for (const entry of users.match(/\{[^{}]*\}/g) ?? []) {
    if (!new RegExp(`"kCGSSessionUserIDKey"\\s*=\\s*${uid}\\b`).test(entry)) continue;
    return /"CGSSessionScreenIsLocked"\s*=\s*Yes/.test(entry) || /"kCGSSessionOnConsoleKey"\s*=\s*No/.test(entry);
  }
  return false;
}

export function screenLocked(uid: number = process.getuid?.() ?? -1): Promise<boolean> {
  return new Promise((resolve) =>
    execFile('/usr/sbin/ioreg', ['-n', 'Root', '-d1'], { timeout: 3000, maxBuffer: 4 * 1024 * 1024 }, (err, out) => resolve(!err && parseConsoleLocked(out, uid))),
  );
}

/** True while a Focus is on or the screen is locked. */
export async function macosBusy(): Promise<boolean> {
  const [focus, locked] = await Promise.all([focusActive(), screenLocked()]);
  return focus || locked;
}
