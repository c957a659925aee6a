import type { EVENT_VERSIONS } from '@jalon/domain';
import type { UserEvent } from './users.decider';

/**
 * The schema versions of the user event types, as the domain's registry declares them
 * (libs/domain/src/events/event-versions.ts): a user event type left out there fails to compile
 * here, naming it.
 */
export type UserEventVersions = Pick<typeof EVENT_VERSIONS, UserEvent['type']>;
