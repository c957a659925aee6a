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
 */
export class KeptForDocuments<Doc, Result> {
  private docs: readonly Doc[] = [];
  private kept: { readonly result: Result } | undefined;

  constructor(private readonly derive: (docs: readonly Doc[]) => Result) {}

  of(docs: readonly Doc[]): Result {
    if (this.kept === undefined || !sameItems(docs, this.docs)) {
      this.kept = { result: this.derive(docs) };
      this.docs = docs;
    }
    return this.kept.result;
  }
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

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
