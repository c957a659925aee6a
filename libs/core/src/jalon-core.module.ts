import { Clock, CommandExecutor, IdempotencyService, IdentityService, LogWatch, randomIds, ReportService, SheetImportService, systemClock } from '@jalon/application';
import {
  newInstanceId,
  PROJECTIONS,
  ProjectionLeaseSettings,
  ProjectionLeaseStore,
  ProjectionRunner,
  ProjectionRunnerOptions,
  ProjectionStorage,
  SqliteProjectionStorage,
} from '@jalon/projections';
import { EventStore } from '@jalon/event-store';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { documentMaxBytesOf, documentsDirOf, JalonConfig } from './config';
import { DocumentService } from './documents/document.service';
import { DocumentStore } from '@jalon/event-store';
import { openEventStore } from './open-event-store';
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
  /** Where read models are kept (default `$DATA_DIR/read-models.sqlite`; `:memory:` for tests). */
  readonly readModelsFile?: string;
  /** The projection runner's settings (tests shorten its retry delays). */
  readonly projectionRunner?: ProjectionRunnerOptions;
}

/**
 * The projection lease (docs/decisions/0019): kept in the read-model database, which every
 * instance of one installation shares; this instance is named by its host, process and a random
 * suffix (see newInstanceId). Only the HTTP service starts the runner, and so takes part in it.
 */
function projectionLease(storage: ProjectionStorage, config: JalonConfig): ProjectionLeaseSettings | undefined {
  if (!isLeaseStore(storage)) return undefined;
  return { store: storage, holder: newInstanceId(), renewMs: config.leaseRenewMs, expiryMs: config.leaseExpiryMs };
}

function isLeaseStore(storage: ProjectionStorage): storage is ProjectionStorage & ProjectionLeaseStore {
  return typeof (storage as Partial<ProjectionLeaseStore>).takeLease === 'function';
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
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // Stopped before the store closes: it may be writing a seal.
    await this.integrity.stop();
    await this.watch.stop();
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
    const clock = options.clock ?? systemClock;
    return {
      module: JalonCoreModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: JALON_CONFIG, useValue: options.config },
        { provide: CLOCK, useValue: clock },
        { provide: EVENT_STORE, useFactory: () => options.store ?? openEventStore(options.config) },
        {
          provide: PROJECTION_STORAGE,
          useFactory: () => SqliteProjectionStorage.open(options.readModelsFile ?? join(options.config.dataDir, 'read-models.sqlite')),
        },
        {
          provide: ProjectionRunner,
          inject: [EVENT_STORE, PROJECTION_STORAGE],
          useFactory: (store: EventStore, storage: ProjectionStorage) =>
            new ProjectionRunner(store, storage, PROJECTIONS, { lease: projectionLease(storage, options.config), ...options.projectionRunner }),
        },
        {
          provide: ReportService,
          inject: [EVENT_STORE, ProjectionRunner],
          useFactory: (store: EventStore, runner: ProjectionRunner) => new ReportService(store, runner, clock, options.config.timeZone),
        },
        // Follows the log from the head, so that the command path knows which cached states are current.
        { provide: LogWatch, inject: [EVENT_STORE], useFactory: (store: EventStore) => LogWatch.start(store) },
        {
          provide: StoreCloser,
          inject: [EVENT_STORE, ProjectionRunner, PROJECTION_STORAGE, LogWatch, LogIntegrityService],
          useFactory: (store: EventStore, runner: ProjectionRunner, storage: ProjectionStorage, watch: LogWatch, integrity: LogIntegrityService) =>
            new StoreCloser(store, !options.store, runner, storage, watch, integrity),
        },
        {
          provide: CommandExecutor,
          inject: [EVENT_STORE, LogWatch],
          useFactory: (store: EventStore, watch: LogWatch) => new CommandExecutor({ store, clock, ids: randomIds, timeZone: options.config.timeZone, watch }),
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
          inject: [HealthRegistry, EVENT_STORE, ProjectionRunner],
          useFactory: (registry: HealthRegistry, store: EventStore, runner: ProjectionRunner) => {
            registry.register(eventStoreIndicator(store, options.config.eventStore));
            registry.register(projectionsIndicator(runner, store));
            registry.register(timeTravelIndicator(runner));
            return true;
          },
        },
        RunCommandHandler,
      ],
      exports: [HealthRegistry, DocumentService, LogIntegrityService, JALON_CONFIG, CLOCK, EVENT_STORE, PROJECTION_STORAGE, CommandExecutor, IdentityService, IdempotencyService, SheetImportService, ProjectionRunner, ReportService, CqrsModule],
    };
  }
}
