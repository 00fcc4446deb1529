/** @module What every service definition starts: the node flags, the Windows service name, the paths. */
import { dirname } from 'node:path';

/**
 * V8 flags the service starts node with. The agent sits idle nearly all the time with a live heap near 10 MiB, but
 * V8's default young generation grows to 2 × 8 MiB during start-up and keeps that memory until its memory reducer runs.
 * One-MiB semi-spaces cost nothing measurable here (`npm run bench -- --only=agent` measures the agent started this
 * way), and the old-space ceiling turns runaway growth into a restart by the service manager, never a host swapping.
 */
export const AGENT_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--max-old-space-size=128'];
/**
 * The command line that starts the agent, without the `run` verb: node, its flags and the bundle, or the single-file
 * executable alone (it is started without V8 flags: the binary reads its own command line as the agent's).
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
