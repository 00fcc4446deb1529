/** @module What every service definition starts: the node flags, the Windows service name, the paths. */

/**
 * V8 flags the service starts node with. The agent sits idle nearly all the time with a live heap near 10 MiB, but
 * V8's default young generation grows to 2 × 8 MiB during start-up and keeps that memory until its memory reducer runs.
 * One-MiB semi-spaces cost nothing measurable here (`npm run bench -- --only=agent` measures the agent started this
 * way), and the old-space ceiling turns runaway growth into a restart by the service manager, never a host swapping.
 */
export const AGENT_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--max-old-space-size=128'];
export const WINDOWS_SERVICE = 'FixpointAgent';

export interface ServiceSpec {
  /** Absolute path of the node binary. */
  nodePath: string;
  /** Absolute path of the agent bundle (dist/fixpoint-agent.mjs). */
  scriptPath: string;
  stateDir: string;
  /**
   * Windows only: the WinSW executable to install as the service host (default: `winsw.exe` next to the agent bundle).
   * node.exe itself does not answer the service control manager, which kills it after its start timeout.
   */
  serviceHost?: string;
  /** The tray client bundle; when set, it is started in every user session (see `autostart.ts`). */
  trayPath?: string;
}
