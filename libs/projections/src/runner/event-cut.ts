import { isAfter } from '@jalon/domain';
import { ProjectedEvent } from '../projection';

/**
 * A cut through the history, for time travel:
 * - `asOf` (effective date, `YYYY-MM-DD`): what had happened in the world by the end of that day;
 * - `knownAt` (ISO timestamp): what had been recorded by then, before any later correction.
 * Both may be combined. Events are still applied in log order.
 */
export interface EventCut {
  readonly asOf?: string;
  readonly knownAt?: string;
}

export function isInCut(event: ProjectedEvent, cut: EventCut): boolean {
  return cutFilter(cut)(event);
}

/** The cut as a test of one event, for a whole log: the cut's instant is parsed once. */
export function cutFilter(cut: EventCut): (event: ProjectedEvent) => boolean {
  const inside = cutHolds(cut);
  return (event) => inside(event.data.effectiveDate, Date.parse(event.metadata.recordedAt));
}

/**
 * The cut as a test of an effective date and a recording instant (milliseconds), of one event or
 * the bounds of many: a date that is not text, or an instant that is null or not a number, is
 * never outside the cut (as for an event without an effective date).
 */
export function cutHolds(cut: EventCut): (effective: unknown, recordedAt: number | null) => boolean {
  const knownAt = cut.knownAt === undefined ? undefined : Date.parse(cut.knownAt);
  const { asOf } = cut;
  return (effective, recordedAt) => {
    if (knownAt !== undefined && recordedAt !== null && recordedAt > knownAt) return false;
    if (asOf !== undefined && typeof effective === 'string' && isAfter(effective, asOf)) return false;
    return true;
  };
}
