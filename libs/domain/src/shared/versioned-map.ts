/**
 * An immutable map whose `set` costs O(1) amortised instead of a copy of every entry, so that a
 * decider's state can hold one entry per expenditure, tranche or course and a stream still folds
 * in linear time. (A "persistent" map in the data-structure sense: it has nothing to do with
 * storage.)
 *
 * From the outside it is a read-only `Map`: `set` returns a new map and leaves this one as it was,
 * and every map stays valid for ever. Deciders rely on that: the command executor caches states
 * and may evolve the same older state twice (after a lost race), and Given-When-Then specs fold
 * the same events again and again.
 *
 * How: a "fat node" map (Driscoll, Sarnak, Sleator and Tarjan, "Making data structures
 * persistent", 1989). All the maps descended from one `empty()` or `from()` share one history: for
 * each key, the values it was given, each stamped with the version that wrote it. A map is a
 * version of that history and reads, for each key, the last value stamped at or before it.
 * - Setting a key on the newest version appends one stamp: no copy.
 * - Setting a key on an older version (a branch: in practice, a state evolved a second time)
 *   first copies what that version sees into a new history. Histories thus never fork, which is
 *   what lets the newest version read its values without searching.
 *
 * Costs: `get` and `has` O(1) on the newest version, O(log w) on an older one (w: the writes of
 * that key); `set` O(1) amortised on the newest version, O(n) on an older one; iteration
 * O(keys of the history). The history keeps every value ever set (as the stream keeps every
 * event) until no map of it is reachable any more.
 *
 * Iteration follows insertion order, like `Map`: a key comes in the order it was first set.
 * There is no `delete`: no decider forgets anything.
 */
export class VersionedMap<K, V> implements ReadonlyMap<K, V> {
  // ES private fields: they are invisible to `Object.keys`, so Jest's `toEqual` compares two
  // maps by their entries (in order) and never by how their histories happen to be laid out.
  readonly #history: History<K, V>;
  readonly #version: number;
  readonly #size: number;

  private constructor(history: History<K, V>, version: number, size: number) {
    this.#history = history;
    this.#version = version;
    this.#size = size;
  }

  static empty<K, V>(): VersionedMap<K, V> {
    return new VersionedMap<K, V>({ stamps: new Map(), newest: 0 }, 0, 0);
  }

  /** Like `new Map(entries)`: a key given twice keeps its first place and its last value. */
  static from<K, V>(entries: Iterable<readonly [K, V]>): VersionedMap<K, V> {
    const stamps = new Map<K, Stamps<V>>();
    for (const [key, value] of entries) stamps.set(key, { version: 0, value });
    return new VersionedMap({ stamps, newest: 0 }, 0, stamps.size);
  }

  get size(): number {
    return this.#size;
  }

  get(key: K): V | undefined {
    return this.#stampOf(key)?.value;
  }

  has(key: K): boolean {
    return this.#stampOf(key) !== undefined;
  }

  /** A map with `key` set to `value`; this map is left unchanged. */
  set(key: K, value: V): VersionedMap<K, V> {
    const size = this.has(key) ? this.#size : this.#size + 1;
    const history = this.#version === this.#history.newest ? this.#history : this.#branch();
    const version = history.newest + 1;
    const stamps = history.stamps.get(key);
    const stamp = { version, value };
    if (stamps === undefined) history.stamps.set(key, stamp);
    else if (Array.isArray(stamps)) stamps.push(stamp);
    else history.stamps.set(key, [stamps, stamp]);
    history.newest = version;
    return new VersionedMap(history, version, size);
  }

  *entries(): MapIterator<[K, V]> {
    for (const [key, stamps] of this.#history.stamps) {
      const stamp = visibleStamp(stamps, this.#version);
      if (stamp) yield [key, stamp.value];
    }
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  #stampOf(key: K): Stamp<V> | undefined {
    const stamps = this.#history.stamps.get(key);
    return stamps && visibleStamp(stamps, this.#version);
  }

  /** A new history holding what this version sees, at version 0. */
  #branch(): History<K, V> {
    const stamps = new Map<K, Stamps<V>>();
    for (const [key, value] of this.entries()) stamps.set(key, { version: 0, value });
    return { stamps, newest: 0 };
  }
}

/** One value of one key, from the version that wrote it until the next stamp of that key. */
interface Stamp<V> {
  readonly version: number;
  readonly value: V;
}

/**
 * A key's stamps by increasing version: the one stamp itself while the key was set once (most keys
 * of a decider's state: an expenditure is recorded once), an array from the second. A million
 * entries then cost a million stamps, not a million one-element arrays as well.
 */
type Stamps<V> = Stamp<V> | Stamp<V>[];

/** Shared by all the versions of a map; only ever appended to, and only by its newest version. */
interface History<K, V> {
  /** Per key, its stamps; a key is present only once it was set. */
  readonly stamps: Map<K, Stamps<V>>;
  newest: number;
}

/** The last stamp written at or before `version`, if any. */
function visibleStamp<V>(stamps: Stamps<V>, version: number): Stamp<V> | undefined {
  if (!Array.isArray(stamps)) return stamps.version <= version ? stamps : undefined;
  const last = stamps[stamps.length - 1];
  if (last.version <= version) return last; // always the case for the newest version
  if (stamps[0].version > version) return undefined; // set after this version
  // Binary search, keeping stamps[low].version <= version < stamps[high].version.
  let low = 0;
  let high = stamps.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (stamps[middle].version <= version) low = middle;
    else high = middle;
  }
  return stamps[low];
}
