import { Actor, CLI_ACTOR_ID, IdentityService } from '@jalon/application';
import { EVENT_STORE, JalonConfig, JalonCoreModule, JalonCoreOptions, JalonNestLogger } from '@jalon/core';
import { EventStore } from '@jalon/event-store';
import { INestApplicationContext } from '@nestjs/common';
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
  const app = await NestFactory.createApplicationContext(JalonCoreModule.forRoot(options), { logger: new JalonNestLogger(['error', 'warn']), abortOnError: false });
  try {
    return await work({ app, commandBus: app.get(CommandBus), identity: app.get(IdentityService), store: app.get<EventStore>(EVENT_STORE) });
  } finally {
    await app.close();
  }
}

/** Whoever runs the CLI on the server's machine administers it; the events name the system account. */
export function localAdministrator(): Actor {
  return { id: CLI_ACTOR_ID, name: `ligne de commande (${userInfo().username})`, role: 'admin' };
}

export type { JalonConfig };
