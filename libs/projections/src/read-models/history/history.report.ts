import { ReportParameterError, ReportSubjectNotFoundError } from '@jalon/reporting';
import type { Report, ReportParameters, ReportTable, Row } from '@jalon/reporting';
import { ReadModelView } from '../../projection';
import { antennaTrail, historyAntenna, HISTORY_PROJECTION_NAME, HistoryDocument, HistoryEntry } from './history.projection';

/** What the builder reads: the `history` read model, live or replayed. */
export interface HistoryReadModels {
  view<Doc>(name: string): ReadModelView<Doc>;
}

export const EVENT_LABELS: Readonly<Record<string, string>> = {
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
};

export const ROLE_LABELS: Readonly<Record<string, string>> = {
  admin: 'Administration',
  'programme-manager': 'Gestion du programme',
  finance: 'Finances',
  auditor: 'Audit',
};

/** Who recorded an entry: display name and id, so that homonyms stay distinct. */
export function actorLabel(entry: Pick<HistoryEntry, 'actor' | 'actorName'>): string {
  return entry.actorName && entry.actorName !== entry.actor ? `${entry.actorName} (${entry.actor})` : entry.actor;
}

/** The audit trail of one antenna (with its candidacy, budget and funding), in log order. */
export function buildHistoryReport(models: HistoryReadModels, parameters: ReportParameters): Report {
  const { antennaId } = parameters;
  if (antennaId === undefined) throw new ReportParameterError('antennaId', 'l’historique porte sur une antenne : précisez laquelle');
  const view = models.view<HistoryDocument>(HISTORY_PROJECTION_NAME);
  const trail = antennaTrail(view, antennaId);
  if (trail === undefined) {
    throw new ReportSubjectNotFoundError(`Antenne inconnue : « ${antennaId} » (aucun événement enregistré à cette date).`);
  }

  const table: ReportTable = {
    title: 'Historique',
    columns: [
      { key: 'effectiveDate', label: "Date d'effet", kind: 'date' },
      { key: 'recordedAt', label: 'Enregistré le', kind: 'timestamp' },
      { key: 'actor', label: 'Par', kind: 'text' },
      { key: 'role', label: 'Rôle', kind: 'text' },
      { key: 'event', label: 'Événement', kind: 'text' },
      { key: 'reason', label: 'Motif', kind: 'text' },
      { key: 'changes', label: 'Changement', kind: 'text' },
    ],
    rows: trail.map(
      (entry): Row => ({
        effectiveDate: entry.effectiveDate,
        recordedAt: entry.recordedAt,
        actor: actorLabel(entry),
        role: ROLE_LABELS[entry.role] ?? entry.role,
        event: EVENT_LABELS[entry.type] ?? entry.type,
        reason: entry.reason,
        changes: entry.changes,
      }),
    ),
  };

  // Known from its opening; an antenna with entries but no opening (never in a consistent log) has no name.
  const doc = historyAntenna(view, antennaId);
  const candidacyId = doc?.candidacyId ?? null;
  const notes: string[] = [];
  if (trail.length === 0) notes.push('Aucun événement à cette date.');
  else notes.push(`${trail.length} événement${trail.length > 1 ? 's' : ''}, dans l’ordre où ils ont été enregistrés.`);
  if (candidacyId !== null) notes.push(`Inclut les événements de la candidature ${candidacyId}.`);
  const withReason = trail.filter((entry) => entry.reason !== null).length;
  if (withReason > 0) notes.push(`${withReason} événement${withReason > 1 ? 's' : ''} avec un motif.`);

  return {
    kind: 'history',
    title: `Historique de l’antenne — ${doc?.name ?? antennaId}`,
    parameters,
    tables: [table],
    notes,
    data: { antennaId, candidacyId, entries: trail },
  };
}
