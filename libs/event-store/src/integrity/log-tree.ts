import { isUnreadable, type EventStore, type StoredEvent } from '../event-store.port';
import { eventHash, isEventHash, type HashableEvent } from './event-hash';
import { IntegrityError } from './integrity-error';
import { MerkleTree, toHex } from './merkle';
import type { LogSealedData } from './seal';

/** Events read between two turns of the event loop: a serving process answers other requests meanwhile. */
export const YIELD_EVERY = 1_000;

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** An event's leaf in the log's tree: its stored hash, or, before the chain, its hash recomputed (hex). */
export function leafOf(event: HashableEvent): string {
  const stored = (event.metadata as Record<string, unknown>).hash;
  return isEventHash(stored) ? stored : eventHash(event);
}

/**
 * Reads the first `treeSize` events of the log, in global order, handing each to `visit` with its
 * leaf index, and returns the tree over them. A log shorter than that, or an unreadable row among
 * them, is refused: nothing can be proved over it.
 */
export async function buildLogTree(
  store: EventStore,
  treeSize: number,
  visit?: (event: StoredEvent, index: number, leaf: string) => void,
): Promise<MerkleTree> {
  const tree = new MerkleTree();
  if (treeSize === 0) return tree;
  for await (const event of store.readAll({ includeUnreadable: true })) {
    if (isUnreadable(event)) {
      throw new IntegrityError(
        'INTEGRITY.LOG_NOT_VERIFIED',
        `l’événement en position ${event.position} (flux ${event.streamId}, révision ${event.revision}) est illisible : lancez jalon verify`,
      );
    }
    const leaf = leafOf(event);
    visit?.(event, tree.size, leaf);
    tree.append(Buffer.from(leaf, 'hex'));
    if (tree.size === treeSize) return tree;
    if (tree.size % YIELD_EVERY === 0) await yieldToEventLoop();
  }
  throw new IntegrityError('INTEGRITY.LOG_CHANGED', `le journal ne compte que ${tree.size} événement(s), le sceau en couvre ${treeSize} : des événements ont disparu (lancez jalon verify)`);
}

/** Refuses a tree whose root at the seal's size is not the seal's. */
export function assertSealHolds(tree: MerkleTree, seal: LogSealedData, what: string): void {
  if (toHex(tree.rootAt(seal.treeSize)) !== seal.rootHash) {
    throw new IntegrityError(
      'INTEGRITY.LOG_CHANGED',
      `les ${seal.treeSize} premiers événements du journal ne donnent plus la racine ${what} (scellé le ${seal.sealedAt}) : le journal a été modifié depuis ; lancez jalon verify`,
    );
  }
}
