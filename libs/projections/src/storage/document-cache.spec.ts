import { DocumentCache } from './document-cache';

const committed = (cache: DocumentCache, id: string, docs: Record<string, { doc: unknown | null; bytes: number }>) => cache.committed(id, new Map(Object.entries(docs)));
const listedTwice = (cache: DocumentCache, id: string, prefix: string, rows: { key: string; doc: unknown; bytes: number }[]) => {
  cache.listed(id, prefix, rows);
  cache.listed(id, prefix, rows);
};

describe('DocumentCache', () => {
  it('rule: it holds no more than its budget of JSON, the least recently used out first', () => {
    const cache = new DocumentCache({ documentBytes: 25, listBytes: 25 });
    committed(cache, 'p@1', { a: { doc: { n: 1 }, bytes: 9 }, b: { doc: { n: 2 }, bytes: 9 } }); // each weighs 9 + its key's length
    expect(cache.get('p@1', 'a')).toEqual({ doc: { n: 1 } }); // now the most recently used
    committed(cache, 'p@1', { c: { doc: { n: 3 }, bytes: 9 } });
    expect(cache.get('p@1', 'b')).toBeUndefined();
    expect(cache.get('p@1', 'a')).toEqual({ doc: { n: 1 } });
    expect(cache.get('p@1', 'c')).toEqual({ doc: { n: 3 } });
    committed(cache, 'p@1', { huge: { doc: { n: 4 }, bytes: 100 } });
    expect(cache.get('p@1', 'huge')).toBeUndefined();
  });

  it('rule: eviction follows use order through many evictions, uses and a clear (it goes on from the oldest entry left)', () => {
    const cache = new DocumentCache({ documentBytes: 30, listBytes: 30 });
    const doc = (n: number) => ({ doc: { n }, bytes: 9 }); // each weighs 10 with its one-letter key: three fit
    committed(cache, 'p@1', { a: doc(1), b: doc(2), c: doc(3) });
    committed(cache, 'p@1', { d: doc(4) });
    expect(cache.get('p@1', 'a')).toBeUndefined();
    expect(cache.get('p@1', 'b')).toEqual({ doc: { n: 2 } }); // used: now the most recent
    committed(cache, 'p@1', { e: doc(5) });
    committed(cache, 'p@1', { f: doc(6) });
    expect(['b', 'c', 'd', 'e', 'f'].filter((key) => cache.get('p@1', key) !== undefined)).toEqual(['b', 'e', 'f']);
    cache.clear();
    committed(cache, 'p@1', { w: doc(7), x: doc(8), y: doc(9), z: doc(10) });
    expect(['w', 'x', 'y', 'z'].filter((key) => cache.get('p@1', key) !== undefined)).toEqual(['x', 'y', 'z']);
  });

  it('rule: what is read from storage is kept from its second reading on (what is read once pushes nothing out)', () => {
    const cache = new DocumentCache({ documentBytes: 100, listBytes: 100 });
    cache.read('p@1', 'a', { n: 1 }, 1);
    cache.listed('p@1', 'a:', [{ key: 'a:1', doc: { n: 1 }, bytes: 1 }]);
    expect(cache.get('p@1', 'a')).toBeUndefined();
    expect(cache.list('p@1', 'a:')).toBeUndefined();
    cache.read('p@1', 'a', { n: 1 }, 1);
    cache.listed('p@1', 'a:', [{ key: 'a:1', doc: { n: 1 }, bytes: 1 }]);
    expect(cache.get('p@1', 'a')).toEqual({ doc: { n: 1 } });
    expect(cache.list('p@1', 'a:')).toEqual([{ n: 1 }]);
  });

  it('rule: what is read again only after more other reads than the cache holds entries (reads going round every antenna in turn) is served from storage and never kept: it would churn the cache', () => {
    const cache = new DocumentCache({ documentBytes: 1_000_000, listBytes: 1_000_000 });
    const row = (n: number) => [{ key: `s${n}:1`, doc: { n }, bytes: 1 }];
    // Round after round over 300 statements (more than the 256 reads remembered by a nearly empty cache): none is kept.
    for (let round = 0; round < 3; round++) for (let n = 0; n < 300; n++) cache.listed('p@1', `s${n}:`, row(n));
    expect(Array.from({ length: 300 }, (_, n) => cache.list('p@1', `s${n}:`)).filter((list) => list !== undefined)).toEqual([]);
    // The same for documents read in turn.
    for (let round = 0; round < 3; round++) for (let n = 0; n < 300; n++) cache.read('p@1', `d${n}`, { n }, 1);
    expect(Array.from({ length: 300 }, (_, n) => cache.get('p@1', `d${n}`)).filter((doc) => doc !== undefined)).toEqual([]);
    // One read again soon, amid those rounds, is kept.
    cache.listed('p@1', 'hot:', row(-1));
    for (let n = 0; n < 100; n++) cache.listed('p@1', `s${n}:`, row(n));
    cache.listed('p@1', 'hot:', row(-1));
    expect(cache.list('p@1', 'hot:')).toEqual([{ n: -1 }]);
  });

  it('rule: a list grown by commits beyond the budget is dropped, never served cut short', () => {
    const cache = new DocumentCache({ documentBytes: 100, listBytes: 20 });
    listedTwice(cache, 'p@1', 'a:', [{ key: 'a:1', doc: { n: 1 }, bytes: 10 }]);
    expect(cache.list('p@1', 'a:')).toEqual([{ n: 1 }]);
    committed(cache, 'p@1', { 'a:2': { doc: { n: 2 }, bytes: 15 } });
    expect(cache.list('p@1', 'a:')).toBeUndefined();
  });

  it('keeps each projection apart: lists of one are not changed by commits of another, and forgetting one keeps the other', () => {
    const cache = new DocumentCache({ documentBytes: 100, listBytes: 100 });
    listedTwice(cache, 'p@1', 'a:', [{ key: 'a:1', doc: { n: 1 }, bytes: 1 }]);
    listedTwice(cache, 'q@1', 'a:', [{ key: 'a:1', doc: { n: 1 }, bytes: 1 }]);
    committed(cache, 'q@1', { 'a:1': { doc: null, bytes: 0 } });
    expect(cache.list('p@1', 'a:')).toEqual([{ n: 1 }]);
    expect(cache.list('q@1', 'a:')).toEqual([]);
    cache.forget('q@1');
    expect(cache.list('q@1', 'a:')).toBeUndefined();
    expect(cache.list('p@1', 'a:')).toEqual([{ n: 1 }]);
  });
});
