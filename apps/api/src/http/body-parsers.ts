import type { FastifyInstance } from 'fastify';
import { parse as parseQueryString } from 'node:querystring';

/** A request body that cannot be read as its content type says: answered 400 `INPUT.MALFORMED`. */
export class MalformedBodyError extends Error {
  readonly statusCode = 400;
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

/** The largest JSON body (and Fastify's default limit for any body). */
export const JSON_LIMIT = 1024 * 1024;
const FORM_LIMIT = 100 * 1024;
const FORM_FIELDS_LIMIT = 200;

/**
 * What the API and the dashboard accept as request bodies:
 * - JSON (the API), up to 1 MiB: an object or an array; an empty body is `{}`;
 * - URL-encoded forms (the dashboard's, flat names, no nesting), up to 100 KiB and 200 fields;
 * - any other content type is read and ignored (the body is then absent), as Express did, so
 *   that a command sent without JSON is refused by validation, naming its missing fields.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: JSON_LIMIT }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => {
    const text = body as string;
    if (text.split('&').length > FORM_FIELDS_LIMIT) return done(new TooManyFieldsError(FORM_FIELDS_LIMIT), undefined);
    done(null, { ...parseQueryString(text) });
  });
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: JSON_LIMIT }, (_request, _body, done) => done(null, undefined));
}

/** Like Express's JSON parser in strict mode: only an object or an array at the top. */
export function parseJsonBody(text: string): unknown {
  const start = text.search(/\S/);
  if (start < 0) return {};
  if (text[start] !== '{' && text[start] !== '[') throw new MalformedBodyError('a JSON body is an object or an array');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedBodyError((error as Error).message);
  }
}
