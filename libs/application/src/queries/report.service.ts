import { EventStore } from '@jalon/event-store';
import { PROJECTIONS, ProjectionRunner, replayInMemory, REPORT_BUILDERS, REPORT_PROJECTION, ReportOptions, StatementSeal } from '@jalon/projections';
import { Report, ReportKind } from '@jalon/reporting';
import { InputValidationError } from '../errors';
import { todayIn } from '@jalon/domain';
import { Clock } from '../ports';
import { validateInput } from '../validation/validate-input';
import { fromLiveReadModel } from './live-read-model';
import { ReportQueryInput } from './report-query.input';

/** Programme-wide reports kept, for their read model's committed state, reference date and options. */
const KEPT_REPORTS = 16;

/**
 * Builds the reports users work with. Today's figures come from the live read models; a report
 * "as of" a date or "as known at" an instant is computed by replaying the log into fresh
 * projections up to that cut.
 *
 * A programme-wide report reads every antenna's documents, and is the same for everyone until
 * its read model moves: the last ones built are kept, each with the committed state of the read
 * model it was built from (ProjectionRunner.version), and served while that state holds. Kept
 * reports are shared: callers render them and never change them.
 */
export class ReportService {
  private readonly kept = new Map<string, { readonly version: string; readonly report: Report }>();

  constructor(
    private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  /**
   * `trusted` carries what the server itself adds and no caller may send: how to get the seal a
   * statement of expenditure is produced under (see `sealForStatement` in @jalon/core), asked only
   * once the query is valid, since sealing writes to the log.
   */
  async build(query: unknown, trusted: { readonly sealForStatement?: () => Promise<StatementSeal> } = {}): Promise<Report> {
    const input = validateInput(ReportQueryInput, query);
    const seal = input.kind === 'etat-depenses' && trusted.sealForStatement ? await trusted.sealForStatement() : undefined;
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
      ...historyFilterOf(input),
    };
    if (input.asOf || input.knownAt) {
      // Each report reads one projection (REPORT_PROJECTION): a replay for a past cut builds only that one.
      const replayed = await replayInMemory(this.store, PROJECTIONS.filter((projection) => projection.name === REPORT_PROJECTION[input.kind]), cut);
      return REPORT_BUILDERS[input.kind](replayed, parameters);
    }
    const kind = input.kind;
    if (input.antennaId) return this.fromLiveReadModel(kind, () => REPORT_BUILDERS[kind](this.runner, parameters));
    return this.fromLiveReadModel(kind, () => this.programmeReport(kind, parameters));
  }

  /** Today's figures, only from a read model that can give them (see fromLiveReadModel). */
  private fromLiveReadModel(kind: ReportKind, build: () => Report): Report {
    return fromLiveReadModel(this.runner, REPORT_PROJECTION[kind], build);
  }

  private programmeReport(kind: ReportKind, parameters: ReportOptions): Report {
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

/** The history's filters and page, refused for another report (a filter silently ignored would mislead) and when `to` is before `from`. */
function historyFilterOf(input: ReportQueryInput): Pick<ReportOptions, 'from' | 'to' | 'actor' | 'eventType' | 'page' | 'pageSize' | 'order'> {
  const filter = {
    ...(input.from !== undefined ? { from: input.from } : {}),
    ...(input.to !== undefined ? { to: input.to } : {}),
    ...(input.actor !== undefined ? { actor: input.actor } : {}),
    ...(input.eventType !== undefined ? { eventType: input.eventType } : {}),
    ...(input.page !== undefined ? { page: input.page } : {}),
    ...(input.pageSize !== undefined ? { pageSize: input.pageSize } : {}),
    ...(input.order !== undefined ? { order: input.order } : {}),
  };
  if (input.kind !== 'history') {
    const given = Object.keys(filter);
    if (given.length > 0) {
      throw new InputValidationError(given.map((field) => ({ field, rule: 'historyOnly', message: `${field} ne s’applique qu’à l’historique (rapport history)` })));
    }
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.to < filter.from) {
    throw new InputValidationError([{ field: 'to', rule: 'notBeforeFrom', message: `to (${filter.to}) ne peut pas précéder from (${filter.from})` }]);
  }
  return filter;
}
