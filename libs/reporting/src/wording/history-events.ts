import type {
  AntennaEvent,
  APPLICATION_EVENT_VERSIONS,
  BudgetEvent,
  CallEvent,
  CandidacyEvent,
  EVENT_VERSIONS,
  FundingEvent,
  ProgrammeEvent,
  ProgrammeRegistryEvent,
} from '@jalon/domain';

/**
 * The facts the audit trail shows: every event of the domain's streams (programme, calls,
 * candidacies, antennas, budgets, funding agreements). Users, idempotency records and seals are
 * not in it: they carry token hashes and request hashes, and say nothing about the programme.
 */
export type AuditedEvent = ProgrammeEvent | CallEvent | CandidacyEvent | AntennaEvent | BudgetEvent | FundingEvent;
export type AuditedEventType = AuditedEvent['type'];

/** Every event type the domain declares a version for, but the application's own (users, idempotency, seals). */
type DomainEventType = Exclude<keyof typeof EVENT_VERSIONS, keyof typeof APPLICATION_EVENT_VERSIONS>;
/**
 * Left out on purpose: the installation's claim of its programme (docs/decisions/0061) is the first
 * step of the launch, which the trail shows (`ProgrammeLaunched`); it adds no fact of its own.
 */
type LeftOutOnPurpose = ProgrammeRegistryEvent['type'];
type NotAudited = Exclude<DomainEventType, AuditedEventType | LeftOutOnPurpose>;
/**
 * A new bounded context whose events are not in {@link AuditedEvent} fails to compile here, so that
 * the trail never silently leaves a kind of fact out (a new event of an existing context fails in
 * the exhaustive switch of history-sentences.ts and in the labels' Record instead).
 */
export const EVERY_DOMAIN_EVENT_IS_AUDITED: [NotAudited] extends [never] ? true : NotAudited = true;

const AUDITED: Readonly<Record<AuditedEventType, true>> = {
  ProgrammeLaunched: true,
  ProgrammeTargetsRevised: true,
  ConventionSigned: true,
  CallForApplicationsOpened: true,
  CallForApplicationsClosed: true,
  CallCandidacyRegistered: true,
  CandidacySubmitted: true,
  CandidacyPartnerAdded: true,
  CandidacySelected: true,
  CandidacyRejected: true,
  CandidacyWithdrawn: true,
  CandidacyAntennaAssigned: true,
  AntennaOpened: true,
  PhasePlanned: true,
  PhaseStarted: true,
  MilestoneReached: true,
  PhaseRescheduled: true,
  PhaseCompleted: true,
  AntennaInaugurated: true,
  TrainingCourseOpened: true,
  LearnersReported: true,
  AntennaSuspended: true,
  AntennaResumed: true,
  AntennaClosed: true,
  FundingAgreementAttached: true,
  BudgetForecastSet: true,
  BudgetForecastRevised: true,
  ExpenditureRecorded: true,
  ExpenditureReversed: true,
  FundingCommitted: true,
  FundingPublicDataRecorded: true,
  BudgetTrancheReleased: true,
  TrancheReceived: true,
  TrancheReleaseReversed: true,
  FundingAgreementClosed: true,
  DocumentAttached: true,
};

/** The audited event types, in the order above (programme, calls, candidacies, antennas, budgets, funding, documents). */
export const AUDITED_EVENT_TYPES: readonly AuditedEventType[] = Object.keys(AUDITED) as AuditedEventType[];

export function isAuditedEventType(type: unknown): type is AuditedEventType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(AUDITED, type);
}
