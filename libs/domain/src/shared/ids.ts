/**
 * Identifiers chosen by clients are lower-case slugs (`montbeliard`, `ami-2`, `bdt-seed`): stable,
 * readable in URLs and stream names. Double hyphens are reserved so that composed ids such as a
 * candidacy's (`<callId>--<territoryId>`) can never collide.
 */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 64;

export function isSlug(value: unknown): value is string {
  return typeof value === 'string' && value.length <= SLUG_MAX_LENGTH && SLUG_PATTERN.test(value);
}

/** A candidacy is identified by its call and its territory: one candidacy per territory per call. */
export function candidacyIdOf(callId: string, territoryId: string): string {
  return `${callId}--${territoryId}`;
}
