import { upcast } from '@jalon/domain';
import { EventStore } from '@jalon/event-store';
import { Projection, ReadModelView } from '../projection';
import { cutFilter, EventCut } from './event-cut';
import { InMemoryReadModel } from './in-memory-read-model';

/** Read access to read models by projection name: live (stored) or replayed (in memory). */
export interface ReadModels {
  view<Doc>(name: string): ReadModelView<Doc>;
}

/**
 * Time travel: replays the whole log, in order, into fresh in-memory projections, keeping only the
 * events inside the cut. Nothing is filtered out of today's read model: the past is rebuilt. The
 * store reads only events of the types the projections handle, and none that took effect after
 * `asOf`; `events` counts those inside the cut.
 */
export async function replayInMemory(store: EventStore, projections: readonly Projection[], cut: EventCut = {}): Promise<ReadModels & { events: number }> {
  const models = new Map(projections.map((projection) => [projection.name, new InMemoryReadModel(projection)]));
  const all = [...models.values()];
  const inCut = cutFilter(cut);
  let events = 0;
  const types = [...new Set(projections.flatMap((projection) => projection.handles))];
  for await (const event of store.readAll({ types, ...(cut.asOf === undefined ? {} : { effectiveUntil: cut.asOf }) })) {
    if (!inCut(event)) continue;
    events++;
    const current = await upcast(event, store);
    for (const model of all) model.apply(current);
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
