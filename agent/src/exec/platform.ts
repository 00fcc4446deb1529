/**
 * @module What differs between operating systems when running a script: interpreters, the console user,
 * spawning (as that user), killing a whole process tree, and cleaning up. The runner only talks to this interface.
 */
import type { Readable } from 'node:stream';
import type { Platform, Shell } from '@fixpoint/protocol';

/** The interactive user a `runAs: user` script runs as. */
export interface RunUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
  /** Windows session id, when known. */
  sessionId?: number;
}

export interface SpawnRequest {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  user: RunUser | null;
  /** Time between the polite and the forced kill of a tree (default 5 s). */
  killGraceMs?: number;
}

export interface ProcessExit {
  code: number | null;
  signal: string | null;
  /** Set when the process could not be started at all. */
  error?: string;
}

/** A started script process and its whole tree. */
export interface RunningProcess {
  pid: number | undefined;
  stdout: Readable | null;
  stderr: Readable | null;
  /** Resolves when the process has exited and its output is drained; never rejects. */
  exited: Promise<ProcessExit>;
  /** Ends the whole tree: politely (SIGTERM) at once, forcefully (SIGKILL, taskkill /F) after the grace period. */
  killTree(): void;
}

export interface PlatformOps {
  name: Platform;
  /** The command line that runs `scriptPath` with `shell`; throws when the interpreter is missing. */
  interpreter(shell: Shell, scriptPath: string): { command: string; args: string[] };
  scriptExtension(shell: Shell): string;
  /** The user at the console, or null when nobody is logged in locally. */
  consoleUser(): Promise<RunUser | null>;
  /** The environment a user run starts from (a login-like environment, not the agent's). */
  userEnv(user: RunUser): Record<string, string>;
  spawn(request: SpawnRequest): RunningProcess;
  /** Hands the run's private directory to the user (ownership or ACL). */
  grantWorkspace(dir: string, user: RunUser): Promise<void>;
  /** Deletes the run's directory; as the user for user runs, so links planted there cannot redirect root. */
  removeWorkspace(dir: string, user: RunUser | null): Promise<void>;
  /** An opaque start-time token for `pid`, to recognize it after a restart despite pid reuse. */
  processStartToken(pid: number): string | undefined;
  /** Kills what is left of a process tree started before the agent restarted. Returns true when something was killed. */
  killLeftover(pid: number, startToken: string | undefined): boolean;
}

export function currentPlatform(): Platform {
  return process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'macos' : 'linux';
}
