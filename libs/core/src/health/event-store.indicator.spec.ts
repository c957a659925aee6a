import { SqliteEventStore } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreIndicator } from './event-store.indicator';

describe('eventStore in /health', () => {
  let directory: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-indicator-'));
    store = SqliteEventStore.open({ file: join(directory, 'jalon.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('rule: a checkpoint of the log that failed in the projection thread (docs/decisions/0032) degrades eventStore, in French, until one goes through', async () => {
    const indicator = eventStoreIndicator(store, 'sqlite');
    store.handOverCheckpoints(true);
    const failure = { code: 'STORE.UNAVAILABLE', message: 'le journal du magasin d’événements ne peut pas être reporté dans son fichier : le disque est plein (SQLITE_FULL)', since: '2026-12-03T10:00:00.000Z', at: '2026-12-03T10:00:01.000Z' };
    store.checkpointReported(failure);
    expect(await indicator.check()).toMatchObject({
      status: 'degraded',
      writable: true,
      reason: expect.stringContaining('report du journal impossible depuis 2026-12-03T10:00:00.000Z : le journal du magasin d’événements ne peut pas être reporté'),
      lastCheckpointError: failure,
    });

    store.checkpointReported(undefined);
    const healthy = await indicator.check();
    expect(healthy).toMatchObject({ status: 'ok', writable: true });
    expect(healthy).not.toHaveProperty('lastCheckpointError');
  });

  it('rule: the projection thread gone, its last checkpoint failure no longer shows: the serving connection checkpoints (and reports) itself again', async () => {
    store.handOverCheckpoints(true);
    store.checkpointReported({ code: 'STORE.UNAVAILABLE', message: 'x', since: '2026-12-03T10:00:00.000Z', at: '2026-12-03T10:00:00.000Z' });
    store.handOverCheckpoints(false);
    expect(await eventStoreIndicator(store, 'sqlite').check()).toMatchObject({ status: 'ok' });
  });
});
