/**
 * For tests: French figures written readably, with plain spaces (`786 000,00 €`, `50,00 %`,
 * `1 185 jours`), turned into what the formats module writes: a narrow no-break space (U+202F)
 * between groups of digits and a no-break space (U+00A0) before `€`, `%` and a day unit. Only the
 * expected side of an assertion goes through it, so a plain space in the output still fails.
 */
export function fr(readable: string): string {
  return readable
    .replace(/(?<!\d)\d{1,3}(?: \d{3})+(?!\d)/g, (grouped) => grouped.replace(/ /g, '\u202f'))
    .replace(/(\d) (€|%|jours?\b)/g, '$1\u00a0$2');
}
