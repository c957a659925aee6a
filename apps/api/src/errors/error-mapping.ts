import {
  AuthenticationError,
  FieldViolation,
  ForbiddenError,
  IdempotencyKeyReusedError,
  InputValidationError,
  ReadModelBehindError,
  UnknownCommandError,
} from '@jalon/application';
import { DomainError } from '@jalon/domain';
import { ReportParameterError, ReportSubjectNotFoundError } from '@jalon/reporting';
import { WrongExpectedRevisionError } from '@jalon/event-store';
import { HttpException } from '@nestjs/common';

export interface ErrorBody {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly errors?: readonly FieldViolation[];
  readonly details?: Readonly<Record<string, unknown>>;
}

const DOMAIN_STATUS: Record<DomainError['kind'], number> = { 'not-found': 404, conflict: 409, rule: 422 };

/**
 * The one place where errors become HTTP responses. Every error Jalon raises has a stable code;
 * anything unexpected is a 500 whose details stay in the server log.
 */
export function toHttpError(error: unknown): ErrorBody {
  if (error instanceof InputValidationError) {
    return { statusCode: 400, code: error.code, message: 'la requête est invalide', errors: error.violations };
  }
  if (error instanceof AuthenticationError) return { statusCode: 401, code: error.code, message: error.message };
  if (error instanceof ForbiddenError) return { statusCode: 403, code: error.code, message: error.message, details: { role: error.role } };
  if (error instanceof DomainError) {
    return { statusCode: DOMAIN_STATUS[error.kind], code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof WrongExpectedRevisionError) {
    return {
      statusCode: 409,
      code: error.code,
      message: `le flux ${error.streamId} a changé entre-temps (révision ${String(error.actual)}, attendue ${String(error.expected)}) : rechargez et recommencez`,
      details: { streamId: error.streamId, expected: error.expected, actual: error.actual },
    };
  }
  if (error instanceof IdempotencyKeyReusedError) return { statusCode: 422, code: error.code, message: error.message };
  if (error instanceof UnknownCommandError) return { statusCode: 404, code: error.code, message: error.message };
  if (error instanceof ReportSubjectNotFoundError) return { statusCode: 404, code: error.code, message: error.message };
  if (error instanceof ReportParameterError) {
    return { statusCode: 400, code: error.code, message: error.message, errors: [{ field: error.field, rule: 'isDefined', message: error.message }] };
  }
  if (error instanceof ReadModelBehindError) return { statusCode: 503, code: error.code, message: error.message };
  // Express's JSON parser fails before any handler runs; Nest hands that failure over as a 400.
  if (isBodyParserError(error) || (error instanceof HttpException && error.getStatus() === 400)) {
    return { statusCode: 400, code: 'INPUT.MALFORMED', message: 'le corps de la requête n’est pas du JSON valide', errors: [] };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { statusCode: status, code: `HTTP.${status}`, message: error.message };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'erreur interne du serveur' };
}

function isBodyParserError(error: unknown): boolean {
  const e = error as { type?: unknown; status?: unknown };
  return typeof e?.type === 'string' && e.type.startsWith('entity.') && e.status === 400;
}
