import { Role } from './roles';

/**
 * Streams whose events are not facts of the programme: users (names, roles, token hashes) and
 * other users' command results. Only administrators read them. Other categories (the programme's
 * streams, integrity seals) are open to every role.
 */
const ADMIN_ONLY_CATEGORIES: ReadonlySet<string> = new Set(['identity', 'idempotency']);

export function mayReadStream(role: Role, streamId: string): boolean {
  const dash = streamId.indexOf('-');
  const category = dash < 0 ? streamId : streamId.slice(0, dash);
  return role === 'admin' || !ADMIN_ONLY_CATEGORIES.has(category);
}

/** Fields that never leave the server, whoever reads and however (API, CLI, reports). */
const SECRET_FIELDS: readonly string[] = ['tokenHash'];

/** An event's data as it may be shown: without token hashes. The stored event is left as it is. */
export function shownData(data: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  if (!SECRET_FIELDS.some((field) => Object.hasOwn(data, field))) return data;
  // fromEntries defines properties (a stored `__proto__` key stays a plain key).
  return Object.fromEntries(Object.entries(data).filter(([key]) => !SECRET_FIELDS.includes(key)));
}
