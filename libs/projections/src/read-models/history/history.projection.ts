import { formatEuros } from '@jalon/reporting';
import type {
  AntennaClosed,
  AntennaInaugurated,
  AntennaOpened,
  AntennaSuspended,
  BudgetForecastRevised,
  BudgetForecastSet,
  BudgetTrancheReleased,
  CandidacyPartnerAdded,
  CandidacyRejected,
  CandidacySelected,
  CandidacySubmitted,
  CandidacyWithdrawn,
  ExpenditureRecorded,
  ExpenditureReversed,
  FundingAgreementClosed,
  FundingCommitted,
  LearnersReported,
  MilestoneReached,
  PhaseCompleted,
  PhasePlanned,
  PhaseRescheduled,
  PhaseStarted,
  TrainingCourseOpened,
  TrancheReceived,
  TrancheReleaseReversed,
} from '@jalon/domain';
import { defineProjection, ProjectedEvent, ReadModelView } from '../../projection';

/**
 * The audit trail of each antenna: every event of the antenna, of its candidacy, of its budget
 * and of its funding agreements, in log order, with when it took effect, when and by whom it was
 * recorded, why (for corrections), and a short French description of what changed.
 *
 * Documents, so that an event changes one small document and a trail reads a few dozen:
 * - `antenna:<antennaId>:entries:<streamId>:<block>`: the entries of up to
 *   {@link ENTRIES_PER_DOCUMENT} consecutive events of one stream of the antenna, its budget or
 *   its funding (they all carry `antennaId`), in log order; the block is the event's revision
 *   divided by that number, zero-padded. One document per entry would cost a storage row per event
 *   (most of a replay's time); one per antenna would copy an ever longer list at each event. The
 *   entries are stored compactly (see {@link HistoryEntriesDocument}): the history holds a row for
 *   every event of the log, and a replay writes them all.
 * - `candidacy:<candidacyId>:entries:<streamId>:<block>`: the same for the candidacy's events;
 * - `antenna:<antennaId>`: the antenna's summary (name and candidacy id), from AntennaOpened.
 * Entries are listed with their own prefix (`antenna:<id>:entries:`) and merged by position;
 * never list `antenna:` here, that would return entries too.
 *
 * Why the candidacy's entries are kept under the candidacy, joined when read (see
 * {@link antennaTrail}), rather than copied under the antenna: candidacy events do not carry an
 * antenna id, `keysOf` sees only the event (it cannot look up which antenna a candidacy became),
 * and `evolve` sees only the document it changes. So the summary keeps the candidacy id and the
 * trail merges both lists by log position. Candidacy events recorded before the opening and those
 * after it (a withdrawal, a late partner) both appear, in every antenna opened from the
 * candidacy, and replaying never depends on which document was written first.
 *
 * Replays are idempotent: an event applied again replaces its own entry, found by position.
 * Descriptions need no state: a learner correction carries the count it corrects.
 */

export interface HistoryEntry {
  /** Global log position, as a string (positions are bigints; documents are plain JSON). */
  readonly position: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  /** `YYYY-MM-DD`; null only for an event without an effective date (none in the domain). */
  readonly effectiveDate: string | null;
  readonly recordedAt: string;
  /** Id of who recorded the event. */
  readonly actor: string;
  /** Their display name at the time, when the event kept it. */
  readonly actorName: string | null;
  readonly role: string;
  readonly reason: string | null;
  /** What changed, in French. */
  readonly changes: string;
}

/** `antenna:<antennaId>`: what the report says of the antenna besides its entries. */
export interface HistoryAntennaDocument {
  readonly kind: 'antenna';
  readonly antennaId: string;
  readonly name: string;
  readonly candidacyId: string;
}

/**
 * `antenna:<antennaId>:entries:<streamId>:<block>` or `candidacy:<candidacyId>:entries:<streamId>:<block>`:
 * one row per event of the block, in log order, with what the stream and the recorders share
 * written once. Read it as {@link HistoryEntry} objects with {@link antennaEntries} or
 * {@link candidacyEntries}.
 */
export interface HistoryEntriesDocument {
  readonly kind: 'entries';
  readonly streamId: string;
  /** Everyone who recorded an event of the block, once each. */
  readonly recorders: readonly HistoryRecorder[];
  readonly rows: readonly HistoryRow[];
}

export type HistoryRecorder = readonly [actor: string, actorName: string | null, role: string];

/** An entry without its stream, `recorder` indexing the document's recorders. */
export type HistoryRow = readonly [
  position: string,
  revision: number,
  type: string,
  effectiveDate: string | null,
  recordedAt: string,
  recorder: number,
  reason: string | null,
  changes: string,
];

export type HistoryDocument = HistoryAntennaDocument | HistoryEntriesDocument;

export const HISTORY_PROJECTION_NAME = 'history';

/** Key of an antenna's summary document (read it with `get`). */
export const historyAntennaKey = (antennaId: string): string => `antenna:${antennaId}`;
/** Prefix of an antenna's entry documents (list it, then merge by position: see {@link antennaEntries}). */
export const antennaEntriesPrefix = (antennaId: string): string => `antenna:${antennaId}:entries:`;
/** Prefix of a candidacy's entry documents (list it, then merge by position: see {@link candidacyEntries}). */
export const candidacyEntriesPrefix = (candidacyId: string): string => `candidacy:${candidacyId}:entries:`;
/**
 * The root of a candidacy's keys. No document is stored under it any more (the candidacy has
 * only entry documents): read its entries with {@link candidacyEntries}.
 */
export const candidacyIndexKey = (candidacyId: string): string => `candidacy:${candidacyId}`;

/** Entries of one stream held by one document: a document never grows beyond this. */
export const ENTRIES_PER_DOCUMENT = 32;

/** The key part naming the document of `event`'s entry: its stream, and its block of revisions zero-padded so that key order is revision order. */
export const entriesBlock = (event: Pick<ProjectedEvent, 'streamId' | 'revision'>): string =>
  `${event.streamId}:${String(Math.floor(event.revision / ENTRIES_PER_DOCUMENT)).padStart(16, '0')}`;

const CANDIDACY_EVENTS = ['CandidacySubmitted', 'CandidacyPartnerAdded', 'CandidacySelected', 'CandidacyRejected', 'CandidacyWithdrawn', 'CandidacyAntennaAssigned'];
const ANTENNA_EVENTS = [
  'AntennaOpened',
  'PhasePlanned',
  'PhaseStarted',
  'MilestoneReached',
  'PhaseRescheduled',
  'PhaseCompleted',
  'AntennaInaugurated',
  'TrainingCourseOpened',
  'LearnersReported',
  'AntennaSuspended',
  'AntennaResumed',
  'AntennaClosed',
];
const BUDGET_EVENTS = ['BudgetForecastSet', 'BudgetForecastRevised', 'ExpenditureRecorded', 'ExpenditureReversed'];
const FUNDING_EVENTS = ['FundingCommitted', 'FundingPublicDataRecorded', 'BudgetTrancheReleased', 'TrancheReceived', 'TrancheReleaseReversed', 'FundingAgreementClosed'];

export const historyProjection = defineProjection<HistoryDocument>({
  name: HISTORY_PROJECTION_NAME,
  // 3: the audit trail also shows an antenna claimed on its candidacy and an agreement's public data.
  version: 3,
  handles: [...CANDIDACY_EVENTS, ...ANTENNA_EVENTS, ...BUDGET_EVENTS, ...FUNDING_EVENTS],
  keysOf(event) {
    if (CANDIDACY_EVENTS.includes(event.type)) return [`${candidacyEntriesPrefix(event.data.candidacyId)}${entriesBlock(event)}`];
    if (typeof event.data.antennaId !== 'string') return [];
    const entriesKey = `${antennaEntriesPrefix(event.data.antennaId)}${entriesBlock(event)}`;
    return event.type === 'AntennaOpened' ? [historyAntennaKey(event.data.antennaId), entriesKey] : [entriesKey];
  },
  evolve(doc, event, key) {
    if (event.type === 'AntennaOpened' && key === historyAntennaKey(event.data.antennaId)) {
      const data = event.data as AntennaOpened['data'];
      return { kind: 'antenna', antennaId: data.antennaId, name: data.name, candidacyId: data.candidacyId };
    }
    return withEntry(doc?.kind === 'entries' ? doc : { kind: 'entries', streamId: event.streamId, recorders: [], rows: [] }, event);
  },
});

function withEntry(doc: HistoryEntriesDocument, event: ProjectedEvent): HistoryEntriesDocument {
  const { metadata, data } = event;
  const actorName = metadata.actorName ?? null;
  const known = doc.recorders.findIndex(([actor, name, role]) => actor === metadata.actor && name === actorName && role === metadata.role);
  const recorders = known < 0 ? [...doc.recorders, [metadata.actor, actorName, metadata.role] as const] : doc.recorders;
  const position = event.position.toString();
  const row: HistoryRow = [
    position,
    event.revision,
    event.type,
    typeof data.effectiveDate === 'string' ? data.effectiveDate : null,
    metadata.recordedAt,
    known < 0 ? recorders.length - 1 : known,
    metadata.reason ?? (typeof data.reason === 'string' ? data.reason : null),
    describe(event),
  ];
  // An event applied again replaces its own row: replays stay idempotent.
  const again = doc.rows.findIndex((existing) => existing[0] === position);
  return { ...doc, recorders, rows: again < 0 ? [...doc.rows, row] : doc.rows.map((existing, index) => (index === again ? row : existing)) };
}

/** The entries of an antenna, its budget and its funding, in log order. */
export function antennaEntries(view: ReadModelView<HistoryDocument>, antennaId: string): HistoryEntry[] {
  return entriesOf(view.list(antennaEntriesPrefix(antennaId)));
}

/** The entries of a candidacy, in log order. */
export function candidacyEntries(view: ReadModelView<HistoryDocument>, candidacyId: string): HistoryEntry[] {
  return entriesOf(view.list(candidacyEntriesPrefix(candidacyId)));
}

/** The entries of several documents (each in log order, one per block of a stream), merged in log order. */
function entriesOf(docs: readonly HistoryDocument[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const doc of docs) {
    if (doc.kind !== 'entries') continue;
    for (const [position, revision, type, effectiveDate, recordedAt, recorder, reason, changes] of doc.rows) {
      const [actor, actorName, role] = doc.recorders[recorder]!;
      entries.push({ position, streamId: doc.streamId, revision, type, effectiveDate, recordedAt, actor, actorName, role, reason, changes });
    }
  }
  return entries.sort(byPosition);
}

/** The summary of an antenna (name, candidacy), undefined before its opening is seen. */
export function historyAntenna(view: ReadModelView<HistoryDocument>, antennaId: string): HistoryAntennaDocument | undefined {
  const doc = view.get(historyAntennaKey(antennaId));
  return doc?.kind === 'antenna' ? doc : undefined;
}

/**
 * An antenna's whole trail: its own entries and its candidacy's, merged by log position.
 * Undefined for an antenna the read model does not know (no opening and no entry).
 */
export function antennaTrail(view: ReadModelView<HistoryDocument>, antennaId: string): readonly HistoryEntry[] | undefined {
  const antenna = historyAntenna(view, antennaId);
  const own = view.list(antennaEntriesPrefix(antennaId));
  if (antenna === undefined && own.length === 0) return undefined;
  return entriesOf(antenna === undefined ? own : [...view.list(candidacyEntriesPrefix(antenna.candidacyId)), ...own]);
}

/** Log order of entries: positions are decimal strings of bigints, so the shorter is the smaller. */
function byPosition(a: HistoryEntry, b: HistoryEntry): number {
  return a.position.length - b.position.length || (a.position < b.position ? -1 : a.position > b.position ? 1 : 0);
}

// ——— French descriptions ———


const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  staff: 'personnel',
  premises: 'locaux',
  equipment: 'équipement',
  teaching: 'pédagogie',
  communication: 'communication',
  operations: 'fonctionnement',
  other: 'autre',
};

const MODE_LABELS: Readonly<Record<string, string>> = {
  distance: 'à distance',
  hybrid: 'hybride',
  'on-site': 'en présentiel',
  'work-study': 'en alternance',
};

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count > 1 ? pluralForm : singular}`;
}

/** What an event changed, in a short French sentence. */
export function describe(event: ProjectedEvent): string {
  switch (event.type) {
    case 'CandidacySubmitted': {
      const d = event.data as CandidacySubmitted['data'];
      const budget = d.projectedBudgetCents !== undefined ? `, budget prévisionnel ${formatEuros(d.projectedBudgetCents)}` : '';
      return `Candidature de ${d.territory.name} déposée à l’appel ${d.callId} (${plural(d.partners.length, 'partenaire')}${budget})`;
    }
    case 'CandidacyPartnerAdded': {
      const d = event.data as CandidacyPartnerAdded['data'];
      return `Partenaire ajouté à la candidature : ${d.partner.name}`;
    }
    case 'CandidacySelected': {
      const d = event.data as CandidacySelected['data'];
      return d.criteria.length > 0 ? `Candidature retenue (lauréate) : ${d.criteria.join(' ; ')}` : 'Candidature retenue (lauréate)';
    }
    case 'CandidacyRejected':
      return `Candidature ${(event.data as CandidacyRejected['data']).candidacyId} rejetée`;
    case 'CandidacyWithdrawn':
      return `Candidature ${(event.data as CandidacyWithdrawn['data']).candidacyId} retirée`;
    case 'CandidacyAntennaAssigned': {
      const d = event.data as { readonly antennaId: string };
      return `Antenne ${d.antennaId} attribuée à la candidature (ouverture engagée)`;
    }
    case 'AntennaOpened': {
      const d = event.data as AntennaOpened['data'];
      return `Antenne ouverte : ${d.name} (${d.town}), candidature ${d.candidacyId}`;
    }
    case 'PhasePlanned': {
      const d = event.data as PhasePlanned['data'];
      return `Phase ${d.phaseId} prévue du ${d.plannedStart} au ${d.plannedEnd}${d.site ? ` (site : ${d.site})` : ''}`;
    }
    case 'PhaseStarted':
      return `Phase ${(event.data as PhaseStarted['data']).phaseId} commencée`;
    case 'MilestoneReached': {
      const d = event.data as MilestoneReached['data'];
      return `Jalon ${d.milestoneId} atteint (phase ${d.phaseId}) : ${d.name}`;
    }
    case 'PhaseRescheduled': {
      const d = event.data as PhaseRescheduled['data'];
      const moves = [
        ...(d.previousPlannedStart !== d.plannedStart ? [`début ${d.previousPlannedStart} → ${d.plannedStart}`] : []),
        ...(d.previousPlannedEnd !== d.plannedEnd ? [`fin ${d.previousPlannedEnd} → ${d.plannedEnd}`] : []),
      ];
      return `Phase ${d.phaseId} replanifiée : ${moves.length > 0 ? moves.join(', ') : 'dates inchangées'}`;
    }
    case 'PhaseCompleted':
      return `Phase ${(event.data as PhaseCompleted['data']).phaseId} terminée`;
    case 'AntennaInaugurated':
      return `Antenne inaugurée : ${(event.data as AntennaInaugurated['data']).place}`;
    case 'TrainingCourseOpened': {
      const d = event.data as TrainingCourseOpened['data'];
      return `Formation ouverte : ${d.title} (${d.level}, ${MODE_LABELS[d.mode] ?? d.mode})`;
    }
    case 'LearnersReported': {
      const d = event.data as LearnersReported['data'];
      return d.previousLearners === undefined
        ? `Apprenants déclarés pour ${d.period} : ${d.learners}`
        : `Apprenants déclarés pour ${d.period} corrigés : ${d.previousLearners} → ${d.learners}`;
    }
    case 'AntennaSuspended':
      return `Antenne ${(event.data as AntennaSuspended['data']).antennaId} suspendue`;
    case 'AntennaResumed':
      return 'Antenne de nouveau active';
    case 'AntennaClosed':
      return `Antenne ${(event.data as AntennaClosed['data']).antennaId} fermée`;
    case 'BudgetForecastSet': {
      const d = event.data as BudgetForecastSet['data'];
      return `Budget prévisionnel établi : ${formatEuros(d.totalCents)} (${plural(d.lines.length, 'ligne')}${yearSpan(d.lines)})`;
    }
    case 'BudgetForecastRevised': {
      const d = event.data as BudgetForecastRevised['data'];
      return `Budget prévisionnel révisé (révision ${d.revision}) : ${formatEuros(d.previousTotalCents)} → ${formatEuros(d.totalCents)}`;
    }
    case 'ExpenditureRecorded': {
      const d = event.data as ExpenditureRecorded['data'];
      const agreement = d.fundingAgreementId ? `, sur le financement ${d.fundingAgreementId}` : '';
      return `Dépense ${d.expenditureId} enregistrée : ${formatEuros(d.amountCents)} (${CATEGORY_LABELS[d.category] ?? d.category}${agreement})`;
    }
    case 'ExpenditureReversed': {
      const d = event.data as ExpenditureReversed['data'];
      return `Dépense ${d.expenditureId} annulée : ${formatEuros(d.amountCents)}`;
    }
    case 'FundingCommitted': {
      const d = event.data as FundingCommitted['data'];
      return `Financement ${d.agreementId} engagé par ${d.funder} : ${formatEuros(d.amountCents)} en ${plural(d.tranches.length, 'tranche')}`;
    }
    case 'FundingPublicDataRecorded': {
      const d = event.data as { readonly agreementId: string; readonly publicData: { readonly decisionReference?: string } };
      const decision = d.publicData.decisionReference ? ` (décision ${d.publicData.decisionReference})` : '';
      return `Données publiques du financement ${d.agreementId} enregistrées${decision}`;
    }
    case 'BudgetTrancheReleased': {
      const d = event.data as BudgetTrancheReleased['data'];
      return `Tranche ${d.trancheId} versée : ${formatEuros(d.amountCents)}`;
    }
    case 'TrancheReceived': {
      const d = event.data as TrancheReceived['data'];
      return `Tranche ${d.trancheId} reçue : ${formatEuros(d.amountCents)} (référence ${d.bankReference})`;
    }
    case 'TrancheReleaseReversed': {
      const d = event.data as TrancheReleaseReversed['data'];
      return `Versement de la tranche ${d.trancheId} annulé : ${formatEuros(d.amountCents)}`;
    }
    case 'FundingAgreementClosed':
      return `Financement ${(event.data as FundingAgreementClosed['data']).agreementId} clos`;
    default:
      return event.type;
  }
}

function yearSpan(lines: readonly { readonly year: number }[]): string {
  if (lines.length === 0) return '';
  const years = lines.map((line) => line.year);
  const first = Math.min(...years);
  const last = Math.max(...years);
  return first === last ? `, ${first}` : `, ${first}–${last}`;
}
