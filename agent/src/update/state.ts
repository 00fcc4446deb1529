/**
 * @module The update's state file, `update.json` in the state dir: which update is under way (`trial`: the new
 * binary runs beside the old one; `swapped`: the new binary is in place and must reconnect before `deadline`),
 * and the outcome still to report to the server. It outlives restarts, so whichever binary starts next knows.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AgentUpdateStatus } from '@fixpoint/protocol';
import type { AgentPaths } from '../config';
import { readJsonFile, writeFileAtomic } from '../state/files';

export const UpdateState = z.strictObject({
  releaseId: z.string(),
  from: z.string(),
  to: z.string(),
  phase: z.enum(['trial', 'swapped', 'done']),
  /** ISO time by which the swapped binary must have reconnected, or the previous one comes back. */
  deadline: z.string().optional(),
  /** What to send once connected (then the file is removed). */
  report: AgentUpdateStatus.omit({ type: true, at: true }).optional(),
});
export type UpdateState = z.infer<typeof UpdateState>;

export const updateStatePath = (paths: AgentPaths) => join(paths.stateDir, 'update.json');
/** Written by a binary on trial once its channel is up: the proof the old binary waits for. */
export const trialProofPath = (paths: AgentPaths) => join(paths.stateDir, 'update-trial.json');

export function readUpdateState(paths: AgentPaths): UpdateState | null {
  try {
    const parsed = UpdateState.safeParse(readJsonFile(updateStatePath(paths)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeUpdateState(paths: AgentPaths, state: UpdateState): void {
  writeFileAtomic(updateStatePath(paths), `${JSON.stringify(state)}\n`);
}

export function clearUpdateState(paths: AgentPaths): void {
  rmSync(updateStatePath(paths), { force: true });
}
