/**
 * A growing Merkle tree that can still give the root (and frontier) it had at an earlier size: a
 * seal states the root at the size its writer had read, and other events may be appended before
 * the seal itself lands, so the verifier meets the seal a few leaves later.
 *
 * Keeps the frontier, and, for the last `window` leaves, their leaf hashes (32 bytes each) and
 * positions in blocks of 1 024, each block starting with a snapshot of the frontier: an earlier
 * root is one snapshot plus at most 1 023 appends. `window` Infinity keeps every block (the
 * command-line verification: 40 bytes per event); the running service keeps a bounded window.
 */
import { leafHash, leafHashOfHex, MerkleFrontier, type FrontierSnapshot } from './merkle';

const BLOCK = 1_024;

interface Block {
  readonly start: FrontierSnapshot;
  readonly hashes: Buffer;
  readonly positions: BigInt64Array;
  count: number;
}

export class PrefixRoots {
  private readonly frontier: MerkleFrontier;
  private readonly blocks: Block[] = [];

  constructor(
    start: FrontierSnapshot = { size: 0, nodes: [] },
    private readonly window: number = Number.POSITIVE_INFINITY,
  ) {
    this.frontier = new MerkleFrontier(start);
  }

  get size(): number {
    return this.frontier.size;
  }

  /** Appends a leaf (an event hash, 32 bytes, or its 64 hex digits) and the position of its event. */
  append(leaf: Uint8Array | string, position: bigint): void {
    let block = this.blocks[this.blocks.length - 1];
    if (!block || block.count === BLOCK) {
      block = { start: this.frontier.snapshot(), hashes: Buffer.allocUnsafe(BLOCK * 32), positions: new BigInt64Array(BLOCK), count: 0 };
      this.blocks.push(block);
      while (this.blocks.length > 1 && (this.blocks.length - 1) * BLOCK >= this.window) this.blocks.shift();
    }
    const hash = typeof leaf === 'string' ? leafHashOfHex(leaf) : leafHash(leaf);
    hash.copy(block.hashes, block.count * 32);
    block.positions[block.count] = position;
    block.count += 1;
    this.frontier.appendLeafHash(hash);
  }

  root(): Buffer {
    return this.frontier.root();
  }

  snapshot(): FrontierSnapshot {
    return this.frontier.snapshot();
  }

  /** The frontier at an earlier size, or undefined when that size is before the window. */
  snapshotAt(size: number): FrontierSnapshot | undefined {
    if (size === this.size) return this.snapshot();
    if (size > this.size) return undefined;
    const block = this.blockHolding(size);
    if (!block) return undefined;
    const frontier = new MerkleFrontier(block.start);
    for (let i = 0; i < size - block.start.size; i++) frontier.appendLeafHash(block.hashes.subarray(i * 32, i * 32 + 32));
    return frontier.snapshot();
  }

  rootAt(size: number): Buffer | undefined {
    const snapshot = this.snapshotAt(size);
    return snapshot === undefined ? undefined : new MerkleFrontier(snapshot).root();
  }

  /** The position of the event at a leaf index, when it is within the window. */
  positionAt(index: number): bigint | undefined {
    if (index < 0 || index >= this.size) return undefined;
    const block = this.blockHolding(index);
    if (!block || index - block.start.size >= block.count) return undefined;
    return block.positions[index - block.start.size];
  }

  /** The last block starting at or before `size` whose leaves reach it. */
  private blockHolding(size: number): Block | undefined {
    let low = 0;
    let high = this.blocks.length - 1;
    let found: Block | undefined;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const block = this.blocks[middle]!;
      if (block.start.size <= size) {
        found = block;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found && size - found.start.size <= found.count ? found : undefined;
  }
}
