/** Calendar days as integers (days since 1970-01-01, UTC), so that the generator can add and compare them. */
export type Day = number;

const MS_PER_DAY = 86_400_000;

export function dayOf(iso: string): Day {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY);
}

export function isoOf(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function yearOfDay(day: Day): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** `YYYY-MM` of a day. */
export function periodOf(day: Day): string {
  return isoOf(day).slice(0, 7);
}

/** First day of the month after `day`'s month. */
export function firstOfNextMonth(day: Day): Day {
  const date = new Date(day * MS_PER_DAY);
  return Math.round(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / MS_PER_DAY);
}

/** Quarters are numbered from 2019-Q1 = 0. */
export function quarterOf(day: Day): number {
  const date = new Date(day * MS_PER_DAY);
  return (date.getUTCFullYear() - 2019) * 4 + Math.floor(date.getUTCMonth() / 3);
}

export function quarterStart(quarter: number): Day {
  return Math.round(Date.UTC(2019 + Math.floor(quarter / 4), (quarter % 4) * 3, 1) / MS_PER_DAY);
}

export function quarterEnd(quarter: number): Day {
  return quarterStart(quarter + 1) - 1;
}

export function dateTimeOf(day: Day, secondsIntoDay: number): Date {
  return new Date(day * MS_PER_DAY + secondsIntoDay * 1000);
}
