import { isCalendarInstant, isKnownAtInFuture } from '@jalon/application';
import { EARLIEST_DATE, endOfDay, endOfMinute, LATEST_DATE, skippedTimeAt } from '@jalon/domain';
import { formatDate, formatKnownAt, formatTimestamp } from '@jalon/reporting';
import { parseDate } from '../forms/parse';
import { html, SafeHtml } from '../html';

/** « Connu au » on a day outside the calendar's bounds. */
const KNOWN_AT_OUT_OF_RANGE = `Saisissez une date et une heure valides (JJ/MM/AAAA HH:MM), du ${formatDate(EARLIEST_DATE)} au ${formatDate(LATEST_DATE)}.`;

/**
 * « Connu au »: an instant of the log, typed `JJ/MM/AAAA HH:MM` in the service's time zone, or an
 * ISO 8601 instant. A time to the minute means the end of that minute, as a date alone means the
 * end of that day: the pages show recorded times to the minute, and a fact shown « enregistré à
 * 02:11 » is one Jalon knew « au 05/12/2026 02:11 ». The page then shows what Jalon knew at that
 * instant, before later corrections (the API's `knownAt`, exact to the millisecond).
 */
export function readKnownAt(raw: unknown, today: string, timeZone: string): { knownAt?: string; error?: string; typed?: string } {
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'string') return { error: 'Saisissez une date et une heure valides (JJ/MM/AAAA HH:MM).' };
  const text = raw.trim();
  const typed = text.slice(0, 40);
  let instant: string | undefined;
  if (isCalendarInstant(text)) instant = new Date(text).toISOString();
  else {
    const match = /^(\S+)(?:\s+(?:à\s+)?(\d{1,2})[:h](\d{2}))?$/.exec(text);
    const day = match ? parseDate(match[1]!) : undefined;
    if (match && day?.ok) {
      if (match[2] === undefined) instant = endOfDay(day.value, timeZone);
      else if (Number(match[2]) <= 23 && Number(match[3]) <= 59) {
        const [hour, minute] = [Number(match[2]), Number(match[3])];
        // A time the clocks skip (summer time starts) names no instant: said, never moved an hour later.
        const skipped = skippedTimeAt(day.value, hour, minute, timeZone);
        if (skipped !== undefined) {
          return {
            error: `L’heure de « Connu au », le ${formatDate(day.value)} à ${clock(hour, minute)}, n’existe pas à ${placeOf(timeZone)} : ce jour-là, les horloges passent de ${clock(skipped.from.hour, skipped.from.minute)} à ${clock(skipped.to.hour, skipped.to.minute)}. Choisissez une heure avant ${clock(skipped.from.hour, skipped.from.minute)} ou à partir de ${clock(skipped.to.hour, skipped.to.minute)}.`,
            typed,
          };
        }
        instant = endOfMinute(day.value, hour, minute, timeZone);
      }
    }
    // A day of the calendar outside its bounds, or (the first minutes of 01/01/1900 in Paris) an instant whose UTC date is: the API's rule, said with the bounds.
    if ((day !== undefined && !day.ok && day.outOfRange) || (instant !== undefined && !isCalendarInstant(instant))) return { error: KNOWN_AT_OUT_OF_RANGE, typed };
  }
  if (instant === undefined) return { error: 'Saisissez une date et une heure valides (JJ/MM/AAAA HH:MM), ou une date seule pour la fin de ce jour.', typed };
  // Later than today is the future: nothing is recorded there yet (the report service's own rule, worded for the form).
  if (isKnownAtInFuture(instant, today, timeZone)) return { error: 'Choisissez un instant passé : l’avenir n’est pas encore enregistré.', typed };
  return { knownAt: instant };
}

const clock = (hour: number, minute: number): string => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;

/** The place a time zone is named after: `Europe/Paris` → Paris. */
const placeOf = (timeZone: string): string => (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');

/**
 * How a known-at instant is shown in its field: `12/07/2023 14:00` (local time) for the end of a
 * minute, what a time typed to the minute means; any other instant (an ISO one typed or linked, to
 * the second) as its ISO form, which the field reads back as the same instant.
 */
export function knownAtFieldValue(knownAt: string, timeZone: string): string {
  const shown = formatKnownAt(knownAt, timeZone);
  return shown === formatTimestamp(knownAt, timeZone) ? shown : new Date(knownAt).toISOString();
}

/**
 * « État au » and « Connu au » side by side in one GET form (it works without JavaScript): the
 * page as it was on a day (effective dates), as Jalon knew it at an instant (recorded times), or
 * both.
 */
export function timeTravelControl(options: {
  readonly action: string;
  readonly timeZone: string;
  readonly asOf?: string;
  readonly asOfError?: string;
  readonly asOfTyped?: string;
  readonly knownAt?: string;
  readonly knownAtError?: string;
  readonly knownAtTyped?: string;
}): SafeHtml {
  const field = (name: 'asOf' | 'knownAt', label: string, help: string, value: string, error: string | undefined) => html`<div class="champ${error ? ' en-erreur' : ''}">
<label for="champ-${name}">${label}</label>
<span class="aide" id="aide-${name}">${help}</span>
${error && html`<p class="message-erreur" id="erreur-${name}">${error}</p>`}
<input type="text" class="date" inputmode="numeric" autocomplete="off" id="champ-${name}" name="${name}" value="${value}" aria-describedby="aide-${name}${error ? ` erreur-${name}` : ''}"${error ? html` aria-invalid="true"` : ''}>
</div>`;
  const asOfValue = options.asOf ? formatDate(options.asOf) : (options.asOfTyped ?? '');
  const knownAtValue = options.knownAt ? knownAtFieldValue(options.knownAt, options.timeZone) : (options.knownAtTyped ?? '');
  return html`<form class="date-controle" method="get" action="${options.action}">
<fieldset>
<legend>Revoir la page dans le passé</legend>
${field('asOf', 'État au', 'Telle qu’elle était à cette date, d’après les dates d’effet (JJ/MM/AAAA).', asOfValue, options.asOfError)}
${field('knownAt', 'Connu au', 'Telle que Jalon la connaissait à cet instant, avant les corrections ultérieures (JJ/MM/AAAA HH:MM, heure de Paris, jusqu’à la fin de cette minute ; une date seule : la fin de ce jour).', knownAtValue, options.knownAtError)}
<div class="saisie-bouton"><button type="submit" class="secondaire">Afficher</button>
${(options.asOf || options.knownAt) && html`<a href="${options.action}">Revenir à aujourd’hui</a>`}</div>
</fieldset>
</form>`;
}
