import { CommandExecutor, CommandResult } from '@jalon/application';
import { EVENT_STORE, JalonCoreModule, loadConfig, RunCommand } from '@jalon/core';
import { EventStore } from '@jalon/event-store';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { BENCH_FINANCE } from '../generator/programme';

export interface Core {
  readonly app: INestApplicationContext;
  readonly bus: CommandBus;
  readonly executor: CommandExecutor;
  readonly store: EventStore;
  /** RecordExpenditure (or any command) on the command bus, as the CLI and the API send it. */
  send(command: string, input: Record<string, unknown>): Promise<CommandResult>;
  close(): Promise<void>;
}

/** The write side wired as every entry point wires it (JalonCoreModule: store, executor, command bus), on a data dir. */
export async function openCore(dataDir: string): Promise<Core> {
  const app = await NestFactory.createApplicationContext(
    JalonCoreModule.forRoot({ config: loadConfig({ DATA_DIR: dataDir }), readModelsFile: ':memory:' }),
    { logger: ['error'] },
  );
  const bus = app.get(CommandBus);
  return {
    app,
    bus,
    executor: app.get(CommandExecutor),
    store: app.get<EventStore>(EVENT_STORE),
    send: (command, input) => bus.execute<RunCommand, CommandResult>(new RunCommand(command, input, BENCH_FINANCE)),
    close: () => app.close(),
  };
}
