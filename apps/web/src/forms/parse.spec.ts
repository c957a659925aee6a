import { parseDate, parseEurosToCents, parseWholeNumber } from './parse';

describe('amounts typed in euros', () => {
  it.each([
    ['30 000,00', 3_000_000],
    ['30000', 3_000_000],
    ['30 000', 3_000_000],
    ['30\u202f000,00\u00a0€', 3_000_000],
    ['786 000,00 €', 78_600_000],
    ['1234,5', 123_450],
    ['1234.50', 123_450],
    ['0,07', 7],
    ['007', 700],
    ['0', 0],
    ['90071992547409,91', 9_007_199_254_740_991],
  ])('reads %s as %d cents (by string manipulation, never through a float)', (typed, cents) => {
    expect(parseEurosToCents(typed)).toEqual({ ok: true, value: cents });
  });

  it('reads 0,1 + 0,2 the way a person means it', () => {
    const a = parseEurosToCents('0,1');
    const b = parseEurosToCents('0,2');
    expect(a.ok && b.ok && a.value + b.value).toBe(30);
  });

  it.each([
    ['', 'montant manquant'],
    ['douze euros', '« douze euros » n’est pas un montant'],
    ['-30', 'le montant doit être positif'],
    ['12,345', 'pas plus de deux chiffres après la virgule'],
    ['1.000,00', 'n’est pas un montant'],
    ['1e5', 'n’est pas un montant'],
    ['90071992547409,92', 'montant trop grand'],
  ])('refuses %j in French', (typed, message) => {
    const parsed = parseEurosToCents(typed);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(message);
  });
});

describe('dates and counts typed in forms', () => {
  it('reads French dates and ISO dates, and refuses days that do not exist', () => {
    expect(parseDate('22/06/2022')).toEqual({ ok: true, value: '2022-06-22' });
    expect(parseDate('2/6/2022')).toEqual({ ok: true, value: '2022-06-02' });
    expect(parseDate('2022-06-22')).toEqual({ ok: true, value: '2022-06-22' });
    expect(parseDate('31/02/2023')).toEqual({ ok: false, message: 'le 31/02/2023 n’existe pas dans le calendrier' });
    expect(parseDate('demain').ok).toBe(false);
  });

  it('rule: a day of the calendar outside its bounds (01/01/1900 – 31/12/2100) is refused, saying them', () => {
    expect(parseDate('01/01/1900')).toEqual({ ok: true, value: '1900-01-01' });
    expect(parseDate('31/12/2100')).toEqual({ ok: true, value: '2100-12-31' });
    expect(parseDate('31/12/1899')).toEqual({ ok: false, outOfRange: true, message: 'le 31/12/1899 est hors des dates que Jalon enregistre, du 01/01/1900 au 31/12/2100' });
    expect(parseDate('2101-01-01')).toMatchObject({ ok: false, outOfRange: true });
  });

  it('reads whole numbers with spaces', () => {
    expect(parseWholeNumber('140 000')).toEqual({ ok: true, value: 140_000 });
    expect(parseWholeNumber('1,5').ok).toBe(false);
  });
});
