import { fr } from '../testing/french-spaces';
import { renderTable } from './table';
import { montbeliardBudgetReport } from './sample-report.fixtures';
import { displayWidth } from './text-width';

describe('renderTable', () => {
  const text = renderTable(montbeliardBudgetReport());
  const lines = text.split('\n');

  it('starts with the title and the parameters line in French', () => {
    expect(lines[0]).toBe('Budget de l’antenne de Montbéliard');
    expect(lines[1]).toBe('Antenne : montbeliard · À la date du 22/06/2022 · Connu au 23/06/2022 11:00:00');
  });

  it('shows only the parameters given, and no parameters line when there are none', () => {
    const onlyAsOf = renderTable(montbeliardBudgetReport({ parameters: { asOf: '2022-06-22', referenceDate: '2022-06-22' } }));
    expect(onlyAsOf.split('\n')[1]).toBe('À la date du 22/06/2022');
    const none = renderTable(montbeliardBudgetReport({ parameters: { referenceDate: '2022-06-22' } }));
    expect(none.split('\n')[1]).toBe('');
  });

  it('shows amounts, rates, counts, dates and timestamps in French', () => {
    expect(text).toContain(fr('786 000,00 €'));
    expect(text).toContain(fr('\u22121 234,50 €'));
    expect(text).toContain(fr('50,00 %'));
    expect(text).toContain(fr('59 000'));
    expect(text).toContain('22/06/2022');
    expect(text).toContain('23/06/2022 11:00');
    expect(text).toContain(fr('1 000 000 000,00 €'));
  });

  it('aligns columns: every line of a table has the same display width, text left and numbers right', () => {
    const start = lines.indexOf('Budget par exercice');
    const header = lines[start + 1] ?? '';
    const block = lines.slice(start + 1, start + 8);
    // header, underline, 2 rows, separator: all as wide as the separator (the totals row ends early, trimmed)
    const separator = block.find((line) => /^=+$/.test(line)) ?? '';
    expect(separator.length).toBeGreaterThan(0);
    for (const line of block.slice(0, 5)) expect(displayWidth(line)).toBe(displayWidth(separator));

    const row2021 = lines.find((line) => line.startsWith('2021')) ?? '';
    const row2022 = lines.find((line) => line.startsWith('2022')) ?? '';
    // numbers right-aligned: "120 000,00 €" and "786 000,00 €" end at the same column as "Prévu"
    const prevuEnd = header.indexOf('Prévu') + 'Prévu'.length;
    expect(row2021.slice(0, prevuEnd).endsWith(fr('120 000,00 €'))).toBe(true);
    expect(row2022.slice(0, prevuEnd).endsWith(fr('786 000,00 €'))).toBe(true);
    // text left-aligned
    expect(header.startsWith('Exercice')).toBe(true);
  });

  it('sets the totals row apart with a separator line just before it, last in its table', () => {
    const separatorIndex = lines.findIndex((line) => /^=+$/.test(line));
    expect(lines[separatorIndex + 1]).toMatch(/^Total\s+906\u202f000,00\u00a0€\s+58\u202f765,50\u00a0€\s+6,49\u00a0%\s+60\u202f200$/);
    expect(lines[separatorIndex + 2]).toBe('');
  });

  it('computes widths on display length, not bytes (accents count once)', () => {
    const report = montbeliardBudgetReport({
      tables: [
        {
          title: 'Antennes',
          columns: [
            { key: 'name', label: 'Nom', kind: 'text' },
            { key: 'amount', label: 'Montant', kind: 'money' },
          ],
          // composed and decomposed accents
          rows: [{ name: 'Montbéliard', amount: 100 }, { name: 'Montbe\u0301liard', amount: 200 }, { name: 'Belfort', amount: 300 }],
        },
      ],
    });
    const tableLines = renderTable(report).split('\n').filter((line) => line.includes(fr(',00 €')));
    const ends = tableLines.map((line) => displayWidth(line));
    expect(new Set(ends).size).toBe(1);
  });

  it('lists the notes as « – » bullets after the tables', () => {
    expect(lines.at(-2)).toBe('– Le réalisé 2022 est négatif : un avoir a été reçu.');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('is plain text: no ANSI escape codes, no line broken by a cell, no trailing spaces', () => {
    expect(text).not.toContain('\u001b');
    expect(text).toContain('Pays de Montbéliard Agglomération; "PMA" siège');
    for (const line of lines) expect(line).toBe(line.trimEnd());
    const hostile = renderTable(montbeliardBudgetReport({ notes: ['\u001b[31mrouge\u001b[0m'] }));
    expect(hostile).not.toContain('\u001b');
  });

  it('says so when a table has no rows', () => {
    const report = montbeliardBudgetReport({
      tables: [{ title: 'Vide', columns: [{ key: 'a', label: 'A', kind: 'money' }], rows: [] }],
    });
    expect(renderTable(report)).toContain('(aucune ligne)');
  });
});
