/**
 * A map by id kept in a document as {@link BUCKETS} buckets (by a hash of the id), so that setting
 * one entry copies one bucket and the index of buckets, not the whole map. A document that keeps
 * one entry per antenna and changes one at a frequent event copied every antenna's entry each
 * time: at 1,000 antennas, a quarter of a millisecond per copy, a third of a whole replay's time
 * for the programme's key figures (44,000 learner reports at 1,000,000 events).
 *
 * The buckets are plain JSON (stored as they are); the hash is part of the stored form: changing it
 * is a new version of the projections that keep such maps.
 */
export type Bucketed<V> = Readonly<Record<string, Readonly<Record<string, V>>>>;

export const BUCKETS = 64;

/** The bucket of `id`: FNV-1a over its UTF-16 code units, modulo {@link BUCKETS}, as a decimal string. */
export function bucketOf(id: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return String((hash >>> 0) % BUCKETS);
}

export function bucketedGet<V>(map: Bucketed<V>, id: string): V | undefined {
  const bucket = map[bucketOf(id)];
  return bucket !== undefined && Object.hasOwn(bucket, id) ? bucket[id] : undefined;
}

/** `map` with `id` set to `value`: its bucket and the index copied, the other buckets shared. */
export function bucketedSet<V>(map: Bucketed<V>, id: string, value: V): Bucketed<V> {
  const key = bucketOf(id);
  return { ...map, [key]: { ...map[key], [id]: value } };
}

/** Every entry, bucket after bucket (in no meaningful order: sort what is shown). */
export function bucketedEntries<V>(map: Bucketed<V>): [string, V][] {
  return Object.values(map).flatMap((bucket) => Object.entries(bucket));
}
