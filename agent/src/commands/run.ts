/** @module `fixpoint-agent run`: the daemon. Runs until SIGTERM/SIGINT. */
import { Agent, type AgentOptions } from '../agent';
import { AGENT_VERSION, SINGLE_EXECUTABLE, type AgentPaths } from '../config';
import { currentPlatform } from '../exec/platform';
import { writeFileAtomic } from '../state/files';
import { publicKeyFromDer, type Identity } from '../state/identity';
import type { AgentConfig } from '../state/agent-config';
import { SelfUpdater, TRIAL_ENV, UPDATE_RESTART_EXIT_CODE, clearUpdateState, readUpdateState, resumeUpdate, rollBackSwap } from '../update/updater';
import { trialProofPath } from '../update/state';
import type { PlatformOps } from '../exec/platform';
import { posixPlatform } from '../exec/platform-posix';
import { isProcessAlive } from '../exec/posix-process';
import { log } from '../log';
import { loadAgentConfig } from '../state/agent-config';
import { ensurePrivateDir } from '../state/files';
import { loadIdentity } from '../state/identity';
import { readStatusFile } from '../state/status-file';
import { restrictStateDir } from '../state/windows-acl';
import { sessionUsers } from '../ipc/sessions';

/** This machine's {@link PlatformOps}; the Windows code is only loaded on Windows. */
export async function hostPlatform(): Promise<PlatformOps> {
  return process.platform === 'win32' ? (await import('../exec/platform-windows')).windowsPlatform : posixPlatform;
}

/** Starts the agent; resolves with a stop function. Throws with a user-facing message when it cannot start. */
export async function startAgent(paths: AgentPaths, extra: Partial<AgentOptions> = {}): Promise<() => Promise<void>> {
  return (await startAgentWith(paths, extra)).stop;
}

async function startAgentWith(paths: AgentPaths, extra: Partial<AgentOptions> = {}): Promise<{ agent: Agent; identity: Identity; config: AgentConfig; stop: () => Promise<void> }> {
  // checked before anything is read from it: a state dir another account could redirect could hand the agent an identity
  ensurePrivateDir(paths.stateDir);
  // on Windows the ACL is set again at every start: a folder created by hand, or reset, would let Users read the key
  await restrictStateDir(paths.stateDir);
  const identity = loadIdentity(paths);
  if (!identity) throw new Error(`not enrolled (no ${paths.identity}); run: fixpoint-agent enroll --server URL --token T`);
  const config = loadAgentConfig(paths);
  const previous = readStatusFile(paths);
  if (previous && previous.pid !== process.pid && previous.state !== 'stopped' && isProcessAlive(previous.pid))
    throw new Error(`another agent is already running (pid ${previous.pid})`);
  // FIXPOINT_AGENT_USER_POLL_MS: how often a user run held for a login looks for one (tests shorten it)
  const userPollMs = Number(process.env.FIXPOINT_AGENT_USER_POLL_MS) || undefined;
  const agent = new Agent({ paths, identity, config, platform: await hostPlatform(), trayIpc: { discover: sessionUsers, watchSessions: true }, userPollMs, ...extra });
  agent.start();
  log.info('agent started', { deviceId: identity.deviceId, server: identity.server, maxConcurrency: config.maxConcurrency, trial: !!extra.trial });
  return { agent, identity, config, stop: () => agent.stop() };
}

/** The file the agent replaces when it updates itself: the single-file executable; none for the node bundle. */
function ownBinary(): string | null {
  return SINGLE_EXECUTABLE ? process.execPath : null;
}

/** Runs a new binary on trial (see update/updater.ts): connect, prove it, pull nothing, until the old binary ends it. */
async function runTrial(paths: AgentPaths): Promise<() => Promise<void>> {
  const started = await startAgentWith(paths, {
    trial: true,
    onConnected: () => writeFileAtomic(trialProofPath(paths), `${JSON.stringify({ version: AGENT_VERSION, pid: process.pid })}\n`),
  });
  return started.stop;
}

/** Starts the daemon with self-update wired in: reports a finished update once connected, and guards a fresh swap. */
async function startUpdatingAgent(paths: AgentPaths): Promise<() => Promise<void>> {
  if (process.env[TRIAL_ENV] === '1') return runTrial(paths);
  const binary = ownBinary();
  const pending = resumeUpdate(paths, binary);
  let current: { agent: Agent; stop: () => Promise<void> } | null = null;
  let deadline: NodeJS.Timeout | null = null;
  let updater: SelfUpdater | null = null;
  const start = async () => {
    const started = await startAgentWith(paths, {
      onUpdate: (frame) => updater!.handle(frame),
      onConnected: () => {
        if (deadline) clearTimeout(deadline);
        deadline = null;
        const state = resumeUpdate(paths, binary);
        if (state.report && started.agent.reportUpdate(state.report)) {
          log.info('update: reported', { outcome: state.report.outcome, version: state.report.version });
          clearUpdateState(paths);
        }
      },
    });
    current = started;
    return started;
  };
  const first = await start();
  const reconnectMs = (first.config.updateReconnectSec ?? 300) * 1000;
  const identity = first.identity;
  updater = new SelfUpdater({
    paths,
    server: identity.server,
    binary,
    updateKey: identity.updatePublicKey ? publicKeyFromDer(identity.updatePublicKey) : null,
    os: currentPlatform(),
    arch: process.arch,
    reconnectMs,
    report: (status) => current?.agent.reportUpdate(status),
    stopAgent: async () => {
      await current?.stop();
      current = null;
    },
    startAgent: async () => void (await start()),
    exit: (code) => process.exit(code),
  });
  if (pending.deadline && binary) {
    const state = readUpdateState(paths)!;
    deadline = setTimeout(() => {
      log.error('update: the new binary did not reconnect in time; the previous one comes back', { version: AGENT_VERSION });
      rollBackSwap(paths, binary, state, reconnectMs);
      process.exit(UPDATE_RESTART_EXIT_CODE);
    }, Math.max(0, pending.deadline.getTime() - Date.now()));
  }
  return () => current?.stop() ?? Promise.resolve();
}

/** Runs the daemon in this process until a stop signal. */
export async function runDaemon(paths: AgentPaths): Promise<void> {
  const stop = await startUpdatingAgent(paths);
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info('agent stopping', { signal });
      void stop().finally(() => process.exit(0));
    });
  }
}
