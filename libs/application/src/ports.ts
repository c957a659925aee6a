import { createHash, randomFillSync } from 'node:crypto';

/** Time enters the application through this port, so that tests and the demo can set it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * What the running service knows of the log's verification (docs/decisions/0056): while the log does
 * not verify, the French warning every report and page carries, since its figures may rest on facts
 * that were altered. Absent where nothing verifies the log as it goes (the command line: `jalon verify`).
 */
export interface LogTrust {
  untrusted(): string | undefined;
}

export interface IdGenerator {
  uuid(): string;
}

/**
 * UUIDs of version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, the next 12 a
 * counter within that millisecond (the RFC's « fixed bit-length dedicated counter »), the remaining
 * 62 random. Successive ids of one generator sort in the order they were made, as text and as
 * bytes, even within a millisecond or when the clock steps back: the embedded store's unique index
 * on event ids then grows at its end, where random (version 4) ids dirtied one random page of it
 * per event (docs/decisions/0034).
 */
export function timeOrderedIdGenerator(now: () => number = Date.now): IdGenerator {
  let lastMs = -1;
  let counter = 0;
  return {
    uuid: () => {
      const ms = now();
      if (ms > lastMs) {
        lastMs = ms;
        counter = 0;
      } else if (counter < MAX_COUNTER) {
        counter += 1;
      } else {
        // 4,096 ids within one millisecond (or a clock stepped back that long): borrow the next millisecond.
        lastMs += 1;
        counter = 0;
      }
      const bytes = randomPool.next();
      bytes.writeUIntBE(lastMs, 0, 6);
      bytes[6] = 0x70 | (counter >> 8);
      bytes[7] = counter & 0xff;
      bytes[8] = (bytes[8]! & 0x3f) | 0x80;
      return formatUuid(bytes);
    },
  };
}

const MAX_COUNTER = 0xfff;

/**
 * 16 random bytes at a time from a pool filled 4 KiB at once, as `crypto.randomUUID` does: asking
 * the system's generator for 16 bytes per id cost more than the rest of the id (and about 5 % of a
 * command). Each id gets its own bytes; the pool is refilled, never reused.
 */
class RandomPool {
  private readonly pool = Buffer.alloc(16 * 256);
  private offset = this.pool.length;

  /** A buffer of 16 random bytes, the caller's to change: a view of the pool that no later call hands out again before a refill. */
  next(): Buffer {
    if (this.offset === this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const bytes = this.pool.subarray(this.offset, this.offset + 16);
    this.offset += 16;
    return bytes;
  }
}

const randomPool = new RandomPool();

/** The ids this process hands out: time-ordered (see {@link timeOrderedIdGenerator}). */
export const timeOrderedIds: IdGenerator = timeOrderedIdGenerator();

function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A UUID (version 8, "custom") derived from a seed: the same seed always gives the same id.
 * Used for events written under an idempotency key, so a retried request cannot append twice.
 */
export function uuidFromSeed(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/**
 * Kept for the dashboard's reads until they call {@link todayIn} (the calendar module) directly:
 * the calendar date of `now` in `timeZone`.
 */
export { todayIn as localDate } from '@jalon/domain';
