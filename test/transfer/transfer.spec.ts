/**
 * Moving a history between stores (libs/event-store/src/transfer): export, import, migrate, on
 * the embedded store and on the EventStoreDB adapter over real gRPC against the test double
 * (test/doubles/eventstoredb). Each `it` names the rule it protects.
 */
import {
  appendSizeOf,
  collect,
  connectEventStoreDb,
  MAX_BATCH_BYTES,
  exportHistoryToFile,
  importHistoryFile,
  migrateHistory,
  readHistoryFile,
  SqliteEventStore,
  summarize,
  TransferError,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type StoredEvent,
} from '@jalon/event-store';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEventStoreDbTestDouble, type EventStoreDbTestDouble } from '../doubles/eventstoredb/eventstoredb-test-double';
import { recordDemoHistory } from '../support/demo-history';
import { testEvent } from '../support/events';

/** An event as the history knows it: everything but the store's own position. */
function withoutPosition({ position: _position, ...event }: StoredEvent) {
  return event;
}

async function sequenceOf(store: EventStore) {
  return (await collect(store.readAll())).map(withoutPosition);
}

/** A store whose appends fail after `appends` successful ones: an import or migration cut short. */
function interruptedAfter(store: EventStore, appends: number): EventStore {
  let left = appends;
  return {
    append: (streamId, events, options) => {
      if (left <= 0) return Promise.reject(new Error('interruption simulée (connexion perdue, processus arrêté)'));
      left -= 1;
      return store.append(streamId, events, options);
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    subscribeToAll: (options) => store.subscribeToAll(options),
    headPosition: () => store.headPosition(),
    storeId: () => store.storeId(),
    eventAt: (position) => store.eventAt(position),
    close: async () => undefined,
  };
}

/** A store that records every append it passes on: stream, expected revision, events. */
function recording(store: EventStore, appends: Array<{ streamId: string; expectedRevision: ExpectedRevision; events: readonly EventToAppend[] }>): EventStore {
  return {
    append: (streamId, events, options) => {
      appends.push({ streamId, expectedRevision: options.expectedRevision, events });
      return store.append(streamId, events, options);
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    subscribeToAll: (options) => store.subscribeToAll(options),
    headPosition: () => store.headPosition(),
    storeId: () => store.storeId(),
    eventAt: (position) => store.eventAt(position),
    close: async () => undefined,
  };
}

/** Heavy events: `count` of about `bytes` each, in one stream (2.5 MB in all by default). */
const heavyEvents = (count = 25, bytes = 100_000) =>
  Array.from({ length: count }, (_, n) => testEvent({ type: 'TestDocumentAttached', data: { n, text: 'x'.repeat(bytes) } }));

describe('moving a history between stores', () => {
  let dir: string;
  let demo: SqliteEventStore;
  let demoSequence: Omit<StoredEvent, 'position'>[];
  let demoFile: string;
  const toClose: EventStore[] = [];
  const doubles: EventStoreDbTestDouble[] = [];

  const embedded = (name: string) => {
    const store = SqliteEventStore.open({ file: join(dir, `${name}.sqlite`) });
    toClose.push(store);
    return store;
  };
  const eventStoreDb = async () => {
    const double = await startEventStoreDbTestDouble();
    doubles.push(double);
    const store = connectEventStoreDb(double.connectionString);
    toClose.push(store);
    return store;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-transfer-'));
    demo = SqliteEventStore.open({ file: join(dir, 'demo.sqlite') });
    await recordDemoHistory(demo);
    demoSequence = await sequenceOf(demo);
    demoFile = join(dir, 'demo.ndjson');
    await exportHistoryToFile(demo, demoFile, { source: 'sqlite' });
  });

  afterEach(async () => {
    await Promise.all(toClose.splice(0).map((store) => store.close()));
    await Promise.all(doubles.splice(0).map((double) => double.stop()));
  });

  afterAll(async () => {
    await demo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the demo history is a real history: many streams, interleaved, with identity and idempotency records', () => {
    expect(demoSequence.length).toBeGreaterThan(38);
    expect(new Set(demoSequence.map((e) => e.streamId)).size).toBeGreaterThan(5);
  });

  it('rule: embedded → export → EventStoreDB → export → embedded gives the identical event sequence (ids, streams, revisions, types, data, metadata, order) and checksum', async () => {
    const first = await exportHistoryToFile(demo, join(dir, 'first.ndjson'));
    expect(first.count).toBe(demoSequence.length);

    const esdb = await eventStoreDb();
    const intoEsdb = await importHistoryFile(join(dir, 'first.ndjson'), esdb);
    expect(intoEsdb).toMatchObject({ written: demoSequence.length, alreadyPresent: 0 });
    expect(await sequenceOf(esdb)).toEqual(demoSequence);

    const second = await exportHistoryToFile(esdb, join(dir, 'second.ndjson'));
    expect({ count: second.count, checksum: second.checksum }).toEqual({ count: first.count, checksum: first.checksum });

    const back = embedded('back');
    const intoEmbedded = await importHistoryFile(join(dir, 'second.ndjson'), back);
    expect(intoEmbedded.target).toEqual({ count: first.count, checksum: first.checksum });
    expect(await sequenceOf(back)).toEqual(demoSequence);

    // The two files differ only by the source positions (and the export time).
    const events = async (file: string) => (await collect(readHistoryFile(file))).map(({ position: _p, ...event }) => event);
    expect(await events(join(dir, 'second.ndjson'))).toEqual(await events(join(dir, 'first.ndjson')));
  });

  it('rule: migrate embedded → EventStoreDB → embedded streams the history across and verifies counts and checksums on both sides', async () => {
    const esdb = await eventStoreDb();
    const there = await migrateHistory(demo, esdb, { maxBatch: 7 });
    expect(there.written).toBe(demoSequence.length);
    expect(there.target).toEqual(there.source);
    expect(await sequenceOf(esdb)).toEqual(demoSequence);

    const back = embedded('migrated-back');
    const again = await migrateHistory(esdb, back);
    expect(again.target).toEqual(there.source);
    expect(await sequenceOf(back)).toEqual(demoSequence);
    expect(again.source).toEqual(await summarize(demo.readAll()));
  });

  it('rule: an import into a non-empty store that does not begin with this history is refused with a clear message and writes nothing', async () => {
    for (const target of [embedded('unrelated'), await eventStoreDb()]) {
      await target.append('programme-autre', [testEvent()], { expectedRevision: 'no_stream' });
      const before = await summarize(target.readAll());
      const refusal = importHistoryFile(demoFile, target);
      await expect(refusal).rejects.toBeInstanceOf(TransferError);
      await expect(importHistoryFile(demoFile, target)).rejects.toMatchObject({
        code: 'TRANSFER.TARGET_NOT_EMPTY',
        message: expect.stringMatching(/^la base cible n’est pas vide et ne commence pas par cet historique : import refusé/),
      });
      expect(await summarize(target.readAll())).toEqual(before);
    }
  });

  it('rule: a migration into a store that holds more than the source’s history is refused and writes nothing', async () => {
    const target = embedded('longer');
    await migrateHistory(demo, target);
    await target.append('programme-autre', [testEvent()], { expectedRevision: 'no_stream' });
    const before = await summarize(target.readAll());
    await expect(migrateHistory(demo, target)).rejects.toMatchObject({ code: 'TRANSFER.TARGET_NOT_EMPTY' });
    expect(await summarize(target.readAll())).toEqual(before);
  });

  it('rule: an interrupted import, run again, resumes after what was written: no duplicates, same checksum (embedded and EventStoreDB)', async () => {
    const file = await exportHistoryToFile(demo, join(dir, 'resume.ndjson'));
    for (const target of [embedded('resumed'), await eventStoreDb()]) {
      await expect(importHistoryFile(join(dir, 'resume.ndjson'), interruptedAfter(target, 5), { maxBatch: 3 })).rejects.toThrow(
        /interruption simulée/,
      );
      const partial = await collect(target.readAll());
      expect(partial.length).toBeGreaterThan(0);
      expect(partial.length).toBeLessThan(demoSequence.length);

      const resumed = await importHistoryFile(join(dir, 'resume.ndjson'), target);
      expect(resumed).toMatchObject({ alreadyPresent: partial.length, written: demoSequence.length - partial.length });
      expect(resumed.target).toEqual({ count: file.count, checksum: file.checksum });
      const ids = (await collect(target.readAll())).map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(await sequenceOf(target)).toEqual(demoSequence);
    }
  });

  it('rule: an interrupted migration, run again, resumes without duplicates and ends with the same checksum', async () => {
    const esdb = await eventStoreDb();
    await expect(migrateHistory(demo, interruptedAfter(esdb, 4), { maxBatch: 2 })).rejects.toThrow(/interruption simulée/);
    const resumed = await migrateHistory(demo, esdb);
    expect(resumed.alreadyPresent).toBeGreaterThan(0);
    expect(resumed.alreadyPresent + resumed.written).toBe(demoSequence.length);
    expect(resumed.target).toEqual(resumed.source);
    expect(await sequenceOf(esdb)).toEqual(demoSequence);
  });

  it('rule: a run of one stream heavier than 512 KiB is appended in several atomic batches, each under it and expecting the revision just before its first event', async () => {
    const source = embedded('heavy-source');
    await source.append('programme-heavy', [testEvent()], { expectedRevision: 'no_stream' });
    await source.append('antenna-heavy', heavyEvents(), { expectedRevision: 'no_stream' });
    await source.append('programme-heavy', [testEvent()], { expectedRevision: 0 });
    const appends: Array<{ streamId: string; expectedRevision: ExpectedRevision; events: readonly EventToAppend[] }> = [];

    const report = await migrateHistory(source, recording(embedded('heavy-target'), appends));

    expect(report.target).toEqual(report.source);
    const heavy = appends.filter((a) => a.streamId === 'antenna-heavy');
    expect(heavy.length).toBeGreaterThanOrEqual(5);
    let next = 0;
    for (const batch of heavy) {
      expect(batch.expectedRevision).toBe(next === 0 ? 'no_stream' : next - 1);
      expect(batch.events.reduce((bytes, event) => bytes + appendSizeOf(event), 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
      next += batch.events.length;
    }
    expect(next).toBe(25);
    expect(appends.map((a) => a.streamId)).toEqual(['programme-heavy', ...heavy.map(() => 'antenna-heavy'), 'programme-heavy']);
  });

  it('rule: migrate into EventStoreDB (whose appends are capped at 1 MiB) copies a 2.5 MB stream with its exact revisions', async () => {
    const source = embedded('heavy-for-esdb');
    await source.append('antenna-heavy', heavyEvents(), { expectedRevision: 'no_stream' });
    const esdb = await eventStoreDb();

    const report = await migrateHistory(source, esdb);

    expect(report).toMatchObject({ written: 25 });
    expect(report.target).toEqual(report.source);
    expect(await sequenceOf(esdb)).toEqual(await sequenceOf(source));
    // The same run as one batch is what EventStoreDB refuses.
    await expect(migrateHistory(source, await eventStoreDb(), { maxBatchBytes: 4 * 1024 * 1024 })).rejects.toMatchObject({
      code: 'STREAM.APPEND_TOO_LARGE',
    });
  });

  it('rule: importing a history into a store that already holds all of it writes nothing and still verifies', async () => {
    const target = embedded('twice');
    await importHistoryFile(demoFile, target);
    const again = await importHistoryFile(demoFile, target);
    expect(again).toMatchObject({ written: 0, alreadyPresent: demoSequence.length });
    expect(await sequenceOf(target)).toEqual(demoSequence);
  });

  describe('a file that is not a whole, unaltered export is refused before anything is written', () => {
    const lines = () => readFileSync(demoFile, 'utf8').split('\n').filter((line) => line !== '');
    const refuse = async (name: string, content: string, code: string, message: RegExp) => {
      const file = join(dir, name);
      writeFileSync(file, content);
      const target = embedded(`refused-${name}`);
      await expect(importHistoryFile(file, target)).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
      expect(await target.headPosition()).toBe(0n);
    };

    it('rule: a file without its trailer (export cut at a line end) is refused as truncated', async () => {
      await refuse('no-trailer.ndjson', `${lines().slice(0, -1).join('\n')}\n`, 'TRANSFER.FILE_TRUNCATED', /tronqué.*import refusé/);
    });

    it('rule: a file cut in the middle of a line is refused as truncated', async () => {
      const whole = `${lines().join('\n')}\n`;
      await refuse('cut.ndjson', whole.slice(0, Math.floor(whole.length / 2)), 'TRANSFER.FILE_TRUNCATED', /tronqué/);
    });

    it('rule: an edited event (data changed, trailer kept) is refused: the checksum does not match', async () => {
      const edited = lines().map((line, i) => (i === 5 ? line.replace(/"data":\{/, '"data":{"amountCents":1,') : line));
      await refuse('edited.ndjson', `${edited.join('\n')}\n`, 'TRANSFER.FILE_CHECKSUM_MISMATCH', /altéré/);
    });

    it('rule: a deleted event is refused (global order broken)', async () => {
      const all = lines();
      await refuse('deleted.ndjson', `${[...all.slice(0, 4), ...all.slice(5)].join('\n')}\n`, 'TRANSFER.FILE_INVALID', /rang global/);
    });

    it('rule: a file that is not a Jalon export is refused', async () => {
      await refuse('other.ndjson', '{"hello":"world"}\n', 'TRANSFER.FILE_INVALID', /pas un export Jalon/);
      await refuse('empty.ndjson', '', 'TRANSFER.FILE_INVALID', /vide/);
    });
  });
});
