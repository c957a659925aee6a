import type { ReportService } from '@jalon/application';
import type { ReportKind } from '@jalon/reporting';
import { PhasesAntennaReportData, PhasesProgrammeReportData, ReportOf, ReportWith } from './query-models';

/** What a report is asked with (validated by the report service, which names a wrong field). */
export interface ReportRequest {
  readonly antennaId?: string;
  /** Effective-date cut: the report as things stood at the end of that day (replayed from the log). */
  readonly asOf?: string;
  readonly knownAt?: string;
  readonly withinDays?: number;
  readonly receiptDelayDays?: number;
  /** History: effective dates from / to, who recorded the facts, one kind of fact, the page, the order (see HistoryFilter). */
  readonly from?: string;
  readonly to?: string;
  readonly actor?: string;
  readonly eventType?: string;
  readonly page?: number;
  readonly pageSize?: number;
  readonly order?: 'asc' | 'desc';
}

/**
 * Reports typed by their kind: `report('budget')` is a `ReportOf<'budget'>`, whose data is the
 * budget's, so no reader casts `data`. Today's reports come from the live read models (a stopped
 * one answers READ_MODEL.UNAVAILABLE), past ones from a replay of the log.
 */
export class ReportQueries {
  constructor(private readonly reports: Pick<ReportService, 'build'>) {}

  async report<K extends ReportKind>(kind: K, request: ReportRequest = {}): Promise<ReportOf<K>> {
    const report = await this.reports.build({ ...request, kind });
    // The builder of each kind gives that kind's data (REPORT_BUILDERS is typed per kind).
    if (report.kind !== kind) throw new Error(`a ${kind} report was asked, a ${report.kind} report was built`);
    return report as ReportOf<K>;
  }

  /** The phases report of one antenna (its phases with their lateness on the reference date). */
  async antennaPhases(antennaId: string, asOf?: string): Promise<ReportWith<'phases', PhasesAntennaReportData>> {
    const report = await this.report('phases', { antennaId, ...(asOf ? { asOf } : {}) });
    const { data } = report;
    if (!('antenna' in data)) throw new Error(`the phases report of antenna ${antennaId} has no antenna`);
    return { ...report, data };
  }

  /** The programme-wide phases report (one summary per programme, each antenna with its territory). */
  async programmePhases(asOf?: string): Promise<ReportWith<'phases', PhasesProgrammeReportData>> {
    const report = await this.report('phases', asOf ? { asOf } : {});
    const { data } = report;
    if (!('programmes' in data)) throw new Error('the programme phases report has no programme');
    return { ...report, data };
  }
}
