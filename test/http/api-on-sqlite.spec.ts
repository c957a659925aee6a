import { SqliteEventStore } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeHttpApi } from './api.http-suite';

describeHttpApi('the embedded SQLite store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jalon-http-'));
  const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
