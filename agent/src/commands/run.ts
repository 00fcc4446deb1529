/** @module `fixpoint-agent run`: the daemon. Runs until SIGTERM/SIGINT. */
import { Agent, type AgentOptions } from '../agent';
import type { AgentPaths } from '../config';
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
  const agent = new Agent({ paths, identity, config, platform: await hostPlatform(), trayIpc: { discover: sessionUsers, watchSessions: true }, ...extra });
  agent.start();
  log.info('agent started', { deviceId: identity.deviceId, server: identity.server, maxConcurrency: config.maxConcurrency });
  return () => agent.stop();
}

/** Runs the daemon in this process until a stop signal. */
export async function runDaemon(paths: AgentPaths): Promise<void> {
  const stop = await startAgent(paths);
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
