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
  if (cut.knownAt !== undefined && Date.parse(event.metadata.recordedAt) > Date.parse(cut.knownAt)) return false;
  if (cut.asOf !== undefined) {
    const effective = event.data.effectiveDate;
    if (typeof effective === 'string' && effective > cut.asOf) return false;
  }
  return true;
}
