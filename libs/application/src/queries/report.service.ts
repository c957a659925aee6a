import { EventStore, UnreadableEventError } from '@jalon/event-store';
import { PROJECTIONS, ProjectionRunner, ProjectionStorageError, replayInMemory, REPORT_BUILDERS, REPORT_PROJECTION, ReportOptions } from '@jalon/projections';
import { Report, ReportKind } from '@jalon/reporting';
import { ReadModelUnavailableError } from '../errors';
import { Clock, localDate } from '../ports';
import { validateInput } from '../validation/validate-input';
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

  async build(query: unknown): Promise<Report> {
    const input = validateInput(ReportQueryInput, query);
    const cut = { ...(input.asOf ? { asOf: input.asOf } : {}), ...(input.knownAt ? { knownAt: input.knownAt } : {}) };
    const referenceDate = input.asOf ?? localDate(input.knownAt ? new Date(input.knownAt) : this.clock.now(), this.timeZone);
    const parameters: ReportOptions = {
      ...(input.antennaId ? { antennaId: input.antennaId } : {}),
      ...cut,
      referenceDate,
      ...(input.receiptDelayDays !== undefined ? { receiptDelayDays: input.receiptDelayDays } : {}),
      ...(input.withinDays !== undefined ? { withinDays: input.withinDays } : {}),
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

  /**
   * Today's figures, only from a read model that can give them: a stopped projection answers
   * READ_MODEL.UNAVAILABLE; one that had to pass over an unreadable event names it
   * (EVENT_STORE.UNREADABLE_EVENT), as a replay over it would: its figures would be wrong.
   */
  private fromLiveReadModel(kind: ReportKind, build: () => Report): Report {
    const projection = REPORT_PROJECTION[kind];
    const problem = this.runner.unavailability(projection);
    if (problem?.kind === 'stopped') throw new ReadModelUnavailableError(projection, problem.failure.reason, problem.failure.since, problem.failure.nextRetryAt);
    if (problem?.kind === 'rebuilding') {
      throw new ReadModelUnavailableError(
        projection,
        problem.because?.reason ?? 'elle est reconstruite depuis le premier événement, l’événement illisible qu’elle avait dû ignorer étant de nouveau lisible',
      );
    }
    if (problem?.kind === 'checking') throw new ReadModelUnavailableError(projection, 'son point de reprise n’a pas encore pu être vérifié auprès du magasin d’événements');
    if (problem?.kind === 'incomplete') throw new UnreadableEventError({ unreadable: true, ...problem.skipped[0]! });
    try {
      return build();
    } catch (error) {
      if (error instanceof ProjectionStorageError) throw new ReadModelUnavailableError(projection, error.message);
      throw error;
    }
  }

  private programmeReport(kind: ReportKind, parameters: ReportOptions): Report {
    const key = JSON.stringify([kind, parameters.referenceDate, parameters.receiptDelayDays ?? null, parameters.withinDays ?? null]);
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
