import { SqliteEventStore } from '@jalon/event-store';
import { InMemoryReadModel, ProjectedEvent, ProjectionRunner, ReadModelView, SqliteProjectionStorage } from '@jalon/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedStore } from '../../bench/generator/seed';
import { HistoryDocument, historyProjection } from '../../libs/projections/src/read-models/history/history.projection';

/** What the history specs share: the trail's read model as a report reads it, a projection in memory, sampled cuts, a seeded store. */
export type HistoryModels = { view<Doc>(name: string): ReadModelView<Doc> };

/** The history read model `view` as the report builders ask for read models. */
export const historyModelsOf = (view: ReadModelView<HistoryDocument>): HistoryModels => ({ view: <Doc>() => view as unknown as ReadModelView<Doc> });

/** The history projection of `events`, in memory. */
export function projectHistory(events: readonly ProjectedEvent[]): InMemoryReadModel<HistoryDocument> {
  const model = new InMemoryReadModel(historyProjection);
  for (const event of events) model.apply(event);
  return model;
}

/** Cuts sampled over the dated events: as-of, known-at, and both (a date early with an instant late). */
export function historyCutsOf(events: readonly ProjectedEvent[]): { asOf?: string; knownAt?: string }[] {
  const dated = events.filter((event) => typeof event.data.effectiveDate === 'string');
  const cuts: { asOf?: string; knownAt?: string }[] = [];
  for (let index = 0; index < dated.length; index += Math.max(1, Math.floor(dated.length / 6))) {
    const event = dated[index]!;
    cuts.push({ asOf: String(event.data.effectiveDate) }, { knownAt: event.metadata.recordedAt }, { asOf: String(event.data.effectiveDate), knownAt: dated[dated.length - 1 - index]!.metadata.recordedAt });
  }
  return cuts;
}

export interface SeededHistory {
  readonly store: SqliteEventStore;
  readonly runner: ProjectionRunner;
  close(): Promise<void>;
}

/** A seeded synthetic programme (2,000 events, 12 antennas) with its history read model caught up by a runner, in a temporary folder. */
export async function openSeededHistory(seed: string): Promise<SeededHistory> {
  const dir = mkdtempSync(join(tmpdir(), `jalon-${seed}-`));
  const seeded = await seedStore(join(dir, 'seed'), { events: 2_000, antennas: 12, seed });
  const store = SqliteEventStore.open({ file: seeded.file });
  const storage = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
  const runner = new ProjectionRunner(store, storage, [historyProjection]);
  await runner.catchUp();
  return {
    store,
    runner,
    async close() {
      storage.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
