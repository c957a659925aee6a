/**
 * The shapes of the reports' `data` and of the read-model documents the dashboard reads, and the
 * French labels the report builders use, taken from the read models themselves so that the
 * dashboard and the reports can never drift apart. `@jalon/projections` exports only the
 * builders and the runner; these come from the read-model modules directly (types, plus a few
 * constant label tables).
 */
export type {
  PhaseProgress,
  PhasesAntennaDocument,
  AntennaStatus,
  PhaseStatus,
} from '../../../../../libs/projections/src/read-models/phases/phases.projection';
export { ANTENNA_STATUS_LABELS, PHASE_STATUS_LABELS } from '../../../../../libs/projections/src/read-models/phases/phases.report';
export type { BudgetReportData, BudgetReportFigures } from '../../../../../libs/projections/src/read-models/budget/budget.report';
export type { AntennaBudgetDoc } from '../../../../../libs/projections/src/read-models/budget/budget.projection';
export { budgetAntennaKey } from '../../../../../libs/projections/src/read-models/budget/budget.projection';
export { BUDGET_CATEGORY_LABELS } from '../../../../../libs/projections/src/read-models/budget/report-helpers';
export type { TrancheDoc, TrancheState } from '../../../../../libs/projections/src/read-models/funding/funding.projection';
export type {
  FundingDiscrepancy,
  FundingReportAgreement,
  FundingReportData,
} from '../../../../../libs/projections/src/read-models/funding/funding.report';
export { DISCREPANCY_LABELS, TRANCHE_STATE_LABELS } from '../../../../../libs/projections/src/read-models/funding/funding.report';
export type { HistoryDocument, HistoryEntry } from '../../../../../libs/projections/src/read-models/history/history.projection';
export { candidacyIndexKey, historyAntennaKey } from '../../../../../libs/projections/src/read-models/history/history.projection';
export { actorLabel, EVENT_LABELS, ROLE_LABELS } from '../../../../../libs/projections/src/read-models/history/history.report';
export type { KpiCall, KpisDocument, KpiTotals } from '../../../../../libs/projections/src/read-models/kpis/kpis.projection';
export { KPIS_KEY } from '../../../../../libs/projections/src/read-models/kpis/kpis.projection';

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
