import Database from 'better-sqlite3';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { ProjectionConflictError, ProjectionLeaseLostError, ProjectionStorageError } from './projection-storage.port';
import { SqliteProjectionStorage } from './sqlite-projection-storage';
import { sqliteStorageUnderTest } from '../testing/sqlite-storage-under-test';

describe('SqliteProjectionStorage', () => {
  const { open, file: fileOf } = sqliteStorageUnderTest('jalon-storage-');
  const commit = (storage: SqliteProjectionStorage, from: bigint, to: bigint, docs: Record<string, unknown | null>) =>
    storage.commit([{ id: 'p@1', expectedPosition: from, position: to, caughtUp: true, docs: new Map(Object.entries(docs)) }]);

  it('reads many documents at once, null for a key without one', () => {
    const storage = open();
    commit(storage, 0n, 1n, { 'a:1': { n: 1 }, 'a:2': { n: 2 } });
    expect(open().documents('p@1', ['a:1', 'a:2', 'a:3'])).toEqual(new Map([['a:1', { n: 1 }], ['a:2', { n: 2 }], ['a:3', null]]));
    expect(storage.documents('p@1', ['a:2', 'a:3'])).toEqual(new Map([['a:2', { n: 2 }], ['a:3', null]]));
  });

  it('rule: a commit of many documents in any order (several statements’ worth), with changes and deletions, reads back as written, from this connection and from another', () => {
    const storage = open();
    const keys = Array.from({ length: 300 }, (_, i) => `k:${String((i * 7919) % 300).padStart(3, '0')}`); // every key once, out of order
    commit(storage, 0n, 1n, Object.fromEntries(keys.map((key, i) => [key, { i }])));
    const changed = Object.fromEntries(keys.slice(0, 150).map((key, i) => [key, i % 3 === 0 ? null : { i, again: true }]));
    commit(storage, 1n, 2n, changed);
    const expected = keys.map((key, i) => (i < 150 ? changed[key] : { i })).map((doc, i) => [keys[i]!, doc] as const);
    expect(storage.documents('p@1', keys)).toEqual(new Map(expected));
    expect(open().documents('p@1', keys)).toEqual(new Map(expected));
    expect(open().view('p@1').list('k:')).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([, doc]) => (doc === null ? [] : [doc])));
  });

  it('rule: the documents of a read model being built are not cached, and read from the file once committed', () => {
    const storage = open();
    expect(storage.view('p@1').get('a')).toBeUndefined(); // read twice: would be cached from now on
    expect(storage.view('p@1').get('a')).toBeUndefined();
    storage.commit([{ id: 'p@1', expectedPosition: 0n, position: 1n, caughtUp: false, building: true, docs: new Map([['a', { n: 1 }], ['b', { n: 2 }]]) }]);
    expect(storage.view('p@1').get('a')).toEqual({ n: 1 });
    storage.commit([{ id: 'p@1', expectedPosition: 1n, position: 2n, caughtUp: true, building: true, docs: new Map([['a', { n: 3 }]]) }]);
    expect(storage.view('p@1').get('a')).toEqual({ n: 3 });
    expect(storage.view('p@1').list('')).toEqual([{ n: 3 }, { n: 2 }]);
  });

  it('rule: a commit keeps what is cached right: documents and lists, added, changed and deleted, lists in key order', () => {
    const storage = open();
    commit(storage, 0n, 1n, { 'a:1': { n: 1 }, 'a:3': { n: 3 }, 'b:1': { n: 0 } });
    expect(storage.view('p@1').list('a:')).toEqual([{ n: 1 }, { n: 3 }]);
    expect(storage.view('p@1').get('a:2')).toBeUndefined();

    commit(storage, 1n, 2n, { 'a:2': { n: 2 }, 'a:3': null, 'a:1': { n: 10 }, 'a:0': { n: 0 } });

    const expected = [{ n: 0 }, { n: 10 }, { n: 2 }];
    expect(storage.view('p@1').list('a:')).toEqual(expected);
    expect(storage.view('p@1').get('a:2')).toEqual({ n: 2 });
    expect(storage.view('p@1').get('a:3')).toBeUndefined();
    // What a fresh connection reads from the file.
    expect(open().view('p@1').list('a:')).toEqual(expected);
  });

  it('rule: a read after a commit made through another connection (another process) sees it', async () => {
    const server = open();
    const cli = open();
    commit(server, 0n, 1n, { 'a:1': { n: 1 } });
    expect(server.view('p@1').get('a:1')).toEqual({ n: 1 });
    expect(server.view('p@1').list('a:')).toEqual([{ n: 1 }]);
    expect(server.documents('p@1', ['a:2'])).toEqual(new Map([['a:2', null]]));

    commit(cli, 1n, 2n, { 'a:1': { n: 2 }, 'a:2': { n: 3 } });
    await Promise.resolve();

    expect(server.view('p@1').get('a:1')).toEqual({ n: 2 });
    expect(server.view('p@1').list('a:')).toEqual([{ n: 2 }, { n: 3 }]);
    expect(server.documents('p@1', ['a:2'])).toEqual(new Map([['a:2', { n: 3 }]]));
  });

  /** A document read (the stretch's first read), then changed through another connection (another process), in one stretch. */
  const changedElsewhereAfterARead = () => {
    const server = open();
    const cli = open();
    commit(server, 0n, 1n, { 'a:1': { n: 1 } });
    expect(server.view('p@1').get('a:1')).toEqual({ n: 1 });
    commit(cli, 1n, 2n, { 'a:1': { n: 2 } });
    return server;
  };

  it('rule: the reads of one synchronous stretch (one report) check the file for other connections’ commits once, at its first read', async () => {
    const server = changedElsewhereAfterARead();
    // Same stretch: the document kept in memory stands.
    expect(server.view('p@1').get('a:1')).toEqual({ n: 1 });
    await Promise.resolve();
    expect(server.view('p@1').get('a:1')).toEqual({ n: 2 });
  });

  it('rule: a checkpoint read checks again: the documents read after it in the same stretch are never older than it', async () => {
    const server = changedElsewhereAfterARead();
    expect(server.checkpoint('p@1')?.position).toBe(2n);
    expect(server.view('p@1').get('a:1')).toEqual({ n: 2 });
  });

  it('rule: a refused commit (another runner moved the checkpoint) changes nothing, cached or stored', () => {
    const storage = open();
    commit(storage, 0n, 1n, { 'a:1': { n: 1 } });
    expect(storage.view('p@1').list('a:')).toEqual([{ n: 1 }]);
    expect(() => commit(storage, 0n, 2n, { 'a:1': { n: 2 } })).toThrow(ProjectionConflictError);
    expect(storage.view('p@1').list('a:')).toEqual([{ n: 1 }]);
    expect(open().view('p@1').get('a:1')).toEqual({ n: 1 });
  });

  it('rule: reset forgets the projection, cached documents included', () => {
    const storage = open();
    commit(storage, 0n, 1n, { 'a:1': { n: 1 } });
    expect(storage.view('p@1').get('a:1')).toEqual({ n: 1 });
    storage.reset('p@1');
    expect(storage.view('p@1').get('a:1')).toBeUndefined();
    expect(storage.view('p@1').list('a:')).toEqual([]);
    expect(storage.checkpoint('p@1')).toBeUndefined();
  });
  it('rule: a file replaced by a directory under it is never written to (SQLite would write to the old file and lose it): the commit fails, saying so, until the path holds a file again', () => {
    const storage = open();
    commit(storage, 0n, 1n, { 'a:1': { n: 1 } });
    rmSync(fileOf());
    mkdirSync(fileOf());

    expect(() => commit(storage, 1n, 2n, { 'a:1': { n: 2 } })).toThrow(ProjectionStorageError);
    expect(() => commit(storage, 1n, 2n, { 'a:1': { n: 2 } })).toThrow(/ne peuvent pas être ouverts : le fichier ne peut pas être ouvert .*SQLITE_CANTOPEN/);

    // The directory gone, a new, empty file is created (read models are rebuilt from the events):
    // the old write-ahead log left beside it is not replayed into it.
    rmSync(fileOf(), { recursive: true });
    expect(storage.checkpoint('p@1')).toBeUndefined();
    expect(storage.documents('p@1', ['a:1'])).toEqual(new Map([['a:1', null]]));
    commit(storage, 0n, 3n, { 'a:1': { n: 3 } });
    expect(open().documents('p@1', ['a:1'])).toEqual(new Map([['a:1', { n: 3 }]]));
    expect(existsSync(fileOf())).toBe(true);
  });

  describe('the documents table (a rowid table; docs/decisions/0010)', () => {
    /** A read-model file as versions before this one wrote it: documents in a WITHOUT ROWID table. */
    const writeOldLayout = (docs: Record<string, unknown>) => {
      const db = new Database(fileOf());
      db.pragma('journal_mode = WAL');
      db.exec(`
        CREATE TABLE checkpoints (projection TEXT PRIMARY KEY, position TEXT NOT NULL, caught_up INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL, store_id TEXT, last_event TEXT);
        CREATE TABLE documents (projection TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (projection, key)) WITHOUT ROWID;
        CREATE TABLE skipped_events (projection TEXT NOT NULL, position TEXT NOT NULL, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT, reason TEXT NOT NULL, PRIMARY KEY (projection, position)) WITHOUT ROWID;
      `);
      db.prepare("INSERT INTO checkpoints (projection, position, caught_up, updated_at, store_id, last_event) VALUES ('p@1', '7', 1, '2026-12-01T00:00:00.000Z', 'store-1', 's@6#h')").run();
      const insert = db.prepare("INSERT INTO documents (projection, key, doc) VALUES ('p@1', ?, ?)");
      for (const [key, doc] of Object.entries(docs)) insert.run(key, JSON.stringify(doc));
      db.close();
    };
    const layout = () => {
      const db = new Database(fileOf(), { readonly: true });
      try {
        return db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'documents'").pluck().get() as string;
      } finally {
        db.close();
      }
    };
    // Documents of several KB, as an antenna's history block or budget: more than a page holds.
    const large = (n: number) => ({ n, rows: Array.from({ length: 200 }, (_, i) => `ligne ${i} du document ${n}`) });

    it('rule: documents are kept in a table with a rowid, never WITHOUT ROWID (whose interior pages would hold whole documents, read at every lookup)', () => {
      const storage = open();
      commit(storage, 0n, 1n, { 'a:1': large(1) });
      expect(layout()).not.toMatch(/WITHOUT\s+ROWID/i);
      expect(layout()).toMatch(/PRIMARY KEY \(projection, key\)/);
    });

    it('rule: a file written in the old layout has its documents moved, every one as it was, checkpoints untouched, and takes commits after', () => {
      const docs = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`a:${String(i).padStart(3, '0')}`, i % 3 === 0 ? large(i) : { n: i }]));
      writeOldLayout(docs);

      const storage = open();

      expect(layout()).not.toMatch(/WITHOUT\s+ROWID/i);
      expect(storage.checkpoint('p@1')).toEqual({ id: 'p@1', position: 7n, caughtUp: true, storeId: 'store-1', lastEvent: 's@6#h' });
      expect(storage.documents('p@1', Object.keys(docs))).toEqual(new Map(Object.entries(docs)));
      expect(storage.view('p@1').list('a:')).toEqual(Object.values(docs));
      commit(storage, 7n, 8n, { 'a:000': { n: 'changed' }, 'a:001': null, 'b:1': large(1000) });
      expect(open().documents('p@1', ['a:000', 'a:001', 'b:1'])).toEqual(new Map<string, unknown>([['a:000', { n: 'changed' }], ['a:001', null], ['b:1', large(1000)]]));
    });

    it('rule: a file in the old layout that cannot be written now (another process holds its write lock) still opens and serves, and is moved at its next opening', () => {
      writeOldLayout({ 'a:1': large(1), 'a:2': { n: 2 } });
      const locker = new Database(fileOf());
      locker.prepare('BEGIN IMMEDIATE').run();
      let storage: SqliteProjectionStorage;
      try {
        storage = open();
        expect(storage.documents('p@1', ['a:1', 'a:2'])).toEqual(new Map<string, unknown>([['a:1', large(1)], ['a:2', { n: 2 }]]));
        expect(layout()).toMatch(/WITHOUT\s+ROWID/i);
      } finally {
        locker.prepare('ROLLBACK').run();
        locker.close();
      }
      commit(storage, 7n, 8n, { 'a:2': { n: 3 } });
      expect(layout()).toMatch(/WITHOUT\s+ROWID/i);

      const reopened = open();
      expect(layout()).not.toMatch(/WITHOUT\s+ROWID/i);
      expect(reopened.documents('p@1', ['a:1', 'a:2'])).toEqual(new Map<string, unknown>([['a:1', large(1)], ['a:2', { n: 3 }]]));
    });
  });

  it('keeps the events a projection passed over with its checkpoint, in log order, and forgets them with it', () => {
    const storage = open();
    const skipped = (position: bigint) => ({ streamId: 's', revision: Number(position), position, type: 'T', reason: 'data : illisible' });
    storage.commit([{ id: 'p@1', expectedPosition: 0n, position: 12n, caughtUp: true, docs: new Map(), skipped: [skipped(12n), skipped(3n)] }]);

    expect(open().skipped('p@1')).toEqual([skipped(3n), skipped(12n)]);
    storage.reset('p@1');
    expect(storage.skipped('p@1')).toEqual([]);
  });

  describe('the projection lease (several instances, docs/decisions/0019)', () => {
    const T = 1_700_000_000_000;

    it('rule: one holder at a time: a free lease is taken, a held one is left to its holder until it expires, then taken over with the next term', () => {
      const a = open();
      const b = open();
      expect(a.lease()).toBeUndefined();
      expect(a.takeLease('a', 1_000, T)).toMatchObject({ holder: 'a', expiresAt: T + 1_000, term: 1 });
      expect(b.takeLease('b', 1_000, T + 500)).toMatchObject({ holder: 'a', expiresAt: T + 1_000, term: 1 });
      // A renewal keeps the term and the instant it was taken.
      expect(a.takeLease('a', 1_000, T + 900)).toMatchObject({ holder: 'a', expiresAt: T + 1_900, term: 1, takenAt: new Date(T).toISOString() });
      expect(b.takeLease('b', 1_000, T + 1_899)).toMatchObject({ holder: 'a' });
      expect(b.takeLease('b', 1_000, T + 1_900)).toMatchObject({ holder: 'b', expiresAt: T + 2_900, term: 2 });
      expect(a.takeLease('a', 1_000, T + 2_000)).toMatchObject({ holder: 'b' });
      expect(open().lease()).toMatchObject({ holder: 'b', term: 2 });
    });

    it('rule: a holder known to be gone (its process ended) is taken over at once; a released lease too', () => {
      const a = open();
      const b = open();
      a.takeLease('a', 60_000, T);
      expect(b.takeLease('b', 60_000, T + 1, (holder) => holder === 'someone-else')).toMatchObject({ holder: 'a' });
      expect(b.takeLease('b', 60_000, T + 1, (holder) => holder === 'a')).toMatchObject({ holder: 'b', term: 2 });
      b.releaseLease('a');
      expect(a.lease()).toMatchObject({ holder: 'b' });
      b.releaseLease('b');
      expect(a.takeLease('a', 60_000, Date.now())).toMatchObject({ holder: 'a', term: 3 });
    });

    it('rule: a fenced commit or reset writes nothing once its holder lost the lease (taken over, or expired): no event is applied twice by a holder that woke up late', () => {
      const a = open();
      const b = open();
      const now = Date.now();
      a.takeLease('a', 60_000, now);
      a.commit([{ id: 'p@1', expectedPosition: 0n, position: 1n, caughtUp: true, docs: new Map([['k', { n: 1 }]]) }], { holder: 'a' });
      // b takes it over (a is presumed gone); a, unaware, tries to commit what it applied meanwhile.
      b.takeLease('b', 60_000, now + 1, () => true);
      const late = () => a.commit([{ id: 'p@1', expectedPosition: 1n, position: 2n, caughtUp: true, docs: new Map([['k', { n: 2 }]]) }], { holder: 'a' });
      expect(late).toThrow(ProjectionLeaseLostError);
      expect(late).toThrow('le bail des projections est détenu par b, non par a');
      expect(() => a.reset('p@1', { holder: 'a' })).toThrow(ProjectionLeaseLostError);
      expect(open().checkpoint('p@1')).toMatchObject({ position: 1n });
      expect(open().documents('p@1', ['k']).get('k')).toEqual({ n: 1 });
      // The holder's own lease, expired: refused as well.
      b.takeLease('b', 1, Date.now() - 10);
      expect(() => b.commit([{ id: 'p@1', expectedPosition: 1n, position: 2n, caughtUp: true, docs: new Map() }], { holder: 'b' })).toThrow(/a expiré/);
      expect(open().checkpoint('p@1')).toMatchObject({ position: 1n });
    });
  });

  describe('superseded read models (jalon compact, docs/decisions/0010 and 0029)', () => {
    const kept = { projections: ['p@2'], snapshots: '' };
    const commitAs = (storage: SqliteProjectionStorage, id: string, docs: Record<string, unknown>) =>
      storage.commit([{ id, expectedPosition: 0n, position: 1n, caughtUp: true, docs: new Map(Object.entries(docs)), skipped: [{ streamId: 's', revision: 0, position: 1n, reason: 'illisible' }] }]);

    it('rule: every id not kept is found and removed with its documents, checkpoint and passed-over events, in one go; kept ids are untouched', () => {
      const storage = open();
      commitAs(storage, 'p@1', { a: { n: 1 }, b: { n: 2 } });
      commitAs(storage, 'p@2', { a: { n: 3 } });
      commitAs(storage, 'q@1', { a: { n: 4 } });
      const found = [
        { id: 'p@1', documents: 2, checkpoint: true, skipped: 1 },
        { id: 'q@1', documents: 1, checkpoint: true, skipped: 1 },
      ];
      expect(storage.superseded(kept)).toEqual({ projections: found, snapshots: 0, snapshotDocuments: 0 });
      expect(storage.removeSuperseded(kept)).toEqual({ projections: found, snapshots: 0, snapshotDocuments: 0 });
      expect(open().checkpoints().map((checkpoint) => checkpoint.id)).toEqual(['p@2']);
      expect(open().documents('p@1', ['a'])).toEqual(new Map([['a', null]]));
      expect(open().documents('p@2', ['a'])).toEqual(new Map([['a', { n: 3 }]]));
      expect(open().skipped('p@2')).toHaveLength(1);
      expect(storage.superseded(kept).projections).toEqual([]);
    });

    it('rule: a removal fenced by a lease its holder lost removes nothing', () => {
      const a = open();
      commitAs(a, 'p@1', { a: { n: 1 } });
      a.takeLease('a', 60_000, Date.now());
      open().takeLease('b', 60_000, Date.now() + 1, () => true);
      expect(() => a.removeSuperseded(kept, { holder: 'a' })).toThrow(ProjectionLeaseLostError);
      expect(open().superseded(kept).projections).toEqual([{ id: 'p@1', documents: 1, checkpoint: true, skipped: 1 }]);
    });

    it('rule: VACUUM gives the freed pages back to the disk and leaves the documents as they were', () => {
      const storage = open();
      commitAs(storage, 'p@1', Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k:${i}`, { text: 'x'.repeat(1_000) }])));
      commitAs(storage, 'p@2', { a: { n: 3 } });
      storage.removeSuperseded(kept);
      expect(storage.freeBytes()).toBeGreaterThan(400_000);
      storage.vacuum();
      expect(storage.freeBytes()).toBe(0);
      expect(open().documents('p@2', ['a'])).toEqual(new Map([['a', { n: 3 }]]));
    });
  });
});
