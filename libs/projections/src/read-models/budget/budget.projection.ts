import { BUDGET_CATEGORIES } from '@jalon/domain';
import type {
  AntennaOpened,
  BudgetForecastRevised,
  BudgetForecastSet,
  BudgetLine,
  BudgetTrancheReleased,
  Cents,
  DocumentAttached,
  ExpenditureRecorded,
  ExpenditureReversed,
  FundingCommitted,
  IsoDate,
  TrancheReceived,
  TrancheReleaseReversed,
} from '@jalon/domain';
import { defineProjection, ProjectedEvent } from '../../projection';

/**
 * The budget read model (IATI: budget original / revised; transactions incoming commitment,
 * incoming funds, expenditure), per antenna and for the whole programme.
 *
 * Documents:
 * - `antenna:<antennaId>` ({@link AntennaBudgetDoc}): the antenna's figures per year and in total;
 * - `forecast:<antennaId>` ({@link BudgetForecastDoc}): the antenna's forecast as first set and as
 *   revised, and its revisions: apart from the figures, which every expenditure, release and
 *   receipt changes, so that recording one does not write the forecast again (it was three
 *   quarters of the antenna's document, and more than half of what a recorded expenditure wrote);
 * - `programme` ({@link ProgrammeBudgetDoc}): the same figures summed over every antenna;
 * - `expenditure:<antennaId>/<expenditureId>` ({@link BudgetExpenditureDoc}): one expenditure as
 *   recorded, and its reversal: the list an antenna's page shows (one small document each, so
 *   recording one never rewrites the others).
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
 * BudgetForecastRevised its `previousLines`), so no figures document remembers individual
 * expenditures or releases and none grows with their number.
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
  /** Each year and category whose amount this revision changed (before → after), by year then category. */
  readonly changes: readonly BudgetRevisionChange[];
}

/** A year and category of the forecast that a revision changed. */
export interface BudgetRevisionChange {
  readonly year: number;
  readonly category: string;
  readonly previousCents: Cents;
  readonly cents: Cents;
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
  /** Sorted by year; a year appears once anything is attributed to it. */
  readonly years: readonly BudgetYearFigures[];
  readonly totals: BudgetFigures;
}

export interface ProgrammeBudgetDoc {
  readonly kind: 'programme';
  readonly years: readonly BudgetYearFigures[];
  readonly totals: BudgetFigures;
}

/**
 * One expenditure of an antenna, as recorded, with its reversal once reversed. A field recorded on
 * the expenditure (supplier, invoice number…) is added here.
 */
export interface BudgetExpenditureDoc {
  readonly kind: 'expenditure';
  readonly antennaId: string;
  readonly expenditureId: string;
  readonly effectiveDate: IsoDate;
  readonly category: string;
  readonly amountCents: Cents;
  readonly description: string;
  /** The agreement it is charged to; null when charged to none. */
  readonly fundingAgreementId: string | null;
  /** Who was paid and their invoice number (ExpenditureRecorded version 2); null when not given. */
  readonly supplier: string | null;
  readonly invoiceNumber: string | null;
  /** The supporting documents attached to it (DocumentAttached), in the order they were attached. */
  readonly documents: readonly ExpenditureDocumentRef[];
  /** Null while it stands. */
  readonly reversal: { readonly effectiveDate: IsoDate; readonly reason: string } | null;
}

/** A document attached to an expenditure: enough to name it and download it (`/api/documents/<sha256>`). */
export interface ExpenditureDocumentRef {
  readonly sha256: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
  readonly effectiveDate: IsoDate;
}

/** The antenna's forecast as set and as revised (`forecast:<antennaId>`), from its first forecast on. */
export interface BudgetForecastDoc {
  readonly kind: 'forecast';
  readonly antennaId: string;
  readonly forecast: BudgetForecastHistory;
}

/** An antenna's forecast before it is set (it has no forecast document). */
export const NO_FORECAST: BudgetForecastHistory = { original: null, current: null, revisionCount: 0, revisions: [] };

export type BudgetDoc = AntennaBudgetDoc | ProgrammeBudgetDoc | BudgetExpenditureDoc | BudgetForecastDoc;

export const BUDGET_PROGRAMME_KEY = 'programme';
export const budgetAntennaKey = (antennaId: string): string => `antenna:${antennaId}`;
export const budgetForecastKey = (antennaId: string): string => `forecast:${antennaId}`;
const FORECAST_PREFIX = 'forecast:';
/** The prefix of an antenna's expenditure documents (listed in the order of their ids). */
export const budgetExpenditurePrefix = (antennaId: string): string => `expenditure:${antennaId}/`;
const EXPENDITURE_PREFIX = 'expenditure:';

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
  // 2: each revision keeps what it changed per year and category (`BudgetRevision.changes`);
  // each expenditure has its own document (`expenditure:<antennaId>/<expenditureId>`). 3: the
  // forecast has its own document (`forecast:<antennaId>`), no longer in the antenna's; the
  // programme's document no longer lists the antennas (nothing read the list, and every commit of
  // a money event wrote it again: 15 KB at 1,000 antennas).
  version: 3,
  handles: ['AntennaOpened', ...MONEY_EVENTS, 'DocumentAttached'],
  keysOf(event) {
    const antennaId = event.data.antennaId;
    if (typeof antennaId !== 'string') return [];
    if (event.type === 'AntennaOpened') return [budgetAntennaKey(antennaId)];
    if (event.type === 'DocumentAttached') {
      // Only an expenditure's documents are listed here; they change no figure.
      const subject = (event.data as DocumentAttached['data']).subject;
      return subject?.kind === 'expenditure' ? [`${budgetExpenditurePrefix(antennaId)}${subject.expenditureId}`] : [];
    }
    const keys = [budgetAntennaKey(antennaId), BUDGET_PROGRAMME_KEY];
    if (event.type === 'ExpenditureRecorded' || event.type === 'ExpenditureReversed') keys.push(`${budgetExpenditurePrefix(antennaId)}${String(event.data.expenditureId)}`);
    if (event.type === 'BudgetForecastSet' || event.type === 'BudgetForecastRevised') keys.push(budgetForecastKey(antennaId));
    return keys;
  },
  evolve(doc, event, key) {
    if (key === BUDGET_PROGRAMME_KEY) return evolveProgramme(doc?.kind === 'programme' ? doc : null, event);
    if (key.startsWith(EXPENDITURE_PREFIX)) return evolveExpenditure(doc?.kind === 'expenditure' ? doc : null, event);
    if (key.startsWith(FORECAST_PREFIX)) {
      const antennaId = key.slice(FORECAST_PREFIX.length);
      return { kind: 'forecast', antennaId, forecast: evolveForecast(doc?.kind === 'forecast' ? doc.forecast : NO_FORECAST, event) };
    }
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
      return { ...current, ...applyDeltas(current, deltasOf(event)) };
  }
}

function evolveExpenditure(doc: BudgetExpenditureDoc | null, event: ProjectedEvent): BudgetExpenditureDoc | null {
  switch (event.type) {
    case 'ExpenditureRecorded': {
      const data = event.data as ExpenditureRecorded['data'];
      if (doc) return doc; // recorded once: the domain refuses a second recording of the same id
      return {
        kind: 'expenditure',
        antennaId: data.antennaId,
        expenditureId: data.expenditureId,
        effectiveDate: data.effectiveDate,
        category: data.category,
        amountCents: data.amountCents,
        description: data.description,
        fundingAgreementId: data.fundingAgreementId ?? null,
        supplier: data.supplier ?? null,
        invoiceNumber: data.invoiceNumber ?? null,
        documents: [],
        reversal: null,
      };
    }
    case 'DocumentAttached': {
      const { sha256, fileName, mediaType, sizeBytes, effectiveDate } = event.data as DocumentAttached['data'];
      return doc ? { ...doc, documents: [...(doc.documents ?? []), { sha256, fileName, mediaType, sizeBytes, effectiveDate }] } : null;
    }
    case 'ExpenditureReversed': {
      const data = event.data as ExpenditureReversed['data'];
      return doc ? { ...doc, reversal: { effectiveDate: data.effectiveDate, reason: data.reason } } : null;
    }
    default:
      return doc;
  }
}

function evolveProgramme(doc: ProgrammeBudgetDoc | null, event: ProjectedEvent): ProgrammeBudgetDoc {
  const current = doc ?? emptyProgramme();
  return { ...current, ...applyDeltas(current, deltasOf(event)) };
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
        changes: revisionChanges(data.previousLines, data.lines),
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

/** The years and categories whose amount differs between two versions of the forecast, in the domain's category order. */
function revisionChanges(before: readonly BudgetLine[], after: readonly BudgetLine[]): BudgetRevisionChange[] {
  const cells = new Map<string, { year: number; category: string; previousCents: Cents; cents: Cents }>();
  const cell = (line: BudgetLine) => {
    const key = `${line.year}/${line.category}`;
    const found = cells.get(key) ?? { year: line.year, category: line.category, previousCents: 0, cents: 0 };
    cells.set(key, found);
    return found;
  };
  for (const line of before) cell(line).previousCents += line.amountCents;
  for (const line of after) cell(line).cents += line.amountCents;
  const order = (category: string) => {
    const index = (BUDGET_CATEGORIES as readonly string[]).indexOf(category);
    return index === -1 ? BUDGET_CATEGORIES.length : index;
  };
  return [...cells.values()]
    .filter((change) => change.previousCents !== change.cents)
    .sort((a, b) => a.year - b.year || order(a.category) - order(b.category) || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
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
    years: [],
    totals: ZERO_FIGURES,
  };
}

function emptyProgramme(): ProgrammeBudgetDoc {
  return { kind: 'programme', years: [], totals: ZERO_FIGURES };
}

function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** Own-property lookup: a key such as `__proto__` or `constructor` must not find `Object.prototype` members. */
function ownOr<T, D>(record: Readonly<Record<string, T>>, key: string, fallback: D): T | D {
  return Object.hasOwn(record, key) ? (record[key] as T) : fallback;
}
