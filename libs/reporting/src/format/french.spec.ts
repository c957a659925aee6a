import {
  formatCell,
  formatDate,
  formatEuros,
  formatInteger,
  formatParameters,
  formatPercent,
  formatTimestamp,
} from './french';

describe('French formatting', () => {
  describe('formatEuros', () => {
    it('shows zero as 0,00 €', () => {
      expect(formatEuros(0)).toBe('0,00 €');
    });

    it('keeps the cents of a small amount (5 cents → 0,05 €)', () => {
      expect(formatEuros(5)).toBe('0,05 €');
      expect(formatEuros(150)).toBe('1,50 €');
    });

    it('groups thousands with plain spaces and puts a plain space before € (786 000,00 €)', () => {
      expect(formatEuros(78_600_000)).toBe('786 000,00 €');
      expect(formatEuros(78_600_000)).not.toMatch(/[\u00a0\u202f]/);
      expect(formatEuros(99_999)).toBe('999,99 €');
      expect(formatEuros(100_000)).toBe('1 000,00 €');
    });

    it('puts the minus sign first for negatives (-1 234,50 €)', () => {
      expect(formatEuros(-123_450)).toBe('-1 234,50 €');
      expect(formatEuros(-5)).toBe('-0,05 €');
      expect(formatEuros(-0)).toBe('0,00 €');
    });

    it('is exact for one billion euros and beyond, with integer arithmetic only', () => {
      expect(formatEuros(100_000_000_000)).toBe('1 000 000 000,00 €');
      expect(formatEuros(100_000_000_001)).toBe('1 000 000 000,01 €');
      expect(formatEuros(Number.MAX_SAFE_INTEGER)).toBe('90 071 992 547 409,91 €');
      expect(formatEuros(Number.MIN_SAFE_INTEGER)).toBe('-90 071 992 547 409,91 €');
    });

    it('refuses a value that is not an integer of cents', () => {
      expect(() => formatEuros(12.5)).toThrow(RangeError);
      expect(() => formatEuros(Number.NaN)).toThrow(RangeError);
      expect(() => formatEuros(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    });
  });

  describe('dates and timestamps', () => {
    it('shows a date as DD/MM/YYYY', () => {
      expect(formatDate('2022-06-22')).toBe('22/06/2022');
      expect(formatDate('2021-01-05')).toBe('05/01/2021');
    });

    it('refuses a malformed or impossible date', () => {
      expect(() => formatDate('22/06/2022')).toThrow(RangeError);
      expect(() => formatDate('2022-02-30')).toThrow(RangeError);
    });

    it('shows a summer timestamp in Paris summer time (UTC+2)', () => {
      expect(formatTimestamp('2022-06-23T09:00:00Z')).toBe('23/06/2022 11:00');
      expect(formatTimestamp('2022-06-23T09:00:00.123Z')).toBe('23/06/2022 11:00');
    });

    it('shows a winter timestamp in Paris standard time (UTC+1)', () => {
      expect(formatTimestamp('2022-01-15T23:30:00Z')).toBe('16/01/2022 00:30');
      expect(formatTimestamp('2022-12-31T22:59:00+00:00')).toBe('31/12/2022 23:59');
    });

    it('converts to another zone when asked', () => {
      expect(formatTimestamp('2022-06-23T09:00:00Z', 'UTC')).toBe('23/06/2022 09:00');
      expect(formatTimestamp('2022-06-23T09:00:00Z', 'America/Cayenne')).toBe('23/06/2022 06:00');
    });

    it('refuses a timestamp without an offset, which would be ambiguous', () => {
      expect(() => formatTimestamp('2022-06-23T09:00:00')).toThrow(RangeError);
      expect(() => formatTimestamp('hier')).toThrow(RangeError);
    });
  });

  describe('percents and counts', () => {
    it('shows basis points as a percent with two decimals (5000 → 50,00 %)', () => {
      expect(formatPercent(5000)).toBe('50,00 %');
      expect(formatPercent(1)).toBe('0,01 %');
      expect(formatPercent(12_345)).toBe('123,45 %');
      expect(formatPercent(-250)).toBe('-2,50 %');
    });

    it('groups the thousands of a count (59 000)', () => {
      expect(formatInteger(59_000)).toBe('59 000');
      expect(formatInteger(0)).toBe('0');
      expect(formatInteger(-1_234_567)).toBe('-1 234 567');
    });
  });

  describe('formatCell', () => {
    it('formats each kind and shows null as empty', () => {
      expect(formatCell(78_600_000, 'money')).toBe('786 000,00 €');
      expect(formatCell(5000, 'percent')).toBe('50,00 %');
      expect(formatCell(59_000, 'integer')).toBe('59 000');
      expect(formatCell('2022-06-22', 'date')).toBe('22/06/2022');
      expect(formatCell('2022-06-23T09:00:00Z', 'timestamp')).toBe('23/06/2022 11:00');
      expect(formatCell('Montbéliard', 'text')).toBe('Montbéliard');
      for (const kind of ['text', 'money', 'date', 'timestamp', 'integer', 'percent'] as const) {
        expect(formatCell(null, kind)).toBe('');
      }
    });

    it('refuses a value of the wrong type for its column', () => {
      expect(() => formatCell('786000', 'money')).toThrow(TypeError);
      expect(() => formatCell(20220622, 'date')).toThrow(TypeError);
    });
  });

  describe('formatParameters', () => {
    it('lists only the parameters given, in French', () => {
      expect(
        formatParameters({ antennaId: 'montbeliard', asOf: '2022-06-22', knownAt: '2022-06-23T09:00:00Z' }),
      ).toBe('Antenne : montbeliard · À la date du 22/06/2022 · Connu au 23/06/2022 11:00');
      expect(formatParameters({ asOf: '2022-06-22' })).toBe('À la date du 22/06/2022');
      expect(formatParameters({})).toBe('');
    });
  });
});
