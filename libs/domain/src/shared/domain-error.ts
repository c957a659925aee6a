import type { DomainErrorCode } from './domain-error-codes';

export type { DomainErrorCode } from './domain-error-codes';

/**
 * How a broken rule is classified, so that every entry point (HTTP, CLI) can map it once:
 * - `not-found`: the command refers to something that does not exist;
 * - `conflict`: the command contradicts what already happened (already done, differently);
 * - `rule`: the command is well-formed but breaks a business rule.
 */
export type DomainErrorKind = 'not-found' | 'conflict' | 'rule';

/**
 * A broken domain rule, with a stable code (`AREA.RULE`) that clients may rely on. The message is
 * for developers and logs; people read the French wording of the code (the application's error table).
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly kind: DomainErrorKind,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (code: DomainErrorCode, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, 'not-found', message, details);
export const conflict = (code: DomainErrorCode, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, 'conflict', message, details);
export const ruleBroken = (code: DomainErrorCode, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, 'rule', message, details);
