import { renderCsv } from './csv';
import { montbeliardBudgetReport } from './sample-report.fixtures';

describe('renderCsv', () => {
  const bytes = renderCsv(montbeliardBudgetReport());
  const text = bytes.subarray(3).toString('utf8');
  const lines = text.split('\r\n');

  it('starts with a UTF-8 byte-order mark so a French Excel reads the accents', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text).toContain('Montbéliard');
  });

  it('ends every line with CRLF, never a bare LF outside a quoted field', () => {
    expect(text.endsWith('\r\n')).toBe(true);
    const outsideQuotes = text.replace(/"(?:[^"]|"")*"/g, '');
    expect(outsideQuotes).not.toMatch(/(^|[^\r])\n/);
  });

  it('separates fields with semicolons, header row of labels after the table title', () => {
    const titleIndex = lines.indexOf('Budget par exercice');
    expect(titleIndex).toBeGreaterThan(0);
    expect(lines[titleIndex + 1]).toBe('Exercice;Prévu;Réalisé;Taux de réalisation;Heures stagiaires;Voté le;Enregistré le');
  });

  it('writes amounts as decimal numbers with a comma, no thousands separator and no € (786000,00)', () => {
    expect(lines).toContain('2021;120000,00;60000,00;50,00;59000;15/01/2021;15/01/2021 16:30');
    expect(lines).toContain('2022;786000,00;-1234,50;;1200;22/06/2022;23/06/2022 11:00');
    expect(text).not.toContain('€');
    expect(text).toContain(';1000000000,00');
  });

  it('writes percents as 50,00, dates as 22/06/2022 and timestamps in Paris time', () => {
    expect(text).toContain(';50,00;');
    expect(text).toContain(';22/06/2022;');
    expect(text).toContain(';23/06/2022 11:00');
  });

  it('puts the totals row last in its table, followed by an empty line', () => {
    const totalsIndex = lines.indexOf('Total;906000,00;58765,50;6,49;60200;;');
    expect(totalsIndex).toBeGreaterThan(0);
    expect(lines[totalsIndex + 1]).toBe('');
    expect(lines[totalsIndex + 2]).toBe('Conventions : financeurs [2022]');
  });

  it('quotes fields holding a semicolon, a quote or a line break, doubling the quotes', () => {
    expect(text).toContain('"Pays de Montbéliard Agglomération; ""PMA""\nsiège";1000000000,00\r\n');
  });

  it('guards against formula injection: text starting with = + - @ tab or CR gets a leading apostrophe', () => {
    expect(text).toContain(`"'=HYPERLINK(""http://example.com"";""x"")";0,05`);
    const report = montbeliardBudgetReport({
      tables: [
        {
          title: 'Injection',
          columns: [
            { key: 't', label: 'Texte', kind: 'text' },
            { key: 'm', label: 'Montant', kind: 'money' },
          ],
          rows: [
            { t: '+33 1 23', m: -500 },
            { t: '-2+3', m: null },
            { t: '@SUM(A1)', m: null },
            { t: '\tx', m: null },
            { t: '\rx', m: null },
            { t: 'a=b', m: null },
          ],
        },
      ],
    });
    const out = renderCsv(report).toString('utf8');
    expect(out).toContain("\r\n'+33 1 23;-5,00\r\n"); // negative amounts are numbers, not guarded
    expect(out).toContain("\r\n'-2+3;\r\n");
    expect(out).toContain("\r\n'@SUM(A1);\r\n");
    expect(out).toContain("\r\n'\tx;\r\n");
    expect(out).toContain("\r\n\"'\rx\";\r\n");
    expect(out).toContain('\r\na=b;\r\n');
  });

  it('opens with the report title and its parameters, and ends with the notes', () => {
    expect(lines[0]).toBe('Budget de l’antenne de Montbéliard');
    expect(lines[1]).toBe('Antenne : montbeliard · À la date du 22/06/2022 · Connu au 23/06/2022 11:00');
    expect(lines.at(-2)).toBe('Le réalisé 2022 est négatif : un avoir a été reçu.');
  });
});
