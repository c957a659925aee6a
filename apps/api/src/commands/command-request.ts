import { ExecuteOptions, InputValidationError } from '@jalon/application';
import type { FastifyRequest } from 'fastify';
import { header } from '../http/request-header';
import { routeQuery } from '../http/route-query';

/**
 * Reads a command's input and options from an HTTP request: the body plus the path parameters
 * (a body field that contradicts the URL is refused; a query is refused), `If-Match` / `If-None-Match: *` for the
 * expected revision, `X-Correlation-Id`.
 */
export function commandInputOf(request: FastifyRequest, parameters: readonly string[]): unknown {
  refuseCommandQuery(request.query as Record<string, unknown>);
  const body: unknown = request.body ?? {};
  const params = request.params as Record<string, string | undefined>;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const merged: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const violations = [];
  for (const name of parameters) {
    const fromPath = params[name];
    if (name in merged && merged[name] !== fromPath) {
      violations.push({ field: name, rule: 'matchesPath', message: `${name} doit être celui de l’URL (${String(fromPath)})` });
    }
    merged[name] = fromPath;
  }
  if (violations.length > 0) throw new InputValidationError(violations);
  return merged;
}

/**
 * A command reads nothing from the query: `?dryRun=true` is refused, never ignored while the
 * command writes. The catalogue's routes and the actions on users (apps/api/src/users) both ask here.
 */
export function refuseCommandQuery(query: Readonly<Record<string, unknown>>): void {
  routeQuery(query, [], 'les commandes');
}

/** A header a route does not take, and why, as its refusal says. */
type NotTaken = readonly (readonly [header: string, why: string])[];

const NO_ETAG_FOR_USERS = 'la gestion des utilisateurs ne renvoie pas de révision (ETag) : chaque action est décidée sur l’état présent des utilisateurs';

/**
 * The headers {@link executeOptionsOf} and the idempotency record read, as the actions on users
 * refuse them: these are commands on the one stream of every user, answered without an ETag (so an
 * `If-Match` could only name a revision the client never received, and a stale one was answered
 * 200), and what they answer may carry a token shown once, whose hash alone is kept (so a reply
 * could not be replayed: a repeated key created the user twice, 409, or issued a second token,
 * cancelling the first). Each present is refused naming it, never ignored.
 */
const NOT_TAKEN_BY_USER_ACTIONS: NotTaken = [
  ['If-Match', NO_ETAG_FOR_USERS],
  ['If-None-Match', NO_ETAG_FOR_USERS],
  [
    'Idempotency-Key',
    'une réponse de la gestion des utilisateurs ne peut pas être rejouée, car le jeton qu’elle porte n’est pas conservé (seule son empreinte l’est) : avant de réessayer, consultez GET /api/users',
  ],
];

const NO_ETAG_FOR_IMPORTS = 'un import décide chaque ligne sur l’état présent de l’antenne et ne renvoie pas de révision (ETag)';

/**
 * The same headers, as a spreadsheet import refuses them: it decides every row on the antenna's
 * present state, and is its own retry (a row already recorded is not written again), so an
 * `Idempotency-Key` would add nothing but a second way of saying it.
 */
const NOT_TAKEN_BY_IMPORTS: NotTaken = [
  ['If-Match', NO_ETAG_FOR_IMPORTS],
  ['If-None-Match', NO_ETAG_FOR_IMPORTS],
  ['Idempotency-Key', 'un import se rejoue tel quel : les lignes déjà enregistrées ne sont pas écrites une seconde fois'],
];

function refuseHeaders(request: FastifyRequest, notTaken: NotTaken): void {
  const violations = notTaken
    .filter(([name]) => header(request, name.toLowerCase()) !== undefined)
    .map(([name, why]) => ({ field: name, rule: 'notAccepted', message: `${name} n’est pas accepté par cette route : ${why} ; retirez cet en-tête` }));
  if (violations.length > 0) throw new InputValidationError(violations);
}

export function refuseUserActionHeaders(request: FastifyRequest): void {
  refuseHeaders(request, NOT_TAKEN_BY_USER_ACTIONS);
}

export function refuseImportHeaders(request: FastifyRequest): void {
  refuseHeaders(request, NOT_TAKEN_BY_IMPORTS);
}

export function executeOptionsOf(request: FastifyRequest): ExecuteOptions {
  const options: { expectedRevision?: number | 'no_stream'; correlationId?: string } = {};
  const ifMatch = header(request, 'if-match');
  if (ifMatch !== undefined) {
    // A revision is a safe integer: 15 digits at most, so that no digit is rounded away.
    const revision = /^(?:W\/)?("?)(\d{1,15})\1$/.exec(ifMatch.trim());
    if (!revision) {
      throw new InputValidationError([
        { field: 'If-Match', rule: 'isRevision', message: 'If-Match doit contenir la révision du flux reçue dans l’en-tête ETag (ex. "3"), un entier de 15 chiffres au plus' },
      ]);
    }
    options.expectedRevision = Number(revision[2]);
  }
  // If-None-Match says a command creates its stream (`*`), and nothing else: any other value, or
  // beside If-Match, is refused naming it rather than ignored (the command would run unguarded).
  const ifNoneMatch = header(request, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    if (ifMatch !== undefined) {
      throw new InputValidationError([
        { field: 'If-None-Match', rule: 'notWithIfMatch', message: 'If-None-Match ne se combine pas avec If-Match : If-Match donne la révision attendue du flux, If-None-Match: * qu’il n’existe pas encore' },
      ]);
    }
    if (ifNoneMatch.trim() !== '*') {
      throw new InputValidationError([
        { field: 'If-None-Match', rule: 'isAnyStream', message: 'If-None-Match ne prend que * (le flux ne doit pas encore exister) ; pour une révision attendue, utilisez If-Match avec la valeur de l’en-tête ETag' },
      ]);
    }
    options.expectedRevision = 'no_stream';
  }
  const correlationId = header(request, 'x-correlation-id');
  if (correlationId !== undefined) {
    if (!/^[\x21-\x7e]{1,100}$/.test(correlationId)) {
      throw new InputValidationError([
        { field: 'X-Correlation-Id', rule: 'isCorrelationId', message: 'X-Correlation-Id doit compter de 1 à 100 caractères ASCII visibles' },
      ]);
    }
    options.correlationId = correlationId;
  }
  return options;
}
