import { ReportService } from '@jalon/application';
import { EventStore } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { ProgrammeQueries, ReportQueries, StreamQueries } from '@jalon/queries';
import { Provider } from '@nestjs/common';
import { EVENT_STORE } from './tokens';

/** The typed query models (@jalon/queries) over this process's read side, for a module that reads them (the dashboard). */
export const QUERY_PROVIDERS: Provider[] = [
  { provide: ReportQueries, inject: [ReportService], useFactory: (reports: ReportService) => new ReportQueries(reports) },
  { provide: ProgrammeQueries, inject: [ProjectionRunner], useFactory: (runner: ProjectionRunner) => new ProgrammeQueries(runner) },
  { provide: StreamQueries, inject: [EVENT_STORE, ProjectionRunner], useFactory: (store: EventStore, runner: ProjectionRunner) => new StreamQueries(store, runner) },
];
