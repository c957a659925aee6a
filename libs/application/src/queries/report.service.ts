import { EventStore } from '@jalon/event-store';
import { PROJECTIONS, ProjectionRunner, replayInMemory, REPORT_BUILDERS, ReportOptions } from '@jalon/projections';
import { Report, ReportKind } from '@jalon/reporting';
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
    };
    if (input.asOf || input.knownAt) {
      // Each report reads the projection of its own name: a replay for a past cut builds only that one.
      const replayed = await replayInMemory(this.store, PROJECTIONS.filter((projection) => projection.name === input.kind), cut);
      return REPORT_BUILDERS[input.kind](replayed, parameters);
    }
    if (input.antennaId) return REPORT_BUILDERS[input.kind](this.runner, parameters);
    return this.programmeReport(input.kind, parameters);
  }

  private programmeReport(kind: ReportKind, parameters: ReportOptions): Report {
    const key = JSON.stringify([kind, parameters.referenceDate, parameters.receiptDelayDays ?? null]);
    const version = this.runner.version(kind);
    const kept = this.kept.get(key);
    if (kept?.version === version) return kept.report;
    const report = REPORT_BUILDERS[kind](this.runner, parameters);
    // Kept only if nothing was committed while it was being built, so that it matches its version.
    if (this.runner.version(kind) === version) this.keep(key, { version, report });
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
