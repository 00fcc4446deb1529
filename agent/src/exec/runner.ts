/**
 * @module Runs one verified envelope: prepares the workspace, spawns the interpreter (as the console user when asked),
 * captures bounded, redacted output tails, enforces the timeout on the whole tree, and validates the outputs.
 */
import type { AgentResult, Envelope, ResultReason } from '@fixpoint/protocol';
import { describeError, log } from '../log';
import { readOutputs } from './outputs';
import type { PlatformOps, RunUser } from './platform';
import { failedResult, fitResult, noUserResult } from './result';
import { TailBuffer, redactSecrets, utf8Tail } from './tail-buffer';
import { findUnsafeParameter, prepareWorkspace, scriptEnv, systemBaseEnv, type Workspace } from './workspace';
import type { ControlEndpoint } from '../ipc/control-server';

export interface RunOptions {
  platform: PlatformOps;
  now?: () => Date;
  /** Between SIGTERM and SIGKILL on timeout or cancel (default 5 s). */
  killGraceMs?: number;
  /** Awaited right before the spawn, so runs prepared in parallel still start in launch order. */
  beforeSpawn?(): Promise<void>;
  /** Called right after the process started, so the journal can record its group and run directory. */
  onSpawn?(pid: number | undefined, dir: string): void;
  /** Opens the run's control socket for `fixpoint campaign`; null leaves the command unavailable in this run. */
  openControl?(dir: string, user: RunUser | null): Promise<ControlEndpoint | null>;
}

export interface RunHandle {
  /** Resolves with the result message as soon as it is known; never rejects. */
  result: Promise<AgentResult>;
  /** Resolves once the run's directory is deleted (after `result`); never rejects. */
  cleanedUp: Promise<void>;
  /** Kills the run's process tree; the result becomes `canceled`. */
  cancel(): void;
}

/** The values to redact from tails: every secret parameter, as the script sees it (a string). */
function secretValues(envelope: Envelope): string[] {
  const { parameters, secretParameters } = envelope.payload;
  return secretParameters.map((name) => parameters[name]).filter((v) => v !== undefined && v !== '').map(String);
}

/**
 * Starts the run. The result resolves once the process tree is gone and the outputs are read; the run directory is
 * deleted right after (`cleanedUp`), off the result's path. An agent that dies in between leaves the directory to
 * `removeOrphanedWorkspaces` on its next start.
 */
export function startRun(envelope: Envelope, options: RunOptions): RunHandle {
  const now = options.now ?? (() => new Date());
  let cancelRequested = false;
  let killTree: (() => void) | null = null;
  const cancel = () => {
    cancelRequested = true;
    killTree?.();
  };
  let cleanUp: Promise<void> = Promise.resolve();
  const result = execute(envelope, options, now, () => cancelRequested, (kill) => (killTree = kill), (c) => (cleanUp = c))
    .then((r) => fitResult(r))
    .catch((err: unknown) => {
      log.error('run: unexpected failure', { executionId: envelope.payload.executionId, error: describeError(err) });
      return failedResult(envelope.payload.executionId, 'failed', 'spawn_failed', `agent error: ${describeError(err)}`, now());
    });
  return { result, cancel, cleanedUp: result.then(() => cleanUp) };
}

async function execute(
  envelope: Envelope,
  options: RunOptions,
  now: () => Date,
  canceled: () => boolean,
  setKill: (kill: () => void) => void,
  setCleanUp: (cleanUp: Promise<void>) => void,
): Promise<AgentResult> {
  const { platform } = options;
  const p = envelope.payload;
  const startedAt = now().toISOString();
  const fail = (reason: ResultReason, error: string) => failedResult(p.executionId, 'failed', reason, error, now(), startedAt);

  let user: RunUser | null = null;
  if (p.runAs === 'user') {
    user = await platform.consoleUser();
    if (!user) return noUserResult(p.executionId, p.whenNoUser !== 'fail', 'no interactive user is logged in', now(), startedAt);
  }
  const unsafe = findUnsafeParameter(p.parameters);
  if (unsafe) return fail('spawn_failed', `parameter ${unsafe} contains a NUL character`);
  if (canceled()) return failedResult(p.executionId, 'canceled', 'canceled', 'canceled before it started', now(), startedAt);

  let ws: Workspace;
  try {
    ws = await prepareWorkspace(platform, envelope, user);
  } catch (err) {
    return fail('spawn_failed', `cannot prepare the run directory: ${describeError(err)}`);
  }
  let control: ControlEndpoint | null = null;
  try {
    control = (await options.openControl?.(ws.dir, user)) ?? null;
    return await runInWorkspace(envelope, ws, user, options, now, startedAt, canceled, setKill, control?.env ?? {});
  } finally {
    await control?.close();
    setCleanUp(
      platform.removeWorkspace(ws.dir, user).catch((err: unknown) =>
        log.warn('run: cannot delete the run directory', { dir: ws.dir, error: describeError(err) }),
      ),
    );
  }
}

async function runInWorkspace(
  envelope: Envelope,
  ws: Workspace,
  user: RunUser | null,
  options: RunOptions,
  now: () => Date,
  startedAt: string,
  canceled: () => boolean,
  setKill: (kill: () => void) => void,
  controlEnv: Record<string, string>,
): Promise<AgentResult> {
  const { platform } = options;
  const p = envelope.payload;
  let command: { command: string; args: string[] };
  try {
    command = platform.interpreter(p.shell, ws.scriptPath);
  } catch (err) {
    return failedResult(p.executionId, 'failed', 'spawn_failed', describeError(err), now(), startedAt);
  }
  const secrets = secretValues(envelope);
  const slack = Math.max(0, ...secrets.map((s) => Buffer.byteLength(s)));
  const stdout = new TailBuffer(p.outputCapBytes, slack);
  const stderr = new TailBuffer(p.outputCapBytes, slack);
  const env = { ...scriptEnv(user ? platform.userEnv(user) : systemBaseEnv(), ws, envelope, platform), ...controlEnv };
  await options.beforeSpawn?.();
  if (canceled()) return failedResult(p.executionId, 'canceled', 'canceled', 'canceled before it started', now(), startedAt);

  const proc = platform.spawn({ ...command, env, cwd: ws.dir, user, killGraceMs: options.killGraceMs });
  setKill(proc.killTree);
  options.onSpawn?.(proc.pid, ws.dir);
  proc.stdout?.on('data', (chunk: Buffer) => stdout.write(chunk));
  proc.stderr?.on('data', (chunk: Buffer) => stderr.write(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.killTree();
  }, p.timeoutSec * 1000);
  if (canceled()) proc.killTree();
  const exit = await proc.exited;
  clearTimeout(timer);

  const out = stdout.text(secrets);
  const err = stderr.text(secrets);
  const base = {
    type: 'result' as const,
    executionId: p.executionId,
    exitCode: exit.code,
    stdoutTail: out.text,
    stderrTail: err.text,
    truncated: out.truncated || err.truncated,
    startedAt,
  };
  const finish = (status: AgentResult['status'], error: string | null, reason?: ResultReason, outputs: Record<string, unknown> = {}) =>
    ({ ...base, status, error: error === null ? null : redactSecrets(error, secrets), ...(reason ? { reason } : {}), outputs, at: now().toISOString() });

  if (exit.error) return finish('failed', `cannot start ${command.command}: ${exit.error}`, 'spawn_failed');
  if (canceled()) return finish('canceled', 'canceled', 'canceled');
  if (timedOut) return finish('timed_out', `timed out after ${p.timeoutSec} s`, 'timeout');

  const { outputs, problems } = readOutputs(ws.outputFile, p.outputs, user ? { ownerUid: user.uid >= 0 ? user.uid : undefined } : {});
  const stderrError = utf8Tail(err.text.trim(), 4096);
  if (exit.code !== 0) {
    const how = exit.code === null ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const problemText = problems.length ? `\n${problems.join('\n')}` : '';
    return finish('failed', `${stderrError || how}${problemText}`, undefined, outputs);
  }
  if (problems.length) return finish('failed', problems.join('\n'), 'output_rejected', outputs);
  return finish('succeeded', null, undefined, outputs);
}
