import { createHash } from 'node:crypto';
import {
  EMPTY_ROOT,
  fromHex,
  leafHash,
  MerkleFrontier,
  MerkleTree,
  nodeHash,
  rootFromInclusionProof,
  rootOf,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

/** The reference leaves and tree heads published with RFC 6962's reference implementation (Certificate Transparency). */
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((hex) =>
  Buffer.from(hex, 'hex'),
);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  parts.forEach((part) => hash.update(part));
  return hash.digest();
};

/** 32-byte leaves, as the log's event hashes are. */
const eventLeaves = (n: number) => Array.from({ length: n }, (_, i) => sha256(Buffer.from(`event ${i}`)));

/** MTH by the letter of RFC 6962 §2.1, recursively, as an independent reference. */
function referenceRoot(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return sha256(Buffer.from([0]), leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(Buffer.from([1]), referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

function flipBit(hash: Uint8Array, bit = 0): Buffer {
  const copy = Buffer.from(hash);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

describe('Merkle tree (RFC 6962 / RFC 9162)', () => {
  it('rule: leaf hash is SHA-256(0x00 ‖ leaf), node hash SHA-256(0x01 ‖ left ‖ right), the empty tree SHA-256()', () => {
    const [a, b] = eventLeaves(2);
    expect(leafHash(a!)).toEqual(sha256(Buffer.from([0]), a!));
    expect(nodeHash(a!, b!)).toEqual(sha256(Buffer.from([1]), a!, b!));
    expect(toHex(EMPTY_ROOT)).toBe(CT_ROOTS[0]);
  });

  it('rule: the roots of the reference leaves are the published tree heads, for sizes 0 to 8', () => {
    for (let size = 0; size <= 8; size++) {
      expect(toHex(rootOf(CT_LEAVES.slice(0, size)))).toBe(CT_ROOTS[size]);
      expect(toHex(MerkleTree.of(CT_LEAVES).rootAt(size))).toBe(CT_ROOTS[size]);
    }
  });

  it('rule: small trees computed by hand — sizes 1 to 8, odd sizes split at the largest power of two', () => {
    const d = eventLeaves(8);
    const l = d.map(leafHash);
    const n = nodeHash;
    const expected = [
      l[0],
      n(l[0]!, l[1]!),
      n(n(l[0]!, l[1]!), l[2]!),
      n(n(l[0]!, l[1]!), n(l[2]!, l[3]!)),
      n(n(n(l[0]!, l[1]!), n(l[2]!, l[3]!)), l[4]!),
      n(n(n(l[0]!, l[1]!), n(l[2]!, l[3]!)), n(l[4]!, l[5]!)),
      n(n(n(l[0]!, l[1]!), n(l[2]!, l[3]!)), n(n(l[4]!, l[5]!), l[6]!)),
      n(n(n(l[0]!, l[1]!), n(l[2]!, l[3]!)), n(n(l[4]!, l[5]!), n(l[6]!, l[7]!))),
    ];
    const frontier = new MerkleFrontier();
    const tree = new MerkleTree();
    for (let size = 1; size <= 8; size++) {
      frontier.append(d[size - 1]!);
      tree.append(d[size - 1]!);
      expect(frontier.root()).toEqual(expected[size - 1]);
      expect(tree.rootAt()).toEqual(expected[size - 1]);
      expect(tree.rootAt(size)).toEqual(expected[size - 1]);
    }
  });

  it('rule: the frontier and the level tree give the root of the definition at every size up to 70', () => {
    const leaves = eventLeaves(70);
    const frontier = new MerkleFrontier();
    const tree = MerkleTree.of(leaves);
    for (let size = 1; size <= leaves.length; size++) {
      frontier.append(leaves[size - 1]!);
      const reference = referenceRoot(leaves.slice(0, size).map((leaf) => leaf));
      expect(frontier.root()).toEqual(reference);
      expect(tree.rootAt(size)).toEqual(reference);
      expect(frontier.size).toBe(size);
    }
  });

  it('rule: a frontier rebuilt from a snapshot goes on exactly as the original', () => {
    const leaves = eventLeaves(23);
    const original = new MerkleFrontier();
    leaves.slice(0, 13).forEach((leaf) => original.append(leaf));
    const copy = new MerkleFrontier(original.snapshot());
    leaves.slice(13).forEach((leaf) => {
      original.append(leaf);
      copy.append(leaf);
    });
    expect(copy.root()).toEqual(original.root());
    expect(() => new MerkleFrontier({ size: 13, nodes: [] })).toThrow(RangeError);
  });

  it('rule: the inclusion proofs of the reference tree are the published ones and verify (RFC 9162 §2.1.3)', () => {
    const tree = MerkleTree.of(CT_LEAVES);
    const vectors: [index: number, size: number, proof: string[]][] = [
      [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
      [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
      [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
      [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
    ];
    for (const [index, size, proof] of vectors) {
      expect(tree.inclusionProof(index, size).map(toHex)).toEqual(proof);
      expect(verifyInclusion(leafHash(CT_LEAVES[index]!), index, size, proof.map(fromHex), fromHex(CT_ROOTS[size]!))).toBe(true);
    }
  });

  it('rule: the consistency proofs of the reference tree are the published ones and verify (RFC 9162 §2.1.4)', () => {
    const tree = MerkleTree.of(CT_LEAVES);
    const vectors: [oldSize: number, newSize: number, proof: string[]][] = [
      [1, 1, []],
      [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
      [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
      [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
    ];
    for (const [oldSize, newSize, proof] of vectors) {
      expect(tree.consistencyProof(oldSize, newSize).map(toHex)).toEqual(proof);
      expect(verifyConsistency(oldSize, newSize, fromHex(CT_ROOTS[oldSize]!), fromHex(CT_ROOTS[newSize]!), proof.map(fromHex))).toBe(true);
    }
  });

  it('rule: every inclusion proof of every leaf in every tree of 1 to 40 leaves verifies, and fails with any bit flipped', () => {
    const leaves = eventLeaves(40);
    const tree = MerkleTree.of(leaves);
    for (let size = 1; size <= leaves.length; size++) {
      const root = tree.rootAt(size);
      for (let index = 0; index < size; index++) {
        const proof = tree.inclusionProof(index, size);
        const leaf = tree.leafHashAt(index);
        expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);
        expect(verifyInclusion(flipBit(leaf, index % 256), index, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, proof, flipBit(root, size % 256))).toBe(false);
        proof.forEach((_, k) => {
          const altered = proof.map((p, j) => (j === k ? flipBit(p, (index + k) % 256) : p));
          expect(verifyInclusion(leaf, index, size, altered, root)).toBe(false);
        });
        // The same proof does not hold for another index or size (the shape of the tree is proved too).
        if (size > 1) expect(verifyInclusion(leaf, (index + 1) % size, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, [...proof, root], root)).toBe(false);
        if (proof.length > 0) expect(verifyInclusion(leaf, index, size, proof.slice(1), root)).toBe(false);
      }
    }
  });

  it('rule: every consistency proof between two sizes up to 40 verifies, and fails with any bit flipped', () => {
    const leaves = eventLeaves(40);
    const tree = MerkleTree.of(leaves);
    for (let newSize = 1; newSize <= leaves.length; newSize++) {
      const newRoot = tree.rootAt(newSize);
      for (let oldSize = 1; oldSize <= newSize; oldSize++) {
        const oldRoot = tree.rootAt(oldSize);
        const proof = tree.consistencyProof(oldSize, newSize);
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)).toBe(true);
        expect(verifyConsistency(oldSize, newSize, flipBit(oldRoot, oldSize % 256), newRoot, proof)).toBe(false);
        expect(verifyConsistency(oldSize, newSize, oldRoot, flipBit(newRoot, newSize % 256), proof)).toBe(false);
        proof.forEach((_, k) => {
          const altered = proof.map((p, j) => (j === k ? flipBit(p, (oldSize + k) % 256) : p));
          expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, altered)).toBe(false);
        });
        if (oldSize < newSize) {
          expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, [])).toBe(false);
          // (The sizes are bound by the roots, which a seal signs with them: a proof alone may fit other sizes.)
          expect(verifyConsistency(oldSize, newSize, newRoot, newRoot, proof)).toBe(false);
        }
      }
    }
  });

  it('rule: a changed leaf in the old tree breaks consistency with the new one', () => {
    const leaves = eventLeaves(21);
    const honest = MerkleTree.of(leaves);
    const rewritten = MerkleTree.of(leaves.map((leaf, i) => (i === 4 ? flipBit(leaf) : leaf)));
    // The rewritten log proves itself consistent, but not against the root sealed before.
    const proof = rewritten.consistencyProof(9, 21);
    expect(verifyConsistency(9, 21, rewritten.rootAt(9), rewritten.rootAt(21), proof)).toBe(true);
    expect(verifyConsistency(9, 21, honest.rootAt(9), rewritten.rootAt(21), proof)).toBe(false);
  });

  it('rule: sizes, indexes and hash lengths outside the tree are refused', () => {
    const tree = MerkleTree.of(eventLeaves(5));
    expect(() => tree.rootAt(6)).toThrow(RangeError);
    expect(() => tree.inclusionProof(5, 5)).toThrow(RangeError);
    expect(() => tree.consistencyProof(4, 3)).toThrow(RangeError);
    expect(rootFromInclusionProof(tree.leafHashAt(0), 0, 0, [])).toBeUndefined();
    expect(verifyInclusion(tree.leafHashAt(0), 0, 5, [Buffer.alloc(31), Buffer.alloc(32), Buffer.alloc(32)], tree.rootAt())).toBe(false);
    expect(verifyConsistency(0, 5, EMPTY_ROOT, tree.rootAt(), [])).toBe(true);
    expect(verifyConsistency(6, 5, tree.rootAt(), tree.rootAt(), [])).toBe(false);
    expect(() => fromHex('abc')).toThrow(TypeError);
  });
});
