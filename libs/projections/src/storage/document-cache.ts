import { lowerBound } from '../sorted-keys';

/**
 * Committed read-model documents kept in memory, parsed: documents by key, and lists (every
 * document under a prefix, in key order), each bounded by the size of the documents' JSON, least
 * recently used first out. A commit updates what is cached, lists included, so a programme-wide
 * report reads no storage between two commits.
 *
 * What was read from storage is kept from its second reading on, if that comes soon enough to be
 * worth it (see {@link ReadOnce}): a document or a list read once (each antenna's history, browsed
 * in turn) would only push out those read again and again, and keep the garbage collector busy.
 *
 * Documents are shared between readers: neither `evolve` nor the report builders ever change the
 * documents they are given (test/read-models/frozen-documents.spec.ts holds them to it).
 */
export class DocumentCache {
  private readonly docs: Lru<CachedDoc>;
  private readonly lists: Lru<CachedList>;
  private readonly docsReadOnce = new ReadOnce();
  private readonly listsReadOnce = new ReadOnce();

  constructor(limits: { readonly documentBytes: number; readonly listBytes: number }) {
    this.docs = new Lru(limits.documentBytes);
    this.lists = new Lru(limits.listBytes);
  }

  /** The cached document (null: known to be absent), or undefined when not cached. */
  get(id: string, key: string): CachedDoc | undefined {
    return this.docs.get(cacheKey(id, key));
  }

  /** A document read from storage (null: there is none). */
  read(id: string, key: string, doc: unknown | null, bytes: number): void {
    if (this.docsReadOnce.readAgain(cacheKey(id, key), this.docs.size)) this.set(id, key, doc, bytes);
  }

  /** The documents under `prefix`, in key order (a new array), or undefined when not cached. */
  list(id: string, prefix: string): unknown[] | undefined {
    return this.lists.get(cacheKey(id, prefix))?.docs.slice();
  }

  /** The documents under `prefix`, in key order, as read from storage. */
  listed(id: string, prefix: string, rows: readonly { key: string; doc: unknown; bytes: number }[]): void {
    if (!this.listsReadOnce.readAgain(cacheKey(id, prefix), this.lists.size)) return;
    const list: CachedList = { id, prefix, keys: rows.map((row) => row.key), docs: rows.map((row) => row.doc), bytes: rows.map((row) => row.bytes) };
    this.lists.set(cacheKey(id, prefix), list, sum(list.bytes));
  }

  /** Documents just committed (null: deleted), with the size of their JSON: cached documents and lists follow. */
  committed(id: string, changes: ReadonlyMap<string, { readonly doc: unknown | null; readonly bytes: number }>): void {
    for (const [key, { doc, bytes }] of changes) this.set(id, key, doc, bytes);
    for (const [listKey, list] of this.lists.entries()) {
      if (list.id !== id) continue;
      let change = 0;
      for (const [key, { doc, bytes }] of changes) if (key.startsWith(list.prefix)) change += updateList(list, key, doc, bytes);
      if (change !== 0) this.lists.reweigh(listKey, change);
    }
  }

  private set(id: string, key: string, doc: unknown | null, bytes: number): void {
    this.docs.set(cacheKey(id, key), { doc }, bytes + key.length);
  }

  forget(id: string): void {
    this.docs.deleteWhere((key) => key.startsWith(`${id}\u0000`));
    this.lists.deleteWhere((key) => key.startsWith(`${id}\u0000`));
  }

  clear(): void {
    this.docs.clear();
    this.lists.clear();
    this.docsReadOnce.clear();
    this.listsReadOnce.clear();
  }
}

/**
 * Keys read from storage once, remembered (by key only) in the order read until read again, or
 * until as many others were read once since as the cache holds entries (at least
 * {@link READ_ONCE_REMEMBERED_AT_LEAST}). A key read again within that window is worth keeping:
 * it comes back before as many others as fit. One read again only after more than that (reads going
 * round more antennas than the cache holds: each antenna's statement, or history, in turn) would
 * be pushed out before its next reading, after pushing out one that would not: such reads are
 * served from storage and never kept, so that the cache does not churn (each entry taken in and
 * dropped again is parsed JSON the garbage collector copies, and the pauses of a query's tail).
 */
class ReadOnce {
  private readonly keys = new Set<string>();
  /**
   * Every key before it was forgotten: it points at the oldest. Kept from one reading to the next,
   * as Lru's eviction is: a fresh iterator at each reading would walk again over the slots of every
   * key forgotten since the Set was last rehashed, on the path of every read from storage.
   */
  private oldest: Iterator<string> | undefined;

  /** Whether `key` was read once within the window (it is then forgotten); otherwise it is remembered. */
  readAgain(key: string, cachedEntries: number): boolean {
    if (this.keys.delete(key)) return true;
    this.keys.add(key);
    const window = Math.max(READ_ONCE_REMEMBERED_AT_LEAST, cachedEntries);
    // A Set iterates in insertion order: the first keys are the oldest.
    while (this.keys.size > window) {
      this.oldest ??= this.keys.values();
      const next = this.oldest.next();
      if (next.done === true) this.oldest = undefined;
      else this.keys.delete(next.value);
    }
    return false;
  }

  clear(): void {
    this.keys.clear();
    this.oldest = undefined;
  }
}

/** The least number of keys read once a cache remembers, however few entries it holds (see ReadOnce). */
const READ_ONCE_REMEMBERED_AT_LEAST = 256;

export interface CachedDoc {
  readonly doc: unknown | null;
}

interface CachedList {
  readonly id: string;
  readonly prefix: string;
  readonly keys: string[];
  readonly docs: unknown[];
  readonly bytes: number[];
}

function cacheKey(id: string, key: string): string {
  return `${id}\u0000${key}`;
}

/** Puts a committed document in its place in a cached list (or takes it out); returns the change of weight. */
function updateList(list: CachedList, key: string, doc: unknown | null, bytes: number): number {
  const index = lowerBound(list.keys, key);
  const present = list.keys[index] === key;
  const before = present ? list.bytes[index]! : 0;
  if (doc === null) {
    if (present) {
      list.keys.splice(index, 1);
      list.docs.splice(index, 1);
      list.bytes.splice(index, 1);
    }
    return -before;
  }
  if (present) {
    list.docs[index] = doc;
    list.bytes[index] = bytes;
  } else {
    list.keys.splice(index, 0, key);
    list.docs.splice(index, 0, doc);
    list.bytes.splice(index, 0, bytes);
  }
  return bytes - before;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/**
 * Least recently used first out, by weight, as a second chance (CLOCK) keeps it: a use only marks
 * its entry; eviction takes the oldest entries in turn, and moves a marked one to the end, unmarked,
 * instead of evicting it. A use changes nothing else: moving the entry at each use (a Map's delete
 * and set) kept a new key string per read and made the Map rehash its table again and again, for
 * reads that are most of a report's work. Eviction goes on from where it stopped: a fresh iterator
 * at each eviction would walk again over the slots left by every entry evicted before (a Map keeps
 * them until it is rehashed), and a commit of many documents would take time growing with their
 * square.
 */
class Lru<V> {
  private readonly items = new Map<string, LruEntry<V>>();
  private weight = 0;
  /** Every entry before it was evicted or moved to the end: it points at the oldest. */
  private oldest: Iterator<[string, LruEntry<V>]> | undefined;

  constructor(private readonly maxWeight: number) {}

  /** How many entries it holds. */
  get size(): number {
    return this.items.size;
  }

  get(key: string): V | undefined {
    const entry = this.items.get(key);
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.value;
  }

  set(key: string, value: V, weight: number): void {
    const previous = this.items.get(key);
    if (previous !== undefined) {
      this.weight -= previous.weight;
      this.items.delete(key);
    }
    if (weight > this.maxWeight) return;
    this.items.set(key, { value, weight, used: false });
    this.weight += weight;
    this.evict();
  }

  reweigh(key: string, change: number): void {
    const entry = this.items.get(key);
    if (entry === undefined) return;
    entry.weight += change;
    this.weight += change;
    this.evict();
  }

  *entries(): IterableIterator<[string, V]> {
    for (const [key, entry] of this.items) yield [key, entry.value];
  }

  deleteWhere(test: (key: string) => boolean): void {
    for (const [key, entry] of this.items) {
      if (!test(key)) continue;
      this.weight -= entry.weight;
      this.items.delete(key);
    }
  }

  clear(): void {
    this.items.clear();
    this.weight = 0;
    this.oldest = undefined;
  }

  private evict(): void {
    while (this.weight > this.maxWeight) {
      this.oldest ??= this.items.entries();
      const next = this.oldest.next();
      // A Map iterator that has reached the end stays there: a new one starts from the oldest.
      if (next.done) {
        this.oldest = undefined;
        if (this.items.size === 0) return;
        continue;
      }
      const [key, entry] = next.value;
      this.items.delete(key);
      if (entry.used) {
        // A second chance: to the end, where the iterator meets it again after every other entry.
        entry.used = false;
        this.items.set(key, entry);
        continue;
      }
      this.weight -= entry.weight;
    }
  }
}

interface LruEntry<V> {
  readonly value: V;
  weight: number;
  /** Used since it was put at the end: spared once by the next eviction that reaches it. */
  used: boolean;
}
