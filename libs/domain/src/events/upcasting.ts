import { LearnersReported } from '../antenna/antenna.events';
import { learnersReportedV1 } from '../antenna/antenna.upcasters';
import { BudgetForecastRevised, BudgetForecastSet, BudgetLine, ExpenditureRecorded } from '../budget/budget.events';
import { budgetForecastRevisedV1, expenditureRecordedV1, expenditureReversedV1, RecordedExpenditure } from '../budget/budget.upcasters';
import { BudgetTrancheReleased } from '../funding/funding.events';
import { fundingCommittedV1, TrancheRelease, trancheReleaseReversedV1 } from '../funding/funding.upcasters';
import { EventUpcastError, Upcaster, VersionedMap } from '../shared';
import { currentVersionOf } from './event-versions';

/** An event as stored: its type, the schema version of its data, its data. */
export interface VersionedEvent {
  readonly type: string;
  readonly version: number;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * What the upcasters need from a stream's earlier events, folded from the few types that tell it
 * (read at their current version). Small: one entry per expenditure, tranche and month.
 */
export interface StreamHistory {
  /** Recorded expenditures by id (budget streams). */
  readonly expenditures: VersionedMap<string, RecordedExpenditure>;
  /** The lines of the forecast in force (budget streams). */
  readonly forecastLines: readonly BudgetLine[] | undefined;
  /** Each tranche's latest release, by agreement and tranche (funding streams). */
  readonly releases: VersionedMap<string, TrancheRelease>;
  /** The count last reported for each month (antenna streams). */
  readonly learners: VersionedMap<string, number>;
}

export function emptyStreamHistory(): StreamHistory {
  return { expenditures: VersionedMap.empty(), forecastLines: undefined, releases: VersionedMap.empty(), learners: VersionedMap.empty() };
}

/** Folds one event of the stream, read at its current version, into what later upcasts of the stream may need. */
export function evolveStreamHistory(history: StreamHistory, event: Pick<VersionedEvent, 'type' | 'data'>): StreamHistory {
  switch (event.type) {
    case 'ExpenditureRecorded': {
      // Only what an upcaster reads: a kept history holds no descriptions.
      const { expenditureId, category, amountCents, fundingAgreementId, effectiveDate } = event.data as ExpenditureRecorded['data'];
      const recorded: RecordedExpenditure = {
        expenditureId,
        category,
        amountCents,
        ...(fundingAgreementId === undefined ? {} : { fundingAgreementId }),
        effectiveDate,
      };
      return { ...history, expenditures: history.expenditures.set(expenditureId, recorded) };
    }
    case 'BudgetForecastSet':
    case 'BudgetForecastRevised':
      return { ...history, forecastLines: (event.data as BudgetForecastSet['data'] | BudgetForecastRevised['data']).lines };
    case 'BudgetTrancheReleased': {
      const { agreementId, trancheId, amountCents, effectiveDate } = event.data as BudgetTrancheReleased['data'];
      const release: TrancheRelease = { agreementId, trancheId, amountCents, effectiveDate };
      return { ...history, releases: history.releases.set(releaseKey(agreementId, trancheId), release) };
    }
    case 'LearnersReported': {
      const data = event.data as LearnersReported['data'];
      return { ...history, learners: history.learners.set(data.period, data.learners) };
    }
    default:
      return history;
  }
}

interface UpcastStep {
  readonly upcaster: Upcaster<string, any, any, any>;
  /** Picks, from the stream's history, what this upcaster needs for this data. */
  readonly needs: (history: StreamHistory, data: any) => unknown;
}

function step<Old, New, History>(
  upcaster: Upcaster<string, Old, New, History>,
  needs: (history: StreamHistory, data: Old) => History,
): UpcastStep {
  return { upcaster, needs };
}

/** Every change of shape, one upcaster each. A version bump without its upcaster fails the spec "every older version has an upcaster". */
export const UPCAST_STEPS: readonly UpcastStep[] = [
  step(expenditureReversedV1, (history, data) => history.expenditures.get(data.expenditureId)),
  step(budgetForecastRevisedV1, (history) => history.forecastLines),
  step(trancheReleaseReversedV1, (history, data) => history.releases.get(releaseKey(data.agreementId, data.trancheId))),
  step(learnersReportedV1, (history, data) => history.learners.get(data.period)),
  step(fundingCommittedV1, () => undefined),
  step(expenditureRecordedV1, () => undefined),
];

const STEPS: ReadonlyMap<string, UpcastStep> = new Map(UPCAST_STEPS.map((s) => [stepKey(s.upcaster.type, s.upcaster.from), s]));

/** Returned by {@link upcastWithoutHistory} when the event lacks what only its stream's earlier events tell. */
export const NEEDS_STREAM_HISTORY: unique symbol = Symbol('needs the stream history');

/**
 * `event` read at its type's current version, its data upcast one version at a time; the same
 * object when it is current already, or of a type the registry does not know. Pure. `history` is
 * the stream's events before this one, folded by {@link evolveStreamHistory}.
 */
export function upcastEvent<E extends VersionedEvent>(event: E, history: StreamHistory): E {
  return upcastWith(event, history) as E;
}

/** The same, for an event that needs nothing from its stream: {@link NEEDS_STREAM_HISTORY} when it does. */
export function upcastWithoutHistory<E extends VersionedEvent>(event: E): E | typeof NEEDS_STREAM_HISTORY {
  return upcastWith(event, undefined);
}

function upcastWith<E extends VersionedEvent>(event: E, history: StreamHistory | undefined): E | typeof NEEDS_STREAM_HISTORY {
  const current = currentVersionOf(event.type);
  if (current === undefined || event.version === current) return event;
  if (event.version > current) {
    throw new EventUpcastError(
      `${event.type} is stored at version ${event.version}, and this code reads it up to version ${current}: it was written by a later release`,
    );
  }
  let data: unknown = event.data;
  for (let version = event.version; version < current; version++) {
    const found = STEPS.get(stepKey(event.type, version));
    if (!found) throw new EventUpcastError(`${event.type} has no upcaster from version ${version}`);
    const { upcaster, needs } = found;
    if (history === undefined && upcaster.needsHistory(data)) return NEEDS_STREAM_HISTORY;
    data = upcaster.upcast(data, history === undefined ? undefined : needs(history, data));
  }
  return { ...event, version: current, data };
}

function stepKey(type: string, from: number): string {
  return `${type}@${from}`;
}

function releaseKey(agreementId: string, trancheId: string): string {
  return `${agreementId}\n${trancheId}`;
}
