import { fr } from '../testing/french-spaces';
import {
  formatCell,
  formatDate,
  formatDays,
  formatEuros,
  formatFixed2,
  formatSignedEuros,
  formatInteger,
  formatParameters,
  formatPercent,
  formatReportContext,
  formatSeconds,
  formatKnownAt,
  formatTimestamp,
  formatYearMonth,
} from './french';

describe('French formatting', () => {
  describe('formatEuros', () => {
    it('shows zero as 0,00 €', () => {
      expect(formatEuros(0)).toBe(fr('0,00 €'));
    });

    it('keeps the cents of a small amount (5 cents → 0,05 €)', () => {
      expect(formatEuros(5)).toBe(fr('0,05 €'));
      expect(formatEuros(150)).toBe(fr('1,50 €'));
    });

    it('rule: groups thousands with a narrow no-break space and puts a no-break space before € (786 000,00 €), so an amount never breaks across lines', () => {
      expect(formatEuros(78_600_000)).toBe('786\u202f000,00\u00a0€');
      expect(formatEuros(3_000_000)).not.toContain(' ');
      expect(formatEuros(78_600_000)).toBe(new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(786_000));
      expect(formatEuros(99_999)).toBe(fr('999,99 €'));
      expect(formatEuros(100_000)).toBe(fr('1 000,00 €'));
    });

    it('rule: a negative amount reads with the minus sign U+2212 (« moins » to a screen reader), never the hyphen-minus (« tiret »): −1 234,50 €', () => {
      expect(formatEuros(-123_450)).toBe(fr('\u22121 234,50 €'));
      expect(formatEuros(-5)).toBe(fr('\u22120,05 €'));
      expect(formatEuros(-0)).toBe(fr('0,00 €'));
      expect(formatEuros(-5)).not.toContain('-');
      // Machine-readable forms keep the hyphen-minus a spreadsheet reads back as a number.
      expect(formatFixed2(-123_450, false)).toBe('-1234,50');
    });

    it('rule: a variation always shows its sign, as the README writes it: +10 000,00 €, −10 000,00 €, 0,00 €', () => {
      expect(formatSignedEuros(1_000_000)).toBe(fr('+10 000,00 €'));
      expect(formatSignedEuros(-1_000_000)).toBe(fr('\u221210 000,00 €'));
      expect(formatSignedEuros(0)).toBe(fr('0,00 €'));
    });

    it('is exact for one billion euros and beyond, with integer arithmetic only', () => {
      expect(formatEuros(100_000_000_000)).toBe(fr('1 000 000 000,00 €'));
      expect(formatEuros(100_000_000_001)).toBe(fr('1 000 000 000,01 €'));
      expect(formatEuros(Number.MAX_SAFE_INTEGER)).toBe(fr('90 071 992 547 409,91 €'));
      expect(formatEuros(Number.MIN_SAFE_INTEGER)).toBe(fr('\u221290 071 992 547 409,91 €'));
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

    it('rule: a known-at cut is said as precisely as it is: to the minute for the end of a minute (a time typed to the minute, a date alone), else to the second, and the millisecond when it has one', () => {
      expect(formatKnownAt('2022-06-23T09:00:59.999Z')).toBe('23/06/2022 11:00');
      expect(formatKnownAt('2022-06-23T21:59:59.999Z')).toBe('23/06/2022 23:59');
      expect(formatKnownAt('2022-06-23T09:00:02Z')).toBe('23/06/2022 11:00:02');
      expect(formatKnownAt('2022-06-23T09:00:00Z')).toBe('23/06/2022 11:00:00');
      expect(formatKnownAt('2022-06-23T09:00:02.013Z')).toBe('23/06/2022 11:00:02,013');
      expect(formatKnownAt('2022-01-15T23:30:05+00:00', 'UTC')).toBe('15/01/2022 23:30:05');
      expect(formatReportContext({ parameters: { knownAt: '2022-06-23T09:00:02Z', referenceDate: '2022-06-23' } }, { generatedAt: '2022-06-24T08:00:00Z' })).toContain('Connu au 23/06/2022 11:00:02');
      expect(() => formatKnownAt('hier')).toThrow(RangeError);
    });

    it('refuses a timestamp without an offset, which would be ambiguous', () => {
      expect(() => formatTimestamp('2022-06-23T09:00:00')).toThrow(RangeError);
      expect(() => formatTimestamp('hier')).toThrow(RangeError);
    });
  });

  describe('percents and counts', () => {
    it('shows basis points as a percent with two decimals (5000 → 50,00 %)', () => {
      expect(formatPercent(5000)).toBe(fr('50,00 %'));
      expect(formatPercent(1)).toBe(fr('0,01 %'));
      expect(formatPercent(12_345)).toBe(fr('123,45 %'));
    });

    it('rule: a negative rate reads with the minus sign of every negative amount (U+2212, « moins »), not a hyphen', () => {
      expect(formatPercent(-250)).toBe(fr('\u22122,50 %'));
      expect(formatPercent(-250).startsWith(formatEuros(-1).charAt(0))).toBe(true);
    });

    it('groups the thousands of a count (59 000)', () => {
      expect(formatInteger(59_000)).toBe(fr('59 000'));
      expect(formatInteger(0)).toBe('0');
      expect(formatInteger(-1_234_567)).toBe(fr('-1 234 567'));
    });

    it('writes a duration with a decimal comma and its unit (0,01 s; 1 234,5 s), never 0.01 s', () => {
      expect(formatSeconds(0.0134, 2)).toBe('0,01 s');
      expect(formatSeconds(12.04)).toBe('12,0 s');
      expect(formatSeconds(1234.5)).toBe(fr('1 234,5 s'));
    });
  });

  describe('day counts, months and fixed decimals', () => {
    it('rule: a day count is grouped and says its unit with no-break spaces (« 1 185 jours »)', () => {
      expect(formatDays(1185)).toBe('1\u202f185\u00a0jours');
      expect(formatDays(1)).toBe(fr('1 jour'));
      expect(formatDays(66)).toBe(fr('66 jours'));
      expect(() => formatDays(1.5)).toThrow(RangeError);
    });

    it('shows a month as « juin 2022 »', () => {
      expect(formatYearMonth('2022-06')).toBe('juin 2022');
      expect(() => formatYearMonth('2022-13')).toThrow(RangeError);
    });

    it('keeps the ungrouped form a spreadsheet reads as a number (-1234,50), exact beyond safe integers', () => {
      expect(formatFixed2(-123_450, false)).toBe('-1234,50');
      expect(formatFixed2(Number.MAX_SAFE_INTEGER, false)).toBe('90071992547409,91');
      expect(formatFixed2(123_450)).toBe(fr('1 234,50'));
    });
  });

  describe('formatCell', () => {
    it('formats each kind and shows null as empty', () => {
      expect(formatCell(78_600_000, 'money')).toBe(fr('786 000,00 €'));
      expect(formatCell(5000, 'percent')).toBe(fr('50,00 %'));
      expect(formatCell(59_000, 'integer')).toBe(fr('59 000'));
      expect(formatCell('2022-06-22', 'date')).toBe('22/06/2022');
      expect(formatCell('2022-06-23T09:00:00Z', 'timestamp')).toBe('23/06/2022 11:00');
      expect(formatCell('Montbéliard', 'text')).toBe('Montbéliard');
      expect(formatCell(2022, 'year')).toBe('2022');
      expect(formatCell('Total', 'year')).toBe('Total');
      expect(formatCell('2022-06', 'month')).toBe('juin 2022');
      // A variation keeps its sign, with the same minus sign as every negative amount.
      expect(formatCell(9_933_333, 'money-change')).toBe(fr('+99 333,33 €'));
      expect(formatCell(-123_456, 'money-change')).toBe(fr('\u22121 234,56 €'));
      expect(formatCell(0, 'money-change')).toBe(fr('0,00 €'));
      for (const kind of ['text', 'money', 'money-change', 'date', 'timestamp', 'integer', 'percent', 'year', 'month'] as const) {
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
        formatParameters({ parameters: { antennaId: 'montbeliard', asOf: '2022-06-22', knownAt: '2022-06-23T09:00:00Z' } }),
      ).toBe('Antenne : montbeliard · À la date du 22/06/2022 · Connu au 23/06/2022 11:00:00');
      expect(formatParameters({ parameters: { asOf: '2022-06-22' } })).toBe('À la date du 22/06/2022');
      expect(formatParameters({ parameters: {} })).toBe('');
    });

    it('rule: names the antenna by its name when the report knows it, by its id otherwise', () => {
      expect(formatParameters({ parameters: { antennaId: 'montbeliard', asOf: '2022-06-22' }, antennaName: 'Montbéliard' })).toBe('Antenne : Montbéliard · À la date du 22/06/2022');
    });
  });

  describe('formatReportContext', () => {
    it('says what a document covers, as of when, known when and generated when', () => {
      expect(
        formatReportContext(
          { parameters: { antennaId: 'montbeliard', asOf: '2023-07-31', knownAt: '2023-07-12T00:00:00Z', referenceDate: '2023-07-31' } },
          { generatedAt: '2026-12-02T09:00:00Z' },
        ),
      ).toBe('Antenne : montbeliard · Situation au 31/07/2023 · Connu au 12/07/2023 02:00:00 · Généré le 02/12/2026 10:00');
      expect(formatReportContext({ parameters: { referenceDate: '2026-12-02' } }, { generatedAt: '2026-12-02T09:00:00Z' })).toBe(
        'Programme · Situation au 02/12/2026 · Généré le 02/12/2026 10:00',
      );
    });

    it('rule: names the antenna by its name when the report knows it, by its id otherwise', () => {
      expect(formatReportContext({ parameters: { antennaId: 'montbeliard', referenceDate: '2023-07-31' }, antennaName: 'Montbéliard' }, { generatedAt: '2026-12-02T09:00:00Z' })).toBe(
        'Antenne : Montbéliard · Situation au 31/07/2023 · Généré le 02/12/2026 10:00',
      );
    });
  });
});
