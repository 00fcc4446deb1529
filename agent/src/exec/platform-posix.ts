/** @module Linux and macOS: sh/bash/zsh interpreters, process groups, and user runs by uid (Linux) or launchctl (macOS). */
import { execFile } from 'node:child_process';
import { existsSync, lchownSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Shell } from '@fixpoint/protocol';
import { findConsoleUser, posixUserEnv } from './console-user';
import { currentPlatform, type PlatformOps, type RunUser, type SpawnRequest } from './platform';
import { killLeftoverGroup, processStartToken, spawnInGroup } from './posix-process';

const searchDirs = ['/bin', '/usr/bin', '/usr/local/bin', '/opt/homebrew/bin'];

const found = new Map<string, string>();

/** Absolute path of an interpreter; scripts never depend on the agent's PATH. Looked up once per process. */
export function findInterpreter(name: string): string {
  const known = found.get(name);
  if (known) return known;
  for (const dir of searchDirs) {
    const path = join(dir, name);
    if (existsSync(path)) {
      found.set(name, path);
      return path;
    }
  }
  throw new Error(`${name} is not installed`);
}

/**
 * Hands a tree the agent just wrote to `uid`, deepest entries first: a directory is handed over only once all of
 * its entries are, so the user never owns a directory the agent still walks (and could swap an entry for a link).
 */
function chownTree(path: string, uid: number, gid: number): void {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else lchownSync(child, uid, gid);
  }
  lchownSync(path, uid, gid);
}

const runAsUser = (command: string, args: string[], user: RunUser) =>
  new Promise<void>((resolve) => {
    execFile(command, args, { uid: user.uid, gid: user.gid, timeout: 30_000 }, () => resolve());
  });

/**
 * macOS: the command line that runs `command` as `user` in the user's GUI session. `launchctl asuser <uid>` puts the
 * process in the user's bootstrap namespace (keychain, notifications, `open`); sudo then switches to the user, `-E`
 * keeping the environment prepared for the run, `-H` making HOME the user's, and `--` ending sudo's options, so a
 * command that begins with `-` is never read as one.
 */
export function macosAsUserCommand(user: Pick<RunUser, 'uid' | 'name'>, command: string, args: string[]): { command: string; args: string[] } {
  return { command: '/bin/launchctl', args: ['asuser', String(user.uid), '/usr/bin/sudo', '-E', '-H', '-u', user.name, '--', command, ...args] };
}

function spawnScript(request: SpawnRequest) {
  const { user } = request;
  if (!user || user.uid === process.getuid?.()) return spawnInGroup(request);
  if (process.platform === 'darwin') return spawnInGroup({ ...request, ...macosAsUserCommand(user, request.command, request.args) });
  // Note: libuv drops supplementary groups when switching uid; the script gets the user's primary group only.
  return spawnInGroup(request, { uid: user.uid, gid: user.gid });
}

/** The POSIX implementation of {@link PlatformOps}. */
export const posixPlatform: PlatformOps = {
  name: currentPlatform(),
  interpreter(shell: Shell, scriptPath: string) {
    if (shell === 'powershell') throw new Error('PowerShell scripts run on Windows only');
    return { command: findInterpreter(shell), args: [scriptPath] };
  },
  scriptExtension: () => '.sh',
  consoleUser: () => findConsoleUser(),
  userEnv: (user) => posixUserEnv(user),
  spawn: spawnScript,
  async grantWorkspace(dir, user) {
    chownTree(dir, user.uid, user.gid);
  },
  async removeWorkspace(dir, user) {
    // Deleting as the user means a link the script planted cannot make root delete something else.
    if (user && user.uid !== process.getuid?.()) await runAsUser('/bin/rm', ['-rf', '--', dir], user);
    else await rm(dir, { recursive: true, force: true });
  },
  processStartToken,
  killLeftover: killLeftoverGroup,
};
