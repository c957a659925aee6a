import { EventUpcastError } from '../shared';
import { EventReader, StoredVersionedEvent, StreamSource, upcast } from './event-reader';

/** Streams held in memory; counts what readers ask of them. */
class MemorySource implements StreamSource {
  readonly reads: { streamId: string; fromRevision: number; maxCount: number | undefined }[] = [];
  readonly streams = new Map<string, StoredVersionedEvent[]>();

  add(streamId: string, type: string, version: number, data: Record<string, unknown>): StoredVersionedEvent {
    const stream = this.streams.get(streamId) ?? [];
    const event = { streamId, revision: stream.length, type, version, data };
    stream.push(event);
    this.streams.set(streamId, stream);
    return event;
  }

  async *readStream(streamId: string, options: { fromRevision?: number; maxCount?: number } = {}): AsyncIterable<StoredVersionedEvent> {
    const from = options.fromRevision ?? 0;
    this.reads.push({ streamId, fromRevision: from, maxCount: options.maxCount });
    const events = (this.streams.get(streamId) ?? []).slice(from);
    yield* options.maxCount === undefined ? events : events.slice(0, options.maxCount);
  }
}

const antenna = 'antenna-montbeliard';
const report = (period: string, learners: number, reason?: string) => ({
  antennaId: 'montbeliard',
  period,
  learners,
  ...(reason ? { reason } : {}),
  effectiveDate: '2023-07-03',
});

describe('EventReader: the one reader of stored versions', () => {
  let source: MemorySource;
  let reader: EventReader;
  beforeEach(() => {
    source = new MemorySource();
    reader = new EventReader(source);
  });

  it('rule: an event at its current version is returned as it is, synchronously, and nothing is read from the store', () => {
    const event = source.add(antenna, 'LearnersReported', 2, report('2023-06', 120));
    const recorded = source.add('budget-montbeliard', 'ExpenditureRecorded', 2, { expenditureId: 'e1' });
    const foreign = source.add('test-1', 'SomethingOfATest', 7, { any: true });
    expect(reader.read(event)).toBe(event);
    expect(reader.read(recorded)).toBe(recorded);
    expect(reader.read(foreign)).toBe(foreign);
    expect(upcast(event, source)).toBe(event);
    expect(source.reads).toEqual([]);
  });

  it('rule: an old event that carries what it needs is upcast without reading its stream', async () => {
    const complete = source.add(antenna, 'LearnersReported', 1, { ...report('2023-06', 118, 'Correction'), previousLearners: 120 });
    const read = reader.read(complete);
    expect(read).not.toBeInstanceOf(Promise);
    expect(read).toEqual({ ...complete, version: 2 });
    expect(source.reads).toEqual([]);
  });

  it('rule: an old event that lacks what its stream tells is read with the stream’s earlier events, which are read once: the next old event reads only what follows', async () => {
    source.add(antenna, 'AntennaOpened', 1, { antennaId: 'montbeliard' });
    const first = source.add(antenna, 'LearnersReported', 1, report('2023-06', 120));
    const correction = source.add(antenna, 'LearnersReported', 1, report('2023-06', 118, 'Deux inscriptions annulées'));
    source.add(antenna, 'PhaseStarted', 1, { phaseId: 'p2' });
    const second = source.add(antenna, 'LearnersReported', 1, report('2023-06', 119, 'Une inscription rétablie'));

    expect(await reader.read(first)).toEqual({ ...first, version: 2 });
    expect(await reader.read(correction)).toEqual({ ...correction, version: 2, data: { ...correction.data, previousLearners: 120 } });
    expect(await reader.read(second)).toEqual({ ...second, version: 2, data: { ...second.data, previousLearners: 118 } });
    expect(source.reads).toEqual([
      { streamId: antenna, fromRevision: 0, maxCount: 1 },
      // revision 2 follows revision 1, whose history the reader kept: nothing to read.
      { streamId: antenna, fromRevision: 3, maxCount: 1 },
    ]);
  });

  it('rule: a reader that starts in the middle of a stream (a cached state, a checkpoint) reads the stream’s earlier events to upcast', async () => {
    source.add(antenna, 'LearnersReported', 1, report('2023-06', 120));
    source.add(antenna, 'LearnersReported', 1, report('2023-07', 30));
    const correction = source.add(antenna, 'LearnersReported', 1, report('2023-06', 118, 'Correction'));
    expect(((await reader.read(correction)) as StoredVersionedEvent).data).toMatchObject({ previousLearners: 120 });
    expect(source.reads).toEqual([{ streamId: antenna, fromRevision: 0, maxCount: 2 }]);
  });

  it('rule: reading a stream again from its start (a second replay) reads its history again from the start, not from where it was kept', async () => {
    const first = source.add(antenna, 'LearnersReported', 1, report('2023-06', 120));
    const correction = source.add(antenna, 'LearnersReported', 1, report('2023-06', 118, 'Correction'));
    await reader.read(first);
    await reader.read(correction);
    expect(((await reader.read(first)) as StoredVersionedEvent).data).not.toHaveProperty('previousLearners');
    expect(((await reader.read(correction)) as StoredVersionedEvent).data).toMatchObject({ previousLearners: 120 });
  });

  it('rule: the events given are never changed (their hash covers them as stored)', async () => {
    const tranche = { agreementId: 'bdt', antennaId: 'm', trancheId: 't3', amountCents: 3_000_000 };
    source.add('funding-bdt', 'BudgetTrancheReleased', 1, { ...tranche, effectiveDate: '2023-07-03' });
    const reversal = source.add('funding-bdt', 'TrancheReleaseReversed', 1, { ...tranche, reason: 'r', effectiveDate: '2023-07-10' });
    const before = JSON.stringify(reversal);
    const read = await upcast(reversal, source);
    expect(read).toMatchObject({ version: 2, data: { releasedOn: '2023-07-03' } });
    expect(JSON.stringify(reversal)).toBe(before);
  });

  it('rule: an event stored at a later version than this code knows cannot be read, and the error names its stream and revision', () => {
    source.add(antenna, 'AntennaOpened', 1, {});
    const later = source.add(antenna, 'LearnersReported', 3, report('2023-06', 120));
    let error: unknown;
    try {
      reader.read(later);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EventUpcastError);
    expect((error as Error).message).toMatch(/^antenna-montbeliard revision 1 \(LearnersReported v3\): .*later release/);
  });

  it('rule: an old event whose stream lacks what it needs cannot be read, and the error names its stream and revision', async () => {
    const orphan = source.add('budget-montbeliard', 'ExpenditureReversed', 1, {
      antennaId: 'montbeliard',
      expenditureId: 'x',
      amountCents: 1,
      reason: 'r',
      effectiveDate: '2022-01-01',
    });
    await expect(reader.read(orphan)).rejects.toThrow(/^budget-montbeliard revision 0 \(ExpenditureReversed v1\): .*no recorded expenditure/);
  });

  it('keeps the histories of a bounded number of streams', async () => {
    const small = new EventReader(source, 2);
    const corrections = ['a', 'b', 'c'].map((id) => {
      source.add(`antenna-${id}`, 'LearnersReported', 1, report('2023-06', 10));
      return source.add(`antenna-${id}`, 'LearnersReported', 1, report('2023-06', 11, 'Correction'));
    });
    for (const correction of corrections) await small.read(correction);
    const kept = (small as unknown as { histories: Map<string, unknown> }).histories;
    expect([...kept.keys()]).toEqual(['antenna-b', 'antenna-c']);
  });
});
