/** @module What an update must pass before anything is downloaded: platform, version order and the update key's signature. */
import { verify, type KeyObject } from 'node:crypto';
import { compareVersions, releaseSigningText, type ServerMessage } from '@fixpoint/protocol';

export type UpdateFrame = Extract<ServerMessage, { type: 'update' }>;
export type UpdateRefusal = { ok: false; reason: 'unsigned' | 'bad_signature' | 'no_update_key' | 'downgrade' | 'wrong_platform'; message: string };

export interface CheckReleaseOptions {
  /** The update key pinned at enrollment; null for an agent enrolled before update keys existed. */
  updateKey: KeyObject | null;
  version: string;
  os: string;
  arch: string;
}

/**
 * Accepts a release only when it is for this platform, not lower than the running version unless signed as a
 * rollback, and signed by the pinned update key over exactly its version, platform, size, hash and rollback flag.
 */
export function checkRelease(frame: UpdateFrame, options: CheckReleaseOptions): { ok: true } | UpdateRefusal {
  if (frame.os !== options.os || frame.arch !== options.arch)
    return { ok: false, reason: 'wrong_platform', message: `the release is for ${frame.os}-${frame.arch}, this is ${options.os}-${options.arch}` };
  if (compareVersions(frame.version, options.version) < 0 && !frame.rollback)
    return { ok: false, reason: 'downgrade', message: `${frame.version} is lower than ${options.version} and the release is not marked rollback` };
  if (!options.updateKey) return { ok: false, reason: 'no_update_key', message: 'no update key was pinned at enrollment; enroll again to get one' };
  if (!frame.releaseSignature) return { ok: false, reason: 'unsigned', message: 'the release carries no signature' };
  const signed = releaseSigningText({ ...frame });
  let good = false;
  try {
    good = verify(null, Buffer.from(signed), options.updateKey, Buffer.from(frame.releaseSignature, 'base64'));
  } catch {
    good = false;
  }
  if (!good) return { ok: false, reason: 'bad_signature', message: 'the release is not signed by the update key pinned at enrollment' };
  return { ok: true };
}
