import { Clock, CommandExecutor, commandNamed, localDate, ReportService } from '@jalon/application';
import { CLOCK, EVENT_STORE, JALON_CONFIG, JalonConfig } from '@jalon/core';
import { budgetDecider, callDecider, callViewOf, CallView, candidacyDecider, CandidacyView, candidacyViewOf, streamIdOf } from '@jalon/domain';
import { EventStore } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { Report } from '@jalon/reporting';
import { Inject, Injectable } from '@nestjs/common';
import {
  AntennaBudgetDoc,
  antennaEntries,
  budgetAntennaKey,
  BudgetReportData,
  candidacyEntries,
  FundingReportData,
  HistoryDocument,
  HistoryEntry,
  KpiCall,
  KPIS_KEY,
  KpisDocument,
  KpiTotals,
  PhaseProgress,
  PhasesAntennaDocument,
  ProgrammeSummaryData,
} from './read-model-shapes';

/** An expenditure of an antenna as the budget stream holds it now (for the list a reversal is chosen from). */
export interface LiveExpenditure {
  readonly expenditureId: string;
  readonly year: number;
  readonly amountCents: number;
  readonly reversed: boolean;
}

/** How long a page waits for the read models to include the writer's own write. */
const READ_YOUR_WRITES_MS = 5000;

export interface KpisData {
  readonly programme: { readonly programmeId: string; readonly name: string | null; readonly target: { readonly antennaCount: number; readonly targetDate: string } } | null;
  readonly calls: readonly KpiCall[];
  readonly totals: KpiTotals;
}

export interface OverviewData {
  readonly referenceDate: string;
  readonly kpis: KpisData;
  readonly programmes: readonly ProgrammeSummaryData[];
}

export type AntennaPhases = Omit<PhasesAntennaDocument, 'phases'> & { readonly phases: readonly (PhaseProgress & { readonly latenessDays: number })[] };

export interface AntennaData {
  readonly referenceDate: string;
  readonly phasesReport: Report;
  readonly antenna: AntennaPhases;
  readonly budgetReport: Report;
  readonly budget: BudgetReportData;
  readonly fundingReport: Report;
  readonly funding: FundingReportData;
  readonly historyReport: Report;
  readonly history: readonly HistoryEntry[];
}

/**
 * What the dashboard reads. Pages of today read the serving read models; a page "as of" a date
 * goes through ReportService with that date, which replays the log up to it, so every part of
 * the page is as of the same day. Selects in forms (current state only) read the read models and,
 * for candidacies and calls, the streams themselves.
 */
@Injectable()
export class DashboardReads {
  constructor(
    private readonly reports: ReportService,
    private readonly runner: ProjectionRunner,
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
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
    return this.runner.waitForPosition(BigInt(position), READ_YOUR_WRITES_MS);
  }

  /** Waits until the read models include everything in the store (before explaining a conflict). */
  async catchUpWithStore(): Promise<void> {
    await this.runner.waitForPosition(await this.store.headPosition(), READ_YOUR_WRITES_MS);
  }

  async overview(asOf: string | undefined): Promise<OverviewData> {
    const cut = asOf ? { asOf } : {};
    const kpis = await this.reports.build({ kind: 'kpis', ...cut });
    const phases = await this.reports.build({ kind: 'phases', ...cut });
    return {
      referenceDate: phases.parameters.referenceDate,
      kpis: kpis.data as KpisData,
      programmes: (phases.data as { programmes: ProgrammeSummaryData[] }).programmes,
    };
  }

  async antenna(antennaId: string, asOf: string | undefined): Promise<AntennaData> {
    const query = { antennaId, ...(asOf ? { asOf } : {}) };
    const phasesReport = await this.reports.build({ kind: 'phases', ...query });
    const budgetReport = await this.reports.build({ kind: 'budget', ...query });
    const fundingReport = await this.reports.build({ kind: 'funding', ...query });
    const historyReport = await this.reports.build({ kind: 'history', ...query });
    return {
      referenceDate: phasesReport.parameters.referenceDate,
      phasesReport,
      antenna: (phasesReport.data as { antenna: AntennaPhases }).antenna,
      budgetReport,
      budget: budgetReport.data as BudgetReportData,
      fundingReport,
      funding: fundingReport.data as FundingReportData,
      historyReport,
      history: (historyReport.data as { entries: HistoryEntry[] }).entries,
    };
  }

  async funding(asOf: string | undefined): Promise<{ report: Report; data: FundingReportData }> {
    const report = await this.reports.build({ kind: 'funding', ...(asOf ? { asOf } : {}) });
    return { report, data: report.data as FundingReportData };
  }

  /** Every agreement's public data in the national « subventions » format (throws SUBVENTIONS.MISSING_FIELD). */
  async subventions(): Promise<Report> {
    return this.reports.build({ kind: 'subventions' });
  }

  /** The programme-wide échéancier: tranches overdue and due within `withinDays`, as of a day (or today). */
  async echeancier(asOf: string | undefined, withinDays: number): Promise<Report> {
    return this.reports.build({ kind: 'echeancier', withinDays, ...(asOf ? { asOf } : {}) });
  }

  /** Today's funding reconciliation of one antenna (the forms' tranche lists). */
  async antennaFunding(antennaId: string): Promise<FundingReportData> {
    return (await this.reports.build({ kind: 'funding', antennaId })).data as FundingReportData;
  }

  /** The candidacy of each antenna (territory, region, call), read from the candidacy streams. */
  async candidacy(candidacyId: string): Promise<CandidacyView> {
    const { state } = await this.executor.load(candidacyDecider, streamIdOf('candidacy', candidacyId));
    return candidacyViewOf(state, candidacyId);
  }

  async call(callId: string): Promise<CallView> {
    const { state } = await this.executor.load(callDecider, streamIdOf('call', callId));
    return callViewOf(state, callId);
  }

  /** Every candidacy the programme knows today (from the KPI read model), with its territory. */
  async candidacies(): Promise<CandidacyView[]> {
    const doc = this.runner.view<KpisDocument>('kpis').get(KPIS_KEY);
    const views = [];
    for (const candidacyId of Object.keys(doc?.candidacies ?? {}).sort()) views.push(await this.candidacy(candidacyId));
    return views;
  }

  liveKpis(): KpisDocument | undefined {
    return this.runner.view<KpisDocument>('kpis').get(KPIS_KEY);
  }

  /** Where each antenna comes from (call and candidacy never change, so today's read model answers for any date). */
  antennaOrigins(): Map<string, { readonly callId: string; readonly candidacyId: string }> {
    return new Map(
      this.runner
        .view<PhasesAntennaDocument | { kind: 'programme' }>('phases')
        .list('antenna:')
        .flatMap((doc) => (doc.kind === 'antenna' ? [[doc.antennaId, { callId: doc.callId, candidacyId: doc.candidacyId }] as const] : [])),
    );
  }

  /** Live phases document of an antenna (forms: its name, its phases). */
  livePhases(antennaId: string): PhasesAntennaDocument | undefined {
    const doc = this.runner.view<PhasesAntennaDocument | { kind: 'programme' }>('phases').get(`antenna:${antennaId}`);
    return doc?.kind === 'antenna' ? doc : undefined;
  }

  /** Call titles by id, from the KPI read model. */
  callTitles(): Map<string, string> {
    const calls = this.liveKpis()?.calls ?? {};
    return new Map(Object.values(calls).map((call) => [call.callId, call.title ?? call.callId]));
  }

  /** Candidacy ids that already became an antenna. */
  candidaciesWithAntenna(): Set<string> {
    return new Set(
      this.runner
        .view<PhasesAntennaDocument | { kind: 'programme' }>('phases')
        .list('antenna:')
        .flatMap((doc) => (doc.kind === 'antenna' ? [doc.candidacyId] : [])),
    );
  }

  liveBudget(antennaId: string): AntennaBudgetDoc | undefined {
    const doc = this.runner.view<AntennaBudgetDoc>('budget').get(budgetAntennaKey(antennaId));
    return doc?.kind === 'antenna' ? doc : undefined;
  }

  /**
   * The antenna's expenditures as its budget stream knows them (the budget read model keeps only
   * figures, never one entry per expenditure), sorted by year then id.
   */
  async liveExpenditures(antennaId: string): Promise<LiveExpenditure[]> {
    const { state } = await this.executor.load(budgetDecider, streamIdOf('budget', antennaId));
    if (state.status !== 'forecast-set') return [];
    return [...state.expenditures]
      .map(([expenditureId, entry]) => ({
        expenditureId,
        year: Number(entry.recorded.effectiveDate.slice(0, 4)),
        amountCents: entry.recorded.amountCents,
        reversed: entry.reversed !== undefined,
      }))
      .sort((a, b) => a.year - b.year || a.expenditureId.localeCompare(b.expenditureId));
  }

  /** The revision of the stream a command would write to (what a form carries for its concurrency check). */
  async revisionOf(command: string, streamId: string): Promise<number | 'no_stream'> {
    return (await this.executor.load(commandNamed(command).decider, streamId)).revision;
  }

  /** What was recorded on a stream after `revision`, as the history read model tells it. */
  changesSince(streamId: string, revision: number | 'no_stream', where: { antennaId?: string; candidacyId?: string }): HistoryEntry[] {
    const view = this.runner.view<HistoryDocument>('history');
    const entries = [
      ...(where.antennaId ? antennaEntries(view, where.antennaId) : []),
      ...(where.candidacyId ? candidacyEntries(view, where.candidacyId) : []),
    ];
    const after = revision === 'no_stream' ? -1 : revision;
    return entries.filter((entry) => entry.streamId === streamId && entry.revision > after);
  }
}
