import { Report, ReportKind, ReportParameters } from '@jalon/reporting';
import { Projection } from '../projection';
import { ReadModels } from '../runner/replay';
import { budgetProjection } from './budget/budget.projection';
import { buildBudgetReport } from './budget/budget.report';
import { fundingProjection } from './funding/funding.projection';
import { buildFundingReport } from './funding/funding.report';
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
}

export const REPORT_BUILDERS: Readonly<Record<ReportKind, (models: ReadModels, parameters: ReportOptions) => Report>> = {
  budget: buildBudgetReport,
  funding: buildFundingReport,
  phases: buildPhasesReport,
  kpis: buildKpisReport,
  history: buildHistoryReport,
};
