import {
  addDays,
  compareDates,
  dateOfSpreadsheetSerial,
  daysBetween,
  endOfDay,
  endOfMinute,
  isAcceptedDate,
  isIsoDate,
  isIsoInstant,
  laterOf,
  parseIsoDate,
  skippedTimeAt,
  spreadsheetSerialOf,
  todayIn,
  wallClockOf,
} from './calendar';

describe('calendar', () => {
  describe('validation: a date is YYYY-MM-DD naming a day that exists', () => {
    it.each(['2022-06-22', '2024-02-29', '2000-02-29', '1900-01-01', '2100-12-31', '0050-03-01'])('accepts %s', (date) => {
      expect(isIsoDate(date)).toBe(true);
    });

    it.each(['2023-02-29', '1900-02-29', '2022-13-01', '2022-06-31', '2022-6-22', '22/06/2022', '2022-06-22T00:00:00Z', '', ' 2022-06-22'])(
      'refuses %p',
      (date) => {
        expect(isIsoDate(date)).toBe(false);
      },
    );

    it('refuses what is not a string', () => {
      expect(isIsoDate(20220622)).toBe(false);
      expect(isIsoDate(null)).toBe(false);
      expect(isIsoDate(new Date())).toBe(false);
    });

    it('accepts as input only the range the API documents, 1900-01-01 to 2100-12-31', () => {
      expect(isAcceptedDate('1900-01-01')).toBe(true);
      expect(isAcceptedDate('2100-12-31')).toBe(true);
      expect(isAcceptedDate('1899-12-31')).toBe(false);
      expect(isAcceptedDate('2101-01-01')).toBe(false);
      expect(isAcceptedDate('2022-02-30')).toBe(false);
    });

    it('parses the parts of a date and names what is wrong', () => {
      expect(parseIsoDate('2022-06-22')).toEqual({ year: 2022, month: 6, day: 22 });
      expect(() => parseIsoDate('2022-02-30')).toThrow('No such date: 2022-02-30');
      expect(() => parseIsoDate('22/06/2022')).toThrow('A date must be YYYY-MM-DD');
    });
  });

  describe('comparison', () => {
    it('orders dates chronologically, as a sort comparator', () => {
      const dates = ['2023-07-03', '2021-12-31', '2022-06-22', '2022-06-22', '1999-01-01'];
      expect([...dates].sort(compareDates)).toEqual(['1999-01-01', '2021-12-31', '2022-06-22', '2022-06-22', '2023-07-03']);
      expect(compareDates('2022-06-22', '2022-06-22')).toBe(0);
      expect(laterOf('2022-06-22', '2021-01-01')).toBe('2022-06-22');
    });
  });

  describe('day arithmetic', () => {
    it('counts calendar days, negative backwards', () => {
      expect(daysBetween('2023-06-30', '2023-09-04')).toBe(66);
      expect(daysBetween('2023-09-04', '2023-06-30')).toBe(-66);
      expect(daysBetween('2022-06-22', '2022-06-22')).toBe(0);
    });

    it('counts across leap days and the summer-time changes of Paris without losing a day', () => {
      expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
      expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
      expect(daysBetween('2023-03-25', '2023-03-27')).toBe(2); // summer time starts on 26 March
      expect(daysBetween('2023-10-28', '2023-10-30')).toBe(2); // and ends on 29 October
      expect(daysBetween('1900-01-01', '2100-12-31')).toBe(73_413);
    });

    it('adds days across months, years and leap days, and back', () => {
      expect(addDays('2022-06-15', 30)).toBe('2022-07-15');
      expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
      expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
      expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
      expect(addDays('2023-03-25', 2)).toBe('2023-03-27');
      for (const [date, n] of [['2021-03-01', 1185], ['2100-12-31', -73_413], ['2022-06-22', 0]] as const) {
        expect(daysBetween(date, addDays(date, n))).toBe(n);
      }
    });

    it('refuses a fractional number of days', () => {
      expect(() => addDays('2022-06-22', 1.5)).toThrow(RangeError);
    });
  });

  describe('spreadsheet day serials (Excel’s 1900 date system)', () => {
    it('rule: the serial is the one a spreadsheet shows as that day, counting Excel’s fictitious 29/02/1900 (serial 60)', () => {
      expect(['1900-01-01', '1900-01-15', '1900-02-28', '1900-03-01', '1970-01-01', '2022-06-22', '2100-12-31'].map(spreadsheetSerialOf)).toEqual([1, 15, 59, 61, 25569, 44734, 73415]);
    });

    it('rule: a serial reads back as its date; 60 (29/02/1900), 0 and fractions name no day', () => {
      for (const date of ['1900-01-01', '1900-02-28', '1900-03-01', '2022-06-22', '2100-12-31']) expect(dateOfSpreadsheetSerial(spreadsheetSerialOf(date))).toBe(date);
      for (const serial of [60, 0, -1, 1.5, Number.NaN]) expect(dateOfSpreadsheetSerial(serial)).toBeUndefined();
    });
  });

  describe('time zones', () => {
    it('rule: a wall-clock time the clocks skip (Paris, 26/03/2023, 02:00 → 03:00) is said with its span and names no instant; the times either side, and those shown twice in autumn, do', () => {
      expect(skippedTimeAt('2023-03-26', 2, 30, 'Europe/Paris')).toEqual({ from: { hour: 2, minute: 0 }, to: { hour: 3, minute: 0 } });
      expect(skippedTimeAt('2023-03-26', 2, 0, 'Europe/Paris')).toEqual({ from: { hour: 2, minute: 0 }, to: { hour: 3, minute: 0 } });
      expect(() => endOfMinute('2023-03-26', 2, 30, 'Europe/Paris')).toThrow(RangeError);
      for (const [date, hour, minute] of [['2023-03-26', 1, 59], ['2023-03-26', 3, 0], ['2023-10-29', 2, 30], ['2023-07-12', 2, 30]] as const) {
        expect(skippedTimeAt(date, hour, minute, 'Europe/Paris')).toBeUndefined();
      }
      expect(endOfMinute('2023-03-26', 3, 0, 'Europe/Paris')).toBe('2023-03-26T01:00:59.999Z');
      expect(endOfMinute('2023-10-29', 2, 30, 'Europe/Paris')).toBe('2023-10-29T01:30:59.999Z');
      expect(skippedTimeAt('2023-03-12', 2, 30, 'America/New_York')).toEqual({ from: { hour: 2, minute: 0 }, to: { hour: 3, minute: 0 } });
    });

    it('gives today in the programme’s zone, not in UTC', () => {
      // 23:30 UTC on 31 December is already 1 January in Paris.
      expect(todayIn(new Date('2022-12-31T23:30:00Z'), 'Europe/Paris')).toBe('2023-01-01');
      expect(todayIn(new Date('2022-12-31T23:30:00Z'), 'UTC')).toBe('2022-12-31');
      expect(todayIn(new Date('2023-01-01T02:00:00Z'), 'America/Cayenne')).toBe('2022-12-31');
    });

    it('rule: the local date turns exactly at local midnight, however often it is asked around it', () => {
      const at = (iso: string) => todayIn(new Date(iso), 'Europe/Paris');
      expect(at('2024-03-30T22:59:59.000Z')).toBe('2024-03-30');
      expect(at('2024-03-30T22:59:59.999Z')).toBe('2024-03-30');
      expect(at('2024-03-30T23:00:00.000Z')).toBe('2024-03-31');
      // Summer time: midnight in Paris is 22:00 UTC.
      expect(at('2024-06-30T21:59:59.999Z')).toBe('2024-06-30');
      expect(at('2024-06-30T22:00:00.000Z')).toBe('2024-07-01');
      expect(at('2024-06-30T21:59:59.500Z')).toBe('2024-06-30');
    });

    it('keeps each time zone apart when asked the same second', () => {
      const now = new Date('2024-06-30T22:30:00Z');
      expect(todayIn(now, 'Europe/Paris')).toBe('2024-07-01');
      expect(todayIn(now, 'UTC')).toBe('2024-06-30');
      expect(todayIn(now, 'Europe/Paris')).toBe('2024-07-01');
    });

    it('gives the last instant of a local day, in winter and in summer', () => {
      expect(endOfDay('2023-01-15', 'Europe/Paris')).toBe('2023-01-15T22:59:59.999Z');
      expect(endOfDay('2023-07-31', 'Europe/Paris')).toBe('2023-07-31T21:59:59.999Z');
      expect(endOfDay('2023-07-31', 'UTC')).toBe('2023-07-31T23:59:59.999Z');
      expect(endOfDay('2023-07-31', 'America/Cayenne')).toBe('2023-08-01T02:59:59.999Z');
    });

    it('gives the last instant of the days summer time starts and ends', () => {
      expect(endOfDay('2023-03-25', 'Europe/Paris')).toBe('2023-03-25T22:59:59.999Z');
      expect(endOfDay('2023-03-26', 'Europe/Paris')).toBe('2023-03-26T21:59:59.999Z');
      expect(endOfDay('2023-10-29', 'Europe/Paris')).toBe('2023-10-29T22:59:59.999Z');
      expect(todayIn(new Date(endOfDay('2023-03-26', 'Europe/Paris')), 'Europe/Paris')).toBe('2023-03-26');
      expect(todayIn(new Date(Date.parse(endOfDay('2023-03-26', 'Europe/Paris')) + 1), 'Europe/Paris')).toBe('2023-03-27');
    });

    it('reads the local wall clock of an instant, which must carry its offset', () => {
      expect(wallClockOf('2022-06-23T09:00:00Z', 'Europe/Paris')).toEqual({ year: 2022, month: 6, day: 23, hour: 11, minute: 0, second: 0 });
      expect(isIsoInstant('2023-07-12T02:00:00+02:00')).toBe(true);
      expect(isIsoInstant('2023-07-12T02:00:00')).toBe(false);
      expect(() => wallClockOf('2023-07-12T02:00:00', 'Europe/Paris')).toThrow(RangeError);
    });
  });
});
