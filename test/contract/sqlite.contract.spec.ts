import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('SQLite (embedded)', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'jalon-contract-'));
  const store = SqliteEventStore.open({ file: join(directory, 'events.db') });
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});
