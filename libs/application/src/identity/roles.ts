export const ROLES = ['admin', 'programme-manager', 'finance', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: every write names its actor, and the actor's role goes into the event metadata. */
export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

/** Roles that may write; `auditor` reads everything and writes nothing. */
export const PROGRAMME_WRITERS: readonly Role[] = ['admin', 'programme-manager'];
export const FINANCE_WRITERS: readonly Role[] = ['admin', 'finance'];
export const BUDGET_WRITERS: readonly Role[] = ['admin', 'programme-manager', 'finance'];
export const ADMINS: readonly Role[] = ['admin'];

/**
 * The ids Jalon writes under by itself (its first start, the command line on the server's machine).
 * No user may take one: their writes would be recorded under the same actor as Jalon's own.
 */
export const SYSTEM_ACTOR_ID = 'system';
export const CLI_ACTOR_ID = 'cli';
export const RESERVED_ACTOR_IDS: readonly string[] = [SYSTEM_ACTOR_ID, CLI_ACTOR_ID];
