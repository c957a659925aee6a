import { PROJECTIONS, REPORT_BUILDERS, ReadModelView } from '@jalon/projections';
import type { ReportOf } from '@jalon/queries';
import { project, projected } from '../../../../libs/projections/src/testing/projection-specification';
import { fr } from '../../../../libs/reporting/src/testing/french-spaces';
import { financeRows } from './finance.view';
import { overviewView } from './overview.view';

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

/**
 * The audit's scenario: 50 000,00 € committed by the department to Langres, d1 (20 000,00 €) released,
 * then the agreement closed on 30/06/2024, d2 (30 000,00 €) never to be paid; Chaumont's 10 000,00 €
 * still open.
 */
function closedAgreementModels() {
  const langres = { agreementId: 'dept-langres', antennaId: 'langres' };
  const opened = (antennaId: string, name: string) =>
    projected('AntennaOpened', { antennaId, candidacyId: `c-${antennaId}`, callId: 'ami', programmeId: 'p', name, town: antennaId, territory: { actionCoeurDeVille: true }, effectiveDate: '2023-01-01' });
  const events = [
    opened('langres', 'Cnam Langres'),
    projected('FundingCommitted', {
      ...langres,
      funder: 'Département de la Haute-Marne',
      label: 'Soutien départemental',
      amountCents: 5_000_000,
      tranches: [
        { trancheId: 'd1', amountCents: 2_000_000, dueOn: '2024-01-15' },
        { trancheId: 'd2', amountCents: 3_000_000, dueOn: '2026-12-20' },
      ],
      effectiveDate: '2023-10-01',
    }),
    projected('BudgetTrancheReleased', { ...langres, trancheId: 'd1', amountCents: 2_000_000, effectiveDate: '2024-02-01' }),
    projected('FundingAgreementClosed', { ...langres, reason: 'Fin anticipée', effectiveDate: '2024-06-30' }),
    opened('chaumont', 'Cnam Chaumont'),
    projected('FundingCommitted', {
      agreementId: 'region-chaumont',
      antennaId: 'chaumont',
      funder: 'Région Grand Est',
      label: 'Soutien régional',
      amountCents: 1_000_000,
      tranches: [{ trancheId: 'r1', amountCents: 1_000_000, dueOn: '2026-12-31' }],
      effectiveDate: '2023-11-01',
    }),
  ];
  const views = new Map(PROJECTIONS.map((projection) => [projection.name, project(projection, events)]));
  return { view: <Doc>(name: string) => views.get(name) as unknown as ReadModelView<Doc> };
}

describe('a closed agreement on the dashboard', () => {
  it('rule: the finance page shows a closed agreement with nothing « Reste à verser » and its unreleased 30 000,00 € « Non versé à la clôture », in its row and in the totals', () => {
    const rows = financeRows(REPORT_BUILDERS.funding(closedAgreementModels(), { referenceDate: '2026-12-01' }), { onlyFlagged: false });
    const label = (key: string) => rows.agreements.columns.find((column) => column.key === key)?.label;
    expect(label('remaining')).toBe('Reste à verser');
    expect(label('notReleasedAtClosing')).toBe('Non versé à la clôture');
    // Langres first: its d1, released on 01/02/2024, is flagged as not received.
    expect(rows.agreements.rows.map((row) => [row.agreement, row.remaining, row.notReleasedAtClosing, row.toCollect, row.closedOn])).toEqual([
      ['Soutien départemental', 0, 3_000_000, 2_000_000, '2024-06-30'],
      ['Soutien régional', 1_000_000, 0, 1_000_000, null],
    ]);
    expect(rows.agreements.totals).toMatchObject({ remaining: 1_000_000, notReleasedAtClosing: 3_000_000, toCollect: 3_000_000 });
  });

  it('rule: the programme page’s tile « Reste à verser » counts only the open agreements (10 000,00 €), the closed one’s 30 000,00 € shown beside it as « non versé à la clôture »', () => {
    const kpis = REPORT_BUILDERS.kpis(closedAgreementModels(), { referenceDate: '2026-12-01' }).data;
    const page = String(
      overviewView({
        today: '2026-12-01',
        referenceDate: '2026-12-01',
        kpis,
        programmeName: 'Au cœur des territoires',
        antennas: [],
        filters: {},
        regions: [],
        calls: [],
        may: { submit: false, select: false, open: false },
        staleRead: false,
      }),
    );
    const tile = page.slice(page.indexOf('Reste à verser'));
    expect(tile.slice(0, tile.indexOf('</li>'))).toMatch(
      new RegExp(`Reste à verser.*${fr('10 000,00 €')}.*non versé à la clôture : ${fr('30 000,00 €')}`, 's'),
    );
  });
});
