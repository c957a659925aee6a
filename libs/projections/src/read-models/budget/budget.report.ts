import { BUDGET_CATEGORIES, type BudgetLine, type Cents } from '@jalon/domain';
import type { Column, Report, ReportParameters, ReportTable, Row } from '@jalon/reporting';
import {
  AntennaBudgetDoc,
  BUDGET_PROGRAMME_KEY,
  budgetAntennaKey,
  BudgetDoc,
  BudgetFigures,
  BudgetForecastHistory,
  budgetForecastKey,
  budgetProjection,
  BudgetYearFigures,
  ProgrammeBudgetDoc,
  NO_FORECAST,
  ZERO_FIGURES,
} from './budget.projection';
import { categoryLabel, compareFrench, rateBasisPoints, ReadModels, UnknownAntennaError } from './report-helpers';
import { FrenchOrder, KeptForDocuments, keptOnly, PartsByDocument } from '../report-parts';

/**
 * The budget report: forecast (original and revised) against committed, released, received and
 * spent, per year and in total, with the variance (revised forecast − spent) and the execution
 * rate (spent / revised forecast, in basis points rounded to the nearest, a half away from zero, as
 * every rate of every output (rateBasisPoints); null when the forecast is 0).
 * With `parameters.antennaId`: that antenna; without: the programme, plus one row per antenna.
 * Time travel is the caller's business: it hands in read models replayed up to the cut.
 */
export function buildBudgetReport(models: ReadModels, parameters: ReportParameters): Report<BudgetReportData> {
  const view = models.view<BudgetDoc>(budgetProjection.name);
  if (parameters.antennaId !== undefined) {
    const doc = view.get(budgetAntennaKey(parameters.antennaId));
    if (doc === undefined || doc.kind !== 'antenna') throw new UnknownAntennaError(parameters.antennaId, parameters);
    const forecast = view.get(budgetForecastKey(parameters.antennaId));
    return antennaReport(doc, forecast?.kind === 'forecast' ? forecast.forecast : NO_FORECAST, parameters);
  }
  const programme = view.get(BUDGET_PROGRAMME_KEY);
  const antennas = keptOnly(view.list('antenna:'), (doc): doc is AntennaBudgetDoc => doc.kind === 'antenna');
  return programmeReport(programme?.kind === 'programme' ? programme : null, antennas, parameters);
}

/** A figure line with what the report derives from it. */
export interface BudgetReportFigures extends BudgetFigures {
  /** Revised forecast − spent (negative when overspent). */
  readonly varianceCents: Cents;
  /** Spent / revised forecast in basis points, rounded to the nearest (rateBasisPoints); null when the forecast is 0. */
  readonly executionRateBasisPoints: number | null;
}

export interface BudgetReportData {
  readonly scope: 'antenna' | 'programme';
  readonly antenna: { readonly antennaId: string; readonly antennaName: string | null; readonly town: string | null } | null;
  readonly years: readonly (BudgetReportFigures & { readonly year: number })[];
  readonly totals: BudgetReportFigures;
  /** Antenna scope: the forecast as set and as revised, and the revisions. */
  readonly forecast?: BudgetForecastHistory;
  /** Programme scope: each antenna's totals. */
  readonly antennas?: readonly (BudgetReportFigures & { readonly antennaId: string; readonly antennaName: string | null; readonly town: string | null })[];
}

export const BUDGET_TABLE_TITLES = {
  years: 'Prévisionnel et exécution par année',
  funders: 'Engagements par financeur',
  revisions: 'Révisions du prévisionnel',
  revisionChanges: 'Détail des révisions par année et par catégorie',
  categories: 'Prévisionnel par année et par catégorie',
  antennas: 'Budget par antenne',
} as const;

const NOTE_DEFINITIONS =
  'Écart = prévisionnel révisé − dépensé ; taux d’exécution = dépensé / prévisionnel révisé, arrondi au centième de point le plus proche.';

/**
 * How reversals are attributed to years (budget.projection.ts): in the year of what they reverse,
 * whereas the statement of expenditure dates them on the day they took effect. Said in every
 * budget report, so that finance staff reading both know why a closed year's column changed.
 */
export const NOTE_REVERSALS =
  'Annulations : une dépense ou un versement annulé est retiré de l’année de la dépense ou du versement qu’il annule, même si l’annulation prend effet une année suivante ; le dépensé et le versé d’une année close peuvent donc baisser après sa clôture, sans aucun fait daté de cette année. L’état récapitulatif des dépenses date au contraire chaque annulation du jour où elle a pris effet : pour la même période, ses montants peuvent différer de ceux de ce budget.';

function antennaReport(doc: AntennaBudgetDoc, forecast: BudgetForecastHistory, parameters: ReportParameters): Report<BudgetReportData> {
  const name = doc.antennaName ?? doc.antennaId;
  const notes = [NOTE_DEFINITIONS, NOTE_REVERSALS];
  if (forecast.original === null) notes.push('Aucun prévisionnel n’a encore été établi pour cette antenne.');
  const data: BudgetReportData = {
    scope: 'antenna',
    antenna: { antennaId: doc.antennaId, antennaName: doc.antennaName, town: doc.town },
    years: doc.years.map((year) => ({ ...derive(year), year: year.year })),
    totals: derive(doc.totals),
    forecast,
  };
  return {
    kind: 'budget',
    title: `Budget de l’antenne ${name}${doc.town ? ` (${doc.town})` : ''}`,
    parameters,
    ...(doc.antennaName ? { antennaName: doc.antennaName } : {}),
    tables: [
      yearTable(doc.years, doc.totals),
      funderTable(doc.years, doc.totals),
      revisionTable(forecast),
      categoryTable(forecast),
      revisionChangesTable(forecast),
    ],
    notes,
    data,
  };
}

function programmeReport(doc: ProgrammeBudgetDoc | null, antennas: readonly AntennaBudgetDoc[], parameters: ReportParameters): Report<BudgetReportData> {
  // The programme's own figures and tables, derived once per committed programme document.
  const programme = doc === null ? programmePart(null) : PROGRAMME_PARTS.of(doc, '', programmePart);
  const sorted = BUDGET_ORDER.sort(antennas);
  // Each antenna's line and row, derived once per committed document, and put end to end once
  // while they are the same parts (report-parts.ts).
  const parts = new Array<BudgetPart>(sorted.length);
  for (let i = 0; i < sorted.length; i++) parts[i] = BUDGET_PARTS.of(sorted[i]!, '', antennaPart);
  const whole = BUDGET_WHOLE.of(parts);
  const data: BudgetReportData = {
    scope: 'programme',
    antenna: null,
    years: programme.years,
    totals: programme.totals,
    antennas: whole.lines,
  };
  return {
    kind: 'budget',
    title: 'Budget du programme — toutes antennes',
    parameters,
    tables: [programme.yearTable, antennaTable(whole.rows, doc?.totals ?? ZERO_FIGURES), programme.funderTable],
    notes: [NOTE_DEFINITIONS, NOTE_REVERSALS],
    data,
  };
}

/** What the programme report takes from the programme's document alone. */
interface ProgrammePart {
  readonly years: BudgetReportData['years'];
  readonly totals: BudgetReportFigures;
  readonly yearTable: ReportTable;
  /** Every funder of every year in French order: the costliest table to put together at each query. */
  readonly funderTable: ReportTable;
}

function programmePart(doc: ProgrammeBudgetDoc | null): ProgrammePart {
  const years = doc?.years ?? [];
  const totals = doc?.totals ?? ZERO_FIGURES;
  return {
    years: years.map((year) => ({ ...derive(year), year: year.year })),
    totals: derive(totals),
    yearTable: yearTable(years, totals),
    funderTable: funderTable(years, totals),
  };
}

function derive(figures: BudgetFigures): BudgetReportFigures {
  return {
    forecastOriginalCents: figures.forecastOriginalCents,
    forecastCurrentCents: figures.forecastCurrentCents,
    committedCents: figures.committedCents,
    committedByFunder: figures.committedByFunder,
    releasedCents: figures.releasedCents,
    receivedCents: figures.receivedCents,
    spentCents: figures.spentCents,
    varianceCents: figures.forecastCurrentCents - figures.spentCents,
    executionRateBasisPoints: rateBasisPoints(figures.spentCents, figures.forecastCurrentCents),
  };
}

const FIGURE_COLUMNS: readonly Column[] = [
  { key: 'forecastOriginal', label: 'Prévisionnel initial', kind: 'money' },
  { key: 'forecastCurrent', label: 'Prévisionnel révisé', kind: 'money' },
  { key: 'committed', label: 'Engagé', kind: 'money' },
  { key: 'released', label: 'Versé', kind: 'money' },
  { key: 'received', label: 'Reçu', kind: 'money' },
  { key: 'spent', label: 'Dépensé', kind: 'money' },
  { key: 'variance', label: 'Écart', kind: 'money' },
  { key: 'executionRate', label: 'Taux d’exécution', kind: 'percent' },
];

function figureCells(figures: BudgetFigures): Row {
  const derived = derive(figures);
  return {
    forecastOriginal: derived.forecastOriginalCents,
    forecastCurrent: derived.forecastCurrentCents,
    committed: derived.committedCents,
    released: derived.releasedCents,
    received: derived.receivedCents,
    spent: derived.spentCents,
    variance: derived.varianceCents,
    executionRate: derived.executionRateBasisPoints,
  };
}

function yearTable(years: readonly BudgetYearFigures[], totals: BudgetFigures): ReportTable {
  return {
    title: BUDGET_TABLE_TITLES.years,
    columns: [{ key: 'year', label: 'Année', kind: 'year' }, ...FIGURE_COLUMNS],
    rows: years.map((year) => ({ year: year.year, ...figureCells(year) })),
    totals: { year: 'Total', ...figureCells(totals) },
  };
}

type AntennaLine = NonNullable<BudgetReportData['antennas']>[number];

/** One antenna's line of the programme report and its row of the table « Budget par antenne ». */
interface BudgetPart {
  readonly line: AntennaLine;
  readonly row: Row;
}

const BUDGET_PARTS = new PartsByDocument<AntennaBudgetDoc, BudgetPart>(1);
const PROGRAMME_PARTS = new PartsByDocument<ProgrammeBudgetDoc, ProgrammePart>(1);
/** The last report's antenna parts put end to end: its lines and the rows of « Budget par antenne ». */
const BUDGET_WHOLE = new KeptForDocuments((parts: readonly BudgetPart[]) => ({ lines: parts.map((part) => part.line), rows: parts.map((part) => part.row) }));
const BUDGET_ORDER = new FrenchOrder<AntennaBudgetDoc>((doc) => doc.antennaName ?? doc.antennaId);

function antennaPart(antenna: AntennaBudgetDoc): BudgetPart {
  return {
    line: { antennaId: antenna.antennaId, antennaName: antenna.antennaName, town: antenna.town, ...derive(antenna.totals) },
    row: { antenna: antenna.antennaName ?? antenna.antennaId, town: antenna.town, ...figureCells(antenna.totals) },
  };
}

function antennaTable(rows: readonly Row[], totals: BudgetFigures): ReportTable {
  return {
    title: BUDGET_TABLE_TITLES.antennas,
    columns: [{ key: 'antenna', label: 'Antenne', kind: 'text' }, { key: 'town', label: 'Ville', kind: 'text' }, ...FIGURE_COLUMNS],
    rows,
    totals: { antenna: 'Total', town: null, ...figureCells(totals) },
  };
}

function funderTable(years: readonly BudgetYearFigures[], totals: BudgetFigures): ReportTable {
  const rows = years
    .flatMap((year) => Object.entries(year.committedByFunder).map(([funder, cents]) => ({ funder, year: year.year, cents })))
    .filter((row) => row.cents !== 0)
    .sort((a, b) => compareFrench(a.funder, b.funder) || a.year - b.year)
    .map((row): Row => ({ funder: row.funder, year: row.year, committed: row.cents }));
  return {
    title: BUDGET_TABLE_TITLES.funders,
    columns: [
      { key: 'funder', label: 'Financeur', kind: 'text' },
      { key: 'year', label: 'Année', kind: 'year' },
      { key: 'committed', label: 'Engagé', kind: 'money' },
    ],
    rows,
    totals: { funder: 'Total', year: null, committed: totals.committedCents },
  };
}

function revisionTable(forecast: BudgetForecastHistory): ReportTable {
  return {
    title: BUDGET_TABLE_TITLES.revisions,
    columns: [
      { key: 'revision', label: 'Révision', kind: 'integer' },
      { key: 'effectiveDate', label: 'Date d’effet', kind: 'date' },
      { key: 'reason', label: 'Motif', kind: 'text' },
      { key: 'previousTotal', label: 'Total précédent', kind: 'money' },
      { key: 'total', label: 'Nouveau total', kind: 'money' },
      { key: 'change', label: 'Variation', kind: 'money-change' },
    ],
    rows: forecast.revisions.map((revision) => ({
      revision: revision.revision,
      effectiveDate: revision.effectiveDate,
      reason: revision.reason,
      previousTotal: revision.previousTotalCents,
      total: revision.totalCents,
      change: revision.totalCents - revision.previousTotalCents,
    })),
  };
}

/** What each revision changed, one row per year and category it changed: before, after, variation. */
function revisionChangesTable(forecast: BudgetForecastHistory): ReportTable {
  return {
    title: BUDGET_TABLE_TITLES.revisionChanges,
    columns: [
      { key: 'revision', label: 'Révision', kind: 'integer' },
      { key: 'year', label: 'Année', kind: 'year' },
      { key: 'category', label: 'Catégorie', kind: 'text' },
      { key: 'previous', label: 'Avant', kind: 'money' },
      { key: 'current', label: 'Après', kind: 'money' },
      { key: 'change', label: 'Variation', kind: 'money-change' },
    ],
    rows: forecast.revisions.flatMap((revision) =>
      revision.changes.map(
        (change): Row => ({
          revision: revision.revision,
          year: change.year,
          category: categoryLabel(change.category),
          previous: change.previousCents,
          current: change.cents,
          change: change.cents - change.previousCents,
        }),
      ),
    ),
  };
}

/** Original and revised forecast side by side, one row per year and category. */
function categoryTable(forecast: BudgetForecastHistory): ReportTable {
  const original = forecast.original?.lines ?? [];
  const current = forecast.current?.lines ?? [];
  const cells = new Map<string, { year: number; category: string; original: Cents; current: Cents }>();
  const cell = (line: BudgetLine) => {
    const key = `${line.year}/${line.category}`;
    const found = cells.get(key) ?? { year: line.year, category: line.category, original: 0, current: 0 };
    cells.set(key, found);
    return found;
  };
  for (const line of original) cell(line).original += line.amountCents;
  for (const line of current) cell(line).current += line.amountCents;
  // Categories in the domain's order; an unknown code (none today) would come last.
  const order = (category: string) => {
    const index = (BUDGET_CATEGORIES as readonly string[]).indexOf(category);
    return index === -1 ? BUDGET_CATEGORIES.length : index;
  };
  const rows = [...cells.values()]
    .sort((a, b) => a.year - b.year || order(a.category) - order(b.category) || compareFrench(a.category, b.category))
    .map((entry): Row => ({
      year: entry.year,
      category: categoryLabel(entry.category),
      original: entry.original,
      current: entry.current,
      change: entry.current - entry.original,
    }));
  const originalTotal = forecast.original?.totalCents ?? 0;
  const currentTotal = forecast.current?.totalCents ?? 0;
  return {
    title: BUDGET_TABLE_TITLES.categories,
    columns: [
      { key: 'year', label: 'Année', kind: 'year' },
      { key: 'category', label: 'Catégorie', kind: 'text' },
      { key: 'original', label: 'Prévisionnel initial', kind: 'money' },
      { key: 'current', label: 'Prévisionnel révisé', kind: 'money' },
      { key: 'change', label: 'Variation', kind: 'money-change' },
    ],
    rows,
    totals: { year: 'Total', category: null, original: originalTotal, current: currentTotal, change: currentTotal - originalTotal },
  };
}
