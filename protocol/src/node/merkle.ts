/**
 * @module The hashing of envelope proofs (Node only; the format is in `../envelope-proof.ts`): the backend builds
 * the tree of a launch and every leaf's path, the agent folds a path back to the root.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical';
import type { EnvelopeProof } from '../envelope-proof';

const leafTag = Buffer.from([0]);
const nodeTag = Buffer.from([1]);

/** The leaf of one payload: `H(0x00 ‖ canonicalJson(payload))`. */
export function envelopeLeaf(payload: unknown): Buffer {
  return createHash('sha256').update(leafTag).update(canonicalJson(payload), 'utf8').digest();
}

function node(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(nodeTag).update(left).update(right).digest();
}

/**
 * The root of `leaves` and each leaf's path. Each level pairs neighbours; an odd last node moves up unpaired (its
 * path gets no step for that level), so no leaf is ever duplicated.
 */
export function buildEnvelopeTree(leaves: readonly Buffer[]): { root: Buffer; paths: string[][] } {
  if (!leaves.length) throw new Error('a tree needs at least one leaf');
  const paths: string[][] = leaves.map(() => []);
  // which leaves sit under each node of the current level
  let level = leaves.map((hash, i) => ({ hash, under: [i] }));
  while (level.length > 1) {
    const next: typeof level = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1];
      if (!right) {
        next.push(left);
        continue;
      }
      for (const leaf of left.under) paths[leaf]!.push(`R${right.hash.toString('base64')}`);
      for (const leaf of right.under) paths[leaf]!.push(`L${left.hash.toString('base64')}`);
      next.push({ hash: node(left.hash, right.hash), under: [...left.under, ...right.under] });
    }
    level = next;
  }
  return { root: level[0]!.hash, paths };
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
