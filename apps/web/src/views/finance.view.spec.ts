import { PROJECTIONS, REPORT_BUILDERS, ReadModelView } from '@jalon/projections';
import type { ReportOf } from '@jalon/queries';
import { project, projected } from '../../../../libs/projections/src/testing/projection-specification';
import { financeRows } from './finance.view';

/** The demo's funding in small: a tranche released late and never received, as the funding report flags it on 15/03/2024. */
function fundingReport(): ReportOf<'funding'> {
  const A = { agreementId: 'bdt', antennaId: 'montbeliard' };
  const events = [
    projected('AntennaOpened', { antennaId: 'montbeliard', candidacyId: 'c', callId: 'ami', programmeId: 'p', name: 'Cnam Montbéliard', town: 'Montbéliard', territory: {}, effectiveDate: '2021-03-01' }),
    projected('FundingCommitted', {
      ...A,
      funder: 'Banque des Territoires',
      label: 'Enveloppe d’amorçage',
      amountCents: 10_000_000,
      tranches: [{ trancheId: 't1', label: 'Première tranche', amountCents: 4_000_000, dueOn: '2021-09-15' }],
      effectiveDate: '2021-06-01',
    }),
    projected('BudgetTrancheReleased', { ...A, trancheId: 't1', amountCents: 4_000_000, effectiveDate: '2021-10-15' }),
  ];
  const views = new Map(PROJECTIONS.map((projection) => [projection.name, project(projection, events)]));
  const models = { view: <Doc>(name: string) => views.get(name) as unknown as ReadModelView<Doc> };
  return REPORT_BUILDERS.funding(models, { referenceDate: '2024-03-15' });
}

describe('finance page tables', () => {
  it('rule: the finance page words its tables and flags as the funding report does (titles, column names, each flag’s label and detail)', () => {
    const report = fundingReport();
    const reported = report.tables.find((table) => table.columns.some((column) => column.key === 'discrepancy'))!;
    const listed = report.tables.find((table) => table.columns.some((column) => column.key === 'committed'))!;
    const rows = financeRows(report, { onlyFlagged: false });

    expect(rows.discrepancies.title).toBe(reported.title);
    expect(rows.agreements.title).toBe(listed.title);
    const labelOf = (table: typeof reported, key: string) => table.columns.find((column) => column.key === key)?.label;
    for (const key of ['antenna', 'agreement', 'tranche', 'discrepancy', 'detail']) expect(labelOf(rows.discrepancies, key)).toBe(labelOf(reported, key));
    for (const key of ['antenna', 'agreement', 'funder', 'committed', 'released', 'received', 'balance']) expect(labelOf(rows.agreements, key)).toBe(labelOf(listed, key));

    // Each flag reads as in the report's own table: same label and detail, in the same order.
    expect(rows.discrepancies.rows.map((row) => [row.discrepancy, row.detail])).toEqual(reported.rows.map((row) => [row.discrepancy, row.detail]));
    expect(rows.discrepancies.rows.map((row) => row.discrepancy)).toEqual(['Versement postérieur à l’échéance', 'Versement non reçu dans le délai']);
  });

  it('rule: the page adds to the report’s wording only the money at stake, the date of each flag and each agreement’s count of flags', () => {
    const rows = financeRows(fundingReport(), { onlyFlagged: false });
    expect(rows.discrepancies.columns.map((column) => column.key)).toEqual(['antenna', 'agreement', 'tranche', 'discrepancy', 'amount', 'date', 'detail']);
    expect(rows.agreements.columns.map((column) => column.key)).toEqual(['antenna', 'agreement', 'funder', 'committedOn', 'committed', 'released', 'received', 'spent', 'remaining', 'toCollect', 'balance', 'discrepancies']);
    expect(rows.agreements.rows.map((row) => row.discrepancies)).toEqual([2]);
  });
});
