import { ERROR_MESSAGES, FieldViolation, isErrorCode } from '@jalon/application';
import type { ErrorBody } from './error-mapping';

/** The media type of every API error (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Where the description of an error code is served, relative to the site (`type` of a problem). */
export const PROBLEM_TYPE_PREFIX = '/api/problems/';

/**
 * An API error as RFC 9457 problem details, plus Jalon's stable `code`, the per-field `errors` of
 * invalid input, and `details` (what the error knows: the stream and revisions of a conflict, the
 * dates a rule compared…).
 */
export interface ProblemDetails {
  /** A URI reference, resolved against the request's: `/api/problems/<code>` describes the code. */
  readonly type: string;
  /** The French wording of the code: the same for every occurrence. */
  readonly title: string;
  readonly status: number;
  /** In French, about this occurrence. */
  readonly detail: string;
  /** The path of the request that failed. */
  readonly instance: string;
  readonly code: string;
  readonly errors?: readonly FieldViolation[];
  readonly details?: Readonly<Record<string, unknown>>;
}

const TITLES_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'La requête est invalide.',
  404: 'Aucune ressource ne répond à cette adresse.',
  405: 'Cette méthode n’est pas acceptée à cette adresse.',
  406: 'Aucune représentation acceptable ne peut être envoyée.',
};

/** The French title of a code: its wording in the error table, or a sentence for its status. */
export function problemTitleOf(code: string, status: number): string {
  if (isErrorCode(code)) return ERROR_MESSAGES[code];
  return TITLES_BY_STATUS[status] ?? (status >= 500 ? ERROR_MESSAGES.INTERNAL : 'La requête n’a pas pu être traitée.');
}

/** A French sentence: capital first letter, final full stop. */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

export function problemOf(body: ErrorBody, path: string): ProblemDetails {
  return {
    type: `${PROBLEM_TYPE_PREFIX}${encodeURIComponent(body.code)}`,
    title: problemTitleOf(body.code, body.statusCode),
    status: body.statusCode,
    detail: sentence(body.message),
    instance: path.split('?')[0]!,
    code: body.code,
    ...(body.errors ? { errors: body.errors } : {}),
    ...(body.details && Object.keys(body.details).length > 0 ? { details: body.details } : {}),
  };
}
