import { Clock, CommandExecutor, IdempotencyService, IdentityService, LogWatch, timeOrderedIds, ReportService, SheetImportService, systemClock } from '@jalon/application';
import {
  isProjectionLeaseStore,
  newInstanceId,
  PROJECTIONS,
  ProjectionLeaseSettings,
  ProjectionRunner,
  ProjectionRunnerOptions,
  ProjectionStorage,
  SqliteProjectionStorage,
} from '@jalon/projections';
import { EventStore, handsOverCheckpoints, signalsAppends } from '@jalon/event-store';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { documentMaxBytesOf, documentsDirOf, JalonConfig, projectionsModeOf } from './config';
import { ProjectionThread } from './projection-thread/projection-thread';
import { DocumentService } from './documents/document.service';
import { DocumentStore } from '@jalon/event-store';
import { assertStoreOpens, openEventStore } from './open-event-store';
import { RunCommandHandler } from './run-command';
import { HealthRegistry } from './health/health-registry';
import { LogIntegrityService } from './integrity/log-integrity.service';
import { eventStoreIndicator } from './health/event-store.indicator';
import { projectionsIndicator } from './health/projections.indicator';
import { timeTravelIndicator } from './health/time-travel.indicator';
import { CLOCK, EVENT_STORE, JALON_CONFIG, PROJECTION_STORAGE } from './tokens';
import { join } from 'node:path';

export interface JalonCoreOptions {
  readonly config: JalonConfig;
  /** Tests and the demo may set the time; everything else uses the system clock. */
  readonly clock?: Clock;
  /** Use an already opened store (tests that share one store between apps). */
  readonly store?: EventStore;
  /** The configured store must already exist (see `openEventStore`): set by the commands that only read the log. Nothing is created when it does not. */
  readonly existingStore?: boolean;
  /**
   * Only read the embedded store, changing nothing of its file (implies `existingStore`): reports
   * and `status` on a data directory that cannot be written (a backup on a read-only medium); see
   * `OpenEventStoreOptions.readOnly`.
   */
  readonly readOnlyStore?: boolean;
  /** Where read models are kept (default `$DATA_DIR/read-models.sqlite`; `:memory:` for tests). */
  readonly readModelsFile?: string;
  /** The projection runner's settings (tests shorten its retry delays); the projection thread's runner gets them too. */
  readonly projectionRunner?: Omit<ProjectionRunnerOptions, 'lease'>;
  /** The projection thread's entry file (tests give one that fails on demand); see ProjectionThread. */
  readonly projectionWorkerEntry?: string;
  /** How often the projection thread looks at the file for other processes' appends (tests lengthen it to show that the serving thread's wake it). */
  readonly projectionWorkerPollMs?: number;
}

/**
 * The projection lease (docs/decisions/0019): kept in the read-model database, which every
 * instance of one installation shares; this instance is named by its host, process and a random
 * suffix (see newInstanceId). Only the HTTP service starts the runner, and so takes part in it.
 */
function projectionLease(storage: ProjectionStorage, config: JalonConfig, thread: ProjectionThread): ProjectionLeaseSettings | undefined {
  if (!isProjectionLeaseStore(storage)) return undefined;
  // In thread mode, the serving thread's runner stands by for its worker (docs/decisions/0030).
  return { store: storage, holder: newInstanceId(), renewMs: config.leaseRenewMs, expiryMs: config.leaseExpiryMs, standBy: thread.standBy };
}

/** Registers the store's and the projections' parts of `/health` (other parts register their own). */
const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');

class StoreCloser implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly owned: boolean,
    private readonly runner: ProjectionRunner,
    private readonly storage: ProjectionStorage,
    private readonly watch: LogWatch,
    private readonly integrity: LogIntegrityService,
    private readonly thread: ProjectionThread,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // Stopped before the store closes: it may be writing a seal.
    await this.integrity.stop();
    await this.watch.stop();
    // The projection thread commits and gives the lease up before the serving thread's runner stops.
    await this.thread.stop();
    await this.runner.stop();
    this.storage.close();
    if (this.owned) await this.store.close();
  }
}

/**
 * Wires Jalon for any entry point: configuration, the event store it names, the one command path,
 * identity and idempotency, Nest's command bus with the command handler, and the read side (the
 * projection runner, which only the HTTP service starts, and the report service).
 */
@Module({})
export class JalonCoreModule {
  static forRoot(options: JalonCoreOptions): DynamicModule {
    // Before any provider is built: Nest builds the read-model file (and the rest) even when the
    // store's provider fails, so a store that cannot be opened (missing when it must exist, a folder
    // or another file in its place) is refused here, with nothing created.
    // A store opened read-only is only read: it checks that its file is there, and what it cannot open in place it reads from a copy.
    if (!options.store && !options.readOnlyStore) assertStoreOpens(options.config, { existing: options.existingStore ?? false });
    const clock = options.clock ?? systemClock;
    return {
      module: JalonCoreModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: JALON_CONFIG, useValue: options.config },
        { provide: CLOCK, useValue: clock },
        {
          provide: EVENT_STORE,
          useFactory: () =>
            options.store ?? openEventStore(options.config, options.readOnlyStore ? { existing: true, readOnly: true } : { existing: options.existingStore ?? false }),
        },
        {
          provide: PROJECTION_STORAGE,
          useFactory: () => SqliteProjectionStorage.open(options.readModelsFile ?? join(options.config.dataDir, 'read-models.sqlite')),
        },
        {
          // Where `jalon serve` runs its projections (docs/decisions/0030); started with the runner by LiveReadModels.
          provide: ProjectionThread,
          inject: [PROJECTION_STORAGE, EVENT_STORE],
          useFactory: (storage: ProjectionStorage, store: EventStore) => {
            const readModelsFile = options.readModelsFile ?? join(options.config.dataDir, 'read-models.sqlite');
            return new ProjectionThread({
              // A store object given by the caller (tests) cannot be opened again by a worker: inline.
              mode: isProjectionLeaseStore(storage) && !options.store ? projectionsModeOf(options.config, readModelsFile) : 'inline',
              config: options.config,
              readModelsFile,
              runner: options.projectionRunner ?? {},
              ...(isProjectionLeaseStore(storage) ? { leaseStore: storage } : {}),
              ...(handsOverCheckpoints(store) ? { checkpoints: store } : {}),
              ...(signalsAppends(store) ? { appends: store } : {}),
              ...(options.projectionWorkerEntry ? { entry: options.projectionWorkerEntry } : {}),
              ...(options.projectionWorkerPollMs ? { livePollMs: options.projectionWorkerPollMs } : {}),
            });
          },
        },
        {
          provide: ProjectionRunner,
          inject: [EVENT_STORE, PROJECTION_STORAGE, ProjectionThread],
          useFactory: (store: EventStore, storage: ProjectionStorage, thread: ProjectionThread) => {
            const runner = new ProjectionRunner(store, storage, PROJECTIONS, { lease: projectionLease(storage, options.config, thread), ...options.projectionRunner });
            thread.attach(runner);
            return runner;
          },
        },
        {
          provide: ReportService,
          inject: [EVENT_STORE, ProjectionRunner, LogIntegrityService],
          // Reports say so while the log does not verify (docs/decisions/0056).
          useFactory: (store: EventStore, runner: ProjectionRunner, integrity: LogIntegrityService) => new ReportService(store, runner, clock, options.config.timeZone, integrity),
        },
        // Follows the log from the head, so that the command path knows which cached states are current.
        { provide: LogWatch, inject: [EVENT_STORE], useFactory: (store: EventStore) => LogWatch.start(store) },
        {
          provide: StoreCloser,
          inject: [EVENT_STORE, ProjectionRunner, PROJECTION_STORAGE, LogWatch, LogIntegrityService, ProjectionThread],
          useFactory: (store: EventStore, runner: ProjectionRunner, storage: ProjectionStorage, watch: LogWatch, integrity: LogIntegrityService, thread: ProjectionThread) =>
            new StoreCloser(store, !options.store, runner, storage, watch, integrity, thread),
        },
        {
          provide: CommandExecutor,
          inject: [EVENT_STORE, LogWatch],
          useFactory: (store: EventStore, watch: LogWatch) => new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: options.config.timeZone, watch }),
        },
        {
          provide: IdentityService,
          inject: [CommandExecutor],
          useFactory: (executor: CommandExecutor) => new IdentityService(executor, clock, options.config.timeZone),
        },
        { provide: IdempotencyService, inject: [EVENT_STORE], useFactory: (store: EventStore) => new IdempotencyService(store) },
        // Spreadsheets of budget lines or expenditures, through the same command path (docs/decisions/0016-spreadsheet-import.md).
        {
          provide: SheetImportService,
          inject: [CommandExecutor],
          useFactory: (executor: CommandExecutor) => new SheetImportService(executor, clock, options.config.timeZone),
        },
        { provide: HealthRegistry, useFactory: () => new HealthRegistry() },
        // Supporting documents' bytes, content-addressed under $DATA_DIR/documents (docs/decisions/0017); `documents` in /health.
        {
          provide: DocumentService,
          inject: [HealthRegistry],
          useFactory: (registry: HealthRegistry) => {
            const service = new DocumentService(new DocumentStore(documentsDirOf(options.config)), documentMaxBytesOf(options.config));
            registry.register(service.indicator());
            return service;
          },
        },
        // Verifies and seals the log; only `serve` starts it (see apps/api/src/server.ts).
        LogIntegrityService,
        {
          provide: HEALTH_INDICATORS,
          inject: [HealthRegistry, EVENT_STORE, ProjectionRunner, ProjectionThread],
          useFactory: (registry: HealthRegistry, store: EventStore, runner: ProjectionRunner, thread: ProjectionThread) => {
            registry.register(eventStoreIndicator(store, options.config.eventStore));
            registry.register(projectionsIndicator(runner, store, thread));
            registry.register(timeTravelIndicator(runner, thread));
            return true;
          },
        },
        RunCommandHandler,
      ],
      exports: [HealthRegistry, DocumentService, LogIntegrityService, JALON_CONFIG, CLOCK, EVENT_STORE, PROJECTION_STORAGE, CommandExecutor, IdentityService, IdempotencyService, SheetImportService, ProjectionRunner, ProjectionThread, ReportService, CqrsModule],
    };
  }
}
