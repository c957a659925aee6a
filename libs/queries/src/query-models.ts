import type { BudgetExpenditureDoc, BudgetReportData, ReportDataByKind, ReportOf } from '@jalon/projections';
import type { DocumentAttached } from '@jalon/domain';

/**
 * The query models: what the dashboard (and any reader that is not a report renderer) reads.
 * Plain JSON-like values, typed, never a read-model document: documents are the projections'
 * storage format and may change with each projection version; these shapes are the readers'.
 */

// Reports, typed by kind (`ReportOf<'budget'>['data']` is BudgetReportData), and the shapes of their data.
export type {
  BudgetReportData,
  EcheancierItem,
  EcheancierReportData,
  FundingDiscrepancy,
  FundingReportAgreement,
  FundingReportData,
  HistoryEntry,
  HistoryReportData,
  KpiCall,
  KpisReportData,
  KpiTotals,
  PhaseReportProgress,
  PhasesAntennaReportData,
  PhasesProgrammeReportData,
  ProgrammeSummary,
  ReportDataByKind,
  ReportOf,
  SubventionsReportData,
} from '@jalon/projections';

/** A report of one kind whose data is narrowed further (the phases report of one antenna, of the programme). */
export type ReportWith<K extends keyof ReportDataByKind, D extends ReportDataByKind[K]> = Omit<ReportOf<K>, 'data'> & { readonly data: D };

/** An antenna's territory, as its candidacy named it. */
export interface TerritoryRef {
  readonly territoryId: string;
  readonly name: string;
  readonly region: string;
  readonly actionCoeurDeVille: boolean;
}

export type AntennaListStatus = 'active' | 'suspended' | 'closed';

/** An antenna as lists show it: where it is, where it comes from, its status today. */
export interface AntennaListItem {
  readonly antennaId: string;
  readonly programmeId: string;
  readonly name: string;
  readonly town: string;
  readonly territory: TerritoryRef;
  readonly callId: string;
  readonly candidacyId: string;
  readonly status: AntennaListStatus;
  readonly openedOn: string;
  readonly inauguratedOn: string | null;
}

/** What forms need to know of an antenna today: its status and why, its phases, courses and forecast. */
export interface AntennaSituation extends AntennaListItem {
  /** Effective date of the last status change (the opening, at first). */
  readonly statusSince: string;
  /** Why it was suspended or closed; null while active. */
  readonly statusReason: string | null;
  readonly inaugurationPlace: string | null;
  /** In the order they were planned. */
  readonly phases: readonly {
    readonly phaseId: string;
    readonly name: string;
    readonly status: 'planned' | 'started' | 'completed';
    /** The plan in force. */
    readonly plannedStart: string;
    readonly plannedEnd: string;
    readonly milestoneIds: readonly string[];
  }[];
  /** Training courses opened at the antenna. */
  readonly courseIds: readonly string[];
  /** Whether its budget forecast is set. */
  readonly forecastSet: boolean;
}

/** A call for expressions of interest; open from its opening until it is closed. */
export interface CallListItem {
  readonly callId: string;
  readonly programmeId: string;
  readonly title: string;
  readonly number: number;
  readonly opensOn: string;
  readonly closesOn: string;
  readonly closedOn: string | null;
  readonly open: boolean;
  /** The revision of the call's stream (what a form sends as its expected revision). */
  readonly revision: number;
}

export type CandidacyListStatus = 'submitted' | 'selected' | 'rejected' | 'withdrawn';

/** A candidacy, with its territory and region, status, and the revision of its stream. */
export interface CandidacyListItem {
  readonly candidacyId: string;
  readonly callId: string;
  readonly programmeId: string;
  readonly territory: TerritoryRef;
  readonly status: CandidacyListStatus;
  readonly submittedOn: string;
  readonly decidedOn: string | null;
  /** The antenna its opening was claimed for; null until then. */
  readonly antennaId: string | null;
  readonly revision: number;
}

/**
 * An expenditure of an antenna, as recorded (every field the read model keeps of it: a field added
 * to the recording reaches this list without another change), its year, and its reversal if any.
 */
export type ExpenditureListItem = Omit<BudgetExpenditureDoc, 'kind' | 'antennaId'> & {
  readonly year: number;
  readonly reversed: boolean;
};

/** An antenna's budget forecast in force (lines by year then category, total, date, revision: 0 until revised), as the budget report gives it. */
export type AntennaForecast = NonNullable<NonNullable<BudgetReportData['forecast']>['current']>;

/** A supporting document attached to one of an antenna's facts (agreement, tranche, expenditure, revision), as recorded. */
export type AttachedDocumentItem = DocumentAttached['data'];

/** The programme the system runs, as the key figures know it. */
export interface ProgrammeRef {
  readonly programmeId: string;
  readonly name: string | null;
  readonly target: { readonly antennaCount: number; readonly targetDate: string } | null;
}

/**
 * The programme this installation follows (docs/decisions/0061): its id, name and launch date
 * (the launch's effective date), as the phases read model recorded its launch.
 */
export interface FollowedProgramme {
  readonly programmeId: string;
  readonly name: string;
  readonly launchedOn: string;
}

// The wording the report builders use for what these models hold, so that pages cannot drift from reports.
export { actorLabel, DEFAULT_ECHEANCIER_WITHIN_DAYS, EVENT_LABELS, LEARNERS_LABEL } from '@jalon/projections';
