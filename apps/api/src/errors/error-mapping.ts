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
import { MalformedBodyError, TooManyFieldsError } from '../http/body-parsers';

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
  // The body parsers fail before any handler runs; Nest hands their failure over as it is.
  if (bodyErrorStatus(error) === 413 || (error instanceof HttpException && error.getStatus() === 413)) {
    return { statusCode: 413, code: 'INPUT.TOO_LARGE', message: 'le corps de la requête est trop volumineux', errors: [] };
  }
  if (bodyErrorStatus(error) === 400 || (error instanceof HttpException && error.getStatus() === 400)) {
    return { statusCode: 400, code: 'INPUT.MALFORMED', message: 'le corps de la requête n’est pas du JSON valide', errors: [] };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { statusCode: status, code: `HTTP.${status}`, message: error.message };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'erreur interne du serveur' };
}

/** The status a failure to read the request body calls for (ours, or Fastify's content-type errors), if it is one. */
function bodyErrorStatus(error: unknown): number | undefined {
  if (error instanceof MalformedBodyError || error instanceof TooManyFieldsError) return error.statusCode;
  const e = error as { code?: unknown; statusCode?: unknown };
  if (typeof e?.code === 'string' && e.code.startsWith('FST_ERR_CTP_') && typeof e.statusCode === 'number') return e.statusCode === 413 ? 413 : 400;
  return undefined;
}
