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
 * Documents:
 * - `antenna:<antennaId>`: the antenna's, budget's and funding's events (they all carry
 *   `antennaId`), plus the antenna's candidacy id, learned from AntennaOpened;
 * - `candidacy-index:<candidacyId>`: the candidacy's events, and the antennas opened from it.
 *
 * Why two documents, joined when read (see {@link antennaTrail}), rather than candidacy events
 * copied into the antenna's document: candidacy events do not carry an antenna id, `keysOf` sees
 * only the event (it cannot look up which antenna a candidacy became), and `evolve` sees only the
 * document it changes (the antenna's document cannot read the index when the antenna opens). So
 * the index keeps the candidacy's events, the antenna's document keeps its candidacy id, and the
 * trail merges both by log position. Candidacy events recorded before the opening and those after
 * it (a withdrawal, a late partner) both appear, in every antenna opened from the candidacy, and
 * replaying never depends on which document was written first.
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

export interface HistoryAntennaDocument {
  readonly kind: 'antenna';
  readonly antennaId: string;
  readonly name: string | null;
  readonly candidacyId: string | null;
  /** Latest learner count per `YYYY-MM`, so that a correction can say what it replaced. */
  readonly learners: Readonly<Record<string, number>>;
  readonly entries: readonly HistoryEntry[];
}

export interface HistoryCandidacyDocument {
  readonly kind: 'candidacy';
  readonly candidacyId: string;
  readonly antennaIds: readonly string[];
  readonly entries: readonly HistoryEntry[];
}

export type HistoryDocument = HistoryAntennaDocument | HistoryCandidacyDocument;

export const HISTORY_PROJECTION_NAME = 'history';

export const historyAntennaKey = (antennaId: string): string => `antenna:${antennaId}`;
export const candidacyIndexKey = (candidacyId: string): string => `candidacy-index:${candidacyId}`;

const CANDIDACY_EVENTS = ['CandidacySubmitted', 'CandidacyPartnerAdded', 'CandidacySelected', 'CandidacyRejected', 'CandidacyWithdrawn'];
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
const FUNDING_EVENTS = ['FundingCommitted', 'BudgetTrancheReleased', 'TrancheReceived', 'TrancheReleaseReversed', 'FundingAgreementClosed'];

export const historyProjection = defineProjection<HistoryDocument>({
  name: HISTORY_PROJECTION_NAME,
  version: 1,
  handles: [...CANDIDACY_EVENTS, ...ANTENNA_EVENTS, ...BUDGET_EVENTS, ...FUNDING_EVENTS],
  keysOf(event) {
    if (CANDIDACY_EVENTS.includes(event.type)) return [candidacyIndexKey(event.data.candidacyId)];
    if (event.type === 'AntennaOpened') return [historyAntennaKey(event.data.antennaId), candidacyIndexKey(event.data.candidacyId)];
    return typeof event.data.antennaId === 'string' ? [historyAntennaKey(event.data.antennaId)] : [];
  },
  evolve(doc, event, key) {
    if (key.startsWith('candidacy-index:')) {
      return evolveCandidacy(doc?.kind === 'candidacy' ? doc : null, event, key.slice('candidacy-index:'.length));
    }
    return evolveAntenna(doc?.kind === 'antenna' ? doc : null, event, key.slice('antenna:'.length));
  },
});

function evolveCandidacy(doc: HistoryCandidacyDocument | null, event: ProjectedEvent, candidacyId: string): HistoryCandidacyDocument {
  const current: HistoryCandidacyDocument = doc ?? { kind: 'candidacy', candidacyId, antennaIds: [], entries: [] };
  if (event.type === 'AntennaOpened') {
    const { antennaId } = event.data as AntennaOpened['data'];
    return current.antennaIds.includes(antennaId) ? current : { ...current, antennaIds: [...current.antennaIds, antennaId] };
  }
  if (alreadyApplied(current.entries, event)) return current;
  return { ...current, entries: [...current.entries, entryOf(event, describe(event))] };
}

function evolveAntenna(doc: HistoryAntennaDocument | null, event: ProjectedEvent, antennaId: string): HistoryAntennaDocument {
  const current: HistoryAntennaDocument = doc ?? { kind: 'antenna', antennaId, name: null, candidacyId: null, learners: {}, entries: [] };
  if (alreadyApplied(current.entries, event)) return current;
  const withEntry = (changes: string) => [...current.entries, entryOf(event, changes)];
  switch (event.type) {
    case 'AntennaOpened': {
      const data = event.data as AntennaOpened['data'];
      return { ...current, name: data.name, candidacyId: data.candidacyId, entries: withEntry(describe(event)) };
    }
    case 'LearnersReported': {
      const data = event.data as LearnersReported['data'];
      const previous = current.learners[data.period];
      const changes =
        previous === undefined
          ? `Apprenants déclarés pour ${data.period} : ${data.learners}`
          : `Apprenants déclarés pour ${data.period} corrigés : ${previous} → ${data.learners}`;
      return { ...current, learners: { ...current.learners, [data.period]: data.learners }, entries: withEntry(changes) };
    }
    default:
      return { ...current, entries: withEntry(describe(event)) };
  }
}

/** Events arrive in log order: one at or before the last entry was already applied. */
function alreadyApplied(entries: readonly HistoryEntry[], event: ProjectedEvent): boolean {
  const last = entries[entries.length - 1];
  return last !== undefined && BigInt(last.position) >= event.position;
}

function entryOf(event: ProjectedEvent, changes: string): HistoryEntry {
  const { metadata, data } = event;
  const reason = metadata.reason ?? (typeof data.reason === 'string' ? data.reason : undefined);
  return {
    position: event.position.toString(),
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    effectiveDate: typeof data.effectiveDate === 'string' ? data.effectiveDate : null,
    recordedAt: metadata.recordedAt,
    actor: metadata.actor,
    actorName: metadata.actorName ?? null,
    role: metadata.role,
    reason: reason ?? null,
    changes,
  };
}

/**
 * An antenna's whole trail: its own document's entries and its candidacy's, merged by log
 * position. Undefined for an antenna the read model does not know.
 */
export function antennaTrail(view: ReadModelView<HistoryDocument>, antennaId: string): readonly HistoryEntry[] | undefined {
  const antenna = view.get(historyAntennaKey(antennaId));
  if (!antenna || antenna.kind !== 'antenna') return undefined;
  const candidacy = antenna.candidacyId === null ? undefined : view.get(candidacyIndexKey(antenna.candidacyId));
  const candidacyEntries = candidacy?.kind === 'candidacy' ? candidacy.entries : [];
  return mergeByPosition(candidacyEntries, antenna.entries);
}

function mergeByPosition(a: readonly HistoryEntry[], b: readonly HistoryEntry[]): HistoryEntry[] {
  const merged: HistoryEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && BigInt(a[i]!.position) <= BigInt(b[j]!.position))) merged.push(a[i++]!);
    else merged.push(b[j++]!);
  }
  return merged;
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
      return `Apprenants déclarés pour ${d.period} : ${d.learners}`;
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
