import { fromLiveReadModel } from '@jalon/application';
import {
  antennaEntries,
  BudgetDoc,
  BudgetExpenditureDoc,
  budgetExpenditurePrefix,
  budgetForecastKey,
  CALL_LIST_PREFIX,
  CallListDocument,
  callListKey,
  CANDIDACIES_PROJECTION_NAME,
  CANDIDACY_LIST_PREFIX,
  CandidacyListDocument,
  candidacyListKey,
  KPIS_KEY,
  HistoryDocument,
  KpisDocument,
  PhasesAntennaDocument,
  PhasesProgrammeDocument,
  ProjectionRunner,
  REPORT_PROJECTION,
} from '@jalon/projections';
import type { ReadModelView } from '@jalon/projections';
import {
  AntennaForecast,
  AntennaListItem,
  AntennaSituation,
  AttachedDocumentItem,
  CallListItem,
  CandidacyListItem,
  ExpenditureListItem,
  FollowedProgramme,
  ProgrammeRef,
} from './query-models';

/** The live read models queries read: the projection runner, or a test double. */
export type LiveReadModels = Pick<ProjectionRunner, 'view' | 'unavailability'>;

const PHASES = REPORT_PROJECTION.phases;
const BUDGET = REPORT_PROJECTION.budget;
const KPIS = REPORT_PROJECTION.kpis;
const HISTORY = REPORT_PROJECTION.history;

/**
 * Today's programme as lists: antennas with their territory and region, calls (open or not),
 * candidacies with their status and stream revision, an antenna's expenditures and situation.
 * Each read goes through `fromLiveReadModel`: a projection that cannot answer (stopped,
 * rebuilding…) gives READ_MODEL.UNAVAILABLE, as the API's reports do, never stale data.
 */
export class ProgrammeQueries {
  constructor(private readonly models: LiveReadModels) {}

  /** The programme the system runs, or null before its launch. */
  programme(): ProgrammeRef | null {
    const doc = this.read<KpisDocument, KpisDocument | undefined>(KPIS, (view) => view.get(KPIS_KEY));
    return doc?.programme ? { programmeId: doc.programme.programmeId, name: doc.programme.name, target: doc.programme.target } : null;
  }

  /**
   * The programme this installation follows (docs/decisions/0061), or null before any launch: the
   * one programme launched. On a history recorded before that rule, where several were launched,
   * the registry follows the first launched in the log; the read model keeps launch dates, not log
   * positions, so this is the one launched on the earliest day (the smallest id on the same day).
   */
  followedProgramme(): FollowedProgramme | null {
    const launched = this.read<PhasesAntennaDocument | PhasesProgrammeDocument, FollowedProgramme[]>(PHASES, (view) =>
      view.list('programme:').flatMap((doc) =>
        doc.kind === 'programme' && doc.name !== null && doc.launchedOn !== null ? [{ programmeId: doc.programmeId, name: doc.name, launchedOn: doc.launchedOn }] : [],
      ),
    );
    launched.sort((a, b) => (a.launchedOn < b.launchedOn ? -1 : a.launchedOn > b.launchedOn ? 1 : a.programmeId < b.programmeId ? -1 : a.programmeId > b.programmeId ? 1 : 0));
    return launched[0] ?? null;
  }

  /** Every antenna opened, by id. */
  antennas(): AntennaListItem[] {
    return this.read<PhasesAntennaDocument | { kind: 'programme' }, AntennaListItem[]>(PHASES, (view) =>
      view.list('antenna:').flatMap((doc) => (doc.kind === 'antenna' ? [antennaItem(doc)] : [])),
    );
  }

  /** An antenna today, undefined if it was never opened. */
  antenna(antennaId: string): AntennaSituation | undefined {
    const doc = this.read<PhasesAntennaDocument | { kind: 'programme' }, PhasesAntennaDocument | undefined>(PHASES, (view) => {
      const found = view.get(`antenna:${antennaId}`);
      return found?.kind === 'antenna' ? found : undefined;
    });
    if (!doc) return undefined;
    const courseIds = this.read<KpisDocument, readonly string[]>(KPIS, (view) => view.get(KPIS_KEY)?.courses[antennaId] ?? []);
    const forecastSet = this.forecast(antennaId) !== null;
    return {
      ...antennaItem(doc),
      statusSince: doc.statusSince,
      statusReason: doc.statusReason,
      inaugurationPlace: doc.inaugurationPlace,
      phases: doc.phases.map((phase) => ({
        phaseId: phase.phaseId,
        name: phase.name,
        status: phase.status,
        plannedStart: phase.plannedStart,
        plannedEnd: phase.plannedEnd,
        milestoneIds: phase.milestones.map((milestone) => milestone.milestoneId),
      })),
      courseIds: [...courseIds],
      forecastSet,
    };
  }

  /** Every call, by id. */
  calls(): CallListItem[] {
    return this.read<CallListDocument, CallListItem[]>(CANDIDACIES_PROJECTION_NAME, (view) => view.list(CALL_LIST_PREFIX).filter((doc) => doc.kind === 'call').map(callItem));
  }

  call(callId: string): CallListItem | undefined {
    const doc = this.read<CallListDocument, CallListDocument | undefined>(CANDIDACIES_PROJECTION_NAME, (view) => view.get(callListKey(callId)));
    return doc?.kind === 'call' ? callItem(doc) : undefined;
  }

  /** Every candidacy, by id. */
  candidacies(): CandidacyListItem[] {
    return this.read<CandidacyListDocument, CandidacyListItem[]>(CANDIDACIES_PROJECTION_NAME, (view) =>
      view.list(CANDIDACY_LIST_PREFIX).filter((doc) => doc.kind === 'candidacy').map(candidacyItem),
    );
  }

  candidacy(candidacyId: string): CandidacyListItem | undefined {
    const doc = this.read<CandidacyListDocument, CandidacyListDocument | undefined>(CANDIDACIES_PROJECTION_NAME, (view) => view.get(candidacyListKey(candidacyId)));
    return doc?.kind === 'candidacy' ? candidacyItem(doc) : undefined;
  }

  /** The antenna's expenditures, reversed ones included, by year then id. */
  expenditures(antennaId: string): ExpenditureListItem[] {
    const docs = this.read<BudgetExpenditureDoc, BudgetExpenditureDoc[]>(BUDGET, (view) => view.list(budgetExpenditurePrefix(antennaId)).filter((doc) => doc.kind === 'expenditure'));
    return docs
      .map(({ kind: _kind, antennaId: _antennaId, ...expenditure }) => ({ ...expenditure, year: Number(expenditure.effectiveDate.slice(0, 4)), reversed: expenditure.reversal !== null }))
      .sort((a, b) => a.year - b.year || (a.expenditureId < b.expenditureId ? -1 : a.expenditureId > b.expenditureId ? 1 : 0));
  }

  /** The antenna's budget forecast in force, null until it is set (or for an antenna never opened). */
  forecast(antennaId: string): AntennaForecast | null {
    return this.read<BudgetDoc, AntennaForecast | null>(BUDGET, (view) => {
      const found = view.get(budgetForecastKey(antennaId));
      return found?.kind === 'forecast' ? found.forecast.current : null;
    });
  }

  /**
   * Every supporting document attached to the antenna's facts (on its budget and on its funding
   * agreements), as recorded, in log order: the audit trail keeps each attachment with its data.
   */
  attachedDocuments(antennaId: string): AttachedDocumentItem[] {
    return this.read<HistoryDocument, AttachedDocumentItem[]>(HISTORY, (view) =>
      antennaEntries(view, antennaId).flatMap((entry) => (entry.type === 'DocumentAttached' ? [entry.values as unknown as AttachedDocumentItem] : [])),
    );
  }

  private read<Doc, T>(projection: string, read: (view: ReadModelView<Doc>) => T): T {
    return fromLiveReadModel(this.models, projection, () => read(this.models.view<Doc>(projection)));
  }
}

function antennaItem(doc: PhasesAntennaDocument): AntennaListItem {
  return {
    antennaId: doc.antennaId,
    programmeId: doc.programmeId,
    name: doc.name,
    town: doc.town,
    territory: doc.territory,
    callId: doc.callId,
    candidacyId: doc.candidacyId,
    status: doc.status,
    openedOn: doc.openedOn,
    inauguratedOn: doc.inauguratedOn,
  };
}

function callItem({ kind: _kind, ...call }: CallListDocument): CallListItem {
  return { ...call, open: call.closedOn === null };
}

function candidacyItem({ kind: _kind, ...candidacy }: CandidacyListDocument): CandidacyListItem {
  return candidacy;
}
