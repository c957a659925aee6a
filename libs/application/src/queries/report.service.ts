import { EventStore } from '@jalon/event-store';
import { PROJECTIONS, ProjectionRunner, ReadModels, replayInMemory, REPORT_BUILDERS } from '@jalon/projections';
import { Report } from '@jalon/reporting';
import { Clock, localDate } from '../ports';
import { validateInput } from '../validation/validate-input';
import { ReportQueryInput } from './report-query.input';

/**
 * Builds the reports users work with. Today's figures come from the live read models; a report
 * "as of" a date or "as known at" an instant is computed by replaying the log into fresh
 * projections up to that cut.
 */
export class ReportService {
  constructor(
    private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  async build(query: unknown): Promise<Report> {
    const input = validateInput(ReportQueryInput, query);
    const cut = { ...(input.asOf ? { asOf: input.asOf } : {}), ...(input.knownAt ? { knownAt: input.knownAt } : {}) };
    // Each report reads the projection of its own name: a replay for a past cut builds only that one.
    const models: ReadModels =
      input.asOf || input.knownAt ? await replayInMemory(this.store, PROJECTIONS.filter((projection) => projection.name === input.kind), cut) : this.runner;
    const referenceDate = input.asOf ?? localDate(input.knownAt ? new Date(input.knownAt) : this.clock.now(), this.timeZone);
    return REPORT_BUILDERS[input.kind](models, {
      ...(input.antennaId ? { antennaId: input.antennaId } : {}),
      ...cut,
      referenceDate,
      ...(input.receiptDelayDays !== undefined ? { receiptDelayDays: input.receiptDelayDays } : {}),
    });
  }
}
