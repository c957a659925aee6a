import { compareFrench } from './budget/report-helpers';
import { FrenchOrder, joined, KeptForDocuments, PartsByDocument } from './report-parts';

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
});
