import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEvent } from '../../../../test/support/events';
import type { EventStore } from '../event-store.port';
import { SqliteEventStore } from '../sqlite';
import { HistoryChecksum, type HistoryEvent } from './history-checksum';
import { CHECKSUM_ALGORITHM, HISTORY_FORMAT, HISTORY_FORMAT_VERSION, importHistoryFile } from './history-file';
import { migrateHistory } from './migrate-history';

/**
 * What the target store refuses in the middle of a copy, said in French in the transfer's own
 * words (the store's refusals are worded for developers), naming the event or the stream.
 */
describe('a copy the target store refuses midway', () => {
  let dir: string;
  const stores: EventStore[] = [];
  const embedded = (name: string): SqliteEventStore => {
    const store = SqliteEventStore.open({ file: join(dir, `${name}.sqlite`) });
    stores.push(store);
    return store;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-transfer-refused-'));
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: a history file giving one event id to two events (edited, its checksum recomputed) stops the import with TRANSFER.FILE_INVALID in French naming the event', async () => {
    const first = testEvent();
    const events: HistoryEvent[] = [
      { ...first, streamId: 'test-a', revision: 0 },
      { ...testEvent(), streamId: 'test-a', revision: 1 },
      { ...first, streamId: 'test-b', revision: 0 },
    ];
    const checksum = new HistoryChecksum();
    const lines = [JSON.stringify({ format: HISTORY_FORMAT, version: HISTORY_FORMAT_VERSION, checksumAlgorithm: CHECKSUM_ALGORITHM, exportedAt: '2026-01-01T00:00:00.000Z' })];
    events.forEach((event, i) => {
      checksum.add(event);
      lines.push(JSON.stringify({ globalOrder: i + 1, position: String(i + 1), ...event }));
    });
    lines.push(JSON.stringify(checksum.summary()));
    const file = join(dir, 'same-id-twice.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);

    await expect(importHistoryFile(file, embedded('same-id-twice'))).rejects.toMatchObject({
      code: 'TRANSFER.FILE_INVALID',
      message:
        'historique altéré : un événement du flux test-b (révision 0) porte l’identifiant d’un événement déjà enregistré dans la base cible ' +
        '(deux événements d’un historique n’ont jamais le même identifiant) : copie arrêtée',
    });
  });

  it('rule: a target another process writes to during the copy stops it with TRANSFER.TARGET_CHANGED in French naming the stream', async () => {
    const source = embedded('source');
    await source.append('test-a', [testEvent(), testEvent()], { expectedRevision: 'no_stream' });
    const target = embedded('written-meanwhile');
    // Another writer gets in first on the stream the copy is about to start.
    const append = target.append.bind(target);
    jest.spyOn(target, 'append').mockImplementationOnce(async (streamId, events, options) => {
      await append(streamId, [testEvent()], { expectedRevision: 'no_stream' });
      return append(streamId, events, options);
    });

    await expect(migrateHistory(source, target)).rejects.toMatchObject({
      code: 'TRANSFER.TARGET_CHANGED',
      message:
        'la base cible a changé pendant la copie : le flux test-a y est à la révision 0, la copie l’attendait vide ; ' +
        'un autre processus y écrit (arrêtez-le), puis relancez la même commande',
    });
  });
});
