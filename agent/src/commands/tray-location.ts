/**
 * @module Which tray `fixpoint-agent install` starts in each session: the one named with `--tray`, or the one beside
 * the agent. The node bundle agent pairs with the tray bundle (`fixpoint-tray.mjs`, run by the same node); the
 * single-file agent with the single-file tray, named like the agent with `tray` for `agent`
 * (`fixpoint-agent-linux-x64` → `fixpoint-tray-linux-x64`, `fixpoint-agent.exe` → `fixpoint-tray.exe`), or plain
 * `fixpoint-tray[.exe]` as the packages install it.
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TraySpec } from './autostart';

/** The tray bundle's file name, next to the bundle agent. */
export const TRAY_BUNDLE = 'fixpoint-tray.mjs';

/** Whether the tray is a JavaScript bundle that needs node, rather than an executable. */
export const isTrayBundle = (trayPath: string): boolean => /\.[cm]?js$/i.test(trayPath);

/** How the tray at `trayPath` starts: by node when it is the bundle (`nodePath` being that node), alone otherwise. */
export const traySpec = (nodePath: string, trayPath: string): TraySpec => (isTrayBundle(trayPath) ? { nodePath, trayPath } : { trayPath });

export interface FindTrayOptions {
  /** The agent's own file: the bundle, or the single-file executable. */
  agentFile: string;
  /** Whether the agent is the single-file executable. */
  singleExecutable: boolean;
  /** `--tray PATH`, when given. */
  explicit?: string;
  exists?: (file: string) => boolean;
}

/** The single-file tray's names beside a single-file agent, most specific first. */
export function trayBinaryCandidates(agentFile: string): string[] {
  const dir = dirname(agentFile);
  const name = basename(agentFile);
  const exe = /\.exe$/i.test(name) ? '.exe' : '';
  const paired = name.includes('fixpoint-agent') ? name.replace('fixpoint-agent', 'fixpoint-tray') : null;
  return [...new Set([...(paired ? [paired] : []), `fixpoint-tray${exe}`])].map((n) => join(dir, n));
}

/**
 * The tray to start in each session, or undefined when there is none. Throws when `--tray` names a tray bundle for
 * the single-file agent, which has no node to run it.
 */
export function findTray(options: FindTrayOptions): string | undefined {
  const exists = options.exists ?? existsSync;
  if (options.explicit) {
    const trayPath = realpathSync(options.explicit);
    if (options.singleExecutable && isTrayBundle(trayPath))
      throw new Error(`the single-file agent cannot start the tray bundle ${trayPath}, which runs on node: name the single-file tray (fixpoint-tray) instead`);
    return trayPath;
  }
  const candidates = options.singleExecutable ? trayBinaryCandidates(options.agentFile) : [join(dirname(options.agentFile), TRAY_BUNDLE)];
  return candidates.find((file) => exists(file));
}
