import type {
  AntennaOpened,
  BudgetForecastRevised,
  BudgetForecastSet,
  BudgetLine,
  BudgetTrancheReleased,
  Cents,
  ExpenditureRecorded,
  ExpenditureReversed,
  FundingCommitted,
  IsoDate,
  TrancheReceived,
  TrancheReleaseReversed,
} from '@jalon/domain';
import { defineProjection, ProjectedEvent } from '../../projection';
import { lowerBound } from '../../sorted-keys';

/**
 * The budget read model (IATI: budget original / revised; transactions incoming commitment,
 * incoming funds, expenditure), per antenna and for the whole programme.
 *
 * Documents:
 * - `antenna:<antennaId>` ({@link AntennaBudgetDoc}): the antenna's forecast as first set and as
 *   revised, and its figures per year and in total;
 * - `programme` ({@link ProgrammeBudgetDoc}): the same figures summed over every antenna.
 *
 * Attribution to years (all by effective date, never by recorded time):
 * - forecast: the year of each forecast line;
 * - committed: the year of the commitment's effective date, per funder;
 * - released: the year of the release; a reversal cancels the release in the year of the
 *   release it reverses (so that a year's figure is what was released that year and still stands);
 * - received: the year of the receipt;
 * - spent: the year of the expenditure; a reversal takes the year of the expenditure it reverses.
 *
 * Every change is computed from the event alone: correction events carry what they correct
 * (ExpenditureReversed its `expenditureDate`, TrancheReleaseReversed its `releasedOn`,
 * BudgetForecastRevised its `previousLines`), so no document remembers individual expenditures or
 * releases and none grows with their number.
 *
 * Money is integer cents, only ever added or subtracted. `evolve` never mutates its input.
 */

/** The figures reported per year and in total. */
export interface BudgetFigures {
  /** The forecast as first set (IATI budget type 1). */
  readonly forecastOriginalCents: Cents;
  /** The forecast after the latest revision (IATI budget type 2); equals the original until revised. */
  readonly forecastCurrentCents: Cents;
  /** Every funder's commitments (IATI 11), summed. */
  readonly committedCents: Cents;
  /** Funder name → committed cents. */
  readonly committedByFunder: Readonly<Record<string, Cents>>;
  /** Tranches released and not reversed. */
  readonly releasedCents: Cents;
  /** Tranches received (IATI 1): what actually arrived. */
  readonly receivedCents: Cents;
  /** Expenditures recorded and not reversed (IATI 4). */
  readonly spentCents: Cents;
}

export interface BudgetYearFigures extends BudgetFigures {
  readonly year: number;
}

/** A version of the forecast: lines sorted by year then category, as the domain stores them. */
export interface ForecastVersion {
  readonly lines: readonly BudgetLine[];
  readonly totalCents: Cents;
  readonly effectiveDate: IsoDate;
}

export interface CurrentForecast extends ForecastVersion {
  /** 0 while never revised. */
  readonly revision: number;
}

export interface BudgetRevision {
  readonly revision: number;
  readonly effectiveDate: IsoDate;
  readonly reason: string;
  readonly previousTotalCents: Cents;
  readonly totalCents: Cents;
}

export interface BudgetForecastHistory {
  /** Null until the forecast is set. */
  readonly original: ForecastVersion | null;
  readonly current: CurrentForecast | null;
  readonly revisionCount: number;
  /** In the order they were made. */
  readonly revisions: readonly BudgetRevision[];
}

export interface AntennaBudgetDoc {
  readonly kind: 'antenna';
  readonly antennaId: string;
  /** From AntennaOpened; null until it is known. */
  readonly antennaName: string | null;
  readonly town: string | null;
  readonly forecast: BudgetForecastHistory;
  /** Sorted by year; a year appears once anything is attributed to it. */
  readonly years: readonly BudgetYearFigures[];
  readonly totals: BudgetFigures;
}

export interface ProgrammeBudgetDoc {
  readonly kind: 'programme';
  /** Antennas whose budget or funding figures are included, sorted. */
  readonly antennaIds: readonly string[];
  readonly years: readonly BudgetYearFigures[];
  readonly totals: BudgetFigures;
}

export type BudgetDoc = AntennaBudgetDoc | ProgrammeBudgetDoc;

export const BUDGET_PROGRAMME_KEY = 'programme';
export const budgetAntennaKey = (antennaId: string): string => `antenna:${antennaId}`;

const MONEY_EVENTS = [
  'BudgetForecastSet',
  'BudgetForecastRevised',
  'ExpenditureRecorded',
  'ExpenditureReversed',
  'FundingCommitted',
  'BudgetTrancheReleased',
  'TrancheReleaseReversed',
  'TrancheReceived',
] as const;

export const budgetProjection = defineProjection<BudgetDoc>({
  name: 'budget',
  version: 1,
  handles: ['AntennaOpened', ...MONEY_EVENTS],
  keysOf(event) {
    const antennaId = event.data.antennaId;
    if (typeof antennaId !== 'string') return [];
    if (event.type === 'AntennaOpened') return [budgetAntennaKey(antennaId)];
    return [budgetAntennaKey(antennaId), BUDGET_PROGRAMME_KEY];
  },
  evolve(doc, event, key) {
    if (key === BUDGET_PROGRAMME_KEY) return evolveProgramme(doc?.kind === 'programme' ? doc : null, event);
    return evolveAntenna(doc?.kind === 'antenna' ? doc : null, event, key.slice('antenna:'.length));
  },
});

// ---------------------------------------------------------------------------------------------
// Documents

function evolveAntenna(doc: AntennaBudgetDoc | null, event: ProjectedEvent, antennaId: string): AntennaBudgetDoc {
  const current = doc ?? emptyAntenna(antennaId);
  switch (event.type) {
    case 'AntennaOpened': {
      const data = event.data as AntennaOpened['data'];
      return { ...current, antennaName: data.name, town: data.town };
    }
    default:
      return { ...current, forecast: evolveForecast(current.forecast, event), ...applyDeltas(current, deltasOf(event)) };
  }
}

function evolveProgramme(doc: ProgrammeBudgetDoc | null, event: ProjectedEvent): ProgrammeBudgetDoc {
  const current = doc ?? emptyProgramme();
  return { ...current, antennaIds: withId(current.antennaIds, event.data.antennaId as string), ...applyDeltas(current, deltasOf(event)) };
}

/** The sorted ids with `id` in its place (the same array when already there): a binary search, as every money event asks. */
function withId(ids: readonly string[], id: string): readonly string[] {
  const index = lowerBound(ids, id);
  return ids[index] === id ? ids : [...ids.slice(0, index), id, ...ids.slice(index)];
}

function evolveForecast(forecast: BudgetForecastHistory, event: ProjectedEvent): BudgetForecastHistory {
  switch (event.type) {
    case 'BudgetForecastSet': {
      const data = event.data as BudgetForecastSet['data'];
      const version: ForecastVersion = { lines: data.lines, totalCents: data.totalCents, effectiveDate: data.effectiveDate };
      return { ...forecast, original: version, current: { ...version, revision: 0 } };
    }
    case 'BudgetForecastRevised': {
      const data = event.data as BudgetForecastRevised['data'];
      const revision: BudgetRevision = {
        revision: data.revision,
        effectiveDate: data.effectiveDate,
        reason: data.reason,
        previousTotalCents: data.previousTotalCents,
        totalCents: data.totalCents,
      };
      return {
        ...forecast,
        current: { lines: data.lines, totalCents: data.totalCents, effectiveDate: data.effectiveDate, revision: data.revision },
        revisionCount: forecast.revisionCount + 1,
        revisions: [...forecast.revisions, revision],
      };
    }
    default:
      return forecast;
  }
}

// ---------------------------------------------------------------------------------------------
// Deltas: what an event changes, as signed amounts per year and figure, from the event alone

type AmountField = 'forecastOriginalCents' | 'forecastCurrentCents' | 'releasedCents' | 'receivedCents' | 'spentCents';

type Delta =
  | { readonly year: number; readonly field: AmountField; readonly cents: Cents }
  | { readonly year: number; readonly field: 'committed'; readonly funder: string; readonly cents: Cents };

function deltasOf(event: ProjectedEvent): Delta[] {
  switch (event.type) {
    case 'BudgetForecastSet': {
      // The domain sets a forecast once, before any revision: both figures start from nothing.
      const byYear = forecastByYear((event.data as BudgetForecastSet['data']).lines);
      return [...restatement({}, byYear, 'forecastOriginalCents'), ...restatement({}, byYear, 'forecastCurrentCents')];
    }
    case 'BudgetForecastRevised': {
      const data = event.data as BudgetForecastRevised['data'];
      return restatement(forecastByYear(data.previousLines), forecastByYear(data.lines), 'forecastCurrentCents');
    }
    case 'ExpenditureRecorded': {
      const data = event.data as ExpenditureRecorded['data'];
      return [{ year: yearOf(data.effectiveDate), field: 'spentCents', cents: data.amountCents }];
    }
    case 'ExpenditureReversed': {
      const data = event.data as ExpenditureReversed['data'];
      // A reversal cancels the expenditure in the year the expenditure was booked.
      return [{ year: yearOf(data.expenditureDate), field: 'spentCents', cents: -data.amountCents }];
    }
    case 'FundingCommitted': {
      const data = event.data as FundingCommitted['data'];
      return [{ year: yearOf(data.effectiveDate), field: 'committed', funder: data.funder, cents: data.amountCents }];
    }
    case 'BudgetTrancheReleased': {
      const data = event.data as BudgetTrancheReleased['data'];
      return [{ year: yearOf(data.effectiveDate), field: 'releasedCents', cents: data.amountCents }];
    }
    case 'TrancheReleaseReversed': {
      const data = event.data as TrancheReleaseReversed['data'];
      // A reversal cancels the release in the year the release was booked.
      return [{ year: yearOf(data.releasedOn), field: 'releasedCents', cents: -data.amountCents }];
    }
    case 'TrancheReceived': {
      const data = event.data as TrancheReceived['data'];
      return [{ year: yearOf(data.effectiveDate), field: 'receivedCents', cents: data.amountCents }];
    }
    default:
      return [];
  }
}

function forecastByYear(lines: readonly BudgetLine[]): Record<string, Cents> {
  const byYear: Record<string, Cents> = {};
  for (const line of lines) byYear[String(line.year)] = (byYear[String(line.year)] ?? 0) + line.amountCents;
  return byYear;
}

/** A restated forecast changes each year by (new − old), including years it no longer mentions. */
function restatement(before: Readonly<Record<string, Cents>>, after: Readonly<Record<string, Cents>>, field: AmountField): Delta[] {
  const years = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return years
    .map((year): Delta => ({ year: Number(year), field, cents: ownOr(after, year, 0) - ownOr(before, year, 0) }))
    .filter((delta) => delta.cents !== 0);
}

// ---------------------------------------------------------------------------------------------
// Figures

export const ZERO_FIGURES: BudgetFigures = {
  forecastOriginalCents: 0,
  forecastCurrentCents: 0,
  committedCents: 0,
  committedByFunder: {},
  releasedCents: 0,
  receivedCents: 0,
  spentCents: 0,
};

function applyDeltas(
  doc: { readonly years: readonly BudgetYearFigures[]; readonly totals: BudgetFigures },
  deltas: readonly Delta[],
): { years: BudgetYearFigures[]; totals: BudgetFigures } {
  let years = [...doc.years];
  let totals = doc.totals;
  for (const delta of deltas) {
    totals = addTo(totals, delta);
    const index = years.findIndex((entry) => entry.year === delta.year);
    if (index >= 0) {
      years[index] = addTo(years[index]!, delta);
    } else {
      years = [...years, { year: delta.year, ...addTo(ZERO_FIGURES, delta) }].sort((a, b) => a.year - b.year);
    }
  }
  return { years, totals };
}

function addTo<F extends BudgetFigures>(figures: F, delta: Delta): F {
  // A copy with the same keys in the same order, changed before anyone sees it: every figures
  // object keeps one shape, which keeps reading and serialising them fast.
  const next: { -readonly [K in keyof F]: F[K] } = { ...figures };
  if (delta.field === 'committed') {
    next.committedCents += delta.cents;
    next.committedByFunder = { ...figures.committedByFunder, [delta.funder]: ownOr(figures.committedByFunder, delta.funder, 0) + delta.cents };
  } else {
    next[delta.field] += delta.cents;
  }
  return next;
}

function emptyAntenna(antennaId: string): AntennaBudgetDoc {
  return {
    kind: 'antenna',
    antennaId,
    antennaName: null,
    town: null,
    forecast: { original: null, current: null, revisionCount: 0, revisions: [] },
    years: [],
    totals: ZERO_FIGURES,
  };
}

function emptyProgramme(): ProgrammeBudgetDoc {
  return { kind: 'programme', antennaIds: [], years: [], totals: ZERO_FIGURES };
}

function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** Own-property lookup: a key such as `__proto__` or `constructor` must not find `Object.prototype` members. */
function ownOr<T, D>(record: Readonly<Record<string, T>>, key: string, fallback: D): T | D {
  return Object.hasOwn(record, key) ? (record[key] as T) : fallback;
}
