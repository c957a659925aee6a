import { Actor, CLI_ACTOR_ID, IdentityService } from '@jalon/application';
import { EVENT_STORE, JalonConfig, JalonCoreModule, JalonCoreOptions } from '@jalon/core';
import { EventStore } from '@jalon/event-store';
import { ConsoleLogger, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { userInfo } from 'node:os';

export interface CoreContext {
  readonly app: INestApplicationContext;
  readonly commandBus: CommandBus;
  readonly identity: IdentityService;
  readonly store: EventStore;
}

/** Runs `work` with the write side wired exactly as the API wires it (same module, same command bus). */
export async function withCore<T>(options: JalonCoreOptions, work: (context: CoreContext) => Promise<T>): Promise<T> {
  // A failing start (a store that cannot be opened) is thrown to main.ts, which prints it in French,
  // instead of Nest aborting the process after logging it with its stack trace.
  const app = await NestFactory.createApplicationContext(JalonCoreModule.forRoot(options), { logger: new CliLogger(['error', 'warn']), abortOnError: false });
  try {
    return await work({ app, commandBus: app.get(CommandBus), identity: app.get(IdentityService), store: app.get<EventStore>(EVENT_STORE) });
  } finally {
    await app.close();
  }
}

/** Nest's logger, without its report of a failing start (`ExceptionHandler`): that error is thrown, and main.ts prints it. */
class CliLogger extends ConsoleLogger {
  constructor(levels: ('error' | 'warn')[]) {
    super('', { logLevels: levels });
  }

  override error(message: unknown, ...rest: unknown[]): void {
    if (rest[rest.length - 1] === 'ExceptionHandler') return;
    super.error(message, ...rest);
  }
}

/** Whoever runs the CLI on the server's machine administers it; the events name the system account. */
export function localAdministrator(): Actor {
  return { id: CLI_ACTOR_ID, name: `ligne de commande (${userInfo().username})`, role: 'admin' };
}

export type { JalonConfig };
