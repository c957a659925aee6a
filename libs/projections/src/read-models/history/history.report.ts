import { formatCount, formatDate, HISTORY_EVENT_LABELS, historyEventLabel, ROLE_LABELS as USERS_ROLE_LABELS } from '@jalon/reporting';
import type { Column, Report, ReportParameters, ReportTable, Row } from '@jalon/reporting';
import { ReadModelView } from '../../projection';
import { compareFrench, UnknownAntennaError } from '../budget/report-helpers';
import { FrenchOrder, KeptForDocuments } from '../report-parts';
import { seenThroughACut } from './history-at-cut';
import {
  antennaFacts,
  antennaTrailIndex,
  factMatches,
  IndexedTrail,
  HISTORY_PROJECTION_NAME,
  HistoryActorDocument,
  HistoryAntennaDocument,
  HistoryDocument,
  HistoryEntry,
  HistoryFact,
  historyActors,
  historyAntennas,
  historyNames,
  programmeFacts,
  programmeJournal,
  programmeJournalMatching,
  wordEntries,
} from './history.projection';

/** What the builder reads: the `history` read model, live or replayed. */
export interface HistoryReadModels {
  view<Doc>(name: string): ReadModelView<Doc>;
}

/** The French name of each audited event type (kept under this name for the dashboard). */
export const EVENT_LABELS: Readonly<Record<string, string>> = HISTORY_EVENT_LABELS;

/** Users' roles, from the one table of labels (kept under this name for the dashboard). */
export const ROLE_LABELS: Readonly<Record<string, string>> = USERS_ROLE_LABELS;

/** Who recorded an entry: the name they had, or (for an event that kept none) their id. */
export function actorLabel(entry: Pick<HistoryEntry, 'actor' | 'actorName'>): string {
  return entry.actorName ?? entry.actor;
}

/** Filters and page of the trail; every one optional. */
export interface HistoryFilter {
  readonly antennaId?: string;
  /** Effective dates from this day… */
  readonly from?: string;
  /** …to this day, both included. */
  readonly to?: string;
  /** Id of who recorded the facts. */
  readonly actor?: string;
  readonly eventType?: string;
  /** 1-based; with `pageSize`, only that page is worded and returned. Neither: every matching entry. */
  readonly page?: number;
  readonly pageSize?: number;
  /** `asc`: log order (the default); `desc`: the most recent first. */
  readonly order?: 'asc' | 'desc';
}

export const DEFAULT_HISTORY_PAGE_SIZE = 50;

/** The antennas a filter may name, in French order of their names (kept while the names stay the same). */
const ANTENNA_CHOICES_ORDER = new FrenchOrder<HistoryAntennaDocument>((doc) => doc.name);
/** The filter form's antenna choices, derived again only when an antenna's document changed (a page no longer builds 1,000 of them). */
const ANTENNA_CHOICES = new KeptForDocuments((docs: readonly HistoryAntennaDocument[]) =>
  ANTENNA_CHOICES_ORDER.sort(docs).map(({ antennaId, name }) => ({ antennaId, name })),
);

/** The filter form's choices of who recorded facts, in French order, derived again only when one of them changed. */
const ACTOR_CHOICES = new KeptForDocuments((docs: readonly HistoryActorDocument[]) =>
  docs.map(({ actor, name, role }) => ({ actor, name, role })).sort((x, y) => compareFrench(x.name ?? x.actor, y.name ?? y.actor)),
);

/** `data` of the history report. */
export interface HistoryReportData {
  readonly antennaId: string | null;
  readonly candidacyId: string | null;
  readonly filters: HistoryFilter;
  /** Entries matching the filters, over every page. */
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly pageCount: number;
  /** This page's entries. */
  readonly entries: readonly HistoryEntry[];
  /** What the filters may name: every antenna and everyone who recorded a fact, by name (for a filter form). */
  readonly choices: {
    readonly antennas: readonly { readonly antennaId: string; readonly name: string }[];
    readonly actors: readonly { readonly actor: string; readonly name: string | null; readonly role: string }[];
  };
}

/**
 * The audit trail: of one antenna (with its candidacy, budget and funding) or of the whole
 * programme, filtered by effective dates, actor and kind of fact, paginated. Sentences are worded
 * now, only for the page returned; no cell shows an internal id or an ISO date. A page of the
 * whole programme's trail is read through the journal (unfiltered: that page's blocks only;
 * filtered: the journal's summaries, the blocks they cannot count, and that page's blocks), a page
 * of one antenna's unfiltered trail through its order (that page's facts only); any other read
 * merges the facts of the trail and filters them.
 */
export function buildHistoryReport(models: HistoryReadModels, parameters: ReportParameters & HistoryFilter): Report {
  return buildHistory(models, parameters, true);
}

/**
 * The same report, every read merging the whole trail (the journal and the antennas' orders
 * unused): the reference their pages are checked against.
 */
export function buildHistoryReportByWholeMerge(models: HistoryReadModels, parameters: ReportParameters & HistoryFilter): Report {
  return buildHistory(models, parameters, false);
}

function buildHistory(models: HistoryReadModels, parameters: ReportParameters & HistoryFilter, throughJournal: boolean): Report {
  const view = models.view<HistoryDocument>(HISTORY_PROJECTION_NAME);
  const names = historyNames(view);
  const { antennaId } = parameters;
  const antenna = antennaId === undefined ? undefined : names.antennaDocument(antennaId);
  const paginated = parameters.page !== undefined || parameters.pageSize !== undefined;
  const page = paginated ? (parameters.page ?? 1) : 1;
  const index = throughJournal && paginated ? trailIndex(view, parameters) : undefined;
  const fromIndex = index === undefined ? undefined : indexedPage(index, page, parameters);
  const { total, facts } = fromIndex ?? wholeTrailPage(view, page, paginated, parameters);
  const pageSize = paginated ? (parameters.pageSize ?? DEFAULT_HISTORY_PAGE_SIZE) : Math.max(total, 1);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const entries = wordEntries(facts, names);

  const subjectOf = (entry: HistoryEntry): string => {
    if (entry.antennaId !== null) return names.antenna(entry.antennaId) ?? 'Antenne';
    const v = entry.values;
    if (typeof v.candidacyId === 'string') {
      const territory = names.candidacy(v.candidacyId);
      return territory ? `Candidature de ${territory}` : 'Candidature';
    }
    if (typeof v.callId === 'string') return names.call(v.callId) ?? 'Appel à manifestation d’intérêt';
    if (typeof v.programmeId === 'string') return names.programme(v.programmeId) ?? 'Programme';
    return '';
  };

  const columns: Column[] = [
    { key: 'effectiveDate', label: 'Date d’effet', kind: 'date' },
    { key: 'recordedAt', label: 'Enregistré le', kind: 'timestamp' },
    { key: 'actor', label: 'Par', kind: 'text' },
    { key: 'role', label: 'Rôle', kind: 'text' },
    ...(antennaId === undefined ? [{ key: 'subject', label: 'Concerne', kind: 'text' } as const] : []),
    { key: 'event', label: 'Événement', kind: 'text' },
    { key: 'reason', label: 'Motif', kind: 'text' },
    { key: 'changes', label: 'Changement', kind: 'text' },
  ];
  const table: ReportTable = {
    title: 'Historique',
    columns,
    rows: entries.map(
      (entry): Row => ({
        effectiveDate: entry.effectiveDate,
        recordedAt: entry.recordedAt,
        actor: actorLabel(entry),
        role: ROLE_LABELS[entry.role] ?? entry.role,
        ...(antennaId === undefined ? { subject: subjectOf(entry) } : {}),
        event: historyEventLabel(entry.type),
        reason: entry.reason,
        changes: entry.changes,
      }),
    ),
  };

  const candidacyId = antenna?.candidacyId ?? null;
  const notes: string[] = [];
  const filterWords = describeFilters(parameters, names);
  if (filterWords !== '') notes.push(`Filtres : ${filterWords}.`);
  if (total === 0) notes.push(filterWords === '' ? 'Aucun événement à cette date.' : 'Aucun événement ne correspond à ces filtres.');
  else notes.push(`${formatCount(total, 'événement')}, ${parameters.order === 'desc' ? 'du plus récent au plus ancien' : 'dans l’ordre où ils ont été enregistrés'}.`);
  if (paginated) notes.push(`Page ${page} sur ${pageCount} (${formatCount(pageSize, 'événement')} par page).`);
  if (candidacyId !== null) {
    const territory = names.candidacy(candidacyId);
    notes.push(territory ? `Inclut les événements de la candidature de ${territory}.` : 'Inclut les événements de sa candidature.');
  }
  const withReason = entries.filter((entry) => entry.reason !== null).length;
  if (withReason > 0) notes.push(`${formatCount(withReason, 'événement')} avec un motif${paginated ? ' sur cette page' : ''}.`);

  const filters: HistoryFilter = {
    ...(antennaId !== undefined ? { antennaId } : {}),
    ...(parameters.from !== undefined ? { from: parameters.from } : {}),
    ...(parameters.to !== undefined ? { to: parameters.to } : {}),
    ...(parameters.actor !== undefined ? { actor: parameters.actor } : {}),
    ...(parameters.eventType !== undefined ? { eventType: parameters.eventType } : {}),
    ...(parameters.order !== undefined ? { order: parameters.order } : {}),
  };
  const choices = {
    antennas: ANTENNA_CHOICES.of(historyAntennas(view)),
    actors: ACTOR_CHOICES.of(historyActors(view)),
  };
  const data: HistoryReportData = { antennaId: antennaId ?? null, candidacyId, filters, total, page, pageSize, pageCount, entries, choices };
  // The filters are in the data; the line under the title names the antenna (antennaName).
  const { asOf, knownAt, referenceDate } = parameters;
  return {
    kind: 'history',
    title: antennaId === undefined ? 'Journal d’audit du programme' : `Historique de l’antenne — ${antenna?.name ?? 'antenne sans nom connu'}`,
    parameters: { ...(antennaId !== undefined ? { antennaId } : {}), ...(asOf !== undefined ? { asOf } : {}), ...(knownAt !== undefined ? { knownAt } : {}), referenceDate },
    ...(antenna?.name ? { antennaName: antenna.name } : {}),
    tables: [table],
    notes,
    data,
  };
}

/** One page of the trail, and how many facts match over every page. */
interface TrailPage {
  readonly total: number;
  readonly facts: readonly HistoryFact[];
}

/** True when a filter other than the antenna narrows the facts. */
function filtered(filter: HistoryFilter): boolean {
  return filter.from !== undefined || filter.to !== undefined || filter.actor !== undefined || filter.eventType !== undefined;
}

/**
 * The index a page of the trail is read through: the programme's journal (filtered or not), one
 * antenna's order (unfiltered, and not through a cut); undefined when the trail is merged.
 */
function trailIndex(view: ReadModelView<HistoryDocument>, parameters: HistoryFilter): IndexedTrail | undefined {
  if (parameters.antennaId === undefined) return filtered(parameters) ? programmeJournalMatching(view, parameters) : programmeJournal(view);
  return filtered(parameters) || seenThroughACut(view) ? undefined : antennaTrailIndex(view, parameters.antennaId);
}

/**
 * A page of a trail through its index (the programme's journal, filtered or not; an antenna's
 * order): it reads that page's facts only (undefined: the index disagrees with the entries).
 */
function indexedPage(trail: IndexedTrail, page: number, parameters: HistoryFilter): TrailPage | undefined {
  const pageSize = parameters.pageSize ?? DEFAULT_HISTORY_PAGE_SIZE;
  const { total } = trail;
  const first = Math.min((page - 1) * pageSize, total);
  const last = Math.min(page * pageSize, total);
  if (first >= last) return { total, facts: [] };
  // The most recent first: the page's facts are the same range counted from the end, reversed.
  const facts = parameters.order === 'desc' ? trail.slice(total - last, total - first)?.reverse() : trail.slice(first, last);
  return facts === undefined ? undefined : { total, facts };
}

/** A page of a trail read whole (an antenna's filtered, a trail read unpaginated, or where an index is not trusted): every fact is merged, then filtered. */
function wholeTrailPage(view: ReadModelView<HistoryDocument>, page: number, paginated: boolean, parameters: ReportParameters & HistoryFilter): TrailPage {
  const { antennaId } = parameters;
  const all = antennaId === undefined ? programmeFacts(view) : antennaFacts(view, antennaId);
  if (all === undefined) throw new UnknownAntennaError(String(antennaId), parameters);
  const matching = all.filter((fact) => factMatches(fact, parameters));
  if (parameters.order === 'desc') matching.reverse();
  if (!paginated) return { total: matching.length, facts: matching };
  const pageSize = parameters.pageSize ?? DEFAULT_HISTORY_PAGE_SIZE;
  return { total: matching.length, facts: matching.slice((page - 1) * pageSize, page * pageSize) };
}

/** The filters in French, naming things by their names (the antenna is named by the title). */
function describeFilters(filter: HistoryFilter, names: ReturnType<typeof historyNames>): string {
  const parts: string[] = [];
  if (filter.from !== undefined && filter.to !== undefined) parts.push(`date d’effet du ${formatDate(filter.from)} au ${formatDate(filter.to)}`);
  else if (filter.from !== undefined) parts.push(`date d’effet à partir du ${formatDate(filter.from)}`);
  else if (filter.to !== undefined) parts.push(`date d’effet jusqu’au ${formatDate(filter.to)}`);
  if (filter.actor !== undefined) parts.push(`enregistré par ${names.actor(filter.actor)?.name ?? 'une personne inconnue'}`);
  if (filter.eventType !== undefined) parts.push(`événements « ${historyEventLabel(filter.eventType)} »`);
  return parts.join(', ');
}

