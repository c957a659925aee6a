import { streamIdOf, upcast } from '@jalon/domain';
import { EventStore, StoredEvent } from '@jalon/event-store';
import { Projection, ReadModelView } from '../projection';
import { agreementLedgerProjection } from '../read-models/funding/agreement-ledger.projection';
import { budgetProjection } from '../read-models/budget/budget.projection';
import { AntennaFundingDoc, fundingAntennaKey, fundingProjection } from '../read-models/funding/funding.projection';
import { PHASES_PROJECTION_NAME } from '../read-models/phases/phases.projection';
import { cutFilter, EventCut } from '../runner/event-cut';
import { InMemoryReadModel } from '../runner/in-memory-read-model';
import { ReadModels } from '../runner/replay';

/**
 * Time travel for one antenna, by replaying only the antenna's own streams (docs/decisions/0024).
 *
 * The projections below key every document about antenna X (`antenna:X`, `expenditure:X/…`,
 * `antenna-funding:X`, `agreement-ledger:X` and its pages `agreement-ledger:X:…`) by the event's
 * `data.antennaId` alone, and the
 * antenna-scoped report of each reads only those documents. So the antenna's documents at a cut
 * are the fold, in log order, of the events inside the cut whose `data.antennaId` is X, and no
 * other event. The domain writes those events on three kinds of streams only: `antenna-X`,
 * `budget-X` and `funding-<agreement>` of each agreement committed for X (a funding decider
 * refuses a command naming another antenna than its agreement's). Reading those streams (the
 * store's indexed stream read) and keeping the events naming X gives the same documents as a
 * replay of the whole log, at a cost that grows with the antenna's events, not the log's.
 *
 * Left out, on purpose (they keep the full replay):
 * - `history`: the antenna's audit trail lists, as filter choices, every antenna and every
 *   actor of the programme, and names actors from the identity streams (its trail at a cut is
 *   today's read model seen through the cut instead: `read-models/history/history-at-cut.ts`);
 * - `kpis`: one programme-wide document (an antenna asked for is refused by the report service);
 * - the programme-wide reports of every projection (`programme`, `programme:<id>` documents
 *   and lists over every antenna).
 * `phases`' programme documents (`programme:<id>`) also fold `ProgrammeLaunched`: the replay
 * here holds a partial one, which no antenna-scoped report reads.
 */
export const ANTENNA_SUBJECT_PROJECTIONS: ReadonlySet<string> = new Set([budgetProjection.name, fundingProjection.name, PHASES_PROJECTION_NAME, agreementLedgerProjection.name]);

/** True when the report reading `projectionName` about `antennaId` may be built from the antenna's streams alone. */
export function replaysByAntennaSubject(projectionName: string, antennaId: string | undefined): antennaId is string {
  return antennaId !== undefined && ANTENNA_SUBJECT_PROJECTIONS.has(projectionName);
}

/** What the subject replay needs of the live read models to find an antenna's funding agreements (ProjectionRunner gives it). */
export interface LiveFundingAgreements {
  view<Doc>(name: string): ReadModelView<Doc>;
  /** Names the committed state of `view(name)`: it changes whenever the documents may have. */
  version(name: string): string;
  /** The log position up to which `view(name)` is committed. */
  checkpoint(name: string): bigint;
  unavailability(name: string): unknown;
}

/**
 * The streams holding every event that names `antennaId`: its antenna and budget streams and the
 * stream of each funding agreement committed for it. The agreements come from the live funding
 * read model, completed by the `FundingCommitted` events after its checkpoint (the log's tail).
 * Undefined when the live model cannot tell (stopped, rebuilding, moved while it was read): the
 * caller replays the whole log.
 */
export async function antennaSubjectStreams(store: EventStore, live: LiveFundingAgreements, antennaId: string): Promise<string[] | undefined> {
  if (live.unavailability(fundingProjection.name) !== undefined) return undefined;
  const before = live.version(fundingProjection.name);
  const doc = live.view<AntennaFundingDoc>(fundingProjection.name).get(fundingAntennaKey(antennaId));
  if (live.version(fundingProjection.name) !== before) return undefined;
  // No await since the version was read: the checkpoint is that of the documents just read.
  const checkpoint = live.checkpoint(fundingProjection.name);
  const agreements = new Set((doc?.agreements ?? []).map((agreement) => agreement.agreementId));
  // Agreements committed after the checkpoint: only this type is read, from the checkpoint on.
  for await (const event of store.readAll({ after: checkpoint, types: ['FundingCommitted'] })) {
    if (event.data.antennaId === antennaId && typeof event.data.agreementId === 'string') agreements.add(event.data.agreementId);
  }
  return [streamIdOf('antenna', antennaId), streamIdOf('budget', antennaId), ...[...agreements].sort().map((agreementId) => streamIdOf('funding', agreementId))];
}

/**
 * Replays into fresh in-memory projections the events of `streams` that name `antennaId` and lie
 * inside the cut, in global (log) order: what {@link replayInMemory} builds for that antenna's
 * documents. `events` counts the events applied.
 */
export async function replayAntennaSubject(
  store: EventStore,
  projections: readonly Projection[],
  streams: readonly string[],
  antennaId: string,
  cut: EventCut = {},
): Promise<ReadModels & { events: number }> {
  const models = new Map(projections.map((projection) => [projection.name, new InMemoryReadModel(projection)]));
  const all = [...models.values()];
  const types = new Set(projections.flatMap((projection) => projection.handles));
  const inCut = cutFilter(cut);
  const found: StoredEvent[] = [];
  for (const streamId of new Set(streams)) {
    // The same test as the whole-log replay, on the event as stored (the cut, then the types).
    for await (const event of store.readStream(streamId)) if (types.has(event.type) && inCut(event)) found.push(event);
  }
  found.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  let events = 0;
  for (const event of found) {
    const current = await upcast(event, store);
    // Keys come from the event as projections see it (upcast), as in the whole-log replay.
    if (current.data.antennaId !== antennaId) continue;
    events++;
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
