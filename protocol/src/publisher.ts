/**
 * @module Publisher signatures: what an approval signs, so an agent that pins the organization's publisher key runs
 * only scripts someone approved. One signature per platform script, over a canonical text that binds the script's
 * hash to the action, its version and the platform (a signature cannot be moved to another action or version).
 */
import type { Platform } from './common';

export interface PublisherSigned {
  actionSlug: string;
  actionVersion: number;
  platform: Platform;
  /** Hex SHA-256 of the UTF-8 script text. */
  scriptSha256: string;
}

/** The exact UTF-8 text a publisher signature (Ed25519) covers: a header line, then one field per line. */
export function publisherSigningText(s: PublisherSigned): string {
  return `fixpoint-publisher-v1\nslug:${s.actionSlug}\nversion:${s.actionVersion}\nplatform:${s.platform}\nsha256:${s.scriptSha256}\n`;
}

/** The envelope's `publisherSignature` field: the version number, a colon, the base64 signature. */
export function formatPublisherSignature(actionVersion: number, signatureB64: string): string {
  return `${actionVersion}:${signatureB64}`;
}

/** Splits an envelope's `publisherSignature`; null when it is not `<version>:<base64>`. */
export function parsePublisherSignature(field: string): { actionVersion: number; signature: string } | null {
  const m = /^([1-9][0-9]{0,9}):([A-Za-z0-9+/]{40,120}={0,2})$/.exec(field);
  return m ? { actionVersion: Number(m[1]), signature: m[2]! } : null;
}
