import { createHash, randomBytes } from 'node:crypto';

/** Token kinds are told apart by prefix, so a leaked token is recognisable (and secret scanners can match it). */
export const tokenPrefixes = {
  session: 'fxp_s_',
  pat: 'fxp_pat_',
  clientToken: 'fxp_at_',
  clientSecret: 'fxp_cs_',
  enrollment: 'fxp_enr_',
} as const;

export function newToken(prefix: string): string {
  return prefix + randomBytes(24).toString('base64url');
}

/** Tokens are stored only as SHA-256; they are long and random, so a slow hash adds nothing. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * How long an ended credential (expired, revoked, signed out) stays stored after its expiry, so a late request is
 * told `expired` or `revoked` rather than just `unauthenticated`.
 */
export const endedCredentialRetentionMs = 7 * 24 * 3600_000;
