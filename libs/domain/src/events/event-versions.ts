import { ANTENNA_EVENT_VERSIONS } from '../antenna/antenna.events';
import { BUDGET_EVENT_VERSIONS } from '../budget/budget.events';
import { CALL_EVENT_VERSIONS } from '../call/call.events';
import { CANDIDACY_EVENT_VERSIONS } from '../candidacy/candidacy.events';
import { FUNDING_EVENT_VERSIONS } from '../funding/funding.events';
import { PROGRAMME_REGISTRY_EVENT_VERSIONS } from '../programme/programme-registry.events';
import { PROGRAMME_EVENT_VERSIONS } from '../programme/programme.events';

/**
 * Types stored beside the domain's streams, whose unions the domain cannot import: users
 * (libs/application/src/identity, which checks its union against this table), idempotency
 * records written before decision 0011 (still read), and the log's seals (`LogSealed`,
 * libs/event-store/src/integrity).
 */
export const APPLICATION_EVENT_VERSIONS = {
  UserRegistered: 1,
  UserDeactivated: 1,
  UserReactivated: 1,
  UserTokenRevoked: 1,
  UserTokenIssued: 1,
  IdempotentResultRecorded: 1,
  LogSealed: 1,
} as const;

/**
 * The schema version of every stored event type's data: what the command path writes, and what
 * the reading function (`event-reader.ts`) upcasts older versions to. Each bounded context
 * declares its own beside its event types; a version goes up with each change of shape, which
 * then gets an upcaster (`upcasting.ts`).
 */
export const EVENT_VERSIONS = {
  ...PROGRAMME_EVENT_VERSIONS,
  ...PROGRAMME_REGISTRY_EVENT_VERSIONS,
  ...CALL_EVENT_VERSIONS,
  ...CANDIDACY_EVENT_VERSIONS,
  ...ANTENNA_EVENT_VERSIONS,
  ...BUDGET_EVENT_VERSIONS,
  ...FUNDING_EVENT_VERSIONS,
  ...APPLICATION_EVENT_VERSIONS,
} as const;

export type VersionedEventType = keyof typeof EVENT_VERSIONS;

const CURRENT_VERSIONS: ReadonlyMap<string, number> = new Map(Object.entries(EVENT_VERSIONS));

/** The current schema version of `type`, or undefined for a type this table does not know (a test's, a foreign stream's). */
export function currentVersionOf(type: string): number | undefined {
  return CURRENT_VERSIONS.get(type);
}

/** The version to write an event of `type` at: its current one (1 for a type the table does not know). */
export function schemaVersionOf(type: string): number {
  return CURRENT_VERSIONS.get(type) ?? 1;
}
