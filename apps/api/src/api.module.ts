import { COMMANDS } from '@jalon/application';
import { JalonCoreModule, JalonCoreOptions } from '@jalon/core';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { BearerAuthGuard } from './auth/auth';
import { AuthModule } from './auth/auth.module';
import { createCommandsController } from './commands/commands.controller';
import { COMMAND_ROUTES } from './commands/command-routes';
import { HttpErrorFilter } from './errors/http-error.filter';
import { ProblemsController } from './errors/problems.controller';
import { HealthController } from './health/health.controller';
import { IntegrityController } from './integrity/integrity.controller';
import { LiveReadModels } from './reports/live-read-models';
import { ReportsController } from './reports/reports.controller';
import { ImportsController } from './imports/imports.controller';
import { DocumentsController } from './documents/documents.controller';
import { StreamsController } from './streams/streams.controller';
import { UsersController } from './users/users.controller';

/** Routes of the commands that exist in the catalogue (the catalogue is the source of truth). */
export function commandRoutes() {
  const known = new Set(COMMANDS.map((command) => command.name));
  return COMMAND_ROUTES.filter((route) => known.has(route.command));
}

@Module({})
export class ApiModule {
  /** `mounted`: the modules of the extensions served on the same port (the dashboard). */
  static forRoot(options: JalonCoreOptions, mounted: readonly DynamicModule[] = []): DynamicModule {
    return {
      module: ApiModule,
      imports: [JalonCoreModule.forRoot(options), AuthModule, ...mounted],
      controllers: [HealthController, ProblemsController, UsersController, StreamsController, ReportsController, IntegrityController, ImportsController, DocumentsController, createCommandsController(commandRoutes())],
      providers: [
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        LiveReadModels,
      ],
    };
  }
}
