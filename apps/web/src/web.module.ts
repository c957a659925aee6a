import { PageErrorFilter } from '@jalon/api';
import { QUERY_PROVIDERS } from '@jalon/core';
import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import { AccessibilityController } from './accessibility.controller';
import { AssetsController } from './assets.controller';
import { FormsController } from './forms.controller';
import { ImportsPageController } from './imports.controller';
import { DocumentsPageController } from './documents.controller';
import { IntegrityPagesController } from './integrity-pages.controller';
import { JournalController } from './journal.controller';
import { PagesController } from './pages.controller';
import { DashboardReads } from './read/dashboard-reads';
import { UploadForms } from './session/upload-form';
import { WebSessionGuard } from './session/web-session.guard';
import { SqliteSignOutList } from './session/secure-session-codec';
import { InMemorySignOutList, SessionCodec, sessionOptionsFromEnv, SignOutList, WebSessionOptions, WebSessions } from './session/web-sessions';
import { SignInController } from './sign-in.controller';
import { UsersAdminController } from './users-admin.controller';
import { WebExceptionFilter } from './web-exception.filter';
import { WebPages } from './web-pages';

export interface WebOptions {
  /** Session lifetimes (default: from `JALON_SESSION_MINUTES`); tests set their own clock. */
  readonly sessions?: WebSessionOptions;
  /** Where sign-outs are recorded for every instance (the read-model database); `:memory:` for one process. */
  readonly signOutsFile?: string;
}

/**
 * The codec that seals session cookies, given once the HTTP server has registered
 * `@fastify/secure-session` with the key (see create-api-app.ts).
 */
export class SessionCodecSlot implements SessionCodec {
  codec?: SessionCodec;
  seal(kind: 'session' | 'signIn', data: object): string {
    return this.required().seal(kind, data);
  }
  open(kind: 'session' | 'signIn', value: string): Record<string, unknown> | undefined {
    return this.required().open(kind, value);
  }
  private required(): SessionCodec {
    if (!this.codec) throw new Error('dashboard sessions used before their key was loaded');
    return this.codec;
  }
}

/** Closes the sign-out list's database connection with the application. */
class SignOutListCloser implements OnApplicationShutdown {
  constructor(readonly list: SignOutList) {}
  onApplicationShutdown(): void {
    if (this.list instanceof SqliteSignOutList) this.list.close();
  }
}

/**
 * The web dashboard: server-rendered French pages on the API's port, signed in with the API's
 * tokens (see docs/decisions/0008-web-dashboard.md). Its routes are public to the bearer guard
 * and protected by their own session guard; its exception filter answers, as pages, the errors
 * on addresses outside the API that no route caught (the API's {@link PageErrorFilter}).
 * Mounted by `dashboard()` (dashboard.ts).
 */
@Module({})
export class WebModule {
  static forRoot(options: WebOptions = {}): DynamicModule {
    return {
      module: WebModule,
      controllers: [AssetsController, AccessibilityController, SignInController, PagesController, FormsController, IntegrityPagesController, UsersAdminController, ImportsPageController, DocumentsPageController, JournalController],
      providers: [
        SessionCodecSlot,
        {
          provide: SignOutListCloser,
          useFactory: () =>
            new SignOutListCloser(options.signOutsFile === undefined || options.signOutsFile === ':memory:' ? new InMemorySignOutList() : new SqliteSignOutList(options.signOutsFile)),
        },
        {
          provide: WebSessions,
          inject: [SessionCodecSlot, SignOutListCloser],
          useFactory: (codec: SessionCodecSlot, signOuts: SignOutListCloser) => new WebSessions(options.sessions ?? sessionOptionsFromEnv(), codec, signOuts.list),
        },
        WebSessionGuard,
        UploadForms,
        WebPages,
        WebExceptionFilter,
        { provide: PageErrorFilter, useExisting: WebExceptionFilter },
        // What the dashboard reads: the typed query models of @jalon/queries, nothing else.
        ...QUERY_PROVIDERS,
        DashboardReads,
      ],
      exports: [WebSessions, SessionCodecSlot],
    };
  }
}
