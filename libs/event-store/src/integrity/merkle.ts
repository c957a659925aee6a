/**
 * The Merkle tree of the log (RFC 6962 §2.1, restated in RFC 9162 §2.1), SHA-256:
 *
 *   MTH({})      = SHA-256()
 *   MTH({d})     = SHA-256(0x00 ‖ d)                         the leaf hash
 *   MTH(D[0:n])  = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n]))  k the largest power of two < n
 *
 * The leaves of Jalon's log are the 32 bytes of each event's hash, in global order
 * (docs/decisions/0011). Three shapes of the same tree:
 * - {@link MerkleFrontier}: appends leaves and gives the root at the current size, keeping only the
 *   roots of its perfect subtrees (O(log n) memory): what the running service keeps;
 * - {@link MerkleTree}: every level kept (about 64 bytes per leaf), so that any earlier root,
 *   inclusion proof or consistency proof costs O(log n) hashes: what exports and proofs build;
 * - the verifiers of those proofs (RFC 9162 §2.1.3.2 and §2.1.4.2), which need nothing but the
 *   proof, the sizes and the roots: what a controller runs offline.
 *
 * Sizes and indexes are plain numbers (safe integers); bit operations are done arithmetically so
 * that trees beyond 2^32 leaves stay right.
 */
import * as crypto from 'node:crypto';

export const HASH_BYTES = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
const HEX_HASH = /^[0-9a-f]{64}$/;

/**
 * One-shot SHA-256 (`crypto.hash`, Node.js 20.12+) costs half of a `createHash` object per call;
 * verifying a million events hashes two million nodes.
 */
const sha256: (data: Uint8Array) => Buffer =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'buffer')
    : (data) => crypto.createHash('sha256').update(data).digest();

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Buffer = crypto.createHash('sha256').digest();

// Scratch buffers for the usual 32-byte leaves and nodes: hashed at once, never kept.
const leafInput = Buffer.alloc(1 + HASH_BYTES, 0x00);
const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES, 0x01);

export function leafHash(leaf: Uint8Array): Buffer {
  if (leaf.length !== HASH_BYTES) return crypto.createHash('sha256').update(LEAF_PREFIX).update(leaf).digest();
  leafInput.set(leaf, 1);
  return sha256(leafInput);
}

/** The leaf hash of an event hash given in hex (64 digits), without an intermediate buffer. */
export function leafHashOfHex(hex: string): Buffer {
  if (leafInput.write(hex, 1, HASH_BYTES, 'hex') !== HASH_BYTES) throw new TypeError(`not a SHA-256 hash in hex: ${JSON.stringify(hex)}`);
  return sha256(leafInput);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_BYTES || right.length !== HASH_BYTES) {
    return crypto.createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_BYTES);
  return sha256(nodeInput);
}

/** 64 lower-case hex digits. */
export function toHex(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('hex');
}

/** The 32 bytes of a hash written as 64 hex digits; throws on anything else. */
export function fromHex(hex: string): Buffer {
  if (!isHexHash(hex)) throw new TypeError(`not a SHA-256 hash in hex: ${JSON.stringify(hex)}`);
  return Buffer.from(hex, 'hex');
}

export function isHexHash(value: unknown): value is string {
  return typeof value === 'string' && HEX_HASH.test(value);
}

/** The largest power of two strictly below `n` (n ≥ 2). */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n >= 1 && 2 ** Math.round(Math.log2(n)) === n;
}

function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, not ${value}`);
}

/** What a frontier is made of: its size and the roots of its perfect subtrees, left to right. */
export interface FrontierSnapshot {
  readonly size: number;
  readonly nodes: readonly Buffer[];
}

/**
 * The right edge of the tree: one root per perfect subtree (one per bit set in the size, largest
 * first). Appending a leaf merges the equal-sized subtrees at the end, as binary addition carries.
 * Its nodes are never changed in place, so a {@link snapshot} shares them safely.
 */
export class MerkleFrontier {
  private nodes: Buffer[];
  private count: number;

  constructor(snapshot: FrontierSnapshot = { size: 0, nodes: [] }) {
    assertSize('size', snapshot.size);
    if (snapshot.nodes.length !== bitCount(snapshot.size)) {
      throw new RangeError(`a frontier of size ${snapshot.size} has ${bitCount(snapshot.size)} subtree roots, not ${snapshot.nodes.length}`);
    }
    this.nodes = [...snapshot.nodes];
    this.count = snapshot.size;
  }

  get size(): number {
    return this.count;
  }

  /** Appends a leaf (its data: for the log, the 32 bytes of an event hash). */
  append(leaf: Uint8Array): void {
    this.appendLeafHash(leafHash(leaf));
  }

  appendLeafHash(hash: Buffer): void {
    let node: Buffer = hash;
    for (let size = this.count; isOdd(size); size = half(size)) node = nodeHash(this.nodes.pop()!, node);
    this.nodes.push(node);
    this.count += 1;
  }

  root(): Buffer {
    return rootOfFrontier(this.nodes);
  }

  snapshot(): FrontierSnapshot {
    return { size: this.count, nodes: [...this.nodes] };
  }
}

/** The root of a tree given the roots of its perfect subtrees, left to right. */
export function rootOfFrontier(nodes: readonly Uint8Array[]): Buffer {
  if (nodes.length === 0) return EMPTY_ROOT;
  let root: Buffer = Buffer.from(nodes[nodes.length - 1]!);
  for (let i = nodes.length - 2; i >= 0; i--) root = nodeHash(nodes[i]!, root);
  return root;
}

function bitCount(n: number): number {
  let bits = 0;
  for (let rest = n; rest > 0; rest = half(rest)) if (isOdd(rest)) bits += 1;
  return bits;
}

/** Hashes of one level, in chunks: no copy of the whole level as it grows. */
class HashColumn {
  private static readonly CHUNK = 16_384;
  private readonly chunks: Buffer[] = [];
  length = 0;

  push(hash: Uint8Array): void {
    const offset = this.length % HashColumn.CHUNK;
    if (offset === 0) this.chunks.push(Buffer.allocUnsafe(HashColumn.CHUNK * HASH_BYTES));
    this.chunks[this.chunks.length - 1]!.set(hash, offset * HASH_BYTES);
    this.length += 1;
  }

  get(index: number): Buffer {
    const chunk = this.chunks[Math.floor(index / HashColumn.CHUNK)]!;
    const offset = (index % HashColumn.CHUNK) * HASH_BYTES;
    return chunk.subarray(offset, offset + HASH_BYTES);
  }
}

/**
 * The whole tree, level by level: level 0 holds the leaf hashes, level h the root of every complete
 * perfect subtree of 2^h leaves. Any root, inclusion proof or consistency proof of any size up to
 * the current one is then O(log n) look-ups and hashes.
 */
export class MerkleTree {
  private readonly levels: HashColumn[] = [new HashColumn()];

  static of(leaves: Iterable<Uint8Array>): MerkleTree {
    const tree = new MerkleTree();
    for (const leaf of leaves) tree.append(leaf);
    return tree;
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  /** Appends a leaf (its data); returns its index. */
  append(leaf: Uint8Array): number {
    return this.appendLeafHash(leafHash(leaf));
  }

  appendLeafHash(hash: Uint8Array): number {
    const index = this.size;
    this.levels[0]!.push(hash);
    // Each level whose count becomes even completes a node of the level above.
    for (let level = 0; this.levels[level]!.length % 2 === 0; level++) {
      const column = this.levels[level]!;
      const parent = nodeHash(column.get(column.length - 2), column.get(column.length - 1));
      (this.levels[level + 1] ??= new HashColumn()).push(parent);
    }
    return index;
  }

  /** The leaf hash at `index`. */
  leafHashAt(index: number): Buffer {
    this.assertIndex(index, this.size);
    return Buffer.from(this.levels[0]!.get(index));
  }

  /** The root of the first `size` leaves (the whole tree by default). */
  rootAt(size: number = this.size): Buffer {
    this.assertSizeWithin(size);
    return Buffer.from(this.subtree(0, size));
  }

  /** RFC 6962 §2.1.1 PATH(index, D[0:size]): the sibling hashes from the leaf up to the root. */
  inclusionProof(index: number, size: number = this.size): Buffer[] {
    this.assertSizeWithin(size);
    this.assertIndex(index, size);
    const proof: Buffer[] = [];
    this.path(index, 0, size, proof);
    return proof;
  }

  /** RFC 6962 §2.1.2 PROOF(oldSize, D[0:newSize]): proves that the first tree is a prefix of the second. */
  consistencyProof(oldSize: number, newSize: number = this.size): Buffer[] {
    this.assertSizeWithin(newSize);
    assertSize('oldSize', oldSize);
    if (oldSize > newSize) throw new RangeError(`a tree of ${oldSize} leaves cannot be a prefix of one of ${newSize}`);
    const proof: Buffer[] = [];
    if (oldSize > 0 && oldSize < newSize) this.subproof(oldSize, 0, newSize, true, proof);
    return proof;
  }

  /** MTH(D[start:start+n]); the recursion only ever asks for aligned perfect subtrees, which are stored. */
  private subtree(start: number, n: number): Buffer {
    if (n === 0) return EMPTY_ROOT;
    if (isPowerOfTwo(n) && start % n === 0) return this.levels[Math.round(Math.log2(n))]!.get(start / n);
    const k = largestPowerOfTwoBelow(n);
    return nodeHash(this.subtree(start, k), this.subtree(start + k, n - k));
  }

  private path(index: number, start: number, n: number, proof: Buffer[]): void {
    if (n <= 1) return;
    const k = largestPowerOfTwoBelow(n);
    if (index < k) {
      this.path(index, start, k, proof);
      proof.push(Buffer.from(this.subtree(start + k, n - k)));
    } else {
      this.path(index - k, start + k, n - k, proof);
      proof.push(Buffer.from(this.subtree(start, k)));
    }
  }

  private subproof(m: number, start: number, n: number, complete: boolean, proof: Buffer[]): void {
    if (m === n) {
      if (!complete) proof.push(Buffer.from(this.subtree(start, n)));
      return;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      this.subproof(m, start, k, complete, proof);
      proof.push(Buffer.from(this.subtree(start + k, n - k)));
    } else {
      this.subproof(m - k, start + k, n - k, false, proof);
      proof.push(Buffer.from(this.subtree(start, k)));
    }
  }

  private assertSizeWithin(size: number): void {
    assertSize('size', size);
    if (size > this.size) throw new RangeError(`the tree has ${this.size} leaves, not ${size}`);
  }

  private assertIndex(index: number, size: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size} leaves`);
  }
}

/** The root of a list of leaves (their data), computed by the definition. */
export function rootOf(leaves: readonly Uint8Array[]): Buffer {
  const frontier = new MerkleFrontier();
  for (const leaf of leaves) frontier.append(leaf);
  return frontier.root();
}

/**
 * RFC 9162 §2.1.3.2: the root an inclusion proof leads to from a leaf hash, or undefined when the
 * proof cannot be one for that index in a tree of that size (too short, too long).
 */
export function rootFromInclusionProof(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[]): Buffer | undefined {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (p.length !== HASH_BYTES) return undefined;
    if (sn === 0) return undefined;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : undefined;
}

/** Whether `proof` proves that the leaf hash `leaf` is leaf `index` of the tree of `size` leaves with root `root`. */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  const computed = rootFromInclusionProof(leaf, index, size, proof);
  return computed !== undefined && computed.equals(root);
}

/**
 * RFC 9162 §2.1.4.2: whether `proof` proves that the tree of `oldSize` leaves with root `oldRoot` is
 * a prefix of the tree of `newSize` leaves with root `newRoot`. Equal sizes need an empty proof
 * and equal roots; the empty tree is a prefix of every tree.
 */
export function verifyConsistency(oldSize: number, newSize: number, oldRoot: Uint8Array, newRoot: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (proof.some((p) => p.length !== HASH_BYTES)) return false;
  if (oldSize === newSize) return proof.length === 0 && Buffer.from(oldRoot).equals(newRoot);
  if (oldSize === 0) return proof.length === 0 && Buffer.from(oldRoot).equals(EMPTY_ROOT);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr.equals(oldRoot) && sr.equals(newRoot) && sn === 0;
}
