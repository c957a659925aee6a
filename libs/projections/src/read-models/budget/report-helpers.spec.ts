import { categoryLabel, formatDate, formatEuros, rateBasisPoints, UnknownAntennaError } from './report-helpers';
import { fr } from '../../../../reporting/src/testing/french-spaces';

describe('report helpers', () => {
  it('rule: a rate is in basis points, rounded to the nearest, a half away from zero (one rounding for every output), null when the whole is 0', () => {
    expect(rateBasisPoints(5_050_000, 12_000_000)).toBe(4208); // 4208,33…
    expect(rateBasisPoints(2, 3)).toBe(6667); // 6666,66… → 6667 (66,67 %)
    expect(rateBasisPoints(1, 3)).toBe(3333);
    expect(rateBasisPoints(1, 20_000)).toBe(1); // 0,5 → 1: a half goes away from zero
    expect(rateBasisPoints(-1, 20_000)).toBe(-1);
    expect(rateBasisPoints(3, 3)).toBe(10_000);
    expect(rateBasisPoints(0, 3)).toBe(0);
    expect(rateBasisPoints(1, 0)).toBeNull();
    expect(rateBasisPoints(-1, 3)).toBe(-3333); // -3333,33… → -3333
  });

  it('a rate stays exact for amounts where floating point would not (integer arithmetic only)', () => {
    // 9 007 199 254 740 991 × 10 000 is far beyond 2^53: float division would lose the last digits.
    expect(rateBasisPoints(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toBe(10_000);
    expect(rateBasisPoints(Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER)).toBe(10_000); // 9 999,99…
    // 4 995,4999… bp, a hair below the half: floating point (Math.round or the half-up formula) says 4 996.
    expect(rateBasisPoints(4_499_546_387_705_862, Number.MAX_SAFE_INTEGER)).toBe(4_995);
  });

  it('amounts read the French way, from integer cents, without division', () => {
    expect(formatEuros(78_600_000)).toBe(fr('786 000,00 €'));
    expect(formatEuros(0)).toBe(fr('0,00 €'));
    expect(formatEuros(5)).toBe(fr('0,05 €'));
    expect(formatEuros(-5_000)).toBe(fr('\u221250,00 €'));
    expect(formatEuros(123_456_789)).toBe(fr('1 234 567,89 €'));
  });

  it('dates read the French way', () => {
    expect(formatDate('2023-09-04')).toBe('04/09/2023');
  });

  it('budget categories read in French; an unknown code stays as it is', () => {
    expect(categoryLabel('premises')).toBe('Locaux');
    expect(categoryLabel('constructor')).toBe('constructor');
  });

  it('an unknown antenna is an Error with a French message naming it', () => {
    const error = new UnknownAntennaError('nowhere');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('UnknownAntennaError');
    expect(error.antennaId).toBe('nowhere');
    expect(error.message).toBe('Antenne inconnue : « nowhere ». Aucune antenne portant cet identifiant n’a été ouverte.');
  });
});
