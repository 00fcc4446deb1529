/**
 * @module Windows ACLs on the agent's secrets. `%ProgramData%` lets every user read what is created in it, so the state
 * folder (the device's private key) and each user's tray secret get explicit ACLs, inheritance removed. Accounts are
 * named by SID (`*S-1-5-18`), never by name, which Windows translates.
 */
import { isWindowsSid } from '@fixpoint/protocol';
import { log } from '../log';
import { runCommand, type CommandRunner } from '../exec/run-command';

export const SYSTEM_SID = 'S-1-5-18';
export const ADMINISTRATORS_SID = 'S-1-5-32-544';


/** The state folder and all it holds: SYSTEM and Administrators only, full control, inherited by files and folders. */
export function stateDirAclCommand(dir: string): string[] {
  return ['icacls', dir, '/inheritance:r', '/grant:r', `*${SYSTEM_SID}:(OI)(CI)F`, `*${ADMINISTRATORS_SID}:(OI)(CI)F`];
}

/** A user's tray secret: that user may read it, SYSTEM (the agent, which rewrites it) has full control, nobody else. */
export function secretFileAclCommand(file: string, userSid: string): string[] {
  if (!isWindowsSid(userSid)) throw new Error(`not a SID: ${userSid}`);
  return ['icacls', file, '/inheritance:r', '/grant:r', `*${userSid}:R`, `*${SYSTEM_SID}:F`];
}

/** Runs an ACL command; a failure is logged and thrown, never left as a readable secret. */
export async function applyAcl(command: string[], run: CommandRunner = runCommand): Promise<void> {
  const [cmd, ...args] = command;
  try {
    await run(cmd!, args);
  } catch (err) {
    log.error('could not restrict access', { path: args[0], error: err instanceof Error ? err.message : String(err) });
    throw new Error(`could not restrict access to ${args[0]}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** On Windows, narrows the state folder to SYSTEM and Administrators; elsewhere the 0700 folder does it. */
export async function restrictStateDir(dir: string, platform: NodeJS.Platform = process.platform, run?: CommandRunner): Promise<void> {
  if (platform === 'win32') await applyAcl(stateDirAclCommand(dir), run);
}
