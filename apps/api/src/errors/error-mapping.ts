import {
  AuthenticationError,
  errorMessageOf,
  FieldViolation,
  ForbiddenError,
  IdempotencyKeyReusedError,
  ImportFileError,
  ImportRejectedError,
  InputValidationError,
  ReadModelBehindError,
  ReadModelUnavailableError,
  StreamNotFoundError,
  UnknownCommandError,
} from '@jalon/application';
import { DomainError } from '@jalon/domain';
import { ReportParameterError, ReportSubjectNotFoundError, SubventionsMissingFieldError } from '@jalon/reporting';
import { DocumentError, EventStoreError, IntegrityError, STORE_OUTCOME_UNKNOWN, STORE_UNAVAILABLE, UnreadableEventError, WrongExpectedRevisionError } from '@jalon/event-store';
import { HttpException } from '@nestjs/common';
import { TooManyFailedAuthenticationsError } from '../auth/failed-authentication-limiter';
import { MalformedBodyError, TooManyFieldsError, UnsupportedMediaTypeError } from '../http/body-parsers';
import { MethodNotAllowedError } from './method-not-allowed';

export interface ErrorBody {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly errors?: readonly FieldViolation[];
  readonly details?: Readonly<Record<string, unknown>>;
}

const DOMAIN_STATUS: Record<DomainError['kind'], number> = { 'not-found': 404, conflict: 409, rule: 422 };

/** An altered file is a conflict with what was recorded (a retry cannot help), a directory that cannot be written a 503. */
const DOCUMENT_STATUS: Record<DocumentError['code'], number> = {
  'DOCUMENT.TOO_LARGE': 413,
  'DOCUMENT.EMPTY': 400,
  'DOCUMENT.UNSUPPORTED_TYPE': 415,
  'DOCUMENT.NAME_MISMATCH': 400,
  'DOCUMENT.NOT_FOUND': 404,
  'DOCUMENT.ALTERED': 409,
  'DOCUMENT.STORE_UNAVAILABLE': 503,
};

/** A log that does not verify, or a seal key that cannot be read, cannot be proved over (503, like an unreadable store); what is not there is a 404. */
const INTEGRITY_STATUS: Record<IntegrityError['code'], number> = {
  'INTEGRITY.LOG_NOT_VERIFIED': 503,
  'INTEGRITY.LOG_CHANGED': 503,
  'INTEGRITY.NO_SEAL': 404,
  'INTEGRITY.SEAL_NOT_FOUND': 404,
  'INTEGRITY.SUBJECT_NOT_FOUND': 404,
  'INTEGRITY.SEAL_KEY_UNREADABLE': 503,
};

/**
 * The one place where errors become HTTP responses. Every error Jalon raises has a stable code;
 * anything unexpected is a 500 whose details stay in the server log.
 */
export function toHttpError(error: unknown): ErrorBody {
  if (error instanceof InputValidationError) {
    const fields = [...new Set(error.violations.map((violation) => violation.field || 'la requête'))];
    const named = fields.length > 5 ? `${fields.slice(0, 5).join(', ')}…` : fields.join(', ');
    return { statusCode: 400, code: error.code, message: `${fields.length > 1 ? `${fields.length} champs sont invalides` : 'un champ est invalide'} : ${named}`, errors: error.violations };
  }
  if (error instanceof AuthenticationError) return { statusCode: 401, code: error.code, message: error.message };
  if (error instanceof ForbiddenError) return { statusCode: 403, code: error.code, message: error.message, details: { role: error.role } };
  // The domain's own messages are for developers and logs; clients read the French wording of the code.
  if (error instanceof DomainError) {
    return { statusCode: DOMAIN_STATUS[error.kind], code: error.code, message: errorMessageOf(error.code, error.details), details: error.details };
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
  if (error instanceof StreamNotFoundError) return { statusCode: 404, code: error.code, message: error.message, details: { streamId: error.streamId } };
  if (error instanceof TooManyFailedAuthenticationsError) {
    return { statusCode: 429, code: error.code, message: error.message, details: { retryAfterSeconds: error.retryAfterSeconds } };
  }
  if (error instanceof ReportSubjectNotFoundError) return { statusCode: 404, code: error.code, message: error.message };
  if (error instanceof ReportParameterError) {
    return { statusCode: 400, code: error.code, message: error.message, errors: [{ field: error.field, rule: error.rule, message: error.message }] };
  }
  if (error instanceof SubventionsMissingFieldError) {
    const { agreementId, antennaId, field, source } = error;
    return {
      statusCode: 422,
      code: error.code,
      message: error.message,
      errors: [{ field: source, rule: 'isDefined', message: error.message }],
      details: { agreementId, antennaId, field, source },
    };
  }
  // A spreadsheet import: every problem of the file, or of its rows, by line, column and rule; nothing written.
  if (error instanceof ImportFileError || error instanceof ImportRejectedError) {
    const rows = new Set(error.problems.flatMap((problem) => (problem.row === undefined ? [] : [problem.row])));
    const count = error.problems.length;
    const message =
      error instanceof ImportFileError
        ? `le fichier n’a pas pu être lu : ${error.problems[0]?.message ?? 'format inconnu'}`
        : `${count} problème${count > 1 ? 's' : ''}${rows.size > 0 ? ` sur ${rows.size} ligne${rows.size > 1 ? 's' : ''}` : ''} : rien n’a été enregistré`;
    return { statusCode: error instanceof ImportFileError ? 400 : 422, code: error.code, message, errors: error.problems };
  }
  // A supporting document refused, missing, altered since it was attached, or a document directory that cannot be written.
  if (error instanceof DocumentError) {
    return {
      statusCode: DOCUMENT_STATUS[error.code],
      code: error.code,
      message: error.message,
      ...(error.field ? { errors: [{ field: error.field, rule: error.code, message: `${error.field} : ${error.message}` }] } : {}),
      ...(error.details ? { details: error.details } : {}),
    };
  }
  if (error instanceof ReadModelBehindError) return { statusCode: 503, code: error.code, message: error.message };
  if (error instanceof ReadModelUnavailableError) {
    const { projection, since, nextRetryAt } = error;
    return { statusCode: 503, code: error.code, message: error.message, details: { projection, ...(since ? { since } : {}), ...(nextRetryAt ? { nextRetryAt } : {}) } };
  }
  if (error instanceof UnreadableEventError) {
    const { streamId, revision, position } = error.event;
    return { statusCode: 503, code: error.code, message: error.message, details: { streamId, revision, position: position.toString() } };
  }
  if (error instanceof IntegrityError) return { statusCode: INTEGRITY_STATUS[error.code], code: error.code, message: error.message };
  // Nothing written (unavailable), or maybe written (outcome unknown: a retry with the same Idempotency-Key tells).
  if (error instanceof EventStoreError && (error.code === STORE_UNAVAILABLE || error.code === STORE_OUTCOME_UNKNOWN)) {
    return { statusCode: 503, code: error.code, message: error.message };
  }
  // One command's events over the server's maximum append size: nothing written, a retry cannot help.
  if (error instanceof EventStoreError && error.code === 'STREAM.APPEND_TOO_LARGE') return { statusCode: 413, code: error.code, message: error.message };
  // The store cannot serve this deployment (too old a server, a position it does not know): nothing written.
  if (error instanceof EventStoreError && (error.code === 'EVENT_STORE.UNSUPPORTED_SERVER' || error.code === 'EVENT_STORE.INVALID_POSITION')) {
    return { statusCode: 503, code: error.code, message: error.message };
  }
  // The body parsers fail before any handler runs; Nest hands their failure over as it is.
  if (error instanceof UnsupportedMediaTypeError) return { statusCode: 415, code: 'INPUT.UNSUPPORTED_MEDIA_TYPE', message: error.message, errors: [] };
  if (bodyErrorStatus(error) === 415 || (error instanceof HttpException && error.getStatus() === 415)) {
    return { statusCode: 415, code: 'INPUT.UNSUPPORTED_MEDIA_TYPE', message: 'le type de contenu est absent ou invalide : envoyez application/json (UTF-8)', errors: [] };
  }
  if (bodyErrorStatus(error) === 413 || (error instanceof HttpException && error.getStatus() === 413)) {
    return { statusCode: 413, code: 'INPUT.TOO_LARGE', message: 'le corps de la requête est trop volumineux (1 Mio au plus)', errors: [] };
  }
  if (error instanceof MalformedBodyError) return { statusCode: 400, code: 'INPUT.MALFORMED', message: error.message, errors: [] };
  if (bodyErrorStatus(error) === 400 || (error instanceof HttpException && error.getStatus() === 400)) {
    return { statusCode: 400, code: 'INPUT.MALFORMED', message: 'le corps de la requête n’est pas du JSON valide', errors: [] };
  }
  if (error instanceof HttpException && error.getStatus() === 404) {
    return { statusCode: 404, code: 'ROUTE.NOT_FOUND', message: 'aucune ressource de l’API ne répond à cette adresse (voir /api/docs)' };
  }
  // A known address asked with a method its routes do not accept (`Allow` is set where it is detected).
  if (error instanceof MethodNotAllowedError) {
    return { statusCode: 405, code: error.code, message: error.message, details: { method: error.method, allow: error.allowed } };
  }
  if (error instanceof HttpException && error.getStatus() === 405) {
    return { statusCode: 405, code: 'METHOD.NOT_ALLOWED', message: 'cette méthode n’est pas acceptée à cette adresse (voir /api/docs)' };
  }
  // Nest's own exceptions carry English messages: the status says enough.
  if (error instanceof HttpException && error.getStatus() < 500) {
    const status = error.getStatus();
    return { statusCode: status, code: `HTTP.${status}`, message: 'la requête n’a pas pu être traitée' };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'erreur interne du serveur' };
}

/** The status a failure to read the request body calls for (ours, or Fastify's content-type errors), if it is one. */
function bodyErrorStatus(error: unknown): number | undefined {
  if (error instanceof MalformedBodyError || error instanceof TooManyFieldsError) return error.statusCode;
  const e = error as { code?: unknown; statusCode?: unknown };
  if (typeof e?.code === 'string' && e.code.startsWith('FST_ERR_CTP_') && typeof e.statusCode === 'number') return e.statusCode === 413 || e.statusCode === 415 ? e.statusCode : 400;
  return undefined;
}
