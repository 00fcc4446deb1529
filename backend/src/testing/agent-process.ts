/**
 * @module The real device agent as a child process, for end-to-end tests: the bundle is built once per test
 * run (`bundles.ts`; `agent/build.mjs`, what `npm run build -w agent` runs), enrolled through its CLI, and run as a daemon in
 * a temp state directory.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleOncePerRun } from './bundles';

const agentDir = new URL('../../../agent/', import.meta.url).pathname;

/** Builds `fixpoint-agent.mjs` (once per test run, see `bundles.ts`) and returns its path. */
export function buildAgentBundle(): string {
  const dir = bundleOncePerRun('agent', (out) => execFileSync(process.execPath, ['build.mjs', '--outfile', join(out, 'fixpoint-agent.mjs')], { cwd: agentDir }));
  return join(dir, 'fixpoint-agent.mjs');
}

export class AgentProcess {
  readonly stateDir: string;
  child: ChildProcess | null = null;
  /** Everything the daemon wrote to stderr (its JSON log lines), across restarts. */
  log = '';

  /** Extra environment for the daemon and the CLI (e.g. `FIXPOINT_AGENT_CONSOLE_USER`). */
  readonly env: Record<string, string>;
  /** The environment the extra one is added to: this process's unless given. */
  private readonly baseEnv: NodeJS.ProcessEnv;
  /** The program and its first arguments: node and the bundle, or a single-file agent executable alone. */
  private readonly command: [string, ...string[]];

  /**
   * `bundle` is `fixpoint-agent.mjs`, run by this node; with `executable: true` it is a single-file agent executable
   * (agent/sea/), run by itself.
   */
  constructor(
    readonly bundle: string,
    options: { maxConcurrency?: number; env?: Record<string, string>; executable?: boolean; baseEnv?: NodeJS.ProcessEnv } = {},
  ) {
    this.env = options.env ?? {};
    this.baseEnv = options.baseEnv ?? process.env;
    this.command = options.executable ? [bundle] : [process.execPath, bundle];
    this.stateDir = join(mkdtempSync(join(tmpdir(), 'fixpoint-agent-')), 'state');
    if (options.maxConcurrency) {
      execFileSync('mkdir', ['-p', '-m', '700', this.stateDir]);
      writeFileSync(join(this.stateDir, 'config.json'), JSON.stringify({ maxConcurrency: options.maxConcurrency }), { mode: 0o600 });
    }
  }

  get deviceId(): string {
    return JSON.parse(readFileSync(join(this.stateDir, 'identity.json'), 'utf8')).deviceId;
  }

  /** Runs a CLI command to completion (asynchronously: an in-process backend must keep answering). */
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const [program, ...first] = this.command;
      execFile(program, [...first, ...args], { env: { ...this.baseEnv, ...this.env, FIXPOINT_AGENT_STATE_DIR: this.stateDir } }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  async enroll(server: string, token: string, name = 'e2e-device'): Promise<string> {
    const res = await this.cli(['enroll', '--server', server, '--token', token, '--name', name]);
    if (res.code !== 0) throw new Error(`enroll failed: ${res.stderr}`);
    return this.deviceId;
  }

  start(): ChildProcess {
    const [program, ...first] = this.command;
    const child = spawn(program, [...first, 'run'], {
      env: { ...this.baseEnv, FIXPOINT_AGENT_STATE_DIR: this.stateDir, FIXPOINT_AGENT_LOG_LEVEL: 'info', ...this.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    this.child = child;
    return child;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && !this.child.signalCode;
  }

  /** Sends a signal and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  /** Log lines (parsed) whose message contains `text`. */
  logged(text: string): Record<string, unknown>[] {
    return this.log
      .split('\n')
      .filter((l) => l.includes(text))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return { line: l };
        }
      });
  }

  async dispose(): Promise<void> {
    await this.kill('SIGKILL');
    rmSync(join(this.stateDir, '..'), { recursive: true, force: true });
  }
}

/**
 * An action for the tests that run a real agent: greets `Who`, writes typed outputs, and on request appends `Tag` to the
 * file `Mark`, sleeps `Sleep` seconds, or exits with `Exit`.
 */
export const greetAction = {
  slug: 'greet', name: 'Greet', purpose: 'data_collection',
  scripts: {
    linux: {
      shell: 'sh',
      source: [
        'echo "hello $FIXPOINT_PARAM_WHO"',
        '[ -n "$FIXPOINT_PARAM_MARK" ] && echo "$FIXPOINT_PARAM_TAG" >> "$FIXPOINT_PARAM_MARK"',
        'fixpoint output greeting "hi $FIXPOINT_PARAM_WHO"',
        'fixpoint output count "$FIXPOINT_PARAM_TIMES"',
        'fixpoint output ok true',
        'fixpoint output --json tags \'["a","b"]\'',
        '[ -n "$FIXPOINT_PARAM_SLEEP" ] && sleep "$FIXPOINT_PARAM_SLEEP"',
        'exit "${FIXPOINT_PARAM_EXIT:-0}"',
      ].join('\n'),
    },
  },
  parameters: [
    { name: 'Who', type: 'string', required: true },
    { name: 'Times', type: 'int', default: 2 },
    { name: 'Mark', type: 'string', default: '' },
    { name: 'Tag', type: 'string', default: '' },
    { name: 'Sleep', type: 'string', default: '' },
    { name: 'Exit', type: 'int', default: 0 },
  ],
  outputs: [
    { name: 'greeting', type: 'string' },
    { name: 'count', type: 'int' },
    { name: 'ok', type: 'bool' },
    { name: 'tags', type: 'string-list' },
  ],
};
