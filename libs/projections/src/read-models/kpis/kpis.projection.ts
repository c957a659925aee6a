import type {
  AntennaClosed,
  AntennaOpened,
  AntennaResumed,
  AntennaSuspended,
  BudgetForecastRevised,
  BudgetForecastSet,
  BudgetTrancheReleased,
  CallForApplicationsOpened,
  CandidacyRejected,
  CandidacySelected,
  CandidacySubmitted,
  CandidacyWithdrawn,
  FundingCommitted,
  LearnersReported,
  ProgrammeLaunched,
  ProgrammeTargetsRevised,
  TrainingCourseOpened,
  TrancheReceived,
  TrancheReleaseReversed,
} from '@jalon/domain';
import { defineProjection, ProjectedEvent } from '../../projection';

/**
 * The programme's key figures, in one document `programme`: antennas per status against the
 * target, candidacies and laureates per call, the share of antennas in Action Cœur de Ville towns,
 * training courses opened, learners reported, and the money totals (current budget forecast,
 * funding committed, released net of reversals, received).
 *
 * The document keeps the few facts per call, candidacy and antenna that later events need (a
 * selection names only its candidacy; a learner report for a month replaces the earlier one),
 * and `totals`, recomputed from them after every event so that they can never drift.
 *
 * The system runs one programme: the target is the last launched or revised programme's; should
 * several be launched, antennas and calls of all of them are counted together.
 */

export type KpiAntennaStatus = 'active' | 'suspended' | 'closed';
export type KpiCandidacyStatus = 'submitted' | 'selected' | 'rejected' | 'withdrawn';

export interface KpiCall {
  readonly callId: string;
  /** Null until the call's opening is seen (never in a consistent log). */
  readonly title: string | null;
  readonly number: number | null;
  readonly candidacies: number;
  /** Candidacies selected, including those that withdrew afterwards (counted in `withdrawnLaureates`). */
  readonly laureates: number;
  readonly rejected: number;
  /** Withdrawn, before or after selection. */
  readonly withdrawn: number;
  readonly withdrawnLaureates: number;
}

export interface KpiCandidacy {
  readonly callId: string;
  readonly status: KpiCandidacyStatus;
  /** Selected at some point (a laureate that withdrew stays a laureate of its call). */
  readonly selected: boolean;
}

export interface KpiAntenna {
  readonly antennaId: string;
  readonly name: string;
  readonly callId: string;
  readonly status: KpiAntennaStatus;
  readonly actionCoeurDeVille: boolean;
}

export interface KpiTotals {
  readonly antennasOpened: number;
  readonly antennasByStatus: Readonly<Record<KpiAntennaStatus, number>>;
  /** Antennas opened against the target count, in basis points; null without a target. */
  readonly targetAttainmentBasisPoints: number | null;
  readonly antennasInActionCoeurDeVille: number;
  /** Share of the antennas opened that are in Action Cœur de Ville towns, in basis points; null without antennas. */
  readonly actionCoeurDeVilleShareBasisPoints: number | null;
  readonly candidacies: number;
  readonly laureates: number;
  readonly trainingCourses: number;
  /** Sum over antennas and months of the latest learner report of each. */
  readonly learners: number;
  /** Per month, summed over antennas (latest report of each antenna for that month). */
  readonly learnersByPeriod: readonly { readonly period: string; readonly learners: number }[];
  /** Sum of each antenna's current forecast total (the original, or its latest revision). */
  readonly budgetForecastCents: number;
  readonly fundingCommittedCents: number;
  /** Released minus release reversals. */
  readonly fundingReleasedCents: number;
  readonly fundingReceivedCents: number;
}

export interface KpisDocument {
  readonly programme: {
    readonly programmeId: string;
    readonly name: string | null;
    readonly target: { readonly antennaCount: number; readonly targetDate: string };
  } | null;
  /** By call id. */
  readonly calls: Readonly<Record<string, KpiCall>>;
  /** By candidacy id: which call it belongs to (a selection does not say). */
  readonly candidacies: Readonly<Record<string, KpiCandidacy>>;
  /** By antenna id. */
  readonly antennas: Readonly<Record<string, KpiAntenna>>;
  /** Course ids opened, by antenna id. */
  readonly courses: Readonly<Record<string, readonly string[]>>;
  /** Latest learner count, by antenna id then `YYYY-MM` period: a correction replaces, never adds. */
  readonly learners: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Current forecast total in cents, by antenna id. */
  readonly forecasts: Readonly<Record<string, number>>;
  readonly funding: {
    readonly committedCents: number;
    readonly releasedCents: number;
    readonly receivedCents: number;
  };
  readonly totals: KpiTotals;
}

export const KPIS_PROJECTION_NAME = 'kpis';
export const KPIS_KEY = 'programme';

export const kpisProjection = defineProjection<KpisDocument>({
  name: KPIS_PROJECTION_NAME,
  version: 1,
  handles: [
    'ProgrammeLaunched',
    'ProgrammeTargetsRevised',
    'CallForApplicationsOpened',
    'CandidacySubmitted',
    'CandidacySelected',
    'CandidacyRejected',
    'CandidacyWithdrawn',
    'AntennaOpened',
    'AntennaSuspended',
    'AntennaResumed',
    'AntennaClosed',
    'TrainingCourseOpened',
    'LearnersReported',
    'BudgetForecastSet',
    'BudgetForecastRevised',
    'FundingCommitted',
    'BudgetTrancheReleased',
    'TrancheReleaseReversed',
    'TrancheReceived',
  ],
  keysOf: () => [KPIS_KEY],
  evolve(doc, event) {
    const before = doc ?? emptyKpis();
    const after = apply(before, event);
    return after === before ? before : { ...after, totals: totalsOf(after) };
  },
});

export function emptyKpis(): KpisDocument {
  const empty: Omit<KpisDocument, 'totals'> = {
    programme: null,
    calls: {},
    candidacies: {},
    antennas: {},
    courses: {},
    learners: {},
    forecasts: {},
    funding: { committedCents: 0, releasedCents: 0, receivedCents: 0 },
  };
  return { ...empty, totals: totalsOf(empty) };
}

function apply(doc: KpisDocument, event: ProjectedEvent): KpisDocument {
  switch (event.type) {
    case 'ProgrammeLaunched': {
      const data = event.data as ProgrammeLaunched['data'];
      return { ...doc, programme: { programmeId: data.programmeId, name: data.name, target: { ...data.targets } } };
    }
    case 'ProgrammeTargetsRevised': {
      const data = event.data as ProgrammeTargetsRevised['data'];
      const name = doc.programme?.programmeId === data.programmeId ? doc.programme.name : null;
      return { ...doc, programme: { programmeId: data.programmeId, name, target: { ...data.targets } } };
    }
    case 'CallForApplicationsOpened': {
      const data = event.data as CallForApplicationsOpened['data'];
      return withCall(doc, data.callId, (call) => ({ ...call, title: data.title, number: data.number }));
    }
    case 'CandidacySubmitted': {
      const data = event.data as CandidacySubmitted['data'];
      if (doc.candidacies[data.candidacyId]) return doc;
      const next = { ...doc, candidacies: { ...doc.candidacies, [data.candidacyId]: { callId: data.callId, status: 'submitted' as const, selected: false } } };
      return withCall(next, data.callId, (call) => ({ ...call, candidacies: call.candidacies + 1 }));
    }
    case 'CandidacySelected': {
      const { candidacyId } = event.data as CandidacySelected['data'];
      return withCandidacy(doc, candidacyId, (candidacy) => (candidacy.selected ? candidacy : { ...candidacy, status: 'selected', selected: true }), (call) => ({
        ...call,
        laureates: call.laureates + 1,
      }));
    }
    case 'CandidacyRejected': {
      const { candidacyId } = event.data as CandidacyRejected['data'];
      return withCandidacy(doc, candidacyId, (candidacy) => ({ ...candidacy, status: 'rejected' }), (call) => ({ ...call, rejected: call.rejected + 1 }));
    }
    case 'CandidacyWithdrawn': {
      const { candidacyId } = event.data as CandidacyWithdrawn['data'];
      const wasLaureate = doc.candidacies[candidacyId]?.selected === true;
      return withCandidacy(doc, candidacyId, (candidacy) => ({ ...candidacy, status: 'withdrawn' }), (call) => ({
        ...call,
        withdrawn: call.withdrawn + 1,
        withdrawnLaureates: call.withdrawnLaureates + (wasLaureate ? 1 : 0),
      }));
    }
    case 'AntennaOpened': {
      const data = event.data as AntennaOpened['data'];
      const antenna: KpiAntenna = {
        antennaId: data.antennaId,
        name: data.name,
        callId: data.callId,
        status: 'active',
        actionCoeurDeVille: data.territory.actionCoeurDeVille,
      };
      return { ...doc, antennas: { ...doc.antennas, [data.antennaId]: antenna } };
    }
    case 'AntennaSuspended':
      return withAntennaStatus(doc, (event.data as AntennaSuspended['data']).antennaId, 'suspended');
    case 'AntennaResumed':
      return withAntennaStatus(doc, (event.data as AntennaResumed['data']).antennaId, 'active');
    case 'AntennaClosed':
      return withAntennaStatus(doc, (event.data as AntennaClosed['data']).antennaId, 'closed');
    case 'TrainingCourseOpened': {
      const { antennaId, courseId } = event.data as TrainingCourseOpened['data'];
      const courses = doc.courses[antennaId] ?? [];
      if (courses.includes(courseId)) return doc;
      return { ...doc, courses: { ...doc.courses, [antennaId]: [...courses, courseId] } };
    }
    case 'LearnersReported': {
      const { antennaId, period, learners } = event.data as LearnersReported['data'];
      return { ...doc, learners: { ...doc.learners, [antennaId]: { ...(doc.learners[antennaId] ?? {}), [period]: learners } } };
    }
    case 'BudgetForecastSet':
    case 'BudgetForecastRevised': {
      const { antennaId, totalCents } = event.data as BudgetForecastSet['data'] | BudgetForecastRevised['data'];
      return { ...doc, forecasts: { ...doc.forecasts, [antennaId]: totalCents } };
    }
    case 'FundingCommitted': {
      const { amountCents } = event.data as FundingCommitted['data'];
      return { ...doc, funding: { ...doc.funding, committedCents: doc.funding.committedCents + amountCents } };
    }
    case 'BudgetTrancheReleased': {
      const { amountCents } = event.data as BudgetTrancheReleased['data'];
      return { ...doc, funding: { ...doc.funding, releasedCents: doc.funding.releasedCents + amountCents } };
    }
    case 'TrancheReleaseReversed': {
      const { amountCents } = event.data as TrancheReleaseReversed['data'];
      return { ...doc, funding: { ...doc.funding, releasedCents: doc.funding.releasedCents - amountCents } };
    }
    case 'TrancheReceived': {
      const { amountCents } = event.data as TrancheReceived['data'];
      return { ...doc, funding: { ...doc.funding, receivedCents: doc.funding.receivedCents + amountCents } };
    }
    default:
      return doc;
  }
}

function withCall(doc: KpisDocument, callId: string, change: (call: KpiCall) => KpiCall): KpisDocument {
  const call: KpiCall = doc.calls[callId] ?? {
    callId,
    title: null,
    number: null,
    candidacies: 0,
    laureates: 0,
    rejected: 0,
    withdrawn: 0,
    withdrawnLaureates: 0,
  };
  return { ...doc, calls: { ...doc.calls, [callId]: change(call) } };
}

/** Changes a candidacy and counts the change on its call; a candidacy never submitted is ignored. */
function withCandidacy(
  doc: KpisDocument,
  candidacyId: string,
  change: (candidacy: KpiCandidacy) => KpiCandidacy,
  count: (call: KpiCall) => KpiCall,
): KpisDocument {
  const candidacy = doc.candidacies[candidacyId];
  if (!candidacy) return doc;
  const changed = change(candidacy);
  if (changed === candidacy) return doc;
  return withCall({ ...doc, candidacies: { ...doc.candidacies, [candidacyId]: changed } }, candidacy.callId, count);
}

function withAntennaStatus(doc: KpisDocument, antennaId: string, status: KpiAntennaStatus): KpisDocument {
  const antenna = doc.antennas[antennaId];
  if (!antenna) return doc;
  return { ...doc, antennas: { ...doc.antennas, [antennaId]: { ...antenna, status } } };
}

/** `part / whole` in integer basis points, rounded half up; null without a whole. */
function basisPoints(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.floor((2 * part * 10_000 + whole) / (2 * whole));
}

function totalsOf(doc: Omit<KpisDocument, 'totals'>): KpiTotals {
  const antennas = Object.values(doc.antennas);
  const calls = Object.values(doc.calls);
  const byPeriod = new Map<string, number>();
  for (const periods of Object.values(doc.learners)) {
    for (const [period, learners] of Object.entries(periods)) byPeriod.set(period, (byPeriod.get(period) ?? 0) + learners);
  }
  const learnersByPeriod = [...byPeriod.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([period, learners]) => ({ period, learners }));
  const acv = antennas.filter((a) => a.actionCoeurDeVille).length;
  return {
    antennasOpened: antennas.length,
    antennasByStatus: {
      active: antennas.filter((a) => a.status === 'active').length,
      suspended: antennas.filter((a) => a.status === 'suspended').length,
      closed: antennas.filter((a) => a.status === 'closed').length,
    },
    targetAttainmentBasisPoints: doc.programme ? basisPoints(antennas.length, doc.programme.target.antennaCount) : null,
    antennasInActionCoeurDeVille: acv,
    actionCoeurDeVilleShareBasisPoints: basisPoints(acv, antennas.length),
    candidacies: calls.reduce((sum, call) => sum + call.candidacies, 0),
    laureates: calls.reduce((sum, call) => sum + call.laureates, 0),
    trainingCourses: Object.values(doc.courses).reduce((sum, courses) => sum + courses.length, 0),
    learners: learnersByPeriod.reduce((sum, p) => sum + p.learners, 0),
    learnersByPeriod,
    budgetForecastCents: Object.values(doc.forecasts).reduce((sum, cents) => sum + cents, 0),
    fundingCommittedCents: doc.funding.committedCents,
    fundingReleasedCents: doc.funding.releasedCents,
    fundingReceivedCents: doc.funding.receivedCents,
  };
}
