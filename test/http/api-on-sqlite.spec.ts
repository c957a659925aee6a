import { SqliteEventStore } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeHttpApi } from './api.http-suite';

describeHttpApi('the embedded SQLite store', async () => {
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
});
