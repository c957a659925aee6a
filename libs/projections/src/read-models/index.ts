import { Report, ReportKind, ReportParameters } from '@jalon/reporting';
import { Projection } from '../projection';
import { ReadModels } from '../runner/replay';
import { budgetProjection } from './budget/budget.projection';
import { buildBudgetReport } from './budget/budget.report';
import { fundingProjection } from './funding/funding.projection';
import { buildEcheancierReport } from './funding/echeancier.report';
import { buildFundingReport } from './funding/funding.report';
import { buildSubventionsReport } from './funding/subventions.report';
import { historyProjection } from './history/history.projection';
import { buildHistoryReport } from './history/history.report';
import { kpisProjection } from './kpis/kpis.projection';
import { buildKpisReport } from './kpis/kpis.report';
import { phasesProjection } from './phases/phases.projection';
import { buildPhasesReport } from './phases/phases.report';

/** Every read model Jalon keeps. A new version of one is added here beside the old one. */
export const PROJECTIONS: readonly Projection[] = [
  budgetProjection as Projection,
  fundingProjection as Projection,
  phasesProjection as Projection,
  kpisProjection as Projection,
  historyProjection as Projection,
];

export interface ReportOptions extends ReportParameters {
  /** Funding: days after a release when a missing receipt is flagged (default 30). */
  readonly receiptDelayDays?: number;
  /** Échéancier: tranches falling due within this many days are listed (default 30). */
  readonly withinDays?: number;
}

export const REPORT_BUILDERS: Readonly<Record<ReportKind, (models: ReadModels, parameters: ReportOptions) => Report>> = {
  budget: buildBudgetReport,
  funding: buildFundingReport,
  phases: buildPhasesReport,
  kpis: buildKpisReport,
  history: buildHistoryReport,
  echeancier: buildEcheancierReport,
  subventions: buildSubventionsReport,
};

/** The read model each report reads (its live state, or a replay of it for a past cut). */
export const REPORT_PROJECTION: Readonly<Record<ReportKind, string>> = {
  budget: budgetProjection.name,
  funding: fundingProjection.name,
  phases: phasesProjection.name,
  kpis: kpisProjection.name,
  history: historyProjection.name,
  echeancier: fundingProjection.name,
  subventions: fundingProjection.name,
};

// What the entry points (reports, dashboard) read of the read models: document shapes, report
// data shapes, keys and the French labels the builders use, so that views cannot drift from them.
export type { PhaseProgress, PhasesAntennaDocument, AntennaStatus, PhaseStatus } from './phases/phases.projection';
export { ANTENNA_STATUS_LABELS, PHASE_STATUS_LABELS } from './phases/phases.report';
export type { BudgetReportData, BudgetReportFigures } from './budget/budget.report';
export type { AntennaBudgetDoc } from './budget/budget.projection';
export { budgetAntennaKey } from './budget/budget.projection';
export { BUDGET_CATEGORY_LABELS } from './budget/report-helpers';
export type { TrancheDoc, TrancheState } from './funding/funding.projection';
export type { FundingDiscrepancy, FundingReportAgreement, FundingReportData } from './funding/funding.report';
export { DISCREPANCY_LABELS, TRANCHE_STATE_LABELS } from './funding/funding.report';
export type { EcheancierItem, EcheancierReportData, EcheancierSituation } from './funding/echeancier.report';
export { SCDL_SUBVENTIONS_FIELDS } from './funding/subventions.report';
export { DEFAULT_ECHEANCIER_WITHIN_DAYS, ECHEANCIER_SITUATION_LABELS, ECHEANCIER_TABLE_TITLE } from './funding/echeancier.report';
export type { HistoryAntennaDocument, HistoryDocument, HistoryEntriesDocument, HistoryEntry } from './history/history.projection';
export { antennaEntries, antennaTrail, candidacyEntries, candidacyIndexKey, historyAntenna, historyAntennaKey } from './history/history.projection';
export { actorLabel, EVENT_LABELS, ROLE_LABELS } from './history/history.report';
export type { KpiCall, KpisDocument, KpiTotals } from './kpis/kpis.projection';
export { KPIS_KEY } from './kpis/kpis.projection';
