/**
 * @module The macOS GUI sessions open right now, for loading the tray's LaunchAgent into them at install (launchd
 * loads `/Library/LaunchAgents` only at the next login). Every GUI (Aqua) session has a `loginwindow` process of its
 * user, including sessions in the background under fast user switching; at the login screen it runs as root.
 */
import { log } from '../log';
import type { CommandRunner, OutputRunner } from '../exec/run-command';

/** The command whose output {@link parseGuiSessionUids} reads: every process's uid and executable. */
export const GUI_SESSION_PS: readonly string[] = ['ps', '-axo', 'uid=,comm='];

/** Uids of the users with a GUI session, from `ps -axo uid=,comm=`: the owners of `loginwindow`, root left out. */
export function parseGuiSessionUids(psOutput: string): number[] {
  const uids = new Set<number>();
  for (const line of psOutput.split('\n')) {
    const match = /^\s*(\d+)\s+(.+?)\s*$/.exec(line);
    if (!match || !/(^|\/)loginwindow$/.test(match[2]!)) continue;
    const uid = Number(match[1]);
    if (uid !== 0) uids.add(uid);
  }
  return [...uids].sort((a, b) => a - b);
}

/** The GUI sessions' uids; none when `ps` fails (the LaunchAgent still starts at each next login). */
export async function guiSessionUids(output: OutputRunner): Promise<number[]> {
  const [cmd, ...args] = GUI_SESSION_PS;
  try {
    return parseGuiSessionUids(await output(cmd!, args));
  } catch (err) {
    log.warn('could not list the GUI sessions; the tray starts at their next login', { error: String(err) });
    return [];
  }
}

// what launchctl says when the service is already in the domain (error 17 EEXIST, 37 EALREADY, or its text)
const alreadyLoaded = /already (loaded|bootstrapped|exists)|in progress|: (17|37):/i;

/** Loads a LaunchAgent into each session; "already loaded" is fine, another failure is logged and the others go on. */
export async function bootstrapInSessions(uids: number[], plist: string, run: CommandRunner): Promise<void> {
  for (const uid of uids) {
    await run('launchctl', ['bootstrap', `gui/${uid}`, plist]).catch((err: unknown) => {
      if (!alreadyLoaded.test(String(err))) log.warn('could not start the tray in a session; it starts at the next login', { uid, error: String(err) });
    });
  }
}

/** Unloads a LaunchAgent from each session, whether or not it was loaded there. */
export async function bootoutInSessions(uids: number[], label: string, run: CommandRunner): Promise<void> {
  for (const uid of uids) await run('launchctl', ['bootout', `gui/${uid}/${label}`]).catch(() => undefined);
}
