import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteProjectionStorage } from '../storage/sqlite-projection-storage';

/**
 * A read-model file in a fresh temporary folder for each test of the calling `describe` (registers
 * its own `beforeEach` and `afterEach`): `open()` opens a storage on it (as many as a test wants, as
 * several connections or processes would), each closed, and the folder removed, after the test.
 */
export function sqliteStorageUnderTest(prefix: string): { readonly open: () => SqliteProjectionStorage; readonly file: () => string } {
  let dir: string | undefined;
  const opened: SqliteProjectionStorage[] = [];
  const file = () => {
    if (dir === undefined) throw new Error('sqliteStorageUnderTest: used outside a test');
    return join(dir, 'read-models.sqlite');
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    for (const storage of opened.splice(0)) storage.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return {
    file,
    open: () => {
      const storage = SqliteProjectionStorage.open(file());
      opened.push(storage);
      return storage;
    },
  };
}
