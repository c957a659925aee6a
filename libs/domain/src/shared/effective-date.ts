import { ruleBroken } from './domain-error';
import { isAfter, IsoDate } from './calendar';

/** Every event's data holds the date it took effect in the world (distinct from when it was recorded). */
export interface Dated {
  readonly effectiveDate: IsoDate;
}

/**
 * Facts are recorded once they have happened: an event may not take effect after the day it is
 * recorded (planned dates, due dates and the like are separate fields and may lie in the future).
 */
export function assertNotInFuture(events: readonly { readonly type: string; readonly data: Dated }[], today: IsoDate): void {
  for (const event of events) {
    if (isAfter(event.data.effectiveDate, today)) {
      throw ruleBroken('EVENT.EFFECTIVE_DATE_IN_FUTURE', `effectiveDate ${event.data.effectiveDate} is after today (${today})`, {
        field: 'effectiveDate',
        eventType: event.type,
        effectiveDate: event.data.effectiveDate,
        today,
      });
    }
  }
}
