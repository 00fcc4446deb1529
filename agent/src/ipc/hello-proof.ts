/**
 * @module The proofs of the Windows tray hello (`protocol/src/tray-ipc.ts`): each side shows it knows the user's
 * secret without sending it, bound to both sides' nonces, so whoever else serves or reads the pipe learns nothing it
 * could replay. `tray-client/src/hello-proof.ts` computes the same (both tests check one vector).
 */
import { createHmac, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url. */
export const newNonce = (): string => randomBytes(32).toString('base64url');

/** HMAC-SHA256 keyed by the secret over the role and both nonces, hex. */
export function helloProof(secret: string, role: 'tray' | 'agent', agentNonce: string, trayNonce: string): string {
  return createHmac('sha256', secret).update(`fixpoint-tray-${role}\n${agentNonce}\n${trayNonce}`).digest('hex');
}
