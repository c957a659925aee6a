import { JalonCoreOptions } from '@jalon/core';
import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ApiModule } from './api.module';
import { serveOpenApi } from './openapi/openapi';
import { WebOptions } from './web/web.module';

export interface ApiAppOptions extends JalonCoreOptions {
  readonly logger?: false | LogLevel[];
  /** The web dashboard's settings (sessions); by default from the environment. */
  readonly web?: WebOptions;
}

/** Builds the HTTP application (used by `jalon serve` and by the HTTP tests). */
export async function createApiApp(options: ApiAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(options), {
    logger: options.logger ?? ['error', 'warn'],
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: '1mb' });
  // The dashboard's forms post application/x-www-form-urlencoded (flat names, no nesting).
  app.useBodyParser('urlencoded', { extended: false, limit: '100kb', parameterLimit: 200 });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  serveOpenApi(app);
  return app;
}
