import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FieldViolation, InputValidationError } from '@jalon/application';
import { isUtf8 } from 'node:buffer';
import { parse as parseQueryString } from 'node:querystring';
import { isApiPath } from './api-path';
import { JsonStructure, jsonStructureOf, MAX_SIGNIFICANT_DIGITS } from './json-structure';

/** A request body that cannot be read as its content type says: answered 400 `INPUT.MALFORMED`. */
export class MalformedBodyError extends Error {
  readonly statusCode = 400;
  /** `message` is French: it is shown to the client. */
  constructor(message: string) {
    super(message);
    this.name = 'MalformedBodyError';
  }
}

/** A form with more fields than any of the dashboard's: answered 413, as a body too large. */
export class TooManyFieldsError extends Error {
  readonly statusCode = 413;
  readonly code = 'FST_ERR_CTP_BODY_TOO_LARGE';
  constructor(limit: number) {
    super(`more than ${limit} form fields`);
    this.name = 'TooManyFieldsError';
  }
}

/** A body in a format or character set Jalon does not read: answered 415 `INPUT.UNSUPPORTED_MEDIA_TYPE`. */
export class UnsupportedMediaTypeError extends Error {
  readonly statusCode = 415;
  constructor(
    readonly contentType: string | undefined,
    readonly accepted: string,
    message = `${contentType ? `le type de contenu ${contentType.slice(0, 100)}` : 'un corps sans type de contenu'} n’est pas accepté ici : envoyez ${accepted}`,
  ) {
    super(message);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/**
 * Bodies are read as sent: one compressed (`Content-Encoding: gzip`, `br`…) would be misread (as
 * JSON that is not valid, as a spreadsheet that cannot be opened), so it is refused, 415 as RFC 9110
 * asks for a content coding the server does not read.
 */
function assertNotEncoded(request: FastifyRequest): void {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
  if (hasBody && encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new UnsupportedMediaTypeError(
      request.headers['content-type'],
      'un corps non compressé',
      `le corps est compressé (Content-Encoding: ${encoding.slice(0, 50)}), ce que Jalon ne lit pas : envoyez-le sans compression`,
    );
  }
}

/** The largest JSON body (and Fastify's default limit for any body). */
export const JSON_LIMIT = 1024 * 1024;
/** No body Jalon reads nests deeper than this; a deeper one is refused before it is parsed. */
export const JSON_MAX_DEPTH = 32;
const FORM_LIMIT = 100 * 1024;
const FORM_FIELDS_LIMIT = 200;

/** The largest spreadsheet an import reads (500 rows take a few dozen KiB). */
export const SHEET_LIMIT = 1024 * 1024;
export const SHEET_CSV_TYPE = 'text/csv';
export const SHEET_XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `POST /api/antennas/:antennaId/imports/:kind`: the only routes whose body is a spreadsheet. */
export function isSheetImportPath(url: string): boolean {
  return /^\/api\/antennas\/[^/?#]+\/imports\/[^/?#]+(?:[?#]|$)/.test(url);
}

const JSON_TYPE = 'application/json (UTF-8)';
const FORM_TYPE = 'application/x-www-form-urlencoded (UTF-8)';

/** What an import route takes, as a refusal names it. */
export const SHEET_TYPES = `${SHEET_CSV_TYPE} (UTF-8) ou ${SHEET_XLSX_TYPE}`;

/** The API reads JSON only; the dashboard's forms are URL-encoded. */
function isApi(request: FastifyRequest): boolean {
  return isApiPath(request.url);
}

/** What a body sent to this address must be, as a refusal says it: a spreadsheet (the import routes), JSON (the rest of the API), a form (the dashboard). */
function acceptedAt(request: FastifyRequest): string {
  if (isSheetImportPath(request.url)) return SHEET_TYPES;
  return isApi(request) ? JSON_TYPE : FORM_TYPE;
}

/**
 * The body's text, read as the UTF-8 it must be: bytes that are not (a text saved in Latin-1, a
 * broken character) are refused, 415, rather than turned into « � » and stored so.
 */
function utf8Text(request: FastifyRequest, body: Buffer, accepted: string): string {
  if (!isUtf8(body)) {
    throw new UnsupportedMediaTypeError(request.headers['content-type'], accepted, `le corps de la requête n’est pas du texte UTF-8 valide (un autre encodage, ou un caractère abîmé) : envoyez ${accepted}`);
  }
  return body.toString('utf8');
}

/**
 * A form's fields, percent-decoded as UTF-8 (`+` a space): a field whose escapes are not UTF-8
 * (`%FF`) or are broken (`50%`) is refused, 415, where Node's parser would put « � » in its place.
 */
function formFields(request: FastifyRequest, text: string): Record<string, string | string[]> {
  let broken = false;
  const decode = (value: string): string => {
    try {
      return decodeURIComponent(value);
    } catch {
      broken = true;
      return value;
    }
  };
  const fields = { ...parseQueryString(text, '&', '=', { decodeURIComponent: decode, maxKeys: 0 }) };
  if (broken) {
    throw new UnsupportedMediaTypeError(request.headers['content-type'], FORM_TYPE, `le formulaire contient un caractère qui n’est pas encodé en UTF-8 (ou un « % » mal formé) : envoyez ${FORM_TYPE}`);
  }
  return fields as Record<string, string | string[]>;
}

/** Bodies are read as UTF-8: a body that declares another character set is refused rather than misread. */
function assertUtf8(request: FastifyRequest, accepted: string): void {
  const contentType = request.headers['content-type'];
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new UnsupportedMediaTypeError(contentType, accepted);
}

/**
 * What the API and the dashboard accept as request bodies:
 * - JSON (the API), up to 1 MiB and 32 levels of nesting, in UTF-8: an object or an array; an
 *   empty body is `{}`;
 * - URL-encoded forms (the dashboard's, flat names, no nesting), up to 100 KiB and 200 fields,
 *   in UTF-8, and not on the API;
 * - a spreadsheet (`text/csv` in UTF-8, or an XLSX workbook), up to 1 MiB, only on the import
 *   routes (`/api/antennas/:antennaId/imports/:kind`);
 * - any other content type, another character set, a body without a content type, or a body
 *   compressed (`Content-Encoding`): 415.
 * A request without a body has none to read: a command sent so is refused by validation, naming
 * its missing fields.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (request) => assertNotEncoded(request));
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: JSON_LIMIT }, (request, body, done) => {
    try {
      if (isSheetImportPath(request.url)) throw new UnsupportedMediaTypeError(request.headers['content-type'], SHEET_TYPES);
      assertUtf8(request, JSON_TYPE);
      done(null, parseJsonBody(utf8Text(request, body as Buffer, JSON_TYPE)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer', bodyLimit: FORM_LIMIT }, (request, body, done) => {
    try {
      if (isApi(request)) throw new UnsupportedMediaTypeError(request.headers['content-type'], acceptedAt(request));
      assertUtf8(request, FORM_TYPE);
      const text = utf8Text(request, body as Buffer, FORM_TYPE);
      if (text.split('&').length > FORM_FIELDS_LIMIT) return done(new TooManyFieldsError(FORM_FIELDS_LIMIT), undefined);
      done(null, formFields(request, text));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  // A spreadsheet, sent whole to the import routes only (docs/decisions/0016-spreadsheet-import.md): CSV in UTF-8 or an XLSX workbook.
  fastify.addContentTypeParser([SHEET_CSV_TYPE, SHEET_XLSX_TYPE], { parseAs: 'buffer', bodyLimit: SHEET_LIMIT }, (request, body, done) => {
    try {
      if (!isSheetImportPath(request.url)) throw new UnsupportedMediaTypeError(request.headers['content-type'], acceptedAt(request));
      assertUtf8(request, SHEET_TYPES);
    } catch (error) {
      return done(error as Error, undefined);
    }
    done(null, body);
  });
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: JSON_LIMIT }, (request, _body, done) =>
    done(new UnsupportedMediaTypeError(request.headers['content-type'], acceptedAt(request)), undefined),
  );
}

/** Repeated keys (or numbers too precise) listed at most in one answer; the rest are counted in a last entry. */
const MAX_DUPLICATE_KEYS = 100;

/**
 * Like Express's JSON parser in strict mode: only an object or an array at the top, and no deeper
 * than {@link JSON_MAX_DEPTH}. A byte order mark at the start is ignored, as RFC 8259 §8.1 allows
 * (editors on Windows write one, and it is no part of the value). A key repeated in the same
 * object is refused (`INPUT.INVALID`, naming each such field): `JSON.parse` would keep its last
 * value without a word, and an amount sent twice is not one Jalon may choose between.
 */
export function parseJsonBody(body: string): unknown {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  const start = text.search(/\S/);
  if (start < 0) return {};
  if (text[start] !== '{' && text[start] !== '[') throw new MalformedBodyError('le corps de la requête doit être un objet JSON ({ … })');
  // One pass over the text's structure: its depth judged before it is parsed, its repeated keys once it is known to be JSON.
  const structure = jsonStructureOf(text, JSON_MAX_DEPTH);
  if (structure.tooDeep) throw new MalformedBodyError(`le corps de la requête est imbriqué sur plus de ${JSON_MAX_DEPTH} niveaux`);
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new MalformedBodyError('le corps de la requête n’est pas du JSON valide');
  }
  if (structure.duplicateKeys.length > 0) throw new InputValidationError(duplicateKeyViolations(structure.duplicateKeys));
  if (structure.inexactNumbers.length > 0) throw new InputValidationError(inexactNumberViolations(structure.inexactNumbers));
  return value;
}

function inexactNumberViolations(numbers: JsonStructure['inexactNumbers']): FieldViolation[] {
  return numbers.slice(0, MAX_DUPLICATE_KEYS).map(({ field, written }) => ({
    field,
    rule: 'isExactNumber',
    message: `${field} est écrit avec plus de ${MAX_SIGNIFICANT_DIGITS} chiffres significatifs (${written.length > 40 ? `${written.slice(0, 40)}…` : written}) : il serait arrondi (à ${String(Number(written))}) ; écrivez-le avec ${MAX_SIGNIFICANT_DIGITS} chiffres au plus`,
  }));
}

function duplicateKeyViolations(fields: readonly string[]): FieldViolation[] {
  const listed: FieldViolation[] = fields.slice(0, MAX_DUPLICATE_KEYS).map((field) => ({
    field,
    rule: 'uniqueKey',
    message: `${field} figure plusieurs fois dans le même objet JSON : donnez-le une seule fois`,
  }));
  const more = fields.length - listed.length;
  if (more > 0) listed.push({ field: '', rule: 'maxViolations', message: `et ${more.toLocaleString('fr-FR')} autre${more > 1 ? 's' : ''} clé${more > 1 ? 's' : ''} répétée${more > 1 ? 's' : ''}` });
  return listed;
}
