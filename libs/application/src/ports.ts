import { createHash, randomUUID } from 'node:crypto';

/** Time enters the application through this port, so that tests and the demo can set it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface IdGenerator {
  uuid(): string;
}

export const randomIds: IdGenerator = { uuid: () => randomUUID() };

/**
 * A UUID (version 8, "custom") derived from a seed: the same seed always gives the same id.
 * Used for events written under an idempotency key, so a retried request cannot append twice.
 */
export function uuidFromSeed(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Kept for the dashboard's reads until they call {@link todayIn} (the calendar module) directly:
 * the calendar date of `now` in `timeZone`.
 */
export { todayIn as localDate } from '@jalon/domain';
