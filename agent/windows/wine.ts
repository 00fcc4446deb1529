/**
 * @module The Windows build of the agent under Wine: `wine64 node.exe fixpoint-agent.mjs …` with a state directory
 * of its own, enrolled through its CLI and run as a daemon, like `backend/src/testing/agent-process.ts` does with
 * the Linux build. Output goes to files: Windows Node under Wine cannot write to a terminal, nor to the socket
 * pairs Node hands a child as its pipes (`open EBADF` on the first write to stderr).
 *
 * On Windows itself (the native runners of `.github/workflows/platforms.yml`) the same tests start node.exe directly:
 * no Wine, no prefix, and paths are already Windows paths.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the global setup provides: the paths a Windows test needs. */
export interface WindowsRuntime {
  /** wine64, or null on Windows itself. */
  wine64: string | null;
  /** The official Windows build of Node. */
  nodeExe: string;
  /** The Wine prefix (its C: drive and registry), shared by all tests; null on Windows itself. */
  prefix: string | null;
  /** agent/dist/fixpoint-agent.mjs */
  bundle: string;
}

/** The environment Wine runs in: our prefix, no debug chatter, no display, no offer to install Mono or Gecko. */
export function wineEnv(prefix: string | null, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  if (prefix === null) return { ...process.env, ...extra };
  const env: NodeJS.ProcessEnv = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=', ...extra };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return env;
}

/** A Linux path as Windows programs under Wine see it: the Linux root is drive Z:. On Windows, the path itself. */
export function winePath(linuxPath: string): string {
  if (process.platform === 'win32') return linuxPath;
  return `Z:${linuxPath.replace(/\//g, '\\')}`;
}

let launches = 0;

/**
 * Runs `node.exe <args>` under Wine with stdout and stderr in files of `dir` (see the module comment for why files);
 * `done` resolves with the exit code, `read` returns what it wrote so far.
 */
export function startWineNode(runtime: WindowsRuntime, dir: string, args: string[], env: Record<string, string> = {}) {
  const n = ++launches;
  const files = { stdout: join(dir, `${n}.stdout`), stderr: join(dir, `${n}.stderr`) };
  const fds = [openSync(files.stdout, 'w'), openSync(files.stderr, 'w')];
  const [command, argv] = runtime.wine64 ? [runtime.wine64, [runtime.nodeExe, ...args]] : [runtime.nodeExe, args];
  const child = spawn(command, argv, { env: wineEnv(runtime.prefix, env), stdio: ['ignore', ...fds] });
  fds.forEach((fd) => closeSync(fd));
  const done = new Promise<number>((resolve) => {
    child.once('error', () => resolve(-1));
    child.once('exit', (code) => resolve(code ?? -1));
  });
  const read = (which: keyof typeof files) => readFileSync(files[which], 'utf8');
  return { child, done, read };
}

export class WineAgent {
  readonly stateDir: string;
  child: ChildProcess | null = null;
  private readonly dir: string;

  constructor(
    readonly runtime: WindowsRuntime,
    /** More environment for the CLI and the daemon. */
    readonly env: Record<string, string> = {},
    /** A single-file agent executable (agent/sea/) to run instead of node.exe with the bundle. */
    readonly executable?: string,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'fixpoint-wine-agent-'));
    this.stateDir = join(this.dir, 'state');
  }

  /** Starts a command with its stdout and stderr in files of their own; `done` resolves when it exits. */
  private launch(args: string[], env: Record<string, string> = {}) {
    const [runtime, first] = this.executable ? [{ ...this.runtime, nodeExe: this.executable }, []] : [this.runtime, [winePath(this.runtime.bundle)]];
    return startWineNode(runtime, this.dir, [...first, ...args], {
      FIXPOINT_AGENT_STATE_DIR: winePath(this.stateDir),
      ...this.env,
      ...env,
    });
  }

  private daemonLogs: (() => string)[] = [];

  /** What the daemon wrote to stderr (JSON log lines), across restarts. */
  get log(): string {
    return this.daemonLogs.map((read) => read()).join('');
  }

  get deviceId(): string {
    return JSON.parse(readFileSync(join(this.stateDir, 'identity.json'), 'utf8')).deviceId;
  }

  /** Runs a CLI command to completion, asynchronously (the backend in this process must keep answering). */
  async cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const run = this.launch(args);
    const code = await run.done;
    return { code, stdout: run.read('stdout'), stderr: run.read('stderr') };
  }

  async enroll(server: string, token: string, name = 'wine-device'): Promise<string> {
    const res = await this.cli(['enroll', '--server', server, '--token', token, '--name', name]);
    if (res.code !== 0) throw new Error(`enroll failed (${res.code}): ${res.stderr}${res.stdout}`);
    return this.deviceId;
  }

  start(): ChildProcess {
    const run = this.launch(['run'], { FIXPOINT_AGENT_LOG_LEVEL: 'info' });
    this.daemonLogs.push(() => run.read('stderr'));
    this.child = run.child;
    return run.child;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && !this.child.signalCode;
  }

  /** Ends the daemon at once (as a crash or a power cut would) and waits for it to be gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
