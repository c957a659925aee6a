import type { AuditedEventType } from './history-events';

/**
 * The French name of each kind of fact in the audit trail (the « Événement » column, the
 * dashboard's filter). A `Record` over every audited event type: a new event type without a
 * label fails the type check.
 */
export const HISTORY_EVENT_LABELS: Readonly<Record<AuditedEventType, string>> = {
  ProgrammeLaunched: 'Programme lancé',
  ProgrammeTargetsRevised: 'Objectifs du programme révisés',
  ConventionSigned: 'Convention signée',
  CallForApplicationsOpened: 'Appel à manifestation d’intérêt ouvert',
  CallForApplicationsClosed: 'Appel à manifestation d’intérêt clos',
  CallCandidacyRegistered: 'Candidature inscrite à l’appel',
  CandidacySubmitted: 'Candidature déposée',
  CandidacyPartnerAdded: 'Partenaire ajouté',
  CandidacySelected: 'Candidature retenue',
  CandidacyRejected: 'Candidature rejetée',
  CandidacyWithdrawn: 'Candidature retirée',
  CandidacyAntennaAssigned: 'Antenne attribuée à la candidature',
  AntennaOpened: 'Antenne ouverte',
  PhasePlanned: 'Phase prévue',
  PhaseStarted: 'Phase commencée',
  MilestoneReached: 'Jalon atteint',
  PhaseRescheduled: 'Phase replanifiée',
  PhaseCompleted: 'Phase terminée',
  AntennaInaugurated: 'Antenne inaugurée',
  TrainingCourseOpened: 'Formation ouverte',
  LearnersReported: 'Apprenants déclarés',
  AntennaSuspended: 'Antenne suspendue',
  AntennaResumed: 'Antenne réactivée',
  AntennaClosed: 'Antenne fermée',
  FundingAgreementAttached: 'Convention de financement rattachée',
  BudgetForecastSet: 'Budget prévisionnel établi',
  BudgetForecastRevised: 'Budget prévisionnel révisé',
  ExpenditureRecorded: 'Dépense enregistrée',
  ExpenditureReversed: 'Dépense annulée',
  FundingCommitted: 'Financement engagé',
  FundingPublicDataRecorded: 'Données publiques de la convention enregistrées',
  BudgetTrancheReleased: 'Tranche versée',
  TrancheReceived: 'Tranche reçue',
  TrancheReleaseReversed: 'Versement de tranche annulé',
  FundingAgreementClosed: 'Financement clos',
  DocumentAttached: 'Pièce justificative jointe',
};

/** The French name of an event type, or the type itself for one the trail does not audit. */
export function historyEventLabel(type: string): string {
  return (HISTORY_EVENT_LABELS as Readonly<Record<string, string>>)[type] ?? type;
}
