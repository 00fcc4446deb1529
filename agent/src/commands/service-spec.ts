/** @module What every service definition starts: the node flags, the Windows service name, the paths. */
import { dirname } from 'node:path';
import nodeFlags from '../node-flags.json';

/**
 * The node and V8 flags the agent runs with (`node-flags.json`, which the single-file build also reads): the services
 * of the node bundle start node with them, and the single-file agent carries them in its blob (`execArgv` of the SEA
 * configuration, sea/build-sea.mjs), so they reach the agent process only, never a node a script starts. The agent
 * idles nearly all the time with a live heap near 10 MiB and runs little JavaScript per run (a frame parsed, a
 * signature checked, a process spawned), so they trade peak speed it does not use for resident memory:
 * - `--max-semi-space-size=1`: V8's young generation grows to 2 × 8 MiB during start-up otherwise, and keeps it.
 * - `--max-old-space-size=128`: a ceiling, not a saving; runaway growth becomes a restart by the service manager.
 * - `--optimize-for-size`: V8's smaller-footprint choices (heap growth, inline caches) (−3 MiB idle).
 * - `--single-threaded`, `--v8-pool-size=1`: no V8 worker threads (GC and compilation on the main thread), one
 *   platform thread instead of one per core, each with its own stack and malloc arena (−1 MiB).
 * - `--no-opt`, `--no-maglev`: no optimizing compilers; bytecode and the Sparkplug baseline compiler remain, so this
 *   is not `--jitless`. The compilers' own code is no longer paged in (−5 MiB idle, most of it file pages of the
 *   runtime). Runs take as long as with them (`npm run bench -- --only=agent-runs`; BENCHMARKS.md).
 */
export const AGENT_NODE_FLAGS: readonly string[] = nodeFlags;
/**
 * The command line that starts the agent, without the `run` verb: node, its flags and the bundle, or the single-file
 * executable alone (its flags are in its blob: the binary reads its own command line as the agent's).
 */
export const agentCommand = (spec: ServiceSpec): string[] => (spec.scriptPath ? [spec.nodePath, ...AGENT_NODE_FLAGS, spec.scriptPath] : [spec.nodePath]);

/** The directory the agent lives in: where the Windows service host is copied. */
export const agentDirOf = (spec: ServiceSpec): string => dirname(spec.scriptPath ?? spec.nodePath);

export const WINDOWS_SERVICE = 'FixpointAgent';

export interface ServiceSpec {
  /** Absolute path of the node binary, or of the single-file agent executable (then without `scriptPath`). */
  nodePath: string;
  /** Absolute path of the agent bundle (dist/fixpoint-agent.mjs); absent when `nodePath` is the agent executable. */
  scriptPath?: string;
  stateDir: string;
  /**
   * Windows only: the WinSW executable to install as the service host (default: `winsw.exe` next to the agent bundle).
   * node.exe itself does not answer the service control manager, which kills it after its start timeout.
   */
  serviceHost?: string;
  /**
   * The tray client, started in every user session when set (see `autostart.ts`): the bundle, run by `nodePath`, or
   * the single-file tray, run alone (`tray-location.ts`).
   */
  trayPath?: string;
}
