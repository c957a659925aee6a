import { SqliteEventStore } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordDemoHistory } from '../support/demo-history';
import { ApiUnderTest, startApi, StoreUnderTest } from './api-under-test';

/** A fresh embedded store in a temporary directory, whose files the fingerprint reads byte for byte. */
export async function openSqliteStoreUnderTest(): Promise<StoreUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'jalon-http-'));
  const file = join(dir, 'jalon.sqlite');
  const store = SqliteEventStore.open({ file });
  return {
    store,
    files: [file, `${file}-wal`],
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The demo history in `dir/jalon.sqlite`, where the service expects its store when given `dir` as
 * its data directory (the integrity checks read the file there); `dir` is the caller's to remove.
 */
export function demoStoreIn(dir: string): () => Promise<StoreUnderTest> {
  const file = join(dir, 'jalon.sqlite');
  return async () => {
    const store = SqliteEventStore.open({ file });
    await recordDemoHistory(store);
    return { store, files: [file, `${file}-wal`], dispose: () => store.close() };
  };
}

/** The API of a suite, on the demo history in a data directory of its own: see {@link useDemoApi}. */
export interface DemoApi {
  readonly api: ApiUnderTest;
  /** The data directory, holding the store where the service expects it. */
  readonly dir: string;
}

/**
 * Starts the API on the demo history in its own data directory before the suite's tests
 * (`demoStoreIn`), and closes it and removes the directory after them. Its fields are set once the
 * suite has started.
 */
export function useDemoApi(name: string): DemoApi {
  const demo = {} as { api: ApiUnderTest; dir: string };
  beforeAll(async () => {
    demo.dir = mkdtempSync(join(tmpdir(), `jalon-${name}-`));
    demo.api = await startApi(demoStoreIn(demo.dir), { dataDir: demo.dir });
  }, 60_000);
  afterAll(async () => {
    await demo.api?.close();
    if (demo.dir) rmSync(demo.dir, { recursive: true, force: true });
  });
  return demo;
}

