/**
 * @module Windows: 64-bit Windows PowerShell, `taskkill /T /F` for process trees, and user runs through a
 * one-shot scheduled task.
 *
 * Running as the interactive user. The direct route is WTSGetActiveConsoleSessionId → WTSQueryUserToken (LocalSystem
 * holds SE_TCB_NAME) → DuplicateTokenEx → CreateEnvironmentBlock → CreateProcessAsUserW on `winsta0\default`, inside a
 * job object for tree kills. Node has no binding for those calls without a native addon, so the agent takes the other
 * supported route: it registers a task for the user with an interactive logon (`schtasks /RU <user> /IT`), which
 * Windows starts in that user's session with their token. The task runs `run.ps1`, which loads the run's environment
 * from `env.json`, starts the script with its output redirected to files, and writes the exit code; the agent waits for
 * that file, then streams the captured output through the same tail buffers as any other run.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Shell } from '@fixpoint/protocol';
import { runCommand } from './run-command';
import { quotePowerShell } from './powershell-quote';
import { windowsSessions } from './windows-sessions';
import { killByWmi, killTreeByPid } from './windows-tree';
import type { PlatformOps, ProcessExit, RunningProcess, RunUser, SpawnRequest } from './platform';

/** 64-bit powershell.exe, also from a 32-bit agent (through Sysnative, which bypasses WOW64 redirection). */
export function powershellPath(env: NodeJS.ProcessEnv = process.env, arch: string = process.arch): string {
  const root = env.SystemRoot ?? 'C:\\Windows';
  const dir = arch === 'ia32' && env.PROCESSOR_ARCHITEW6432 ? 'Sysnative' : 'System32';
  return `${root}\\${dir}\\WindowsPowerShell\\v1.0\\powershell.exe`;
}

/**
 * For tests only: `FIXPOINT_AGENT_TEST_WINDOWS_SHELL=cmd` runs Windows scripts as cmd batch files (`script.cmd`,
 * through cmd.exe) instead of PowerShell, on the same spawn path. Wine, where the Windows build is tested, has no
 * PowerShell. Only the Windows test suite sets it; actions cannot ask for it (their Windows shell is PowerShell), and
 * scripts never see it (FIXPOINT_* settings are not passed on).
 */
export function testShell(env: NodeJS.ProcessEnv = process.env): 'cmd' | null {
  return env.FIXPOINT_AGENT_TEST_WINDOWS_SHELL === 'cmd' ? 'cmd' : null;
}

const powershellOptions = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass'];

/** Arguments that run one script file with no profile, no prompts and no execution-policy surprises. */
export function powershellArgs(scriptPath: string): string[] {
  return [...powershellOptions, '-File', scriptPath];
}

/**
 * The command line of the scheduled task that runs `scriptPath` in the user's session (schtasks /TR). Every
 * powershell.exe option comes before `-File`: what follows the file's path goes to the script as its arguments. Both
 * paths are in double quotes (Windows paths cannot hold one), so spaces in them survive.
 */
export function taskAction(scriptPath: string, exe: string = powershellPath()): string {
  return `"${exe}" ${[...powershellOptions, '-WindowStyle', 'Hidden'].join(' ')} -File "${scriptPath}"`;
}

const run = (command: string, args: string[]) =>
  new Promise<void>((resolve) => execFile(command, args, { windowsHide: true, timeout: 30_000 }, () => resolve()));

function spawnAsSystem(request: SpawnRequest): RunningProcess {
  const child = spawn(request.command, request.args, { cwd: request.cwd, env: request.env, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (err) => pid === undefined && resolve({ code: null, signal: null, error: err.message }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  // no polite step: Windows has no SIGTERM for a tree
  return { pid, stdout: child.stdout, stderr: child.stderr, exited, killTree: () => pid !== undefined && killTreeByPid(pid) };
}

/**
 * The wrapper a scheduled task runs: loads the environment, runs the script, records pid and exit code. It starts with
 * a BOM: Windows PowerShell reads a file without one in the ANSI code page, which would garble a non-ASCII path.
 */
export function userTaskWrapper(command: string, args: string[]): string {
  return '\ufeff' + [
    '$ErrorActionPreference = "Stop"',
    '$here = Split-Path -Parent $MyInvocation.MyCommand.Path',
    '$vars = Get-Content -Raw -Encoding UTF8 (Join-Path $here "env.json") | ConvertFrom-Json',
    'foreach ($p in $vars.PSObject.Properties) { [Environment]::SetEnvironmentVariable($p.Name, [string]$p.Value, "Process") }',
    `$p = Start-Process -FilePath ${quotePowerShell(command)} -ArgumentList @(${args.map((a) => quotePowerShell(`"${a}"`)).join(', ')}) -NoNewWindow -PassThru ` +
      '-RedirectStandardOutput (Join-Path $here "stdout.txt") -RedirectStandardError (Join-Path $here "stderr.txt")',
    'Set-Content -Encoding ASCII (Join-Path $here "pid.txt") $p.Id',
    // Without its handle fetched before the wait, a process from Start-Process -NoNewWindow reports no exit code.
    '$null = $p.Handle',
    '$p.WaitForExit()',
    'Set-Content -Encoding ASCII (Join-Path $here "exitcode.txt") $p.ExitCode',
  ].join('\r\n');
}

/** The exit code `run.ps1` wrote; an empty or garbled file is no code, never 0. */
export function parseExitCode(text: string): number | null {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : null;
}

function spawnAsUser(request: SpawnRequest, user: RunUser): RunningProcess {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const task = `Fixpoint\\run-${request.cwd.split(/[\\/]/).pop()}`;
  const file = (name: string) => join(request.cwd, name);
  let killed = false;
  const exited = (async (): Promise<ProcessExit> => {
    await writeFile(file('env.json'), JSON.stringify(request.env), { mode: 0o600 });
    await writeFile(file('run.ps1'), userTaskWrapper(request.command, request.args));
    // A task that cannot be made or started ends the run at once with schtasks' reason, never at its timeout.
    try {
      await runCommand('schtasks', ['/Create', '/TN', task, '/TR', taskAction(file('run.ps1')), '/SC', 'ONCE', '/ST', '00:00', '/RU', user.name, '/IT', '/F']);
      await runCommand('schtasks', ['/Run', '/TN', task]);
    } catch (err) {
      await run('schtasks', ['/Delete', '/TN', task, '/F']);
      throw err;
    }
    // Waiting on a file is the only completion signal a task gives; this runs only while the script does.
    while (!existsSync(file('exitcode.txt')) && !killed) await new Promise((r) => setTimeout(r, 500));
    await run('schtasks', ['/Delete', '/TN', task, '/F']);
    for (const [name, stream] of [['stdout.txt', stdout], ['stderr.txt', stderr]] as const) {
      stream.end(existsSync(file(name)) ? readFileSync(file(name)) : Buffer.alloc(0));
    }
    const code = existsSync(file('exitcode.txt')) ? parseExitCode(readFileSync(file('exitcode.txt'), 'utf8')) : null;
    return { code, signal: killed ? 'SIGKILL' : null };
  })().catch((err: Error) => ({ code: null, signal: null, error: err.message }));
  return {
    pid: undefined,
    stdout,
    stderr,
    exited,
    killTree: () => {
      killed = true;
      void run('schtasks', ['/End', '/TN', task]);
      if (existsSync(file('pid.txt'))) killTreeByPid(Number(readFileSync(file('pid.txt'), 'utf8').trim()));
    },
  };
}

/**
 * The user a "run as the logged-in user" goes to: the active console session's (see `windows-sessions.ts`), with
 * their profile directory. `FIXPOINT_AGENT_CONSOLE_USER` names one instead (tests, kiosks; an empty value: nobody).
 */
export async function windowsConsoleUser(
  env: NodeJS.ProcessEnv = process.env,
  sessions: typeof windowsSessions = windowsSessions,
): Promise<RunUser | null> {
  if (env.FIXPOINT_AGENT_CONSOLE_USER !== undefined) {
    const name = env.FIXPOINT_AGENT_CONSOLE_USER;
    return name ? { name, uid: -1, gid: -1, home: '', shell: powershellPath(env) } : null;
  }
  const found = (await sessions(env)).console;
  return found ? { name: found.name, uid: -1, gid: -1, home: found.profile, shell: powershellPath(env), sessionId: found.sessionId } : null;
}

/** The Windows implementation of {@link PlatformOps}. */
export const windowsPlatform: PlatformOps = {
  name: 'windows',
  interpreter(shell: Shell, scriptPath: string) {
    if (shell !== 'powershell') throw new Error(`${shell} scripts do not run on Windows`);
    // /d: no AutoRun commands from the registry
    if (testShell() === 'cmd') return { command: `${process.env.SystemRoot ?? 'C:\\Windows'}\\System32\\cmd.exe`, args: ['/d', '/c', scriptPath] };
    return { command: powershellPath(), args: powershellArgs(scriptPath) };
  },
  scriptExtension: () => (testShell() === 'cmd' ? '.cmd' : '.ps1'),
  consoleUser: () => windowsConsoleUser(),
  userEnv: (user) => ({
    SystemRoot: process.env.SystemRoot ?? 'C:\\Windows',
    PATH: process.env.PATH ?? '',
    USERNAME: user.name.split('\\').pop() ?? user.name,
    USERPROFILE: user.home,
    TEMP: user.home ? `${user.home}\\AppData\\Local\\Temp` : (process.env.TEMP ?? ''),
  }),
  spawn: (request) => (request.user ? spawnAsUser(request, request.user) : spawnAsSystem(request)),
  grantWorkspace: (dir, user) => run('icacls', [dir, '/grant', `${user.name}:(OI)(CI)F`, '/T', '/Q']),
  removeWorkspace: (dir) => rm(dir, { recursive: true, force: true }),
  // No cheap start-time lookup without spawning PowerShell; recovery kills by pid only.
  processStartToken: () => undefined,
  killLeftover(pid) {
    try {
      process.kill(pid, 0);
    } catch {
      // The run's interpreter is gone, but what it started may not be (seen under Wine: cmd.exe ends with the
      // agent, its children run on): they are found by their parent's pid, in the background.
      killByWmi(pid);
      return false;
    }
    killTreeByPid(pid);
    return true;
  },
};
