import { Clock, CommandExecutor, IdempotencyService, IdentityService, randomIds, systemClock } from '@jalon/application';
import { EventStore } from '@jalon/event-store';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { JalonConfig } from './config';
import { openEventStore } from './open-event-store';
import { RunCommandHandler } from './run-command';
import { CLOCK, EVENT_STORE, JALON_CONFIG } from './tokens';

export interface JalonCoreOptions {
  readonly config: JalonConfig;
  /** Tests and the demo may set the time; everything else uses the system clock. */
  readonly clock?: Clock;
  /** Use an already opened store (tests that share one store between apps). */
  readonly store?: EventStore;
}

class StoreCloser implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly owned: boolean,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.owned) await this.store.close();
  }
}

/**
 * Wires the write side for any entry point: configuration, the event store it names, the one
 * command path, identity and idempotency, and Nest's command bus with the command handler.
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
        { provide: StoreCloser, inject: [EVENT_STORE], useFactory: (store: EventStore) => new StoreCloser(store, !options.store) },
        {
          provide: CommandExecutor,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new CommandExecutor({ store, clock, ids: randomIds, timeZone: options.config.timeZone }),
        },
        {
          provide: IdentityService,
          inject: [CommandExecutor],
          useFactory: (executor: CommandExecutor) => new IdentityService(executor, clock, options.config.timeZone),
        },
        { provide: IdempotencyService, inject: [EVENT_STORE], useFactory: (store: EventStore) => new IdempotencyService(store, clock) },
        RunCommandHandler,
      ],
      exports: [JALON_CONFIG, CLOCK, EVENT_STORE, CommandExecutor, IdentityService, IdempotencyService, CqrsModule],
    };
  }
}
