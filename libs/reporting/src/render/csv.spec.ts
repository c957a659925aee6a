import { strFromU8, unzipSync } from 'fflate';

import { CSV_README, renderCsv } from './csv';
import { montbeliardBudgetReport } from './sample-report.fixtures';

/** The files of a CSV bundle (a ZIP), by name. */
function unzip(bytes: Buffer): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, Buffer.from(data)]));
}

/**
 * The DOS date and time of every entry of a ZIP, [year, month, day, hour, minute, second]: each
 * local header's, then each central directory record's (read from the end-of-directory record).
 */
function dosStampsOf(zip: Buffer): number[][] {
  const stamp = (time: number, date: number) => [(date >> 9) + 1980, (date >> 5) & 15, date & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2];
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const [count, locals, centrals] = [zip.readUInt16LE(end + 10), [] as number[][], [] as number[][]];
  for (let i = 0, at = zip.readUInt32LE(end + 16); i < count; i++) {
    centrals.push(stamp(zip.readUInt16LE(at + 12), zip.readUInt16LE(at + 14)));
    const local = zip.readUInt32LE(at + 42);
    locals.push(stamp(zip.readUInt16LE(local + 10), zip.readUInt16LE(local + 12)));
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return [...locals, ...centrals];
}

describe('renderCsv', () => {
  const report = montbeliardBudgetReport();
  const files = unzip(renderCsv(report, { generatedAt: '2026-12-02T09:00:00Z' }));
  const bytes = files['01-budget-par-exercice.csv']!;
  const text = bytes.subarray(3).toString('utf8');
  const lines = text.split('\r\n');
  const second = files['02-conventions-financeurs-2022.csv']!.subarray(3).toString('utf8');

  it('rule: one table per file — a report of several tables gives a ZIP of one CSV per table and a LISEZMOI.txt', () => {
    expect(Object.keys(files).sort()).toEqual(['01-budget-par-exercice.csv', '02-conventions-financeurs-2022.csv', CSV_README]);
    for (const name of Object.keys(files).filter((file) => file.endsWith('.csv'))) {
      const csv = files[name]!.subarray(3).toString('utf8');
      // The first line is the header: nothing above it, no second header below.
      expect(csv.split('\r\n')[0]).toMatch(/^(Exercice|Financeur);/);
      expect(csv.split('\r\n').filter((line) => /^(Exercice|Financeur);/.test(line))).toHaveLength(1);
    }
  });

  it('rule: a report of one table gives that table alone as one CSV file (no ZIP, no title line)', () => {
    const one = renderCsv(montbeliardBudgetReport({ tables: report.tables.slice(0, 1) }));
    expect([...one.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(one.subarray(3).toString('utf8')).toBe(text);
  });

  it('says in LISEZMOI.txt what the files are, what they cover, as of when, when generated, and the notes', () => {
    const readme = strFromU8(unzipSync(renderCsv(report, { generatedAt: '2026-12-02T09:00:00Z' }))[CSV_README]!);
    expect(readme).toContain('Budget de l’antenne de Montbéliard');
    expect(readme).toContain('Antenne : montbeliard · Situation au 22/06/2022 · Connu au 23/06/2022 11:00:00 · Généré le 02/12/2026 10:00');
    expect(readme).toContain('- 01-budget-par-exercice.csv : Budget par exercice');
    expect(readme).toContain('- Le réalisé 2022 est négatif : un avoir a été reçu.');
  });

  it('gives the same bytes for the same report generated at the same instant', () => {
    expect(renderCsv(report, { generatedAt: '2026-12-02T09:00:00Z' }).equals(renderCsv(report, { generatedAt: '2026-12-02T09:00:00Z' }))).toBe(true);
  });

  it('rule: the ZIP’s entries carry the programme’s wall-clock time of generation (the one LISEZMOI.txt says), not the server’s', () => {
    // 23:30 UTC on 31/12/2026: 00:30 on 01/01/2027 in Paris, 08:30 in Tokyo. Whatever the zone
    // this test runs in, at least one of the two is not its own.
    const generatedAt = '2026-12-31T23:30:00Z';
    const paris = renderCsv(report, { generatedAt, timeZone: 'Europe/Paris' });
    expect(strFromU8(unzipSync(paris)[CSV_README]!)).toContain('Généré le 01/01/2027 00:30');
    expect(dosStampsOf(paris)).toEqual(Array(6).fill([2027, 1, 1, 0, 30, 0]));
    expect(dosStampsOf(renderCsv(report, { generatedAt, timeZone: 'Asia/Tokyo' }))).toEqual(Array(6).fill([2027, 1, 1, 8, 30, 0]));
  });

  it('starts with a UTF-8 byte-order mark so a French Excel reads the accents', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text).toContain('Réalisé');
    expect(second).toContain('Montbéliard');
  });

  it('ends every line with CRLF, never a bare LF outside a quoted field', () => {
    expect(text.endsWith('\r\n')).toBe(true);
    const outsideQuotes = text.replace(/"(?:[^"]|"")*"/g, '');
    expect(outsideQuotes).not.toMatch(/(^|[^\r])\n/);
  });

  it('separates fields with semicolons, the header row of labels first', () => {
    expect(lines[0]).toBe('Exercice;Prévu;Réalisé;Taux de réalisation;Heures stagiaires;Voté le;Enregistré le');
  });

  it('writes amounts as decimal numbers with a comma, no thousands separator and no € (786000,00)', () => {
    expect(lines).toContain('2021;120000,00;60000,00;50,00;59000;15/01/2021;15/01/2021 16:30');
    expect(lines).toContain('2022;786000,00;-1234,50;;1200;22/06/2022;23/06/2022 11:00');
    expect(text).not.toContain('€');
    expect(text).not.toMatch(/[\u00a0\u202f]/);
    expect(second).toContain(';1000000000,00');
  });

  it('writes percents as 50,00, dates as 22/06/2022 and timestamps in Paris time', () => {
    expect(text).toContain(';50,00;');
    expect(text).toContain(';22/06/2022;');
    expect(text).toContain(';23/06/2022 11:00');
  });

  it('puts the totals row last, the file ending there', () => {
    expect(lines.at(-2)).toBe('Total;906000,00;58765,50;6,49;60200;;');
    expect(lines.at(-1)).toBe('');
  });

  it('quotes fields holding a semicolon, a quote or a line break, doubling the quotes', () => {
    expect(second).toContain('"Pays de Montbéliard Agglomération; ""PMA""\nsiège";1000000000,00\r\n');
  });

  it('guards against formula injection: text starting with = + - @ tab or CR gets a leading apostrophe', () => {
    expect(second).toContain(`"'=HYPERLINK(""http://example.com"";""x"")";0,05`);
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

  it('writes years bare and months as 06/2022, so a spreadsheet reads them as numbers and dates', () => {
    const out = renderCsv(
      montbeliardBudgetReport({
        tables: [
          {
            title: 'Apprenants',
            columns: [
              { key: 'year', label: 'Année', kind: 'year' },
              { key: 'month', label: 'Mois', kind: 'month' },
            ],
            rows: [{ year: 2022, month: '2022-06' }],
            totals: { year: 'Total', month: null },
          },
        ],
      }),
    ).toString('utf8');
    expect(out).toContain('\r\n2022;06/2022\r\nTotal;\r\n');
  });
});
