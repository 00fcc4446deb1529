/** @module Where the agent keeps its state, and its version. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

declare const __FIXPOINT_AGENT_VERSION__: string | undefined;
declare const __FIXPOINT_COMMIT__: string | undefined;
declare const __FIXPOINT_SEA__: boolean | undefined;

function readVersion(): string {
  // The bundle has the version baked in; from sources it comes from package.json.
  if (typeof __FIXPOINT_AGENT_VERSION__ !== 'undefined') return __FIXPOINT_AGENT_VERSION__;
  try {
    return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version as string;
  } catch {
    return '0.0.0-dev';
  }
}

/** The agent's own version, reported in `hello` and in facts. */
export const AGENT_VERSION = readVersion();

/** The commit the bundle was built from (`git rev-parse --short HEAD`); `unknown` from sources or outside git. */
export const AGENT_COMMIT = typeof __FIXPOINT_COMMIT__ !== 'undefined' ? __FIXPOINT_COMMIT__ : 'unknown';

/** True in the single-file executable (sea/build-sea.mjs): the binary is node and the agent at once. */
export const SINGLE_EXECUTABLE = typeof __FIXPOINT_SEA__ !== 'undefined' && __FIXPOINT_SEA__;

/** What `fixpoint-agent --version` prints: the agent, the commit it was built from, the runtime. */
export const versionLine = () => `fixpoint-agent ${AGENT_VERSION} (commit ${AGENT_COMMIT}, node ${process.version})`;

/** The state directory: `FIXPOINT_AGENT_STATE_DIR`, else the platform's system-wide location. */
export function resolveStateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.FIXPOINT_AGENT_STATE_DIR) return env.FIXPOINT_AGENT_STATE_DIR;
  if (platform === 'darwin') return '/Library/Application Support/Fixpoint';
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'Fixpoint');
  return '/var/lib/fixpoint-agent';
}

/** Files inside the state directory. */
export interface AgentPaths {
  stateDir: string;
  /** Device id, server URL, private key and the pinned server key (0600). */
  identity: string;
  /** Optional local policy: publisher keys, concurrency. */
  config: string;
  /** Append-only execution journal (JSON lines). */
  journal: string;
  /** Connection state written by `run`, read by `status`. */
  status: string;
}

export function agentPaths(stateDir: string): AgentPaths {
  return {
    stateDir,
    identity: join(stateDir, 'identity.json'),
    config: join(stateDir, 'config.json'),
    journal: join(stateDir, 'journal.jsonl'),
    status: join(stateDir, 'status.json'),
  };
}
