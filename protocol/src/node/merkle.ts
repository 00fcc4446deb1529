/**
 * @module The hashing of envelope proofs (Node only; the format is in `../envelope-proof.ts`): the backend builds
 * the tree of a launch and every leaf's path, the agent folds a path back to the root.
 */
import * as crypto from 'node:crypto';
import { canonicalJson } from '../canonical';
import type { EnvelopeProof } from '../envelope-proof';

const nodeTag = Buffer.from([1]);

// One-shot hashing (Node ≥ 20.12) skips a Hash object per call: a 10,000-leaf tree hashes 30,000 times, and every
// agent folds its path of up to 14 steps. Older runtimes take the streaming path; the digests are the same.
const sha256: (data: string | Buffer) => Buffer =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'buffer')
    : (data) => crypto.createHash('sha256').update(data).digest();

/** The leaf of one payload: `H(0x00 ‖ canonicalJson(payload))`. */
export function envelopeLeaf(payload: unknown): Buffer {
  return leafOfCanonical(canonicalJson(payload));
}

/** The leaf of a payload whose canonical JSON is already at hand (a U+0000 in front encodes to the 0x00 tag byte). */
export function leafOfCanonical(json: string): Buffer {
  return sha256(`\u0000${json}`);
}

function node(left: Buffer, right: Buffer): Buffer {
  return sha256(Buffer.concat([nodeTag, left, right], 65));
}

/**
 * The root of `leaves` and each leaf's path. Each level pairs neighbours; an odd last node moves up unpaired (its
 * path gets no step for that level), so no leaf is ever duplicated. A node's index on the next level is its index
 * halved, so leaf `i` meets its sibling at index `(i >> level) ^ 1`; each node's step text is made once and shared
 * by every path that passes it (a left node is only ever an `L` step, a right one an `R` step).
 */
export function buildEnvelopeTree(leaves: readonly Buffer[]): { root: Buffer; paths: string[][] } {
  if (!leaves.length) throw new Error('a tree needs at least one leaf');
  const steps: string[][] = [];
  let level = leaves as readonly Buffer[];
  while (level.length > 1) {
    steps.push(level.map((hash, j) => `${j & 1 ? 'R' : 'L'}${hash.toString('base64')}`));
    const next: Buffer[] = [];
    for (let j = 0; j < level.length; j += 2) next.push(j + 1 < level.length ? node(level[j]!, level[j + 1]!) : level[j]!);
    level = next;
  }
  const paths = leaves.map((_, i) => {
    const path: string[] = [];
    for (const [k, nodes] of steps.entries()) {
      const sibling = nodes[(i >> k) ^ 1];
      if (sibling !== undefined) path.push(sibling);
    }
    return path;
  });
  return { root: level[0]!, paths };
}

/** The root a payload's path leads to (hex); the caller compares it with the signed root. */
export function rootOfPath(payload: unknown, proof: Pick<EnvelopeProof, 'path'>): string {
  let hash = envelopeLeaf(payload);
  for (const step of proof.path) {
    const sibling = Buffer.from(step.slice(1), 'base64');
    hash = step[0] === 'L' ? node(sibling, hash) : node(hash, sibling);
  }
  return hash.toString('hex');
}
