import type { Report, ReportTable } from '@jalon/reporting';
import type { ProjectedEvent, ReadModelView } from '../../projection';
import { project, projected } from '../../testing/projection-specification';
import { budgetProjection } from './budget.projection';
import { BUDGET_TABLE_TITLES, BudgetReportData, buildBudgetReport } from './budget.report';
import { ReadModels, UnknownAntennaError } from './report-helpers';

function models(events: readonly ProjectedEvent[]): ReadModels {
  const budget = project(budgetProjection, events);
  return {
    view<Doc>(name: string): ReadModelView<Doc> {
      if (name !== 'budget') throw new Error(`unexpected view ${name}`);
      return budget as unknown as ReadModelView<Doc>;
    },
  };
}

const table = (report: Report, title: string): ReportTable => {
  const found = report.tables.find((t) => t.title === title);
  if (!found) throw new Error(`no table « ${title} » in ${report.tables.map((t) => t.title).join(', ')}`);
  return found;
};

const opened = (antennaId: string, name: string, town: string) =>
  projected('AntennaOpened', { antennaId, candidacyId: 'c', callId: 'ami', programmeId: 'p', name, town, territory: {}, effectiveDate: '2021-03-01' });
const line = (year: number, category: string, amountCents: number) => ({ year, category, amountCents });
const forecastSet = (antennaId: string, lines: ReturnType<typeof line>[]) =>
  projected('BudgetForecastSet', { antennaId, lines, totalCents: lines.reduce((s, l) => s + l.amountCents, 0), effectiveDate: '2021-03-01' });

const MONTBELIARD = [
  opened('montbeliard', 'Cnam Montbéliard', 'Montbéliard'),
  // 2021: 30 000 € (staff 20 000 + premises 10 000); 2022: 30 000 €; 2023: 0 in the original
  forecastSet('montbeliard', [line(2021, 'staff', 2_000_000), line(2021, 'premises', 1_000_000), line(2022, 'staff', 3_000_000)]),
  projected('BudgetForecastRevised', {
    antennaId: 'montbeliard',
    revision: 1,
    // 5 000 € moved from 2021 premises to 2022 teaching, 10 000 € added in 2023: 30 000 + 5 000 + 10 000 → 65 000 €
    lines: [line(2021, 'staff', 2_000_000), line(2021, 'premises', 500_000), line(2022, 'staff', 3_000_000), line(2022, 'teaching', 500_000), line(2023, 'other', 1_000_000)],
    totalCents: 7_000_000,
    previousTotalCents: 6_000_000,
    previousLines: [line(2021, 'staff', 2_000_000), line(2021, 'premises', 1_000_000), line(2022, 'staff', 3_000_000)],
    reason: 'Étude opérationnelle',
    effectiveDate: '2022-01-10',
  }),
  projected('FundingCommitted', {
    agreementId: 'bdt',
    antennaId: 'montbeliard',
    funder: 'Banque des Territoires',
    label: 'Amorçage',
    amountCents: 4_000_000,
    tranches: [{ trancheId: 't1', amountCents: 4_000_000, dueOn: '2021-09-01' }],
    effectiveDate: '2021-06-01',
  }),
  projected('FundingCommitted', {
    agreementId: 'agglo',
    antennaId: 'montbeliard',
    funder: 'Agglomération',
    label: 'Soutien',
    amountCents: 1_000_000,
    tranches: [{ trancheId: 't1', amountCents: 1_000_000, dueOn: '2022-09-01' }],
    effectiveDate: '2022-02-01',
  }),
  projected('BudgetTrancheReleased', { agreementId: 'bdt', antennaId: 'montbeliard', trancheId: 't1', amountCents: 4_000_000, effectiveDate: '2021-09-15' }),
  projected('TrancheReceived', { agreementId: 'bdt', antennaId: 'montbeliard', trancheId: 't1', amountCents: 4_000_000, bankReference: 'VIR', effectiveDate: '2021-09-28' }),
  projected('ExpenditureRecorded', { antennaId: 'montbeliard', expenditureId: 'e1', category: 'staff', amountCents: 1_000_000, description: 'x', effectiveDate: '2021-12-01' }),
  // 2022 spent 35 000 € of 35 000 € → 10 000 bp
  projected('ExpenditureRecorded', { antennaId: 'montbeliard', expenditureId: 'e2', category: 'staff', amountCents: 3_500_000, description: 'x', effectiveDate: '2022-12-01' }),
  // 2024: 2 000 € spent with no forecast at all → rate null, variance −2 000 €
  projected('ExpenditureRecorded', { antennaId: 'montbeliard', expenditureId: 'e3', category: 'other', amountCents: 200_000, description: 'x', effectiveDate: '2024-01-05' }),
];

describe('budget report, one antenna', () => {
  const report = buildBudgetReport(models(MONTBELIARD), { antennaId: 'montbeliard', referenceDate: '2024-12-31' });

  it('is a budget report titled in French after the antenna, and passes the parameters through', () => {
    expect(report.kind).toBe('budget');
    expect(report.title).toBe('Budget de l’antenne Cnam Montbéliard (Montbéliard)');
    expect(report.parameters).toEqual({ antennaId: 'montbeliard', referenceDate: '2024-12-31' });
  });

  it('per-year table: original and revised forecast, committed, released, received, spent, variance = revised − spent, rate = spent / revised rounded to the nearest basis point (null when the forecast is 0), and a totals row', () => {
    const years = table(report, 'Prévisionnel et exécution par année');
    expect(years.columns.map((c) => [c.label, c.kind])).toEqual([
      ['Année', 'year'],
      ['Prévisionnel initial', 'money'],
      ['Prévisionnel révisé', 'money'],
      ['Engagé', 'money'],
      ['Versé', 'money'],
      ['Reçu', 'money'],
      ['Dépensé', 'money'],
      ['Écart', 'money'],
      ['Taux d’exécution', 'percent'],
    ]);
    const cells = (year: number | string, o: number, c: number, com: number, rel: number, rec: number, sp: number, v: number, rate: number | null) => ({
      year,
      forecastOriginal: o,
      forecastCurrent: c,
      committed: com,
      released: rel,
      received: rec,
      spent: sp,
      variance: v,
      executionRate: rate,
    });
    expect(years.rows).toEqual([
      cells(2021, 3_000_000, 2_500_000, 4_000_000, 4_000_000, 4_000_000, 1_000_000, 1_500_000, 4000), // 10 000 / 25 000 = 40,00 %
      cells(2022, 3_000_000, 3_500_000, 1_000_000, 0, 0, 3_500_000, 0, 10_000),
      cells(2023, 0, 1_000_000, 0, 0, 0, 0, 1_000_000, 0),
      cells(2024, 0, 0, 0, 0, 0, 200_000, -200_000, null),
    ]);
    // Total: spent 47 000 € of 70 000 € → 6714,28… bp → 6714
    expect(years.totals).toEqual(cells('Total', 6_000_000, 7_000_000, 5_000_000, 4_000_000, 4_000_000, 4_700_000, 2_300_000, 6714));
  });

  it('rule: the execution rate rounds like every rate of every output, to the nearest basis point (a half away from zero): 2/3 reads 66,67 %, as the Action Cœur de Ville share does', () => {
    const report2 = buildBudgetReport(
      models([
        opened('a', 'A', 'A'),
        forecastSet('a', [line(2021, 'staff', 3_000_000)]),
        projected('ExpenditureRecorded', { antennaId: 'a', expenditureId: 'e', category: 'staff', amountCents: 2_000_000, description: 'x', effectiveDate: '2021-05-01' }),
      ]),
      { antennaId: 'a', referenceDate: '2021-12-31' },
    );
    // 20 000 / 30 000 = 6666,66… bp: 6667 (66,67 %); it read 6666 (66,66 %) when rates were rounded down here only.
    expect(table(report2, BUDGET_TABLE_TITLES.years).totals?.executionRate).toBe(6667);
  });

  it('commitments per funder and year, sorted by funder, with a total', () => {
    const funders = table(report, 'Engagements par financeur');
    expect(funders.columns.map((c) => c.label)).toEqual(['Financeur', 'Année', 'Engagé']);
    expect(funders.rows).toEqual([
      { funder: 'Agglomération', year: 2022, committed: 1_000_000 },
      { funder: 'Banque des Territoires', year: 2021, committed: 4_000_000 },
    ]);
    expect(funders.totals).toEqual({ funder: 'Total', year: null, committed: 5_000_000 });
  });

  it('lists every revision of the forecast with its date, reason and totals', () => {
    const revisions = table(report, 'Révisions du prévisionnel');
    expect(revisions.rows).toEqual([
      { revision: 1, effectiveDate: '2022-01-10', reason: 'Étude opérationnelle', previousTotal: 6_000_000, total: 7_000_000, change: 1_000_000 },
    ]);
  });

  it('details each revision per year and category it changed: before, after and variation (a revision that keeps its total still shows what moved)', () => {
    const changes = table(report, 'Détail des révisions par année et par catégorie');
    expect(changes.rows).toEqual([
      { revision: 1, year: 2021, category: 'Locaux', previous: 1_000_000, current: 500_000, change: -500_000 },
      { revision: 1, year: 2022, category: 'Enseignement', previous: 0, current: 500_000, change: 500_000 },
      { revision: 1, year: 2023, category: 'Autres', previous: 0, current: 1_000_000, change: 1_000_000 },
    ]);
  });

  it('shows original and revised forecast per year and category, categories in French', () => {
    const categories = table(report, 'Prévisionnel par année et par catégorie');
    expect(categories.rows).toEqual([
      { year: 2021, category: 'Personnel', original: 2_000_000, current: 2_000_000, change: 0 },
      { year: 2021, category: 'Locaux', original: 1_000_000, current: 500_000, change: -500_000 },
      { year: 2022, category: 'Personnel', original: 3_000_000, current: 3_000_000, change: 0 },
      { year: 2022, category: 'Enseignement', original: 0, current: 500_000, change: 500_000 },
      { year: 2023, category: 'Autres', original: 0, current: 1_000_000, change: 1_000_000 },
    ]);
    expect(categories.totals).toEqual({ year: 'Total', category: null, original: 6_000_000, current: 7_000_000, change: 1_000_000 });
  });

  it('data holds the same figures as JSON, in integer cents and basis points', () => {
    const data = report.data as BudgetReportData;
    expect(data.scope).toBe('antenna');
    expect(data.antenna).toEqual({ antennaId: 'montbeliard', antennaName: 'Cnam Montbéliard', town: 'Montbéliard' });
    expect(data.totals).toEqual({
      forecastOriginalCents: 6_000_000,
      forecastCurrentCents: 7_000_000,
      committedCents: 5_000_000,
      committedByFunder: { 'Banque des Territoires': 4_000_000, Agglomération: 1_000_000 },
      releasedCents: 4_000_000,
      receivedCents: 4_000_000,
      spentCents: 4_700_000,
      varianceCents: 2_300_000,
      executionRateBasisPoints: 6714,
    });
    expect(data.years.map((y) => [y.year, y.executionRateBasisPoints])).toEqual([
      [2021, 4000],
      [2022, 10_000],
      [2023, 0],
      [2024, null],
    ]);
    expect(data.forecast?.revisionCount).toBe(1);
    expect(JSON.parse(JSON.stringify(report.data))).toEqual(report.data);
  });

  it('says so when the antenna has no forecast yet', () => {
    const bare = buildBudgetReport(models([opened('a', 'A', 'Aville')]), { antennaId: 'a', referenceDate: '2021-12-31' });
    expect(bare.notes).toContain('Aucun prévisionnel n’a encore été établi pour cette antenne.');
    expect(table(bare, BUDGET_TABLE_TITLES.years).rows).toEqual([]);
    expect(table(bare, BUDGET_TABLE_TITLES.years).totals?.executionRate).toBeNull();
  });

  it('an unknown antenna is an error with a French message (the caller answers 404)', () => {
    expect(() => buildBudgetReport(models(MONTBELIARD), { antennaId: 'nowhere', referenceDate: '2024-12-31' })).toThrow(UnknownAntennaError);
    expect(() => buildBudgetReport(models(MONTBELIARD), { antennaId: 'nowhere', referenceDate: '2024-12-31' })).toThrow(
      'Antenne inconnue : « nowhere ». Aucune antenne portant cet identifiant n’a été ouverte.',
    );
  });
});

describe('budget report: reversals landing in a later year', () => {
  // 7 000 € spent on 15/12/2022, reversed on 10/01/2023; 30 000 € released on 20/12/2022, reversed on 05/01/2023.
  const events = [
    opened('a', 'Cnam A', 'Aville'),
    forecastSet('a', [line(2022, 'staff', 5_000_000)]),
    projected('FundingCommitted', { agreementId: 'bdt', antennaId: 'a', funder: 'Banque des Territoires', label: 'Amorçage', amountCents: 3_000_000, tranches: [{ trancheId: 't1', amountCents: 3_000_000, dueOn: '2022-12-01' }], effectiveDate: '2022-01-01' }),
    projected('ExpenditureRecorded', { antennaId: 'a', expenditureId: 'e1', category: 'staff', amountCents: 300_000, description: 'x', effectiveDate: '2022-06-01' }),
    projected('ExpenditureRecorded', { antennaId: 'a', expenditureId: 'e2', category: 'staff', amountCents: 700_000, description: 'x', effectiveDate: '2022-12-15' }),
    projected('BudgetTrancheReleased', { agreementId: 'bdt', antennaId: 'a', trancheId: 't1', amountCents: 3_000_000, effectiveDate: '2022-12-20' }),
    projected('TrancheReleaseReversed', { agreementId: 'bdt', antennaId: 'a', trancheId: 't1', amountCents: 3_000_000, releasedOn: '2022-12-20', reason: 'Erreur', effectiveDate: '2023-01-05' }),
    projected('ExpenditureReversed', { antennaId: 'a', expenditureId: 'e2', amountCents: 700_000, category: 'staff', expenditureDate: '2022-12-15', reason: 'Doublon', effectiveDate: '2023-01-10' }),
  ];

  it('rule: the notes say that a reversal is taken out of the year of what it reverses, while the statement of expenditure dates it on the day it took effect (a closed year’s column changes)', () => {
    for (const report of [buildBudgetReport(models(events), { antennaId: 'a', referenceDate: '2023-12-31' }), buildBudgetReport(models(events), { referenceDate: '2023-12-31' })]) {
      // 2022 as the budget gives it: 3 000 € spent, nothing released, though 10 000 € and 30 000 € stood at 31/12/2022.
      expect(table(report, BUDGET_TABLE_TITLES.years).rows.find((row) => row.year === 2022)).toMatchObject({ spent: 300_000, released: 0 });
      const note = report.notes?.find((n) => n.startsWith('Annulations'));
      expect(note).toContain('retiré de l’année de la dépense ou du versement qu’il annule');
      expect(note).toContain('peuvent donc baisser après sa clôture');
      expect(note).toContain('L’état récapitulatif des dépenses date au contraire chaque annulation du jour où elle a pris effet');
    }
  });
});

describe('budget report, the programme', () => {
  const events = [
    ...MONTBELIARD,
    opened('chaumont', 'Cnam Chaumont', 'Chaumont'),
    forecastSet('chaumont', [line(2021, 'staff', 1_000_000)]),
    projected('ExpenditureRecorded', { antennaId: 'chaumont', expenditureId: 'e1', category: 'staff', amountCents: 250_000, description: 'x', effectiveDate: '2021-04-01' }),
    opened('vierzon', 'Cnam Vierzon', 'Vierzon'), // opened, no money yet
  ];
  const report = buildBudgetReport(models(events), { referenceDate: '2024-12-31' });

  it('sums every antenna per year, with a totals row', () => {
    expect(report.title).toBe('Budget du programme — toutes antennes');
    const years = table(report, BUDGET_TABLE_TITLES.years);
    // 2021: Montbéliard 30 000 € / 25 000 € revised, spent 10 000 €; Chaumont 10 000 €, spent 2 500 €
    expect(years.rows[0]).toEqual({
      year: 2021,
      forecastOriginal: 4_000_000,
      forecastCurrent: 3_500_000,
      committed: 4_000_000,
      released: 4_000_000,
      received: 4_000_000,
      spent: 1_250_000,
      variance: 2_250_000,
      executionRate: 3571, // 12 500 / 35 000 = 3571,42… bp
    });
    expect(years.rows.map((r) => r.year)).toEqual([2021, 2022, 2023, 2024]);
    // 49 500 / 80 000 = 6187,5 bp exactly: a half goes away from zero, 6188 (61,88 %).
    expect(years.totals).toMatchObject({ year: 'Total', forecastOriginal: 7_000_000, forecastCurrent: 8_000_000, spent: 4_950_000, variance: 3_050_000, executionRate: 6188 });
  });

  it('has one row per antenna (by name, antennas without money included) whose totals match the programme', () => {
    const antennas = table(report, 'Budget par antenne');
    expect(antennas.columns.slice(0, 2).map((c) => c.label)).toEqual(['Antenne', 'Ville']);
    expect(antennas.rows.map((r) => [r.antenna, r.town, r.forecastCurrent, r.spent, r.executionRate])).toEqual([
      ['Cnam Chaumont', 'Chaumont', 1_000_000, 250_000, 2500],
      ['Cnam Montbéliard', 'Montbéliard', 7_000_000, 4_700_000, 6714],
      ['Cnam Vierzon', 'Vierzon', 0, 0, null],
    ]);
    expect(antennas.totals).toMatchObject({ antenna: 'Total', forecastCurrent: 8_000_000, spent: 4_950_000 });
    expect((report.data as BudgetReportData).antennas?.map((a) => a.antennaId)).toEqual(['chaumont', 'montbeliard', 'vierzon']);
  });

  it('an empty programme gives empty tables, not an error', () => {
    const empty = buildBudgetReport(models([]), { referenceDate: '2024-12-31' });
    expect(table(empty, BUDGET_TABLE_TITLES.years).rows).toEqual([]);
    expect(table(empty, BUDGET_TABLE_TITLES.antennas).rows).toEqual([]);
  });
});
