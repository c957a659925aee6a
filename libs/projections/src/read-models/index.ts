import { Report, ReportKind, ReportParameters } from '@jalon/reporting';
import { Projection } from '../projection';
import { ReadModels } from '../runner/replay';
import { budgetProjection } from './budget/budget.projection';
import { candidaciesProjection } from './candidacies/candidacies.projection';
import { buildBudgetReport, BudgetReportData } from './budget/budget.report';
import { fundingProjection } from './funding/funding.projection';
import { buildEcheancierReport, EcheancierReportData } from './funding/echeancier.report';
import { buildFundingReport, FundingReportData } from './funding/funding.report';
import { buildSubventionsReport, SubventionsReportData } from './funding/subventions.report';
import { agreementLedgerProjection } from './funding/agreement-ledger.projection';
import { buildStatementReport, StatementReportData, StatementSeal } from './funding/statement.report';
import { historyProjection } from './history/history.projection';
import { buildHistoryReport, HistoryFilter, HistoryReportData } from './history/history.report';
import { kpisProjection } from './kpis/kpis.projection';
import { buildKpisReport, KpisReportData } from './kpis/kpis.report';
import { phasesProjection } from './phases/phases.projection';
import { buildPhasesReport, PhasesReportData } from './phases/phases.report';

/** Every read model Jalon keeps. A new version of one is added here beside the old one. */
export const PROJECTIONS: readonly Projection[] = [
  budgetProjection as Projection,
  fundingProjection as Projection,
  phasesProjection as Projection,
  kpisProjection as Projection,
  historyProjection as Projection,
  agreementLedgerProjection as Projection,
  candidaciesProjection as Projection,
];

/** History: `HistoryFilter` (effective dates from/to, actor, event type, page, page size, order). */
export interface ReportOptions extends ReportParameters, Omit<HistoryFilter, 'antennaId'> {
  /** Funding: days after a release when a missing receipt is flagged (default 30). */
  readonly receiptDelayDays?: number;
  /** Échéancier: tranches falling due within this many days are listed (default 30). */
  readonly withinDays?: number;
  /** État récapitulatif des dépenses: the agreement (optional when the antenna has one), the period, the seal it is produced under. */
  readonly agreementId?: string;
  readonly periodFrom?: string;
  readonly periodTo?: string;
  readonly seal?: StatementSeal;
}

/** The shape of each kind of report's `data`: a report is typed by its kind (`ReportOf<'budget'>`). */
export interface ReportDataByKind {
  readonly budget: BudgetReportData;
  readonly funding: FundingReportData;
  readonly phases: PhasesReportData;
  readonly kpis: KpisReportData;
  readonly history: HistoryReportData;
  readonly echeancier: EcheancierReportData;
  readonly subventions: SubventionsReportData;
  readonly 'etat-depenses': StatementReportData;
}

export type ReportOf<K extends ReportKind> = Report<ReportDataByKind[K]>;

export const REPORT_BUILDERS: { readonly [K in ReportKind]: (models: ReadModels, parameters: ReportOptions) => ReportOf<K> } = {
  budget: buildBudgetReport,
  funding: buildFundingReport,
  phases: buildPhasesReport,
  kpis: buildKpisReport,
  // The history builder declares no data type yet (`Report`): its data is HistoryReportData.
  history: (models, parameters) => buildHistoryReport(models, parameters) as ReportOf<'history'>,
  echeancier: buildEcheancierReport,
  subventions: buildSubventionsReport,
  'etat-depenses': buildStatementReport,
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
  'etat-depenses': agreementLedgerProjection.name,
};

/**
 * Every read model each report reads, its own (REPORT_PROJECTION) first: the échéancier and the
 * funding report also read the antennas' status from `phases` (a closed antenna's tranches are
 * blocked, antenna-closing.ts). A report at a past cut replays them all to that cut, and today's
 * report needs them all serving.
 */
export const REPORT_READ_MODELS: Readonly<Record<ReportKind, readonly string[]>> = {
  budget: [REPORT_PROJECTION.budget],
  funding: [REPORT_PROJECTION.funding, phasesProjection.name],
  phases: [REPORT_PROJECTION.phases],
  kpis: [REPORT_PROJECTION.kpis],
  history: [REPORT_PROJECTION.history],
  echeancier: [REPORT_PROJECTION.echeancier, phasesProjection.name],
  subventions: [REPORT_PROJECTION.subventions],
  'etat-depenses': [REPORT_PROJECTION['etat-depenses']],
};

// What the entry points (reports, dashboard) read of the read models: document shapes, report
// data shapes, keys and the French labels the builders use, so that views cannot drift from them.
export type { PhaseProgress, PhasesAntennaDocument, PhasesProgrammeDocument, AntennaStatus, PhaseStatus, PhasesTerritory } from './phases/phases.projection';
export type { PhaseReportProgress, PhasesAntennaReportData, PhasesProgrammeReportData, PhasesReportData, ProgrammeSummary } from './phases/phases.report';
export { ANTENNA_STATUS_LABELS, PHASE_STATUS_LABELS } from './phases/phases.report';
export type { PhaseSituation } from './phases/phases.report';
export type { BudgetReportData, BudgetReportFigures } from './budget/budget.report';
export type { AntennaBudgetDoc, BudgetDoc, BudgetExpenditureDoc } from './budget/budget.projection';
export { budgetAntennaKey, budgetExpenditurePrefix, budgetForecastKey } from './budget/budget.projection';
export type { CallListDocument, CandidaciesDocument, CandidacyListDocument, CandidacyListStatus } from './candidacies/candidacies.projection';
export { CALL_LIST_PREFIX, callListKey, CANDIDACIES_PROJECTION_NAME, CANDIDACY_LIST_PREFIX, candidacyListKey } from './candidacies/candidacies.projection';
export { BUDGET_CATEGORY_LABELS } from './budget/report-helpers';
export type { TrancheDoc, TrancheState } from './funding/funding.projection';
export type { FundingDiscrepancy, FundingReportAgreement, FundingReportData, FundingReportTranche, FundingReportTrancheState } from './funding/funding.report';
export { DISCREPANCY_LABELS, TRANCHE_STATE_LABELS } from './funding/funding.report';
export type { EcheancierItem, EcheancierReportData, EcheancierSituation } from './funding/echeancier.report';
export { SCDL_SUBVENTIONS_FIELDS } from './funding/subventions.report';
export type { SubventionsReportData } from './funding/subventions.report';
export type { StatementLine, StatementParameters, StatementReportData, StatementSeal } from './funding/statement.report';
export { STATEMENT_TITLE } from './funding/statement.report';
export { DEFAULT_ECHEANCIER_WITHIN_DAYS, ECHEANCIER_SITUATION_LABELS, ECHEANCIER_TABLE_TITLE } from './funding/echeancier.report';
export type { HistoryActorDocument, HistoryAntennaDocument, HistoryDocument, HistoryEntriesDocument, HistoryEntry } from './history/history.projection';
export { antennaEntries, antennaTrail, candidacyEntries, candidacyIndexKey, historyActors, historyAntenna, historyAntennaKey, historyAntennas } from './history/history.projection';
export type { HistoryFilter, HistoryReportData } from './history/history.report';
export { historyAtCut, historyModelsAtCut, HistoryCutNotExactError } from './history/history-at-cut';
export { actorLabel, DEFAULT_HISTORY_PAGE_SIZE, EVENT_LABELS, ROLE_LABELS } from './history/history.report';
export type { KpiCall, KpiLatestLearners, KpisDocument, KpiTotals } from './kpis/kpis.projection';
export { LEARNERS_LABEL } from './kpis/kpis.report';
export type { KpisReportData } from './kpis/kpis.report';
export { KPIS_KEY } from './kpis/kpis.projection';
