import { ConsoleLogger, LogLevel } from '@nestjs/common';

/**
 * Nest's console logger, without its own English reports of the failures that Jalon throws and
 * prints in French itself (the CLI's main.ts): a failing start (`ExceptionHandler`, with its stack
 * trace) and an address it cannot listen on (`NestApplication`, « Error: listen EADDRINUSE… »).
 * Everything else Nest logs, at the levels asked.
 */
const TIMESTAMP = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'medium' });

export class JalonNestLogger extends ConsoleLogger {
  constructor(levels: LogLevel[]) {
    super('', { logLevels: levels });
  }

  /** Each line's time as French staff read it (« 04/12/2026 22:14:52 »), not Nest's en-US « 12/4/2026, 10:14:52 PM ». */
  protected override getTimestamp(): string {
    return TIMESTAMP.format(new Date()).replace(',', '');
  }

  override error(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (context === 'ExceptionHandler') return;
    if (context === 'NestApplication' && typeof message === 'string' && message.startsWith('Error: listen ')) return;
    super.error(message, ...rest);
  }
}
