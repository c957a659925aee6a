import { EventStore } from '@jalon/event-store';
import {
  antennaSubjectStreams,
  cutFilter,
  EventCut,
  HistoryCutNotExactError,
  historyModelsAtCut,
  PROJECTIONS,
  ProjectionRunner,
  ProjectionStorageError,
  ReadModels,
  replayAntennaSubject,
  replayInMemory,
  replaysByAntennaSubject,
  REPORT_BUILDERS,
  REPORT_PROJECTION,
  REPORT_READ_MODELS,
  ReportOptions,
  SnapshotKeyNotKeptError,
  StatementSeal,
} from '@jalon/projections';
import { formatDate, Report, ReportKind, ReportParameterError } from '@jalon/reporting';
import { InputValidationError } from '../errors';
import { isBefore, todayIn } from '@jalon/domain';
import { Clock, LogTrust } from '../ports';
import { FieldNaming, fieldNameOf } from '../validation/query-parameters';
import { validateInput } from '../validation/validate-input';
import { fromLiveReadModel } from './live-read-model';
import { isAsOfInFuture, isKnownAtInFuture } from './report-cut';
import { ReportQueryInput } from './report-query.input';

/** How a refusal of the report service names a field of the report's query: as its caller does (see `fieldNameOf`). */
type NameOf = (property: keyof ReportQueryInput) => string;

/** Programme-wide reports kept, for their read model's committed state, reference date and options. */
const KEPT_REPORTS = 16;

/**
 * The only programme-wide report still kept whole: the audit trail read whole (not paginated: the
 * CLI's export of the full trail), which merges every fact of the log at each reading (a page,
 * filtered or not, reads only its blocks of the history journal, and is not kept: see
 * readsWholeTrail). The others are put together at each query from per-antenna parts kept by the
 * read side with each committed document (docs/decisions/0026), so a write costs them the parts of
 * the antennas it changed, not a whole rebuild.
 */
const KEPT_KINDS: ReadonlySet<ReportKind> = new Set<ReportKind>(['history']);

/**
 * Builds the reports users work with. Today's figures come from the live read models; a report
 * "as of" a date or "as known at" an instant is computed by replaying the log into fresh
 * projections up to that cut (for most reports on one antenna, only that antenna's streams; for
 * the audit trail, today's read model seen through the cut when it can tell).
 *
 * A programme-wide audit trail read whole reads every fact of the log, and is the same for everyone until its
 * read model moves: the last ones built are kept, each with the committed state of the read model
 * it was built from (ProjectionRunner.version), and served while that state holds (KEPT_KINDS).
 * Reports are shared: callers render them and never change them.
 */
export class ReportService {
  private readonly kept = new Map<string, { readonly version: string; readonly report: Report }>();

  constructor(
    private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly trust?: LogTrust,
  ) {}

  /**
   * `trusted` carries what the server itself adds and no caller may send: how to get the seal a
   * statement of expenditure is produced under (see `sealForStatement` in @jalon/core), asked only
   * once the query is valid, since sealing writes to the log; and how refusals name the fields
   * (`naming: 'queryParameter'`: as the API's query does, `antenna` for `antennaId`). Every refusal
   * names them so, from the query's one declaration: the rules of ReportQueryInput, this service's
   * own (a cut in the future, a history filter on another report, `to` before `from`) and the
   * parameter a report cannot do without (ReportParameterError, raised naming the field).
   */
  async build(query: unknown, trusted: { readonly sealForStatement?: () => Promise<StatementSeal>; readonly naming?: FieldNaming } = {}): Promise<Report> {
    const naming = trusted.naming ?? 'declared';
    const nameOf: NameOf = (property) => fieldNameOf(ReportQueryInput, property, naming);
    const input = validateInput(ReportQueryInput, query, { naming });
    try {
      const report = await this.buildValid(input, nameOf, trusted.sealForStatement);
      // Figures read from a log that does not verify say so first, in every format (reports are shared: a copy).
      const untrusted = this.trust?.untrusted();
      return untrusted ? { ...report, notes: [untrusted, ...(report.notes ?? [])] } : report;
    } catch (error) {
      // A report names the parameter it lacks by its field (`antennaId`); its caller is told it as it named it.
      if (error instanceof ReportParameterError) throw new ReportParameterError(fieldNameOf(ReportQueryInput, error.field, naming), error.message, error.rule);
      throw error;
    }
  }

  private async buildValid(input: ReportQueryInput, nameOf: NameOf, sealForStatement: (() => Promise<StatementSeal>) | undefined): Promise<Report> {
    refuseParametersOfOtherKinds(input, nameOf);
    this.refuseFutureCut(input, nameOf);
    if (input.kind !== 'etat-depenses' || !sealForStatement) return this.buildUnder(input, nameOf, undefined);
    // Sealing writes to the log: a statement the request cannot get (no antenna, an empty period, an
    // agreement to choose) is refused before, by the statement itself built once without the seal.
    // Only its refusal of a parameter counts there: whatever else it meets (a read model not yet at
    // the antenna's latest facts) is for the build under the seal, which waits for them.
    try {
      await this.buildUnder(input, nameOf, undefined);
    } catch (error) {
      if (error instanceof ReportParameterError) throw error;
    }
    return this.buildUnder(input, nameOf, await sealForStatement());
  }

  /** The report the valid query asks for, a statement of expenditure under `seal` when given. */
  private async buildUnder(input: ReportQueryInput, nameOf: NameOf, seal: StatementSeal | undefined): Promise<Report> {
    const cut = { ...(input.asOf ? { asOf: input.asOf } : {}), ...(input.knownAt ? { knownAt: input.knownAt } : {}) };
    const referenceDate = input.asOf ?? todayIn(input.knownAt ? new Date(input.knownAt) : this.clock.now(), this.timeZone);
    const parameters: ReportOptions = {
      ...(input.antennaId ? { antennaId: input.antennaId } : {}),
      ...cut,
      referenceDate,
      ...(input.receiptDelayDays !== undefined ? { receiptDelayDays: input.receiptDelayDays } : {}),
      ...(input.withinDays !== undefined ? { withinDays: input.withinDays } : {}),
      ...(input.agreementId !== undefined ? { agreementId: input.agreementId } : {}),
      ...(input.periodFrom !== undefined ? { periodFrom: input.periodFrom } : {}),
      ...(input.periodTo !== undefined ? { periodTo: input.periodTo } : {}),
      ...(seal ? { seal } : {}),
      ...historyFilterOf(input, nameOf),
    };
    if (input.asOf || input.knownAt) {
      if (input.kind === 'history') {
        const seen = await this.historyThroughCut(cut, parameters);
        if (seen) return seen;
      }
      // A replay for a past cut builds only the read models the report reads (REPORT_READ_MODELS), all to the same cut.
      const kind = input.kind;
      return this.atCut(REPORT_READ_MODELS[kind], input.antennaId, cut, (models) => REPORT_BUILDERS[kind](models, parameters));
    }
    const kind = input.kind;
    if (input.antennaId) return this.fromLiveReadModel(kind, () => REPORT_BUILDERS[kind](this.runner, parameters));
    return this.fromLiveReadModel(kind, () => this.programmeReport(kind, parameters));
  }

  /**
   * A cut in the future names nothing recorded yet: refused by the rule of report-cut.ts, which the
   * dashboard asks too. `asOf` may be today; `knownAt` may be any instant up to the end of today in
   * the programme's time zone.
   */
  private refuseFutureCut(input: Pick<ReportQueryInput, 'asOf' | 'knownAt'>, nameOf: NameOf): void {
    const today = todayIn(this.clock.now(), this.timeZone);
    const violations: { field: string; rule: string; message: string }[] = [];
    if (input.asOf !== undefined && isAsOfInFuture(input.asOf, today)) {
      const field = nameOf('asOf');
      violations.push({ field, rule: 'notInFuture', message: `${field} (${input.asOf}) est dans l’avenir, qui n’est pas encore enregistré : au plus aujourd’hui, ${formatDate(today)}` });
    }
    if (input.knownAt !== undefined && isKnownAtInFuture(input.knownAt, today, this.timeZone)) {
      const field = nameOf('knownAt');
      violations.push({ field, rule: 'notInFuture', message: `${field} (${input.knownAt}) est dans l’avenir, qui n’est pas encore enregistré : au plus la fin d’aujourd’hui, ${formatDate(today)}` });
    }
    if (violations.length > 0) throw new InputValidationError(violations);
  }

  /**
   * A report built from the read models `names` at a past cut: for one antenna, from the antenna's own
   * streams when every projection allows it (ANTENNA_SUBJECT_PROJECTIONS, docs/decisions/0024);
   * otherwise from the nearest time-travel snapshot before the cut when each projection has them
   * (docs/decisions/0028); otherwise, when neither can tell, or when the report reads a document
   * snapshots do not keep, from a replay of the whole log.
   */
  private async atCut(names: readonly string[], antennaId: string | undefined, cut: EventCut, build: (models: ReadModels) => Report): Promise<Report> {
    const projections = PROJECTIONS.filter((projection) => names.includes(projection.name));
    if (antennaId !== undefined && names.every((name) => replaysByAntennaSubject(name, antennaId))) {
      const streams = await antennaSubjectStreams(this.store, this.runner, antennaId).catch(() => undefined);
      if (streams) return build(await replayAntennaSubject(this.store, projections, streams, antennaId, cut));
    }
    const fromSnapshot = await this.snapshotModelsAtCut(names, cut);
    if (fromSnapshot) {
      try {
        return build(fromSnapshot);
      } catch (error) {
        if (!(error instanceof SnapshotKeyNotKeptError)) throw error;
      }
    }
    return build(await replayInMemory(this.store, projections, cut));
  }

  /** Each read model of `names` at the cut from the time-travel snapshots, seen as one; undefined when any of them cannot be. */
  private async snapshotModelsAtCut(names: readonly string[], cut: EventCut): Promise<ReadModels | undefined> {
    const snapshots = this.runner.timeTravelSnapshots();
    if (!snapshots) return undefined;
    const byName = new Map<string, ReadModels>();
    for (const name of names) {
      const models = await snapshots.modelsAtCut(name, cut).catch(() => undefined);
      if (!models) return undefined;
      byName.set(name, models);
    }
    if (names.length === 1) return byName.get(names[0]!);
    return {
      view: (name) => {
        const models = byName.get(name);
        if (!models) throw new Error(`no projection named ${name}`);
        return models.view(name);
      },
    };
  }

  /**
   * The audit trail at a cut, from the live `history` read model seen through the cut
   * (historyModelsAtCut, docs/decisions/0024): only when that model serves, none of the events it
   * has not applied yet (the log's tail after its checkpoint) lies inside the cut, nothing is
   * committed meanwhile and every document read can be told at the cut. Undefined otherwise: the
   * caller replays the log, slower and never different.
   */
  private async historyThroughCut(cut: EventCut, parameters: ReportOptions): Promise<Report | undefined> {
    const name = REPORT_PROJECTION.history;
    if (this.runner.unavailability(name) !== undefined) return undefined;
    const version = this.runner.version(name);
    const checkpoint = this.runner.checkpoint(name);
    const inCut = cutFilter(cut);
    const types = [...new Set(PROJECTIONS.filter((projection) => projection.name === name).flatMap((projection) => projection.handles))];
    try {
      for await (const event of this.store.readAll({ after: checkpoint, types })) if (inCut(event)) return undefined;
    } catch {
      return undefined;
    }
    // Nothing awaits from here on: no commit can come between these reads and the report's.
    if (this.runner.unavailability(name) !== undefined || this.runner.version(name) !== version) return undefined;
    try {
      return REPORT_BUILDERS.history(historyModelsAtCut(this.runner, cut), parameters);
    } catch (error) {
      if (error instanceof HistoryCutNotExactError || error instanceof ProjectionStorageError) return undefined;
      throw error;
    }
  }

  /** Today's figures, only from read models that can give them, every one the report reads (see fromLiveReadModel). */
  private fromLiveReadModel(kind: ReportKind, build: () => Report): Report {
    const read = REPORT_READ_MODELS[kind].reduceRight<() => Report>((inner, name) => () => fromLiveReadModel(this.runner, name, inner), build);
    return read();
  }

  private programmeReport(kind: ReportKind, parameters: ReportOptions): Report {
    if (!KEPT_KINDS.has(kind) || !readsWholeTrail(parameters)) return REPORT_BUILDERS[kind](this.runner, parameters);
    // Every parameter (reference date, delays, history filters and page…) tells one kept report from another.
    const key = JSON.stringify([kind, parameters]);
    const version = this.runner.version(REPORT_PROJECTION[kind]);
    const kept = this.kept.get(key);
    if (kept?.version === version) return kept.report;
    const report = REPORT_BUILDERS[kind](this.runner, parameters);
    // Kept only if nothing was committed while it was being built, so that it matches its version.
    if (this.runner.version(REPORT_PROJECTION[kind]) === version) this.keep(key, { version, report });
    return report;
  }

  private keep(key: string, entry: { readonly version: string; readonly report: Report }): void {
    this.kept.delete(key);
    this.kept.set(key, entry);
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= KEPT_REPORTS) break;
      this.kept.delete(oldest);
    }
  }
}

/**
 * The parameters only one report reads, by that report: given to another, each is refused naming
 * it, never ignored (the report would look filtered, or computed over the period asked, and is not).
 */
const PARAMETER_OF_ONE_KIND: Readonly<Partial<Record<keyof ReportQueryInput, ReportKind>>> = {
  receiptDelayDays: 'funding',
  withinDays: 'echeancier',
  agreementId: 'etat-depenses',
  periodFrom: 'etat-depenses',
  periodTo: 'etat-depenses',
  from: 'history',
  to: 'history',
  actor: 'history',
  eventType: 'history',
  page: 'history',
  pageSize: 'history',
  order: 'history',
};

/** How the refusal of a parameter given to another report names the report that reads it: its rule, and « ne s’applique qu’… ». */
const ONLY_FOR: Readonly<Partial<Record<ReportKind, { readonly rule: string; readonly report: string }>>> = {
  history: { rule: 'historyOnly', report: 'à l’historique (rapport history)' },
  funding: { rule: 'fundingOnly', report: 'au suivi des financements (rapport funding)' },
  echeancier: { rule: 'echeancierOnly', report: 'à l’échéancier des tranches (rapport echeancier)' },
  'etat-depenses': { rule: 'statementOnly', report: 'à l’état récapitulatif des dépenses (rapport etat-depenses)' },
};

/**
 * Parameters that every report reads but these: the key figures are the programme's alone (one
 * document for the whole programme), so an antenna given to them would be echoed in the report's
 * heading over the programme's figures.
 */
const PARAMETER_NOT_READ_BY: Readonly<Partial<Record<keyof ReportQueryInput, { readonly kinds: readonly ReportKind[]; readonly rule: string; readonly why: string }>>> = {
  antennaId: { kinds: ['kpis'], rule: 'notForKpis', why: 'ne s’applique pas aux indicateurs (rapport kpis), qui portent sur tout le programme' },
};

/** Refuses each parameter given to a report that does not read it (see PARAMETER_OF_ONE_KIND, PARAMETER_NOT_READ_BY), naming it as the caller did. */
function refuseParametersOfOtherKinds(input: ReportQueryInput, nameOf: NameOf): void {
  const violations = (Object.entries(PARAMETER_OF_ONE_KIND) as [keyof ReportQueryInput, ReportKind][])
    .filter(([field, kind]) => input[field] !== undefined && kind !== input.kind)
    .map(([field, kind]) => {
      const name = nameOf(field);
      const only = ONLY_FOR[kind]!;
      return { field: name, rule: only.rule, message: `${name} ne s’applique qu’${only.report}` };
    });
  for (const [field, notRead] of Object.entries(PARAMETER_NOT_READ_BY) as [keyof ReportQueryInput, NonNullable<(typeof PARAMETER_NOT_READ_BY)[keyof ReportQueryInput]>][]) {
    if (input[field] === undefined || !notRead.kinds.includes(input.kind)) continue;
    const name = nameOf(field);
    violations.push({ field: name, rule: notRead.rule, message: `${name} ${notRead.why}` });
  }
  if (violations.length > 0) throw new InputValidationError(violations);
}

/** True when a programme-wide trail merges every fact (not paginated); false for a page, filtered or not, read through the journal. */
function readsWholeTrail(parameters: ReportOptions): boolean {
  return parameters.page === undefined && parameters.pageSize === undefined;
}

/** The history's filters and page (refused for another report by refuseParametersOfOtherKinds), refused when `to` is before `from`, naming the field as the caller did (`nameOf`). */
function historyFilterOf(input: ReportQueryInput, nameOf: NameOf): Pick<ReportOptions, 'from' | 'to' | 'actor' | 'eventType' | 'page' | 'pageSize' | 'order'> {
  const filter = {
    ...(input.from !== undefined ? { from: input.from } : {}),
    ...(input.to !== undefined ? { to: input.to } : {}),
    ...(input.actor !== undefined ? { actor: input.actor } : {}),
    ...(input.eventType !== undefined ? { eventType: input.eventType } : {}),
    ...(input.page !== undefined ? { page: input.page } : {}),
    ...(input.pageSize !== undefined ? { pageSize: input.pageSize } : {}),
    ...(input.order !== undefined ? { order: input.order } : {}),
  };
  if (filter.from !== undefined && filter.to !== undefined && isBefore(filter.to, filter.from)) {
    const [to, from] = [nameOf('to'), nameOf('from')];
    throw new InputValidationError([{ field: to, rule: 'notBeforeFrom', message: `${to} (${filter.to}) ne peut pas précéder ${from} (${filter.from})` }]);
  }
  return filter;
}
