import { SqliteEventStore } from '@jalon/event-store';
import { defineProjection, ProjectionRunner, SqliteProjectionStorage, type Projection } from '@jalon/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEvent } from '../../../../test/support/events';
import { projectionsIndicator } from './projections.indicator';

const counter = defineProjection<{ events: number }>({ name: 'counter', version: 1, handles: ['TestEventRecorded'], keysOf: () => ['all'], evolve: (doc) => ({ events: (doc?.events ?? 0) + 1 }) });

describe('projections in /health', () => {
  let directory: string;
  let store: SqliteEventStore;
  let storage: SqliteProjectionStorage;
  let runner: ProjectionRunner | undefined;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-projections-indicator-'));
    store = SqliteEventStore.open({ file: join(directory, 'jalon.sqlite') });
    storage = SqliteProjectionStorage.open(join(directory, 'read-models.sqlite'));
  });
  afterEach(async () => {
    await runner?.stop();
    storage.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('rule: a serving projection still built from the first event degrades /health, saying so, until it has caught up (its reports wait for it)', async () => {
    for (let batch = 0; batch < 10; batch++) await store.append('s', Array.from({ length: 1_000 }, () => testEvent({ type: 'TestEventRecorded' })), { expectedRevision: 'any' });
    const head = (await store.headPosition())!;
    runner = new ProjectionRunner(store, storage, [counter as Projection]);
    const indicator = projectionsIndicator(runner, store);
    await runner.start();
    expect(await indicator.check()).toMatchObject({
      status: 'degraded',
      reason: expect.stringContaining('counter@1 est construite depuis le premier événement (position 0) : ses rapports ne sont pas servis avant qu’elle ait rattrapé le journal'),
    });
    expect(await runner.waitForPosition(head, 20_000)).toBe(true);
    expect(await indicator.check()).toMatchObject({ status: 'ok' });
  });
});
