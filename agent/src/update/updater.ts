/**
 * @module Self-update in the running daemon. Which process is alive to roll back decides the design:
 *
 * 1. The running binary (A) checks the `update` frame (platform, version order, the pinned update key's signature),
 *    downloads the release to `<binary>.next` and checks its size and SHA-256. Any failure is reported (`refused`).
 * 2. A stops its agent (channel closed) and starts `<binary>.next run` as its child, on trial
 *    (`FIXPOINT_AGENT_UPDATE_TRIAL=1`): B connects with its own version and writes `update-trial.json`, nothing else
 *    (it does not pull work). `<binary>` is still A, so if B crashes at start, hangs, or cannot reconnect, A is the
 *    one alive: it ends B, deletes `.next`, starts its agent again and reports `rolled_back`. A reboot during the
 *    trial starts A, which finds the trial unfinished and reports it the same way.
 * 3. Once B proved itself, A ends it, swaps (`<binary>` → `<binary>.previous`, `.next` → `<binary>`, renames in one
 *    directory; on Windows the running A renames itself away first, see swap.ts) and exits with
 *    {@link UPDATE_RESTART_EXIT_CODE}; the service manager (systemd `Restart=always`, launchd `KeepAlive`, WinSW's
 *    `onfailure` restart) starts B. B reports `updated` once connected. If B, now the service, does not reconnect by
 *    the deadline, it puts `.previous` back and exits with the same code, so A runs again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import type { AgentUpdateStatus } from '@fixpoint/protocol';
import { AGENT_VERSION, type AgentPaths } from '../config';
import { describeError, log } from '../log';
import { checkRelease, type UpdateFrame } from './check';
import { DownloadError, downloadRelease } from './download';
import { clearUpdateState, readUpdateState, trialProofPath, writeUpdateState, type UpdateState } from './state';
import { nextOf, removeFailed, restorePrevious, swapIn } from './swap';
import type { KeyObject } from 'node:crypto';

/** The exit code that asks the service manager for a restart into the binary now in place (EX_TEMPFAIL). */
export const UPDATE_RESTART_EXIT_CODE = 75;
/** Set in the environment of a binary on trial. */
export const TRIAL_ENV = 'FIXPOINT_AGENT_UPDATE_TRIAL';

export interface UpdaterOptions {
  paths: AgentPaths;
  server: string;
  /** The agent's own executable: what is swapped. Null when the agent cannot replace itself (run from the node bundle). */
  binary: string | null;
  updateKey: KeyObject | null;
  os: string;
  arch: string;
  /** How long a new binary has to reconnect (the local policy's `updateReconnectSec`). */
  reconnectMs: number;
  report(status: Omit<AgentUpdateStatus, 'type' | 'at'>): void;
  stopAgent(): Promise<void>;
  startAgent(): Promise<void>;
  exit(code: number): void;
}

type Outcome = Omit<AgentUpdateStatus, 'type' | 'at'>;

export class SelfUpdater {
  private busy = false;

  constructor(private readonly options: UpdaterOptions) {}

  /** Handles an `update` frame; one update at a time (a second frame meanwhile is ignored: the server resends none). */
  handle(frame: UpdateFrame): void {
    if (this.busy) return log.warn('update: one is under way; ignored another', { version: frame.version });
    this.busy = true;
    this.run(frame)
      .catch((err: unknown) => log.error('update: failed', { error: describeError(err) }))
      .finally(() => (this.busy = false));
  }

  private refuse(frame: UpdateFrame, reason: Outcome['reason'], message: string): void {
    log.warn('update: refused', { version: frame.version, reason, message });
    this.options.report({ releaseId: frame.releaseId, version: frame.version, outcome: 'refused', reason, message });
  }

  private async run(frame: UpdateFrame): Promise<void> {
    const { paths, binary } = this.options;
    if (frame.version === AGENT_VERSION && !frame.rollback)
      return this.options.report({ releaseId: frame.releaseId, version: frame.version, outcome: 'updated', message: `already on ${AGENT_VERSION}` });
    const verdict = checkRelease(frame, { updateKey: this.options.updateKey, version: AGENT_VERSION, os: this.options.os, arch: this.options.arch });
    if (!verdict.ok) return this.refuse(frame, verdict.reason, verdict.message);
    if (!binary) return this.refuse(frame, 'install_failed', 'this agent runs from the node bundle; only the single-file agent replaces itself');
    const next = nextOf(binary);
    log.info('update: downloading', { version: frame.version, size: frame.size });
    try {
      await downloadRelease(new URL(frame.path, `${this.options.server}/`).toString(), next, frame);
    } catch (err) {
      const e = err instanceof DownloadError ? err : new DownloadError('download_failed', describeError(err));
      return this.refuse(frame, e.reason, e.message);
    }
    const base = { releaseId: frame.releaseId, from: AGENT_VERSION, to: frame.version };
    writeUpdateState(paths, { ...base, phase: 'trial' });
    await this.options.stopAgent();
    const trial = await runTrial(next, paths, this.options.reconnectMs);
    if (!trial.ok) {
      rmSync(next, { force: true });
      log.warn('update: the new binary did not come up; staying on this one', { version: frame.version, reason: trial.reason, message: trial.message });
      writeUpdateState(paths, { ...base, phase: 'done', report: { ...reportOf(base), outcome: 'rolled_back', reason: trial.reason, message: trial.message } });
      await this.options.startAgent();
      return;
    }
    try {
      swapIn(binary);
    } catch (err) {
      // <binary> is whole either way (renames only): carry on with it
      rmSync(next, { force: true });
      writeUpdateState(paths, { ...base, phase: 'done', report: { ...reportOf(base), outcome: 'rolled_back', reason: 'install_failed', message: `cannot swap the binary: ${describeError(err)}` } });
      await this.options.startAgent();
      return;
    }
    const deadline = new Date(Date.now() + this.options.reconnectMs).toISOString();
    writeUpdateState(paths, { ...base, phase: 'swapped', deadline, report: { ...reportOf(base), outcome: 'updated', message: `updated from ${AGENT_VERSION}` } });
    log.info('update: swapped; restarting through the service manager', { version: frame.version, exitCode: UPDATE_RESTART_EXIT_CODE });
    this.options.exit(UPDATE_RESTART_EXIT_CODE);
  }
}

const reportOf = (base: { releaseId: string; to: string }) => ({ releaseId: base.releaseId, version: base.to });

/** Runs the new binary beside this one until it proves it connected, exits, or runs out of time; then ends it. */
async function runTrial(next: string, paths: AgentPaths, timeoutMs: number): Promise<{ ok: true } | { ok: false; reason: 'exited_at_start' | 'no_reconnect'; message: string }> {
  const proof = trialProofPath(paths);
  rmSync(proof, { force: true });
  let child: ChildProcess;
  try {
    child = spawn(next, ['run'], { env: { ...process.env, [TRIAL_ENV]: '1', FIXPOINT_AGENT_STATE_DIR: paths.stateDir }, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (err) {
    return { ok: false, reason: 'exited_at_start', message: `cannot start: ${describeError(err)}` };
  }
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => resolve(`cannot start: ${err.message}`));
    child.once('exit', (code, signal) => resolve(`exited at start with ${signal ?? `code ${code}`}`));
  });
  let exitMessage: string | null = null;
  void exited.then((m) => (exitMessage = m));
  const until = Date.now() + timeoutMs;
  let result: Awaited<ReturnType<typeof runTrial>> | null = null;
  while (!result) {
    if (existsSync(proof)) result = { ok: true };
    else if (exitMessage) result = { ok: false, reason: 'exited_at_start', message: exitMessage };
    else if (Date.now() >= until) result = { ok: false, reason: 'no_reconnect', message: `did not reconnect within ${Math.round(timeoutMs / 1000)} s` };
    else await new Promise((r) => setTimeout(r, 200));
  }
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
  rmSync(proof, { force: true });
  return result;
}

/**
 * What a starting daemon does about an update in progress: a trial the previous process never finished (it was
 * killed or the machine restarted) is reported as rolled back; a swapped binary gets `reconnectMs` to connect.
 * Returns the report to send once connected, and a deadline after which the previous binary must come back.
 */
export function resumeUpdate(paths: AgentPaths, binary: string | null): { report: Outcome | null; deadline: Date | null } {
  // Windows: a new binary that was rolled back renamed itself away while running; it no longer runs now
  if (binary) removeFailed(binary);
  const state = readUpdateState(paths);
  if (!state) return { report: null, deadline: null };
  if (state.phase === 'trial') {
    if (binary) rmSync(nextOf(binary), { force: true });
    return { report: { releaseId: state.releaseId, version: state.to, outcome: 'rolled_back', reason: 'exited_at_start', message: 'the update was interrupted during its trial' }, deadline: null };
  }
  if (state.phase === 'swapped' && state.to !== AGENT_VERSION) {
    // the previous binary runs again (restored by the service or by hand): the new one did not hold
    return { report: { releaseId: state.releaseId, version: state.to, outcome: 'rolled_back', reason: 'no_reconnect', message: `running ${AGENT_VERSION} again` }, deadline: null };
  }
  return { report: state.report ?? null, deadline: state.phase === 'swapped' && state.deadline ? new Date(state.deadline) : null };
}

/** Called when a swapped binary missed its deadline: the previous binary comes back and the service restarts it. */
export function rollBackSwap(paths: AgentPaths, binary: string, state: Pick<UpdateState, 'releaseId' | 'to'>, reconnectMs: number): void {
  restorePrevious(binary);
  writeUpdateState(paths, {
    releaseId: state.releaseId, from: AGENT_VERSION, to: state.to, phase: 'done',
    report: { releaseId: state.releaseId, version: state.to, outcome: 'rolled_back', reason: 'no_reconnect', message: `${AGENT_VERSION} did not reconnect within ${Math.round(reconnectMs / 1000)} s` },
  });
}

export { clearUpdateState, readUpdateState };
