import { Clock, localDate } from '@jalon/application';
import { CLOCK, JALON_CONFIG, JalonConfig } from '@jalon/core';
import {
  AntennaForecast,
  AntennaSituation,
  AttachedDocumentItem,
  BudgetReportData,
  CallListItem,
  CandidacyListItem,
  ExpenditureListItem,
  FollowedProgramme,
  FundingReportData,
  HistoryEntry,
  KpisReportData,
  PhasesAntennaReportData,
  ProgrammeQueries,
  ProgrammeRef,
  ProgrammeSummary,
  ReportOf,
  ReportQueries,
  ReportWith,
  StreamQueries,
} from '@jalon/queries';
import { Inject, Injectable } from '@nestjs/common';

/** An expenditure of an antenna today (for its list and the one a reversal is chosen from). */
export type LiveExpenditure = ExpenditureListItem;

/** The key figures report's data. */
export type KpisData = KpisReportData;

export interface OverviewData {
  readonly referenceDate: string;
  readonly kpis: KpisData;
  readonly programmes: readonly ProgrammeSummary[];
}

export type AntennaPhases = PhasesAntennaReportData['antenna'];

export interface AntennaData {
  readonly referenceDate: string;
  readonly phasesReport: ReportWith<'phases', PhasesAntennaReportData>;
  readonly antenna: AntennaPhases;
  readonly budgetReport: ReportOf<'budget'>;
  readonly budget: BudgetReportData;
  readonly fundingReport: ReportOf<'funding'>;
  readonly funding: FundingReportData;
  readonly historyReport: ReportOf<'history'>;
  readonly history: readonly HistoryEntry[];
}

/** A call as a form judges it: never opened, or open or closed with its period. */
export type CallStatus = { readonly callId: string; readonly status: 'not-opened' } | (CallListItem & { readonly status: 'open' | 'closed' });

/**
 * What the dashboard reads: only the typed query models of @jalon/queries (reports typed by kind,
 * lists of antennas, calls, candidacies and expenditures, stream revisions), never the write
 * model nor a read-model document. Pages of today read the live read models; a page "as of" a
 * date goes through the reports with that date, which replay the log up to it, so every part of
 * the page is as of the same day. A read model that cannot answer gives READ_MODEL.UNAVAILABLE
 * (a French 503 page), as in the API.
 */
@Injectable()
export class DashboardReads {
  constructor(
    private readonly reports: ReportQueries,
    private readonly programmeQueries: ProgrammeQueries,
    private readonly streams: StreamQueries,
    @Inject(JALON_CONFIG) private readonly config: JalonConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get timeZone(): string {
    return this.config.timeZone;
  }

  today(): string {
    return localDate(this.clock.now(), this.config.timeZone);
  }

  /** Read your writes: true once the read models include `position` (false after a few seconds). */
  async waitFor(position: string | undefined): Promise<boolean> {
    if (position === undefined || !/^\d{1,19}$/.test(position)) return true;
    return this.streams.includes(BigInt(position));
  }

  /** Waits until the read models include everything in the store (before explaining a conflict). */
  async catchUpWithStore(): Promise<void> {
    await this.streams.catchUpWithStore();
  }

  async overview(asOf: string | undefined): Promise<OverviewData> {
    const kpis = await this.reports.report('kpis', asOf ? { asOf } : {});
    const phases = await this.reports.programmePhases(asOf);
    return { referenceDate: phases.parameters.referenceDate, kpis: kpis.data, programmes: phases.data.programmes };
  }

  /** `knownAt`: the page as the log stood at that instant (« Connu au »), with or without `asOf`. */
  async antenna(antennaId: string, asOf: string | undefined, knownAt?: string): Promise<AntennaData> {
    const request = { antennaId, ...(asOf ? { asOf } : {}), ...(knownAt ? { knownAt } : {}) };
    const phasesReport = await this.reports.report('phases', request);
    const { data: phases } = phasesReport;
    if (!('antenna' in phases)) throw new Error(`the phases report of antenna ${antennaId} has no antenna`);
    const budgetReport = await this.reports.report('budget', request);
    const fundingReport = await this.reports.report('funding', request);
    const historyReport = await this.reports.report('history', request);
    return {
      referenceDate: phasesReport.parameters.referenceDate,
      phasesReport: { ...phasesReport, data: phases },
      antenna: phases.antenna,
      budgetReport,
      budget: budgetReport.data,
      fundingReport,
      funding: fundingReport.data,
      historyReport,
      history: historyReport.data.entries,
    };
  }

  async funding(asOf: string | undefined): Promise<{ report: ReportOf<'funding'>; data: FundingReportData }> {
    const report = await this.reports.report('funding', asOf ? { asOf } : {});
    return { report, data: report.data };
  }

  /** Every agreement's public data in the national « subventions » format (throws SUBVENTIONS.MISSING_FIELD). */
  async subventions(): Promise<ReportOf<'subventions'>> {
    return this.reports.report('subventions');
  }

  /** The programme-wide échéancier: tranches overdue and due within `withinDays`, as of a day (or today). */
  async echeancier(asOf: string | undefined, withinDays: number): Promise<ReportOf<'echeancier'>> {
    return this.reports.report('echeancier', { withinDays, ...(asOf ? { asOf } : {}) });
  }

  /** Today's funding reconciliation of one antenna (the forms' tranche lists). */
  async antennaFunding(antennaId: string): Promise<FundingReportData> {
    return (await this.reports.report('funding', { antennaId })).data;
  }

  /** The programme the system runs, or null before its launch. */
  programme(): ProgrammeRef | null {
    return this.programmeQueries.programme();
  }

  /** The programme this installation follows (docs/decisions/0061: its name and launch date), or null before any launch. */
  followedProgramme(): FollowedProgramme | null {
    return this.programmeQueries.followedProgramme();
  }

  /**
   * An antenna today (name, status, phases, courses, forecast set or not); undefined if never
   * opened. The one read of an antenna of today: pages, forms, imports and documents all use it.
   */
  antennaSituation(antennaId: string): AntennaSituation | undefined {
    return this.programmeQueries.antenna(antennaId);
  }

  /** An antenna's budget forecast in force today (a revision's form opens on its lines); null until set. */
  antennaForecast(antennaId: string): AntennaForecast | null {
    return this.programmeQueries.forecast(antennaId);
  }

  /** The supporting documents attached to an antenna's facts today (budget and funding agreements), in log order. */
  attachedDocuments(antennaId: string): AttachedDocumentItem[] {
    return this.programmeQueries.attachedDocuments(antennaId);
  }

  /** Every call, open or not. */
  calls(): CallListItem[] {
    return this.programmeQueries.calls();
  }

  /** A candidacy today (territory, region, call, status, stream revision); undefined if never submitted. */
  async candidacy(candidacyId: string): Promise<CandidacyListItem | undefined> {
    return this.programmeQueries.candidacy(candidacyId);
  }

  async call(callId: string): Promise<CallStatus> {
    const call = this.programmeQueries.call(callId);
    return call ? { ...call, status: call.open ? 'open' : 'closed' } : { callId, status: 'not-opened' };
  }

  /** Every candidacy the programme knows today, by id. */
  async candidacies(): Promise<CandidacyListItem[]> {
    return this.programmeQueries.candidacies();
  }

  /** Where each antenna comes from (call and candidacy never change, so today's read model answers for any date). */
  antennaOrigins(): Map<string, { readonly callId: string; readonly candidacyId: string }> {
    return new Map(this.programmeQueries.antennas().map((antenna) => [antenna.antennaId, { callId: antenna.callId, candidacyId: antenna.candidacyId }]));
  }

  /** Call titles by id. */
  callTitles(): Map<string, string> {
    return new Map(this.programmeQueries.calls().map((call) => [call.callId, call.title]));
  }

  /** Candidacy ids that already became an antenna. */
  candidaciesWithAntenna(): Set<string> {
    return new Set(this.programmeQueries.antennas().map((antenna) => antenna.candidacyId));
  }

  /** The antenna's expenditures (description, date, category, amount, reversal), by year then id. */
  async liveExpenditures(antennaId: string): Promise<LiveExpenditure[]> {
    return this.programmeQueries.expenditures(antennaId);
  }

  /**
   * The revision of the stream a command would write to (what a form carries for its concurrency
   * check): the revision of the stream's last event, whatever the command.
   */
  async revisionOf(_command: string, streamId: string): Promise<number | 'no_stream'> {
    return this.streams.revisionOf(streamId);
  }

  /** What was recorded on a stream after `revision`, as the history read model tells it. */
  changesSince(streamId: string, revision: number | 'no_stream', where: { antennaId?: string; candidacyId?: string }): HistoryEntry[] {
    return this.streams.changesSince(streamId, revision, where);
  }
}
