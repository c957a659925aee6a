/**
 * Errors raised by the application layer (not by domain rules). Like domain errors they carry a
 * stable code; the HTTP layer maps every one of them in a single place.
 */
export interface FieldViolation {
  /** Dotted path of the offending field, e.g. `territory.figures.jobs`. */
  readonly field: string;
  /** The rule that was broken, e.g. `isSlug`, `whitelistValidation`. */
  readonly rule: string;
  readonly message: string;
}

/** The longest field path a refusal repeats: a client may send a key of any length, the answer stays short. */
const FIELD_SHOWN = 100;

/** A violation whose field path is longer than {@link FIELD_SHOWN}, cut there (in its message too). */
function shortened(violation: FieldViolation): FieldViolation {
  if (violation.field.length <= FIELD_SHOWN) return violation;
  const field = `${violation.field.slice(0, FIELD_SHOWN)}…`;
  return { ...violation, field, message: violation.message.split(violation.field).join(field) };
}

export class InputValidationError extends Error {
  readonly code = 'INPUT.INVALID';
  readonly violations: readonly FieldViolation[];
  constructor(violations: readonly FieldViolation[]) {
    const shown = violations.map(shortened);
    super(shown.map((v) => `${v.field}: ${v.message}`).join('; '));
    this.violations = shown;
    this.name = 'InputValidationError';
  }
}

export class AuthenticationError extends Error {
  readonly code = 'AUTH.UNAUTHENTICATED';
  constructor(message = 'un jeton d’accès valide est requis (en-tête Authorization: Bearer <jeton>)') {
    super(message);
    this.name = 'AuthenticationError';
  }
}

export class ForbiddenError extends Error {
  readonly code = 'AUTH.FORBIDDEN';
  constructor(
    readonly role: string,
    readonly action: string,
  ) {
    super(`le rôle ${role} ne permet pas ${action}`);
    this.name = 'ForbiddenError';
  }
}

export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY.KEY_REUSED';
  constructor(readonly key: string) {
    super(`la clé d’idempotence ${key} a déjà servi pour une autre requête`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

export class UnknownCommandError extends Error {
  readonly code = 'COMMAND.UNKNOWN';
  constructor(readonly command: string) {
    super(`la commande ${command} n’existe pas`);
    this.name = 'UnknownCommandError';
  }
}

/** A query asked to read its own write, and the read models did not get there in time. */
export class ReadModelBehindError extends Error {
  readonly code = 'READ_MODEL.BEHIND';
  constructor(readonly position: string) {
    super(`les lectures n’ont pas encore atteint la position ${position} : réessayez dans un instant`);
    this.name = 'ReadModelBehindError';
  }
}

/**
 * The read model a query needs cannot answer now: its projection stopped (its storage cannot be
 * written, an event it cannot apply) and tries again by itself, or it is being rebuilt.
 */
export class ReadModelUnavailableError extends Error {
  readonly code = 'READ_MODEL.UNAVAILABLE';
  constructor(
    /** The projection's name (`budget`, `phases`…). */
    readonly projection: string,
    readonly reason: string,
    readonly since?: string,
    readonly nextRetryAt?: string,
  ) {
    super(
      `les données de la projection ${projection} sont momentanément indisponibles : ${reason}` +
        (nextRetryAt === undefined ? '' : ` (nouvel essai prévu à ${nextRetryAt}) ; réessayez plus tard`),
    );
    this.name = 'ReadModelUnavailableError';
  }
}

/** A stream read names a stream that holds no event. */
export class StreamNotFoundError extends Error {
  readonly code = 'STREAM.NOT_FOUND';
  constructor(readonly streamId: string) {
    super(`le flux ${streamId.length > 100 ? `${streamId.slice(0, 100)}…` : streamId} n’existe pas : aucun événement n’y a été enregistré`);
    this.name = 'StreamNotFoundError';
  }
}
