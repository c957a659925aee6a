import { AntennaView, assertNever, isAfter, IsoDate, VersionedMap } from '../shared';
import {
  AntennaClosed,
  AntennaEvent,
  AntennaInaugurated,
  AntennaOpened,
  AntennaSuspended,
  FundingAgreementAttached,
  MilestoneReached,
  PhaseEvent,
  PhasePlanned,
  TrainingCourseOpened,
} from './antenna.events';

export interface PhasePlan {
  readonly plannedStart: IsoDate;
  readonly plannedEnd: IsoDate;
}

export interface PhaseState {
  /** The phase as first planned: rescheduling never overwrites it, so the original plan stays visible. */
  readonly planned: PhasePlanned['data'];
  readonly currentPlan: PhasePlan;
  /** Effective date of the plan in force: the planning, then the latest rescheduling. */
  readonly planChangedOn: IsoDate;
  /** Effective date of the plan that set the planned start in force: the planning, then the latest rescheduling that moved the start. */
  readonly startPlannedOn: IsoDate;
  readonly startedOn?: IsoDate;
  readonly completedOn?: IsoDate;
  readonly milestones: VersionedMap<string, MilestoneReached['data']>;
}

/** A month's learner count in force (the latest report or correction) and the latest date it was reported on. */
export interface MonthLearners {
  readonly learners: number;
  /** The latest effective date of the month's reports and corrections: a correction is not dated before it. */
  readonly reportedOn: IsoDate;
}

/**
 * What an opened antenna remembers, whatever its status. Its collections are `VersionedMap`s, so
 * that an event on one phase, course or period copies none of the others.
 */
export interface AntennaRecord {
  readonly opened: AntennaOpened['data'];
  readonly inauguration?: AntennaInaugurated['data'];
  readonly phases: VersionedMap<string, PhaseState>;
  readonly courses: VersionedMap<string, TrainingCourseOpened['data']>;
  /** Current learner count per `YYYY-MM` period (the latest report or correction), with the date it was reported on. */
  readonly learners: VersionedMap<string, MonthLearners>;
  /** The funding agreements attached to the antenna (docs/decisions/0060), by id: its closing follows their facts. */
  readonly agreements: VersionedMap<string, FundingAgreementAttached['data']>;
  /** Effective date of the latest resumption, if the antenna was ever suspended and resumed. */
  readonly resumedOn?: IsoDate;
  /** The latest effective date of any fact recorded on the antenna: nothing follows its closing. */
  readonly latestFactOn: IsoDate;
}

export type AntennaState =
  | { readonly status: 'not-opened' }
  | (AntennaRecord & { readonly status: 'active' })
  | (AntennaRecord & { readonly status: 'suspended'; readonly suspension: AntennaSuspended['data'] })
  | (AntennaRecord & { readonly status: 'closed'; readonly closing: AntennaClosed['data'] });

export type OpenedAntennaState = Exclude<AntennaState, { readonly status: 'not-opened' }>;

export const initialAntennaState = (): AntennaState => ({ status: 'not-opened' });

export function evolveAntenna(state: AntennaState, event: AntennaEvent): AntennaState {
  const next = evolveFacts(state, event);
  if (next === state || next.status === 'not-opened' || !isAfter(event.data.effectiveDate, next.latestFactOn)) return next;
  return { ...next, latestFactOn: event.data.effectiveDate };
}

function evolveFacts(state: AntennaState, event: AntennaEvent): AntennaState {
  if (event.type === 'AntennaOpened') {
    return {
      status: 'active',
      opened: event.data,
      phases: VersionedMap.empty(),
      courses: VersionedMap.empty(),
      learners: VersionedMap.empty(),
      agreements: VersionedMap.empty(),
      latestFactOn: event.data.effectiveDate,
    };
  }
  // Only an opening starts the stream; anything else on an unopened antenna is ignored.
  if (state.status === 'not-opened') return state;
  const record = recordOf(state);
  switch (event.type) {
    case 'PhasePlanned':
    case 'PhaseStarted':
    case 'MilestoneReached':
    case 'PhaseRescheduled':
    case 'PhaseCompleted': {
      const phase = evolvePhase(state.phases.get(event.data.phaseId), event);
      return phase ? { ...state, phases: state.phases.set(event.data.phaseId, phase) } : state;
    }
    case 'AntennaInaugurated':
      return { ...state, inauguration: event.data };
    case 'TrainingCourseOpened':
      return { ...state, courses: state.courses.set(event.data.courseId, event.data) };
    case 'LearnersReported': {
      const { period, learners, effectiveDate } = event.data;
      const before = state.learners.get(period)?.reportedOn;
      const reportedOn = before !== undefined && isAfter(before, effectiveDate) ? before : effectiveDate;
      return { ...state, learners: state.learners.set(period, { learners, reportedOn }) };
    }
    case 'AntennaSuspended':
      return { ...record, status: 'suspended', suspension: event.data };
    case 'AntennaResumed':
      return { ...record, status: 'active', resumedOn: event.data.effectiveDate };
    case 'AntennaClosed':
      return { ...record, status: 'closed', closing: event.data };
    case 'FundingAgreementAttached':
      // The date of the commitment is a fact of the antenna too: its closing may not precede it.
      return { ...state, agreements: state.agreements.set(event.data.agreementId, event.data) };
    default:
      return assertNever(event);
  }
}

function evolvePhase(phase: PhaseState | undefined, event: PhaseEvent): PhaseState | undefined {
  if (event.type === 'PhasePlanned') {
    const { plannedStart, plannedEnd } = event.data;
    const plannedOn = event.data.effectiveDate;
    return { planned: event.data, currentPlan: { plannedStart, plannedEnd }, planChangedOn: plannedOn, startPlannedOn: plannedOn, milestones: VersionedMap.empty() };
  }
  if (!phase) return undefined;
  switch (event.type) {
    case 'PhaseStarted':
      return { ...phase, startedOn: event.data.effectiveDate };
    case 'MilestoneReached':
      return { ...phase, milestones: phase.milestones.set(event.data.milestoneId, event.data) };
    case 'PhaseRescheduled':
      return {
        ...phase,
        currentPlan: { plannedStart: event.data.plannedStart, plannedEnd: event.data.plannedEnd },
        planChangedOn: event.data.effectiveDate,
        startPlannedOn: event.data.plannedStart === phase.currentPlan.plannedStart ? phase.startPlannedOn : event.data.effectiveDate,
      };
    case 'PhaseCompleted':
      return { ...phase, completedOn: event.data.effectiveDate };
    default:
      return assertNever(event);
  }
}

function recordOf(state: OpenedAntennaState): AntennaRecord {
  const { opened, inauguration, phases, courses, learners, agreements, resumedOn, latestFactOn } = state;
  return {
    opened,
    ...(inauguration ? { inauguration } : {}),
    phases,
    courses,
    learners,
    agreements,
    ...(resumedOn !== undefined ? { resumedOn } : {}),
    latestFactOn,
  };
}

/** The ids of the funding agreements attached to the antenna (docs/decisions/0060): those whose facts its closing follows. */
export function attachedAgreementIdsOf(state: AntennaState): string[] {
  return state.status === 'not-opened' ? [] : [...state.agreements.keys()];
}

/** The date `agreementId` was attached to the antenna (the date of its commitment), if it was. */
export function agreementAttachedOn(state: AntennaState, agreementId: string): IsoDate | undefined {
  return state.status === 'not-opened' ? undefined : state.agreements.get(agreementId)?.effectiveDate;
}

/** The small view other deciders (budget, funding) receive of an antenna. */
export function antennaViewOf(state: AntennaState, antennaId: string): AntennaView {
  if (state.status === 'not-opened') return { antennaId, status: 'not-opened' };
  return { antennaId, status: state.status, openedOn: state.opened.effectiveDate, candidacyId: state.opened.candidacyId };
}
