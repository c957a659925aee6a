import type {
  AntennaClosed,
  AntennaInaugurated,
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
  FundingAgreementClosed,
  FundingCommitted,
  LearnersReported,
  ProgrammeLaunched,
  ProgrammeTargetsRevised,
  TrainingCourseOpened,
  TrancheReceived,
  TrancheReleaseReversed,
} from '@jalon/domain';
import { rateBasisPoints } from '@jalon/reporting';
import { Bucketed, bucketedEntries, bucketedGet, bucketedSet } from '../../bucketed';
import { defineProjection, ProjectedEvent } from '../../projection';

/**
 * The programme's key figures, in one document `programme`: antennas per status against the
 * target (opened and inaugurated), candidacies and laureates per call, the share of antennas in
 * Action Cœur de Ville towns, training courses opened, learners, and the money totals (current
 * budget forecast, funding committed, released net of reversals, received, and what was committed
 * and not released: still to come on the agreements open, « non versé à la clôture » on those closed,
 * « bloqué (antenne fermée) » on those left open on a closed antenna).
 *
 * A learner report (`LearnersReported`) is an antenna's headcount for a month, not the month's new
 * enrolments: the headcounts of two months of the same antenna are never added. The programme's
 * learner figure is, for each antenna, the headcount of the latest month it reported, summed over
 * the antennas; the same month of several antennas is summed in `learnersByPeriod`.
 *
 * The document keeps the few facts per call, candidacy, antenna and course that later events need
 * (a selection names only its candidacy), each antenna's latest learner report and the headcount
 * of each month it reported, and `totals`. Nothing in it grows with the number of events: only
 * with the number of calls, candidacies, antennas, courses and reported months.
 *
 * - Totals about calls and antennas are recomputed from those facts after each of their (rare)
 *   events, so that they can never drift.
 * - The frequent events change a running total in place, from what the event itself carries:
 *   a forecast revision the total it replaces (`previousTotalCents`), and money events their
 *   amount. They copy no map but, for a learner report, the month list of `learnersByPeriod`,
 *   `latestLearners`, and the reporting antenna's months in `learnerMonths`.
 * - A funding agreement's commitment, releases, reversals and closing change its entry in
 *   `agreements` (what it has still to release, and whether it is closed) and the running totals
 *   by the difference they make: the closing moves what the agreement had not released from « reste
 *   à verser » to « non versé à la clôture ». At a cut the closing may lie outside while the
 *   releases are inside: the agreement is then open, its releases counted, as in the funding report.
 * - An antenna's closing (rare) moves what its open agreements have not released from « reste à
 *   verser » to « bloqué (antenne fermée) »: nothing can be released on a closed antenna (decision
 *   0066, amended). Each agreement's entry names its antenna for that.
 * - A learner report sets its month's headcount: it replaces the count the document holds for
 *   that antenna and month, not the one the event says it corrects (`previousLearners`). On the
 *   whole log both are the same; at a cut by effective date a correction recorded before the rule
 *   LEARNERS.CORRECTED_BEFORE_REPORT may be dated before the report it corrects, and the report
 *   then lies outside the cut: the month shows the corrected headcount, never the bare difference
 *   (which was negative).
 *
 * An installation follows one programme: a launch of another is refused on the write side (the
 * installation's registry claims the first one, docs/decisions/0061), so the name and target here
 * are that programme's. Only a history recorded before that decision may hold several launched
 * programmes: the target is then the last launched or revised one's, and antennas and calls of all
 * of them are counted together, as they always were.
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
  /** The inauguration's effective date; null until `AntennaInaugurated`. */
  readonly inauguratedOn: string | null;
}

/** An antenna's latest reported month (`YYYY-MM`) and its headcount (corrections included). */
export interface KpiLatestLearners {
  readonly period: string;
  readonly learners: number;
}

/**
 * The headcounts an antenna reported, month by month from its first reported month (`from`,
 * `YYYY-MM`): `counts[i]` is the month `i` months after it, null if not reported. An array, not a
 * map by month, so that the document (kept at every time-travel mark) stays small.
 */
export interface KpiLearnerMonths {
  readonly from: string;
  readonly counts: readonly (number | null)[];
}

/**
 * A funding agreement as the key figures need it: its antenna, committed − released (net of
 * reversals), and whether it is closed (then that is « non versé à la clôture », no longer « reste à
 * verser »; open on a closed antenna, it is « bloqué (antenne fermée) »).
 */
export interface KpiAgreement {
  readonly antennaId: string;
  readonly notReleasedCents: number;
  readonly closed: boolean;
}

export interface KpiTotals {
  readonly antennasOpened: number;
  readonly antennasByStatus: Readonly<Record<KpiAntennaStatus, number>>;
  /** Antennas opened against the target count, in basis points; null without a target. */
  readonly targetAttainmentBasisPoints: number | null;
  /** Antennas inaugurated (at any date, whatever their status since). */
  readonly antennasInaugurated: number;
  /** Antennas inaugurated on or before the target date; null without a target. */
  readonly antennasInauguratedByTargetDate: number | null;
  /** Antennas inaugurated against the target count, in basis points; null without a target. */
  readonly inaugurationAttainmentBasisPoints: number | null;
  readonly antennasInActionCoeurDeVille: number;
  /** Share of the antennas opened that are in Action Cœur de Ville towns, in basis points; null without antennas. */
  readonly actionCoeurDeVilleShareBasisPoints: number | null;
  readonly candidacies: number;
  readonly laureates: number;
  readonly trainingCourses: number;
  /**
   * Learners now: for each antenna, the headcount of the latest month it reported (a correction of
   * that month replaces it), summed over antennas. Never a sum over months.
   */
  readonly learners: number;
  /** Per month, the headcounts reported for it summed over antennas (latest report of each antenna for that month). */
  readonly learnersByPeriod: readonly { readonly period: string; readonly learners: number }[];
  /** Sum of each antenna's current forecast total (the original, or its latest revision). */
  readonly budgetForecastCents: number;
  readonly fundingCommittedCents: number;
  /** Released minus release reversals. */
  readonly fundingReleasedCents: number;
  readonly fundingReceivedCents: number;
  /** « Reste à verser »: committed − released (net of reversals) over the agreements not closed whose antenna is not closed. */
  readonly fundingRemainingCents: number;
  /** « Bloqué (antenne fermée) »: committed − released (net of reversals) over the agreements not closed whose antenna is closed. */
  readonly fundingBlockedCents: number;
  /** « Non versé à la clôture »: committed − released (net of reversals) over the closed agreements. */
  readonly fundingNotReleasedAtClosingCents: number;
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
  /** Course ids opened, by antenna id (so that a course is counted once). */
  readonly courses: Readonly<Record<string, readonly string[]>>;
  /**
   * By antenna id: the latest month it reported and that month's headcount. In buckets (version 4),
   * as `learnerMonths`: a learner report, the frequent event, copies one bucket of each, not every antenna's entry.
   */
  readonly latestLearners: Bucketed<KpiLatestLearners>;
  /** By antenna id: the headcount in force of every month it reported (what a correction replaces). */
  readonly learnerMonths: Bucketed<KpiLearnerMonths>;
  /**
   * By funding agreement id (unique in the programme), its antenna (version 6), what it has not
   * released and whether it is closed (version 5). In buckets: a release copies one bucket, not every agreement's entry.
   */
  readonly agreements: Bucketed<KpiAgreement>;
  /** Recomputed from the above after a call, candidacy or antenna event; running totals for the rest. */
  readonly totals: KpiTotals;
}

/** The totals recomputed from the document's calls and antennas; the other totals are running. */
type StructuralTotals = Pick<
  KpiTotals,
  | 'antennasOpened'
  | 'antennasByStatus'
  | 'targetAttainmentBasisPoints'
  | 'antennasInaugurated'
  | 'antennasInauguratedByTargetDate'
  | 'inaugurationAttainmentBasisPoints'
  | 'antennasInActionCoeurDeVille'
  | 'actionCoeurDeVilleShareBasisPoints'
  | 'candidacies'
  | 'laureates'
>;

export const KPIS_PROJECTION_NAME = 'kpis';
export const KPIS_KEY = 'programme';

export const kpisProjection = defineProjection<KpisDocument>({
  name: KPIS_PROJECTION_NAME,
  // 2: the learner figure is the latest month's headcount per antenna (no longer a sum over months),
  // and inaugurations are counted. 3: a learner report sets its month's headcount from the document's
  // own months (`learnerMonths`), not from the difference to the count it corrects. 4: `latestLearners`
  // and `learnerMonths` kept in buckets (a learner report copied two maps of every antenna). 5: each
  // agreement's unreleased amount and closing (`agreements`): a closed agreement's unreleased amount
  // is « non versé à la clôture », no longer « reste à verser » (`fundingRemainingCents`). 6: each
  // agreement names its antenna: an open agreement's unreleased amount on a closed antenna is
  // « bloqué (antenne fermée) » (`fundingBlockedCents`), no longer « reste à verser ».
  version: 6,
  handles: [
    'ProgrammeLaunched',
    'ProgrammeTargetsRevised',
    'CallForApplicationsOpened',
    'CandidacySubmitted',
    'CandidacySelected',
    'CandidacyRejected',
    'CandidacyWithdrawn',
    'AntennaOpened',
    'AntennaInaugurated',
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
    'FundingAgreementClosed',
  ],
  keysOf: () => [KPIS_KEY],
  evolve(doc, event) {
    const before = doc ?? emptyKpis();
    if (event.type === 'LearnersReported') return withLearnerReport(before, event.data as LearnersReported['data']);
    const agreementFact = withAgreementFact(before, event);
    if (agreementFact !== undefined) return agreementFact;
    const running = runningTotals(before.totals, event);
    if (running !== undefined) return running === before.totals ? before : { ...before, totals: running };
    const after = apply(before, event);
    if (after === before) return before;
    // Recomputed from the facts they come from, when those changed (a course changes none of them).
    const antennasChanged = after.antennas !== before.antennas || after.programme !== before.programme;
    const callsChanged = after.calls !== before.calls;
    if (!antennasChanged && !callsChanged) return after;
    return { ...after, totals: { ...after.totals, ...(antennasChanged ? antennaTotalsOf(after) : {}), ...(callsChanged ? callTotalsOf(after) : {}) } };
  },
});

export function emptyKpis(): KpisDocument {
  const empty: Omit<KpisDocument, 'totals'> = { programme: null, calls: {}, candidacies: {}, antennas: {}, courses: {}, latestLearners: {}, learnerMonths: {}, agreements: {} };
  return {
    ...empty,
    totals: {
      ...structuralTotalsOf(empty),
      trainingCourses: 0,
      learners: 0,
      learnersByPeriod: [],
      budgetForecastCents: 0,
      fundingCommittedCents: 0,
      fundingReleasedCents: 0,
      fundingReceivedCents: 0,
      fundingRemainingCents: 0,
      fundingBlockedCents: 0,
      fundingNotReleasedAtClosingCents: 0,
    },
  };
}

/**
 * The totals after a frequent event, changed in place from what the event carries; undefined for
 * the events that change the document's facts instead.
 */
function runningTotals(totals: KpiTotals, event: ProjectedEvent): KpiTotals | undefined {
  switch (event.type) {
    case 'BudgetForecastSet': {
      const { totalCents } = event.data as BudgetForecastSet['data'];
      return { ...totals, budgetForecastCents: totals.budgetForecastCents + totalCents };
    }
    case 'BudgetForecastRevised': {
      const { totalCents, previousTotalCents } = event.data as BudgetForecastRevised['data'];
      return { ...totals, budgetForecastCents: totals.budgetForecastCents + totalCents - previousTotalCents };
    }
    case 'TrancheReceived': {
      const { amountCents } = event.data as TrancheReceived['data'];
      return { ...totals, fundingReceivedCents: totals.fundingReceivedCents + amountCents };
    }
    default:
      return undefined;
  }
}

/**
 * A funding agreement's commitment, release, reversal or closing: its entry in `agreements`, and
 * the totals by the difference it makes; undefined for any other event. A release or reversal on a
 * closed agreement (refused on the write side) would change its « non versé à la clôture », as the
 * funding report computes it from the agreement's released amount.
 */
function withAgreementFact(doc: KpisDocument, event: ProjectedEvent): KpisDocument | undefined {
  switch (event.type) {
    case 'FundingCommitted': {
      const { antennaId, agreementId, amountCents } = event.data as FundingCommitted['data'];
      return withAgreement(doc, antennaId, agreementId, amountCents, 0, false);
    }
    case 'BudgetTrancheReleased': {
      const { antennaId, agreementId, amountCents } = event.data as BudgetTrancheReleased['data'];
      return withAgreement(doc, antennaId, agreementId, 0, amountCents, false);
    }
    case 'TrancheReleaseReversed': {
      const { antennaId, agreementId, amountCents } = event.data as TrancheReleaseReversed['data'];
      return withAgreement(doc, antennaId, agreementId, 0, -amountCents, false);
    }
    case 'FundingAgreementClosed': {
      const { antennaId, agreementId } = event.data as FundingAgreementClosed['data'];
      return withAgreement(doc, antennaId, agreementId, 0, 0, true);
    }
    default:
      return undefined;
  }
}

function withAgreement(doc: KpisDocument, antennaId: string, agreementId: string, committedCents: number, releasedCents: number, closes: boolean): KpisDocument {
  const before = bucketedGet(doc.agreements, agreementId) ?? { antennaId, notReleasedCents: 0, closed: false };
  const after: KpiAgreement = { antennaId: before.antennaId, notReleasedCents: before.notReleasedCents + committedCents - releasedCents, closed: before.closed || closes };
  // The same closing again changes nothing.
  if (committedCents === 0 && releasedCents === 0 && after.closed === before.closed) return doc;
  const { totals } = doc;
  const antennaClosed = doc.antennas[after.antennaId]?.status === 'closed';
  const remaining = (agreement: KpiAgreement) => (agreement.closed || antennaClosed ? 0 : agreement.notReleasedCents);
  const blocked = (agreement: KpiAgreement) => (!agreement.closed && antennaClosed ? agreement.notReleasedCents : 0);
  const notReleasedAtClosing = (agreement: KpiAgreement) => (agreement.closed ? agreement.notReleasedCents : 0);
  return {
    ...doc,
    agreements: bucketedSet(doc.agreements, agreementId, after),
    totals: {
      ...totals,
      fundingCommittedCents: totals.fundingCommittedCents + committedCents,
      fundingReleasedCents: totals.fundingReleasedCents + releasedCents,
      fundingRemainingCents: totals.fundingRemainingCents + remaining(after) - remaining(before),
      fundingBlockedCents: totals.fundingBlockedCents + blocked(after) - blocked(before),
      fundingNotReleasedAtClosingCents: totals.fundingNotReleasedAtClosingCents + notReleasedAtClosing(after) - notReleasedAtClosing(before),
    },
  };
}

/**
 * A learner report: its month's count replaces, in `learnersByPeriod`, the one the document holds
 * for that antenna and month (none for a first report); it becomes the antenna's latest headcount
 * unless the antenna already reported a later month (a late report or a correction of an older
 * month changes only that month).
 */
function withLearnerReport(doc: KpisDocument, report: LearnersReported['data']): KpisDocument {
  const { antennaId, period, learners } = report;
  const months = bucketedGet(doc.learnerMonths, antennaId);
  const learnersByPeriod = addToPeriod(doc.totals.learnersByPeriod, period, learners - (monthCountOf(months, period) ?? 0));
  const learnerMonths = bucketedSet(doc.learnerMonths, antennaId, withMonthCount(months, period, learners));
  const latest = bucketedGet(doc.latestLearners, antennaId);
  if (latest !== undefined && latest.period > period) return { ...doc, learnerMonths, totals: { ...doc.totals, learnersByPeriod } };
  const change = learners - (latest?.learners ?? 0);
  return {
    ...doc,
    latestLearners: bucketedSet(doc.latestLearners, antennaId, { period, learners }),
    learnerMonths,
    totals: { ...doc.totals, learners: doc.totals.learners + change, learnersByPeriod },
  };
}

/** A `YYYY-MM` period as a count of months, so that months are indices of `KpiLearnerMonths.counts`. */
function monthNumber(period: string): number {
  return Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1;
}

/** The headcount the antenna's months hold for `period`; undefined if it never reported it. */
function monthCountOf(months: KpiLearnerMonths | undefined, period: string): number | undefined {
  if (months === undefined) return undefined;
  return months.counts[monthNumber(period) - monthNumber(months.from)] ?? undefined;
}

/** The antenna's months with `period` set to `learners` (the list extended, either way, to reach it). */
function withMonthCount(months: KpiLearnerMonths | undefined, period: string, learners: number): KpiLearnerMonths {
  if (months === undefined) return { from: period, counts: [learners] };
  const offset = monthNumber(period) - monthNumber(months.from);
  if (offset < 0) return { from: period, counts: [learners, ...new Array<null>(-offset - 1).fill(null), ...months.counts] };
  const counts = offset < months.counts.length ? [...months.counts] : [...months.counts, ...new Array<null>(offset - months.counts.length).fill(null), learners];
  counts[offset] = learners;
  return { from: months.from, counts };
}

/** `learnersByPeriod` with `change` added to `period`'s count (the month inserted in order if new). */
function addToPeriod(byPeriod: KpiTotals['learnersByPeriod'], period: string, change: number): KpiTotals['learnersByPeriod'] {
  let index = byPeriod.length;
  while (index > 0 && byPeriod[index - 1]!.period >= period) index -= 1;
  const existing = byPeriod[index];
  if (existing?.period === period) {
    const next = [...byPeriod];
    next[index] = { period, learners: existing.learners + change };
    return next;
  }
  return [...byPeriod.slice(0, index), { period, learners: change }, ...byPeriod.slice(index)];
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
        inauguratedOn: null,
      };
      return { ...doc, antennas: { ...doc.antennas, [data.antennaId]: antenna } };
    }
    case 'AntennaInaugurated': {
      const { antennaId, effectiveDate } = event.data as AntennaInaugurated['data'];
      const antenna = doc.antennas[antennaId];
      if (!antenna || antenna.inauguratedOn === effectiveDate) return doc;
      return { ...doc, antennas: { ...doc.antennas, [antennaId]: { ...antenna, inauguratedOn: effectiveDate } } };
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
      return {
        ...doc,
        courses: { ...doc.courses, [antennaId]: [...courses, courseId] },
        totals: { ...doc.totals, trainingCourses: doc.totals.trainingCourses + 1 },
      };
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

/**
 * The antenna's new status; a closing (or, were it ever allowed, a reopening) moves what its open
 * agreements have not released between « reste à verser » and « bloqué (antenne fermée) ». A rare
 * event: it may look at every agreement.
 */
function withAntennaStatus(doc: KpisDocument, antennaId: string, status: KpiAntennaStatus): KpisDocument {
  const antenna = doc.antennas[antennaId];
  if (!antenna) return doc;
  const antennas = { ...doc.antennas, [antennaId]: { ...antenna, status } };
  if ((antenna.status === 'closed') === (status === 'closed')) return { ...doc, antennas };
  let open = 0;
  for (const [, agreement] of bucketedEntries(doc.agreements)) if (agreement.antennaId === antennaId && !agreement.closed) open += agreement.notReleasedCents;
  const moved = status === 'closed' ? open : -open;
  const { totals } = doc;
  return {
    ...doc,
    antennas,
    totals: { ...totals, fundingRemainingCents: totals.fundingRemainingCents - moved, fundingBlockedCents: totals.fundingBlockedCents + moved },
  };
}

function structuralTotalsOf(doc: Omit<KpisDocument, 'totals'>): StructuralTotals {
  return { ...antennaTotalsOf(doc), ...callTotalsOf(doc) };
}

/** The totals that come from the antennas and the programme's target. */
function antennaTotalsOf(doc: Pick<KpisDocument, 'antennas' | 'programme'>): Omit<StructuralTotals, 'candidacies' | 'laureates'> {
  const antennas = Object.values(doc.antennas);
  const acv = antennas.filter((a) => a.actionCoeurDeVille).length;
  const inaugurated = antennas.filter((a) => a.inauguratedOn !== null);
  const target = doc.programme?.target;
  return {
    antennasOpened: antennas.length,
    antennasByStatus: {
      active: antennas.filter((a) => a.status === 'active').length,
      suspended: antennas.filter((a) => a.status === 'suspended').length,
      closed: antennas.filter((a) => a.status === 'closed').length,
    },
    targetAttainmentBasisPoints: target ? rateBasisPoints(antennas.length, target.antennaCount) : null,
    antennasInaugurated: inaugurated.length,
    antennasInauguratedByTargetDate: target ? inaugurated.filter((a) => a.inauguratedOn !== null && a.inauguratedOn <= target.targetDate).length : null,
    inaugurationAttainmentBasisPoints: target ? rateBasisPoints(inaugurated.length, target.antennaCount) : null,
    antennasInActionCoeurDeVille: acv,
    actionCoeurDeVilleShareBasisPoints: rateBasisPoints(acv, antennas.length),
  };
}

/** The totals that come from the calls. */
function callTotalsOf(doc: Pick<KpisDocument, 'calls'>): Pick<StructuralTotals, 'candidacies' | 'laureates'> {
  const calls = Object.values(doc.calls);
  return {
    candidacies: calls.reduce((sum, call) => sum + call.candidacies, 0),
    laureates: calls.reduce((sum, call) => sum + call.laureates, 0),
  };
}
