import { isAfter, todayIn, type IsoDate } from '@jalon/domain';

/**
 * The rule of a report's cut: it may not lie in the future, which names nothing recorded yet (never
 * answered with today's facts judged at a date to come). The one decision the report service
 * refuses by (`asOf`, `knownAt`, rule `notInFuture`) and the dashboard's « État au » and « Connu au »
 * controls ask before reading, each worded for its reader.
 */

/** An effective-date cut after `today` (in the programme's time zone): today itself is allowed. */
export function isAsOfInFuture(asOf: IsoDate, today: IsoDate): boolean {
  return isAfter(asOf, today);
}

/** A recorded-time cut on a later day than `today` in `timeZone`: any instant up to the end of today is allowed. */
export function isKnownAtInFuture(knownAt: string, today: IsoDate, timeZone: string): boolean {
  return isAfter(todayIn(new Date(knownAt), timeZone), today);
}
