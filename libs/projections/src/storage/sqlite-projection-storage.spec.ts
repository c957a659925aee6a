import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionConflictError, ProjectionStorageError } from './projection-storage.port';
import { SqliteProjectionStorage } from './sqlite-projection-storage';

describe('SqliteProjectionStorage', () => {
  let dir: string;
  let file: string;
  const opened: SqliteProjectionStorage[] = [];
  const open = () => {
    const storage = SqliteProjectionStorage.open(file);
    opened.push(storage);
    return storage;
  };
  const commit = (storage: SqliteProjectionStorage, from: bigint, to: bigint, docs: Record<string, unknown | null>) =>
    storage.commit([{ id: 'p@1', expectedPosition: from, position: to, caughtUp: true, docs: new Map(Object.entries(docs)) }]);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-storage-'));
    file = join(dir, 'read-models.sqlite');
  });
  afterEach(() => {
    for (const storage of opened.splice(0)) storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads many documents at once, null for a key without one', () => {
    const storage = open();
    commit(storage, 0n, 1n, { 'a:1': { n: 1 }, 'a:2': { n: 2 } });
    expect(open().documents('p@1', ['a:1', 'a:2', 'a:3'])).toEqual(new Map([['a:1', { n: 1 }], ['a:2', { n: 2 }], ['a:3', null]]));
    expect(storage.documents('p@1', ['a:2', 'a:3'])).toEqual(new Map([['a:2', { n: 2 }], ['a:3', null]]));
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

  it('rule: a read after a commit made through another connection (another process) sees it', () => {
    const server = open();
    const cli = open();
    commit(server, 0n, 1n, { 'a:1': { n: 1 } });
    expect(server.view('p@1').get('a:1')).toEqual({ n: 1 });
    expect(server.view('p@1').list('a:')).toEqual([{ n: 1 }]);
    expect(server.documents('p@1', ['a:2'])).toEqual(new Map([['a:2', null]]));

    commit(cli, 1n, 2n, { 'a:1': { n: 2 }, 'a:2': { n: 3 } });

    expect(server.view('p@1').get('a:1')).toEqual({ n: 2 });
    expect(server.view('p@1').list('a:')).toEqual([{ n: 2 }, { n: 3 }]);
    expect(server.documents('p@1', ['a:2'])).toEqual(new Map([['a:2', { n: 3 }]]));
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
    rmSync(file);
    mkdirSync(file);

    expect(() => commit(storage, 1n, 2n, { 'a:1': { n: 2 } })).toThrow(ProjectionStorageError);
    expect(() => commit(storage, 1n, 2n, { 'a:1': { n: 2 } })).toThrow(/ne peuvent pas être ouverts : le fichier ne peut pas être ouvert .*SQLITE_CANTOPEN/);

    // The directory gone, a new, empty file is created (read models are rebuilt from the events):
    // the old write-ahead log left beside it is not replayed into it.
    rmSync(file, { recursive: true });
    expect(storage.checkpoint('p@1')).toBeUndefined();
    expect(storage.documents('p@1', ['a:1'])).toEqual(new Map([['a:1', null]]));
    commit(storage, 0n, 3n, { 'a:1': { n: 3 } });
    expect(open().documents('p@1', ['a:1'])).toEqual(new Map([['a:1', { n: 3 }]]));
    expect(existsSync(file)).toBe(true);
  });

  it('keeps the events a projection passed over with its checkpoint, in log order, and forgets them with it', () => {
    const storage = open();
    const skipped = (position: bigint) => ({ streamId: 's', revision: Number(position), position, type: 'T', reason: 'data : illisible' });
    storage.commit([{ id: 'p@1', expectedPosition: 0n, position: 12n, caughtUp: true, docs: new Map(), skipped: [skipped(12n), skipped(3n)] }]);

    expect(open().skipped('p@1')).toEqual([skipped(3n), skipped(12n)]);
    storage.reset('p@1');
    expect(storage.skipped('p@1')).toEqual([]);
  });
});
