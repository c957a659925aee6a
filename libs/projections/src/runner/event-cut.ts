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
  const knownAt = cut.knownAt === undefined ? undefined : Date.parse(cut.knownAt);
  const { asOf } = cut;
  return (event) => {
    if (knownAt !== undefined && Date.parse(event.metadata.recordedAt) > knownAt) return false;
    if (asOf !== undefined) {
      const effective = event.data.effectiveDate;
      if (typeof effective === 'string' && isAfter(effective, asOf)) return false;
    }
    return true;
  };
}
