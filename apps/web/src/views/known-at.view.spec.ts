import { readKnownAt } from './known-at.view';

const PARIS = 'Europe/Paris';

describe('« Connu au »: the instant a typed value names', () => {
  it('rule: a time typed to the minute is the end of that minute, so that a fact shown as recorded at 02:11 is known « au 05/12/2026 02:11 »', () => {
    const { knownAt } = readKnownAt('05/12/2026 02:11', '2026-12-05', PARIS);
    expect(knownAt).toBe('2026-12-05T01:11:59.999Z');
    // Recorded at 01:11:56.624 UTC, shown « 05/12/2026 02:11 » (Paris, winter time).
    expect(knownAt! >= '2026-12-05T01:11:56.624Z').toBe(true);
    expect(readKnownAt('05/12/2026 à 2h11', '2026-12-05', PARIS).knownAt).toBe('2026-12-05T01:11:59.999Z');
    // Summer time: 14:00 in Paris is 12:00 UTC.
    expect(readKnownAt('12/07/2023 14:00', '2026-12-05', PARIS).knownAt).toBe('2023-07-12T12:00:59.999Z');
  });

  it('rule: a date alone is the end of that day, and an ISO instant is taken to the millisecond', () => {
    expect(readKnownAt('22/06/2022', '2026-12-05', PARIS).knownAt).toBe('2022-06-22T21:59:59.999Z');
    expect(readKnownAt('2026-12-05T01:11:00Z', '2026-12-05', PARIS).knownAt).toBe('2026-12-05T01:11:00.000Z');
  });

  it('rule: a time the clocks skip in Paris (summer time starts) is a message naming « Connu au » and the change, never moved an hour later', () => {
    expect(readKnownAt('26/03/2023 02:30', '2026-12-05', PARIS)).toEqual({
      error: 'L’heure de « Connu au », le 26/03/2023 à 02:30, n’existe pas à Paris : ce jour-là, les horloges passent de 02:00 à 03:00. Choisissez une heure avant 02:00 ou à partir de 03:00.',
      typed: '26/03/2023 02:30',
    });
    expect(readKnownAt('26/03/2023 à 2h00', '2026-12-05', PARIS).error).toContain('n’existe pas à Paris');
    // Either side of the gap: 01:59 in winter time (UTC+1), 03:00 in summer time (UTC+2).
    expect(readKnownAt('26/03/2023 01:59', '2026-12-05', PARIS).knownAt).toBe('2023-03-26T00:59:59.999Z');
    expect(readKnownAt('26/03/2023 03:00', '2026-12-05', PARIS).knownAt).toBe('2023-03-26T01:00:59.999Z');
    // A time shown twice when summer time ends is its later reading, which includes both.
    expect(readKnownAt('29/10/2023 02:30', '2026-12-05', PARIS).knownAt).toBe('2023-10-29T01:30:59.999Z');
  });
});
