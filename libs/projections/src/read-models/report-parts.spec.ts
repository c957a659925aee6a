import { compareFrench } from './budget/report-helpers';
import { FrenchOrder, joined, joinedAgain, KeptForDocuments, PartsByDocument } from './report-parts';

describe('parts of whole-programme reports kept with each committed document', () => {
  it('rule: a part is derived once per document and parameters, and again for a new document (a commit replaces the object)', () => {
    const parts = new PartsByDocument<{ n: number }, number>();
    let derived = 0;
    const derive = (doc: { n: number }) => {
      derived++;
      return doc.n * 10;
    };
    const doc = { n: 1 };
    expect(parts.of(doc, '2026-01-15', derive)).toBe(10);
    expect(parts.of(doc, '2026-01-15', derive)).toBe(10);
    expect(derived).toBe(1);
    expect(parts.of(doc, '2026-01-16', derive)).toBe(10);
    expect(derived).toBe(2);
    const committed = { n: 2 };
    expect(parts.of(committed, '2026-01-15', derive)).toBe(20);
    expect(derived).toBe(3);
  });

  it('keeps at most the given number of parameter sets per document, the most recent', () => {
    const parts = new PartsByDocument<object, string>(2);
    const doc = {};
    let derived = 0;
    const derive = () => String(++derived);
    parts.of(doc, 'a', derive);
    parts.of(doc, 'b', derive);
    parts.of(doc, 'c', derive); // 'a' goes
    expect(parts.of(doc, 'c', derive)).toBe('3');
    expect(parts.of(doc, 'b', derive)).toBe('2');
    expect(parts.of(doc, 'a', derive)).toBe('4');
  });

  it('rule: the French order is the one a stable sort by French collation gives, kept while the names stay the same and found again when one changes', () => {
    const order = new FrenchOrder<{ id: string; name: string }>((doc) => doc.name);
    const docs = [
      { id: 'a', name: 'Ézy-sur-Eure' },
      { id: 'b', name: 'Evreux' },
      { id: 'c', name: 'Abbeville' },
      { id: 'd', name: 'Evreux' },
      { id: 'e', name: 'œuilly' },
    ];
    const expected = (list: typeof docs) => [...list].sort((x, y) => compareFrench(x.name, y.name)).map((doc) => doc.id);
    expect(order.sort(docs).map((doc) => doc.id)).toEqual(expected(docs));
    expect(order.sort(docs).map((doc) => doc.id)).toEqual(['c', 'b', 'd', 'a', 'e']);
    // The same names with other documents (a commit): the order applies to the new documents.
    const committed = docs.map((doc) => ({ ...doc }));
    expect(order.sort(committed)[0]).toBe(committed[2]);
    const renamed = committed.map((doc) => (doc.id === 'c' ? { ...doc, name: 'Zonza' } : doc));
    expect(order.sort(renamed).map((doc) => doc.id)).toEqual(expected(renamed));
  });

  it('rule: what is derived from a list of documents is kept while the list holds the same objects in the same order, and derived again when one is another object, added, removed or moved', () => {
    let derived = 0;
    const kept = new KeptForDocuments((docs: readonly { n: number }[]) => {
      derived++;
      return docs.map((doc) => doc.n);
    });
    const [a, b] = [{ n: 1 }, { n: 2 }];
    const first = kept.of([a, b]);
    expect(kept.of([a, b])).toBe(first); // another array, the same documents
    expect(derived).toBe(1);
    expect(kept.of([a, { n: 2 }])).toEqual([1, 2]); // equal content, but a new committed document
    expect(derived).toBe(2);
    expect(kept.of([b, a])).toEqual([2, 1]);
    expect(kept.of([b])).toEqual([2]);
    expect(kept.of([b, a, { n: 3 }])).toEqual([2, 1, 3]);
    expect(derived).toBe(5);
  });

  it('puts arrays end to end in order', () => {
    expect(joined([[1, 2], [], [3]])).toEqual([1, 2, 3]);
  });

  it('rule: a list changed at a few places is derived from the last result and those places, and equals a derivation afresh', () => {
    const calls: string[] = [];
    const kept = new KeptForDocuments(
      (docs: readonly { n: number }[]) => {
        calls.push('afresh');
        return docs.map((doc) => doc.n);
      },
      (last, before, docs, changed) => {
        calls.push(`again ${changed.join(',')}`);
        expect(changed.map((index) => before[index])).not.toContain(undefined);
        const next = last.slice();
        for (const index of changed) next[index] = docs[index]!.n;
        return next;
      },
    );
    const docs = Array.from({ length: 40 }, (_, n) => ({ n }));
    const first = kept.of(docs);
    const one = docs.map((doc, index) => (index === 7 ? { n: 700 } : doc));
    const again = kept.of(one);
    expect(again).toEqual(one.map((doc) => doc.n));
    expect(first[7]).toBe(7); // the last result, shared, is left as it was
    expect(kept.of([...one])).toBe(again); // the same documents: nothing derived
    // Too many places changed, or another length: derived afresh.
    const many = one.map((doc, index) => (index % 2 === 0 ? { n: doc.n + 1 } : doc));
    expect(kept.of(many)).toEqual(many.map((doc) => doc.n));
    expect(kept.of(many.slice(1))).toEqual(many.slice(1).map((doc) => doc.n));
    expect(calls).toEqual(['afresh', 'again 7', 'afresh', 'afresh']);
  });

  it('rule: parts joined again after a change are what joining them afresh gives, whether or not a changed part has as many items as before', () => {
    const before = [['a1', 'a2'], [], ['c1'], ['d1', 'd2', 'd3'], ['e1']];
    const kept = joined(before);
    const items = (part: readonly string[]) => part;
    // As many items: in place, in a copy.
    const same = [before[0]!, before[1]!, ['C1'], before[3]!, ['E1']];
    const again = joinedAgain(kept, before, same, [2, 4], items);
    expect(again).toEqual(joined(same));
    expect(kept).toEqual(['a1', 'a2', 'c1', 'd1', 'd2', 'd3', 'e1']);
    // Another number of items (a flag raised or cleared): joined afresh.
    const longer = [before[0]!, ['b1'], before[2]!, ['d1'], before[4]!];
    expect(joinedAgain(kept, before, longer, [1, 3], items)).toEqual(joined(longer));
  });
});
