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
});
