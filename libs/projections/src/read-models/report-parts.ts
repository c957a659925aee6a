import { compareFrench } from './budget/report-helpers';

/**
 * What a whole-programme report derives from each antenna's document, kept with that document
 * (decision 0026, amending 0010).
 *
 * A whole-programme report is the antennas' parts put end to end: rows, notes, flags and sums
 * derived from one antenna's committed document alone (and the query's parameters: reference
 * date, delays). Committed documents are immutable and shared (the storage's document cache hands
 * out the same object until a commit replaces it; nothing ever changes one: see
 * test/read-models/frozen-documents.spec.ts), so a part is kept in a WeakMap keyed on the document
 * object itself: it lives as long as that committed state of the antenna, and a write re-derives
 * the parts of the antennas it changed, never the others. Nothing here is ever stale: a changed
 * document is another object, a document dropped from the cache takes its parts with it.
 *
 * Parts are shared by every report built from them: callers never change a report (as before,
 * when whole reports were kept).
 */
export class PartsByDocument<Doc extends object, Part> {
  private readonly kept = new WeakMap<Doc, { variant: string; part: Part }[]>();

  /** `variants`: how many parameter sets are kept per document (reference dates, delays…), the most recent first. */
  constructor(private readonly variants = 4) {}

  /** The part of `doc` for the parameters named by `variant`, derived once per document and variant. */
  of(doc: Doc, variant: string, derive: (doc: Doc) => Part): Part {
    let parts = this.kept.get(doc);
    // A loop, not `find`: called once per antenna at each query, it allocates nothing when the part is kept.
    if (parts !== undefined) for (let i = 0; i < parts.length; i++) if (parts[i]!.variant === variant) return parts[i]!.part;
    const part = derive(doc);
    if (parts === undefined) {
      parts = [];
      this.kept.set(doc, parts);
    }
    parts.unshift({ variant, part });
    if (parts.length > this.variants) parts.pop();
    return part;
  }
}

/**
 * Documents sorted by a name in French collation (stable: equal names keep their key order), as
 * `[...docs].sort((a, b) => compareFrench(nameOf(a), nameOf(b)))` sorts them. The order found is
 * kept with the names it was found for: while the same names come in the same key order (an
 * antenna renamed or opened changes them), it is reused without comparing names again.
 */
export class FrenchOrder<Doc> {
  private names: readonly string[] = [];
  private order: readonly number[] = [];
  /** The last documents in order: the same objects again (nothing committed since) cost no array. */
  private readonly sorted = new KeptForDocuments((docs: readonly Doc[]): readonly Doc[] => {
    if (!this.sameNames(docs)) {
      const names = docs.map(this.nameOf);
      this.order = names.map((_, index) => index).sort((a, b) => compareFrench(names[a]!, names[b]!));
      this.names = names;
    }
    return this.order.map((index) => docs[index]!);
  });

  constructor(private readonly nameOf: (doc: Doc) => string) {}

  /** The documents in order; shared while the same documents come in the same order (callers never change it). */
  sort(docs: readonly Doc[]): readonly Doc[] {
    return this.sorted.of(docs);
  }

  private sameNames(docs: readonly Doc[]): boolean {
    if (docs.length !== this.names.length) return false;
    for (let i = 0; i < docs.length; i++) if (this.nameOf(docs[i]!) !== this.names[i]) return false;
    return true;
  }
}

/**
 * What is derived from a list of committed documents as a whole (the history's antenna choices),
 * kept while the list holds the same document objects in the same order: committed documents are
 * immutable and shared (see {@link PartsByDocument}), so the same objects give the same result.
 * The result is shared by every report built from it.
 *
 * With `again`, a list as long as the last one that holds other objects at a few places only (a
 * write changes one antenna's part) is derived from the last result and those places, rather than
 * from the whole list: `again` must give what `derive` would (a new result: the last one is shared).
 */
export class KeptForDocuments<Doc, Result> {
  private docs: readonly Doc[] = [];
  private kept: { readonly result: Result } | undefined;

  constructor(
    private readonly derive: (docs: readonly Doc[]) => Result,
    private readonly again?: (kept: Result, before: readonly Doc[], docs: readonly Doc[], changed: readonly number[]) => Result,
  ) {}

  of(docs: readonly Doc[]): Result {
    if (this.kept === undefined || docs.length !== this.docs.length) return this.keep(docs, this.derive(docs));
    const changed = changedPlaces(this.docs, docs);
    if (changed === undefined) return this.keep(docs, this.derive(docs));
    if (changed.length === 0) {
      this.docs = docs;
      return this.kept.result;
    }
    return this.keep(docs, this.again === undefined ? this.derive(docs) : this.again(this.kept.result, this.docs, docs, changed));
  }

  private keep(docs: readonly Doc[], result: Result): Result {
    this.kept = { result };
    this.docs = docs;
    return result;
  }
}

/** At most this many places changed are derived again from the last result (KeptForDocuments' `again`); more, and all is derived afresh. */
const CHANGED_PLACES_AT_MOST = 16;

/** The places where `b` holds another object than `a` (as long), in order; undefined when there are more than CHANGED_PLACES_AT_MOST. */
function changedPlaces<T>(a: readonly T[], b: readonly T[]): number[] | undefined {
  const changed: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (a[i] === b[i]) continue;
    if (changed.length === CHANGED_PLACES_AT_MOST) return undefined;
    changed.push(i);
  }
  return changed;
}

/**
 * `list.filter(keep)`, without a copy when every item is kept (a list of documents of one kind, the
 * antennas of the one programme): `list` itself then. Whole-programme queries filter lists of a
 * thousand documents at each reading; the copy was most of what they allocated.
 */
export function keptOnly<T, S extends T>(list: readonly T[], keep: (item: T) => item is S): readonly S[];
export function keptOnly<T>(list: readonly T[], keep: (item: T) => boolean): readonly T[];
export function keptOnly<T>(list: readonly T[], keep: (item: T) => boolean): readonly T[] {
  for (let i = 0; i < list.length; i++) if (!keep(list[i]!)) return list.filter(keep);
  return list;
}

/**
 * The arrays end to end, in a new array of the right length, filled element by element: no
 * intermediate array. (`concat(...arrays)` spread a thousand parts through the iterator protocol,
 * most of what a whole-programme report allocated; `flatMap` grows its result as it goes.)
 */
export function joined<T>(arrays: readonly (readonly T[])[]): T[] {
  let length = 0;
  for (let i = 0; i < arrays.length; i++) length += arrays[i]!.length;
  const all = new Array<T>(length);
  let at = 0;
  for (let i = 0; i < arrays.length; i++) {
    const array = arrays[i]!;
    for (let j = 0; j < array.length; j++) all[at++] = array[j]!;
  }
  return all;
}

/**
 * `joined(parts.map(items))`, given `kept`, the same join of `before`, a list of as many parts that
 * differs from `parts` only at the places `changed` (in order): a copy of `kept` with the changed
 * parts' items put in their place, when each has as many as before; joined afresh otherwise. A write
 * changes one antenna's part: its items take their place in a copy made at once, instead of the
 * thousand parts' items being put end to end one by one.
 */
export function joinedAgain<P, T>(kept: readonly T[], before: readonly P[], parts: readonly P[], changed: readonly number[], items: (part: P) => readonly T[]): T[] {
  for (const index of changed) if (items(before[index]!).length !== items(parts[index]!).length) return joined(parts.map(items));
  const all = kept.slice();
  let at = 0;
  let next = 0;
  for (let i = 0; next < changed.length; i++) {
    const length = items(parts[i]!).length;
    if (i === changed[next]) {
      const array = items(parts[i]!);
      for (let j = 0; j < length; j++) all[at + j] = array[j]!;
      next++;
    }
    at += length;
  }
  return all;
}
