import { EventStore } from '@jalon/event-store';
import { Projection, ReadModelView } from '../projection';
import { EventCut, isInCut } from './event-cut';
import { InMemoryReadModel } from './in-memory-read-model';

/** Read access to read models by projection name: live (stored) or replayed (in memory). */
export interface ReadModels {
  view<Doc>(name: string): ReadModelView<Doc>;
}

/**
 * Time travel: replays the whole log, in order, into fresh in-memory projections, keeping only the
 * events inside the cut. Nothing is filtered out of today's read model: the past is rebuilt.
 */
export async function replayInMemory(store: EventStore, projections: readonly Projection[], cut: EventCut = {}): Promise<ReadModels & { events: number }> {
  const models = new Map(projections.map((projection) => [projection.name, new InMemoryReadModel(projection)]));
  const all = [...models.values()];
  let events = 0;
  for await (const event of store.readAll()) {
    if (!isInCut(event, cut)) continue;
    events++;
    for (const model of all) model.apply(event);
  }
  return {
    events,
    view<Doc>(name: string): ReadModelView<Doc> {
      const model = models.get(name);
      if (!model) throw new Error(`no projection named ${name}`);
      return model as unknown as ReadModelView<Doc>;
    },
  };
}
