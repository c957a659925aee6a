import { DynamicModule, Module } from '@nestjs/common';
import { AssetsController } from './assets.controller';
import { FormsController } from './forms.controller';
import { IntegrityPagesController } from './integrity-pages.controller';
import { PagesController } from './pages.controller';
import { DashboardReads } from './read/dashboard-reads';
import { WebSessionGuard } from './session/web-session.guard';
import { sessionOptionsFromEnv, WebSessionOptions, WebSessions } from './session/web-sessions';
import { SignInController } from './sign-in.controller';
import { UsersAdminController } from './users-admin.controller';
import { WebExceptionFilter } from './web-exception.filter';
import { WebPages } from './web-pages';

export interface WebOptions {
  /** Session lifetimes (default: from `JALON_SESSION_MINUTES`); tests set their own clock. */
  readonly sessions?: WebSessionOptions;
}

/**
 * The web dashboard: server-rendered French pages on the API's port, signed in with the API's
 * tokens (see docs/decisions/0008-web-dashboard.md). Its routes are public to the bearer guard
 * and protected by their own session guard.
 */
@Module({})
export class WebModule {
  static forRoot(options: WebOptions = {}): DynamicModule {
    return {
      module: WebModule,
      controllers: [AssetsController, SignInController, PagesController, FormsController, IntegrityPagesController, UsersAdminController],
      providers: [
        { provide: WebSessions, useFactory: () => new WebSessions(options.sessions ?? sessionOptionsFromEnv()) },
        WebSessionGuard,
        WebPages,
        WebExceptionFilter,
        DashboardReads,
      ],
      exports: [WebSessions],
    };
  }
}
