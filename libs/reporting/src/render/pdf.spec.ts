import { pdfTextRuns } from '../../../../test/support/pdf-text';
import type { Report } from '../report';
import { renderPdf } from './pdf';
import { montbeliardBudgetReport } from './sample-report.fixtures';

const GENERATED_AT = '2026-12-05T09:30:00Z';

describe('PDF reports: what a funder prints is what the report says', () => {
  it('rule: every character prints with a glyph of the embedded font: the figures grouped by thousands show `786 000,00 €`, never the font’s empty box', async () => {
    const runs = pdfTextRuns(await renderPdf(montbeliardBudgetReport(), { generatedAt: GENERATED_AT }));

    expect(runs.filter((run) => run.includes('\ufffd'))).toEqual([]);
    expect(runs).toContain('786\u00a0000,00\u00a0€');
    expect(runs).toContain('1\u00a0000\u00a0000\u00a0000,00\u00a0€');
    expect(runs).toContain('59\u00a0000');
    // Accents, guillemets and the typographic apostrophe of the wording are in the font.
    expect(runs.join('')).toContain('Budget de l’antenne de Montbéliard');
  });

  it('rule: a row taller than a page is printed over two pages, not left out, so that the lines add up to the total printed under them', async () => {
    const long = `${'Prestation de formation et frais de déplacement des intervenants, '.repeat(15)}fin`.slice(0, 1_000);
    const amounts = [250_000, 100_000, 12_345];
    const report: Report = {
      kind: 'etat-depenses',
      title: 'État récapitulatif des dépenses',
      parameters: { referenceDate: '2026-12-05' },
      data: {},
      tables: [
        {
          title: 'Dépenses imputées',
          // The statement of expenditure's columns: six of text share the width of a landscape page.
          columns: [
            { key: 'on', label: 'Date', kind: 'date' },
            { key: 'category', label: 'Catégorie', kind: 'text' },
            { key: 'label', label: 'Objet', kind: 'text' },
            { key: 'supplier', label: 'Fournisseur', kind: 'text' },
            { key: 'invoice', label: 'N° de facture', kind: 'text' },
            { key: 'amount', label: 'Montant', kind: 'money' },
            { key: 'documents', label: 'Pièces justificatives', kind: 'text' },
            { key: 'position', label: 'N° au journal', kind: 'text' },
          ],
          rows: amounts.map((amount, i) => ({
            on: '2026-11-16',
            category: 'Autres',
            label: i === 0 ? long : 'courte',
            supplier: i === 0 ? 'Fournisseur '.repeat(16).trim() : 'SARL',
            invoice: `F-${i}`,
            amount,
            documents: '',
            position: String(97 + i),
          })),
          totals: { label: 'Total dépensé', amount: amounts.reduce((a, b) => a + b, 0) },
        },
      ],
    };

    const runs = pdfTextRuns(await renderPdf(report, { generatedAt: GENERATED_AT }));

    for (const printed of ['2\u00a0500,00\u00a0€', '1\u00a0000,00\u00a0€', '123,45\u00a0€', '3\u00a0623,45\u00a0€']) expect(runs).toContain(printed);
    expect(runs.filter((run) => run.startsWith('fin')).length).toBe(1);
    expect(runs).toContain('Page ');
    expect(runs).toContain('2 / ');
  });
});
