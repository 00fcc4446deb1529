import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical';
import { decodeStoredSignature, encodeStoredSignature, EnvelopeProof } from '../envelope-proof';
import { buildEnvelopeTree, envelopeLeaf, rootOfPath } from './merkle';

// Vectors computed independently of this code (Python's hashlib and json with sorted keys, no spaces).
const three = [{ n: 1 }, { n: 2 }, { n: 3 }];
const vectors = {
  leaf0: 'fb5d93e6cf90bc9470cd9ea9d9e12348993db3e854ab2b7660e3594767045f6c',
  root3: '745dce0c223010d103d8a8743d73dd26e3ba012049a53aaaeceeb21c0e90e140',
  path0: ['RPR3ndt8IbBrp9wSdK7DAR1rRQYX5h+Bk6NENyy20oyI=', 'R10otHyrxwcrWxeiob8hpFi59HqAecpq/8XhR0QlI+ZQ='],
  path2: ['LdO+aU3TNHb6ltFGsMUHSuzgLRsU+pBLN8TmQC09+FCI='],
  root5: '12695c68ec7c65cfb9bbddd3580716f140345ce4b47247a1c73f5918e89d6295',
};

describe('envelope Merkle trees', () => {
  it('matches the reference vectors: leaf, root, and paths of an odd-sized tree', () => {
    expect(envelopeLeaf(three[0]).toString('hex')).toBe(vectors.leaf0);
    const tree = buildEnvelopeTree(three.map(envelopeLeaf));
    expect(tree.root.toString('hex')).toBe(vectors.root3);
    expect(tree.paths[0]).toEqual(vectors.path0);
    expect(tree.paths[2]).toEqual(vectors.path2);
    const five = Array.from({ length: 5 }, (_, i) => ({ device: `d${i}`, é: 'ü' }));
    expect(buildEnvelopeTree(five.map(envelopeLeaf)).root.toString('hex')).toBe(vectors.root5);
  });

  it('leads every leaf of trees of 1 to 40 leaves back to the root, and only its own', () => {
    for (let n = 1; n <= 40; n++) {
      const payloads = Array.from({ length: n }, (_, i) => ({ i, n }));
      const tree = buildEnvelopeTree(payloads.map(envelopeLeaf));
      const root = tree.root.toString('hex');
      for (const [i, path] of tree.paths.entries()) {
        expect(path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        expect(EnvelopeProof.safeParse({ root, path }).success).toBe(true);
        expect(rootOfPath(payloads[i], { path })).toBe(root);
        if (n > 1) expect(rootOfPath(payloads[(i + 1) % n], { path })).not.toBe(root);
      }
    }
  });

  it('hashes a leaf apart from an inner node, so a node cannot pass for a payload', () => {
    const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
    const json = Buffer.from(canonicalJson(three[0]), 'utf8');
    // a leaf is tagged 0x00, never 0x01 nor untagged
    expect(envelopeLeaf(three[0])).toEqual(sha(Buffer.from([0]), json));
    expect(envelopeLeaf(three[0])).not.toEqual(sha(Buffer.from([1]), json));
    // the inner node over leaves 0 and 1 (leaf 2's only step) is tagged 0x01
    const [leaf0, leaf1] = three.map(envelopeLeaf);
    const inner = Buffer.from(buildEnvelopeTree(three.map(envelopeLeaf)).paths[2]![0]!.slice(1), 'base64');
    expect(inner).toEqual(sha(Buffer.from([1]), leaf0!, leaf1!));
    expect(inner).not.toEqual(sha(leaf0!, leaf1!));
    expect(inner).not.toEqual(sha(Buffer.from([0]), leaf0!, leaf1!));
  });

  it('keeps a proof in an execution row and reads it back', () => {
    const tree = buildEnvelopeTree(three.map(envelopeLeaf));
    const proof = { root: tree.root.toString('hex'), path: tree.paths[1]! };
    const stored = encodeStoredSignature('c2lnbmF0dXJl', proof);
    expect(stored).not.toContain(',');
    expect(decodeStoredSignature(stored)).toEqual({ signature: 'c2lnbmF0dXJl', proof });
    expect(decodeStoredSignature('c2lnbmF0dXJl')).toEqual({ signature: 'c2lnbmF0dXJl' });
    expect(() => buildEnvelopeTree([])).toThrow(/at least one leaf/);
  });
});
