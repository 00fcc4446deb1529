/**
 * @module Envelopes of a large launch share one signature: the backend signs the root of a Merkle tree whose leaves
 * are the launch's envelope payloads, and each envelope carries its inclusion proof (`EnvelopeProof`). The agent
 * hashes the payload it received into its leaf, folds the path up to the root, checks that root is the one named,
 * and verifies the one signature over `envelopeRootText(root)`. Hashing is in `@fixpoint/protocol/merkle` (Node).
 *
 * Hashes are SHA-256 with domain separation (as RFC 6962): a leaf is `H(0x00 ‖ canonicalJson(payload))`, an inner
 * node `H(0x01 ‖ left ‖ right)`. A path step names the side its sibling sits on, so trees of any size need no padding.
 */
import { z } from 'zod';

/** One path step: `L` or `R` (the sibling's side), then the sibling's base64 SHA-256. */
const PathStep = z.string().regex(/^[LR][A-Za-z0-9+/]{43}=$/, 'a path step is L or R followed by a base64 SHA-256');

export const EnvelopeProof = z.strictObject({
  /** Hex SHA-256 root of the launch's tree; the envelope's `signature` covers `envelopeRootText(root)`. */
  root: z.string().regex(/^[0-9a-f]{64}$/, 'the root is a hex SHA-256'),
  /** From the leaf up; empty when the launch had one envelope. */
  path: z.array(PathStep).max(32),
});
export type EnvelopeProof = z.infer<typeof EnvelopeProof>;

/** The exact text the root signature covers; it can never be mistaken for the canonical JSON of a payload or frame. */
export function envelopeRootText(rootHex: string): string {
  return `fixpoint-envelope-root-v1:${rootHex}`;
}

const storedPrefix = 'm1:';

/**
 * How an execution row keeps a proof envelope's signature: `m1:<signature>:<root>:<steps joined by .>`. A plain
 * signature is kept as it is. Neither contains a comma, a launch's rows travel comma-joined.
 */
export function encodeStoredSignature(signature: string, proof?: EnvelopeProof): string {
  return proof ? `${storedPrefix}${signature}:${proof.root}:${proof.path.join('.')}` : signature;
}

/** The envelope's `signature` and `proof` from what an execution row keeps. */
export function decodeStoredSignature(stored: string): { signature: string; proof?: EnvelopeProof } {
  if (!stored.startsWith(storedPrefix)) return { signature: stored };
  const [signature = '', root = '', steps = ''] = stored.slice(storedPrefix.length).split(':');
  return { signature, proof: { root, path: steps ? steps.split('.') : [] } };
}
