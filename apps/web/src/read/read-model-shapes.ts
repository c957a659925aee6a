/**
 * The shapes of the reports' `data` and of the read-model documents the dashboard reads, and the
 * French labels the report builders use, taken from the read models themselves so that the
 * dashboard and the reports can never drift apart.
 */
export type {
  AntennaBudgetDoc,
  AntennaStatus,
  BudgetReportData,
  BudgetReportFigures,
  EcheancierReportData,
  FundingDiscrepancy,
  FundingReportAgreement,
  FundingReportData,
  HistoryDocument,
  HistoryEntry,
  KpiCall,
  KpisDocument,
  KpiTotals,
  PhaseProgress,
  PhasesAntennaDocument,
  PhaseStatus,
  TrancheDoc,
  TrancheState,
} from '@jalon/projections';
export {
  actorLabel,
  antennaEntries,
  ANTENNA_STATUS_LABELS,
  BUDGET_CATEGORY_LABELS,
  budgetAntennaKey,
  candidacyEntries,
  candidacyIndexKey,
  DISCREPANCY_LABELS,
  EVENT_LABELS,
  historyAntennaKey,
  KPIS_KEY,
  PHASE_STATUS_LABELS,
  ROLE_LABELS,
  TRANCHE_STATE_LABELS,
} from '@jalon/projections';

/** `data` of the phases report for the programme (the builder does not export this shape). */
export interface ProgrammeSummaryData {
  readonly programmeId: string;
  readonly name: string;
  readonly target: { readonly antennaCount: number; readonly targetDate: string } | null;
  readonly antennasOpened: number;
  readonly attainmentBasisPoints: number | null;
  readonly byStatus: readonly { readonly status: 'active' | 'suspended' | 'closed'; readonly label: string; readonly antennas: number }[];
  readonly byCurrentPhase: readonly { readonly label: string; readonly antennas: number }[];
  readonly antennas: readonly {
    readonly antennaId: string;
    readonly name: string;
    readonly town: string;
    readonly status: 'active' | 'suspended' | 'closed';
    readonly openedOn: string;
    readonly inauguratedOn: string | null;
    readonly currentPhase: string;
    readonly phasesCompleted: number;
    readonly phasesPlanned: number;
    readonly latenessDays: number;
  }[];
}
