import { IsoDate, Message, TerritorySummary } from '../shared';

/** How a training course is delivered. */
export type TrainingMode = 'distance' | 'hybrid' | 'on-site' | 'work-study';

export type AntennaOpened = Message<
  'AntennaOpened',
  {
    readonly antennaId: string;
    readonly candidacyId: string;
    /** Copied from the selected candidacy, so reports need not replay the candidacy stream. */
    readonly callId: string;
    readonly programmeId: string;
    readonly name: string;
    readonly town: string;
    readonly territory: TerritorySummary;
    readonly effectiveDate: IsoDate;
  }
>;

export type PhasePlanned = Message<
  'PhasePlanned',
  {
    readonly antennaId: string;
    readonly phaseId: string;
    readonly name: string;
    readonly site?: string;
    readonly plannedStart: IsoDate;
    readonly plannedEnd: IsoDate;
    readonly effectiveDate: IsoDate;
  }
>;

/** The actual start of a phase is the event's effective date. */
export type PhaseStarted = Message<
  'PhaseStarted',
  {
    readonly antennaId: string;
    readonly phaseId: string;
    readonly effectiveDate: IsoDate;
  }
>;

export type MilestoneReached = Message<
  'MilestoneReached',
  {
    readonly antennaId: string;
    readonly phaseId: string;
    readonly milestoneId: string;
    readonly name: string;
    readonly effectiveDate: IsoDate;
  }
>;

/** Carries the plan it replaces so that the history reads without replaying earlier events. */
export type PhaseRescheduled = Message<
  'PhaseRescheduled',
  {
    readonly antennaId: string;
    readonly phaseId: string;
    readonly plannedStart: IsoDate;
    readonly plannedEnd: IsoDate;
    readonly previousPlannedStart: IsoDate;
    readonly previousPlannedEnd: IsoDate;
    readonly reason: string;
    readonly effectiveDate: IsoDate;
  }
>;

/** The actual end of a phase is the event's effective date. */
export type PhaseCompleted = Message<
  'PhaseCompleted',
  {
    readonly antennaId: string;
    readonly phaseId: string;
    readonly effectiveDate: IsoDate;
  }
>;

export type AntennaInaugurated = Message<
  'AntennaInaugurated',
  {
    readonly antennaId: string;
    readonly place: string;
    readonly effectiveDate: IsoDate;
  }
>;

export type TrainingCourseOpened = Message<
  'TrainingCourseOpened',
  {
    readonly antennaId: string;
    readonly courseId: string;
    readonly title: string;
    readonly sector: string;
    readonly level: string;
    readonly mode: TrainingMode;
    readonly effectiveDate: IsoDate;
  }
>;

/**
 * The antenna's headcount of learners for a month (everyone enrolled then, not the month's new
 * enrolments: two months of the same antenna are never added). A later report for the same month
 * is a correction and says why; it also carries the count it corrects, so that readers (totals,
 * descriptions) need not remember every month's count.
 */
export type LearnersReported = Message<
  'LearnersReported',
  {
    readonly antennaId: string;
    /** `YYYY-MM`. */
    readonly period: string;
    readonly learners: number;
    /** The count this report corrects; absent for the month's first report (never null). */
    readonly previousLearners?: number;
    readonly reason?: string;
    readonly effectiveDate: IsoDate;
  }
>;

export type AntennaSuspended = Message<
  'AntennaSuspended',
  {
    readonly antennaId: string;
    readonly reason: string;
    readonly effectiveDate: IsoDate;
  }
>;

export type AntennaResumed = Message<
  'AntennaResumed',
  {
    readonly antennaId: string;
    readonly effectiveDate: IsoDate;
  }
>;

export type AntennaClosed = Message<
  'AntennaClosed',
  {
    readonly antennaId: string;
    readonly reason: string;
    readonly effectiveDate: IsoDate;
  }
>;

/**
 * A funding agreement of the antenna was attached to it: written on the antenna's stream, with its
 * expected revision, before the agreement's own `FundingCommitted` (docs/decisions/0060), so that
 * the antenna knows its agreements and its closing can follow their facts. `effectiveDate` is the
 * date of the commitment.
 */
export type FundingAgreementAttached = Message<
  'FundingAgreementAttached',
  {
    readonly antennaId: string;
    readonly agreementId: string;
    readonly effectiveDate: IsoDate;
  }
>;

export type PhaseEvent = PhasePlanned | PhaseStarted | MilestoneReached | PhaseRescheduled | PhaseCompleted;

export type AntennaEvent =
  | AntennaOpened
  | PhaseEvent
  | AntennaInaugurated
  | TrainingCourseOpened
  | LearnersReported
  | AntennaSuspended
  | AntennaResumed
  | AntennaClosed
  | FundingAgreementAttached;

/** Schema version of each antenna event type's data (docs/decisions/0011); a type left out fails to compile. */
export const ANTENNA_EVENT_VERSIONS = {
  AntennaOpened: 1,
  PhasePlanned: 1,
  PhaseStarted: 1,
  MilestoneReached: 1,
  PhaseRescheduled: 1,
  PhaseCompleted: 1,
  AntennaInaugurated: 1,
  TrainingCourseOpened: 1,
  /** 2: a correction carries `previousLearners` (antenna.upcasters.ts reads version 1). */
  LearnersReported: 2,
  AntennaSuspended: 1,
  AntennaResumed: 1,
  AntennaClosed: 1,
  FundingAgreementAttached: 1,
} as const satisfies Record<AntennaEvent['type'], number>;
