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

const dateFormats = new Map<string, { format: Intl.DateTimeFormat; second: number; date: string }>();

/** The calendar date of `now` where the programme's users live (effective dates are local dates). */
export function localDate(now: Date, timeZone: string): string {
  // Building a DateTimeFormat costs far more than formatting with one (it loads the zone's data),
  // and formatting still costs: the date of the last second asked is kept (zone offsets are whole
  // seconds, so a local date never changes within one).
  let cached = dateFormats.get(timeZone);
  if (!cached) {
    cached = { format: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }), second: Number.NaN, date: '' };
    dateFormats.set(timeZone, cached);
  }
  const second = Math.floor(now.getTime() / 1000);
  if (second !== cached.second) {
    cached.date = cached.format.format(now);
    cached.second = second;
  }
  return cached.date;
}
