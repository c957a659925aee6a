import type { CommitFunding } from '../funding/funding.commands';
import type { FundingCommitted } from '../funding/funding.events';
import { CandidacyView, FundingAgreementView, FundingFactView, IsoDate, Message } from '../shared';
import {
  AntennaClosed,
  AntennaInaugurated,
  AntennaOpened,
  AntennaResumed,
  AntennaSuspended,
  LearnersReported,
  MilestoneReached,
  PhaseCompleted,
  PhasePlanned,
  PhaseRescheduled,
  PhaseStarted,
  TrainingCourseOpened,
} from './antenna.events';

/**
 * Opening an antenna needs the candidacy it comes from: the application folds the candidacy
 * stream and passes its view. The call, programme and territory recorded on the antenna are
 * taken from that view, not from the client.
 */
export interface OpenAntenna
  extends Message<'OpenAntenna', Omit<AntennaOpened['data'], 'callId' | 'programmeId' | 'territory'>> {
  readonly context: { readonly candidacy: CandidacyView };
}

export type PlanPhase = Message<'PlanPhase', PhasePlanned['data']>;
export type StartPhase = Message<'StartPhase', PhaseStarted['data']>;
export type ReachMilestone = Message<'ReachMilestone', MilestoneReached['data']>;
export type ReschedulePhase = Message<
  'ReschedulePhase',
  Omit<PhaseRescheduled['data'], 'previousPlannedStart' | 'previousPlannedEnd'>
>;
export type CompletePhase = Message<'CompletePhase', PhaseCompleted['data']>;

export type InaugurateAntenna = Message<'InaugurateAntenna', AntennaInaugurated['data']>;
export type OpenTrainingCourse = Message<'OpenTrainingCourse', TrainingCourseOpened['data']>;
/** The decider adds `previousLearners` from the antenna's state. */
export type ReportLearners = Message<'ReportLearners', Omit<LearnersReported['data'], 'previousLearners'>>;
export type SuspendAntenna = Message<'SuspendAntenna', AntennaSuspended['data']>;
export type ResumeAntenna = Message<'ResumeAntenna', AntennaResumed['data']>;
/**
 * `context.latestBudgetFactOn`: the latest fact of the antenna's budget (its own stream, read by the
 * application); `context.fundingFacts`: the latest fact moving the money of each agreement the
 * antenna lists (their own streams, read by the application). The closing may precede none of them.
 */
export interface CloseAntenna extends Message<'CloseAntenna', AntennaClosed['data']> {
  readonly context?: { readonly latestBudgetFactOn?: IsoDate; readonly fundingFacts?: readonly FundingFactView[] };
}

/**
 * The first step of committing a funding agreement (docs/decisions/0060): the antenna lists the
 * agreement. It carries the commitment itself, so that the antenna refuses to list what the
 * commitment would refuse. `context.agreement` is the agreement as its own stream knows it (the
 * application reads it), and `context.commitment` the commitment it was recorded with, once it was
 * (docs/decisions/0064).
 */
export interface AttachFundingAgreement extends Message<'AttachFundingAgreement', CommitFunding['data']> {
  readonly context: { readonly agreement: FundingAgreementView; readonly commitment?: FundingCommitted['data'] };
}

export type PhaseCommand = PlanPhase | StartPhase | ReachMilestone | ReschedulePhase | CompletePhase;

export type AntennaCommand =
  | OpenAntenna
  | PhaseCommand
  | InaugurateAntenna
  | OpenTrainingCourse
  | ReportLearners
  | SuspendAntenna
  | ResumeAntenna
  | CloseAntenna
  | AttachFundingAgreement;
