import { EventCut, InMemoryReadModel, isInCut, ProjectedEvent, ReadModelView } from '@jalon/projections';
import type { Report, ReportTable } from '@jalon/reporting';
import { ANTENNA_ID, SEED_AGREEMENT_ID } from '../../apps/cli/src/demo/montbeliard-history';
import { budgetProjection } from '../../libs/projections/src/read-models/budget/budget.projection';
import { BUDGET_TABLE_TITLES, BudgetReportData, buildBudgetReport } from '../../libs/projections/src/read-models/budget/budget.report';
import { ReadModels } from '../../libs/projections/src/read-models/budget/report-helpers';
import { fundingProjection } from '../../libs/projections/src/read-models/funding/funding.projection';
import { phasesProjection } from '../../libs/projections/src/read-models/phases/phases.projection';
import { buildFundingReport, FUNDING_TABLE_TITLES, FundingReportData } from '../../libs/projections/src/read-models/funding/funding.report';
import { buildEcheancierReport, EcheancierReportData } from '../../libs/projections/src/read-models/funding/echeancier.report';
import { demoEvents } from '../support/demo-history';
import { fr } from '../../libs/reporting/src/testing/french-spaces';

/**
 * The demo history (apps/cli/src/demo/montbeliard-history.ts), recorded through the real command
 * path, replayed into the budget and funding read models; every figure below is worked out BY
 * HAND from the demo file, in euros, then written in cents (× 100).
 *
 * Forecast (ILLUSTRATIVE split of the 786 000 €), per year:
 *   2021: staff 70 000 + premises 20 000 + teaching 20 000 + communication 10 000            = 120 000 €
 *   2022: staff 100 000 + premises 30 000 + teaching 36 000 + equipment 10 000 + comm. 10 000 = 186 000 €
 *   2023: staff 120 000 + premises 50 000 + teaching 40 000 + equipment 15 000 + comm. 5 000  = 230 000 €
 *   2024: staff 130 000 + premises 55 000 + teaching 45 000 + equipment 10 000 + comm. 10 000 = 250 000 €
 *   total 120 000 + 186 000 + 230 000 + 250 000 = 786 000 €
 * Revision 1 (2022-11-15): 10 000 € from 2023 premises (50 000 → 40 000) to 2023 teaching
 *   (40 000 → 50 000): every year's total, and the total, unchanged.
 * Commitment: Banque des Territoires 100 000 € on 2021-06-01 (year 2021), tranches 40 000 +
 *   30 000 + 30 000.
 * Releases: tranche-1 40 000 on 2021-09-15; tranche-2 30 000 on 2022-07-05; tranche-3 30 000 on
 *   2023-07-03, reversed on 2023-07-10, released again on 2023-09-04.
 *   Net per year: 2021 40 000; 2022 30 000; 2023 30 000 − 30 000 + 30 000 = 30 000; total 100 000 €.
 * Receipts: tranche-1 40 000 on 2021-09-28; tranche-2 30 000 on 2022-07-19; tranche-3 never.
 *   2021 40 000; 2022 30 000; total 70 000 €.
 * Schedule: tranche-1 due 2021-09-01, released 2021-09-15: 14 days after; tranche-2 due
 *   2022-06-30, released 2022-07-05: 5 days after; tranche-3 due 2023-06-30, released 2023-09-04:
 *   1 (30 June → 1 July) + 30 (→ 31 July) + 31 (→ 31 August) + 4 = 66 days after.
 * Reste à encaisser (committed − received): 100 000 − 70 000 = 30 000 €.
 * Spending: 2021 18 500 (AIOA, seed) + 32 000 (coordination, no agreement) = 50 500 €;
 *   2022 4 500 (inauguration, seed) + 4 500 (duplicate, seed) − 4 500 (its reversal, 2022-07-08,
 *   same year) = 4 500 €; 2023 14 200 (equipment, seed) = 14 200 €; total 69 200 €.
 *   Against the seed agreement: 18 500 + 4 500 + 4 500 − 4 500 + 14 200 = 37 200 €.
 * Solde of the seed agreement (received − spent): 70 000 − 37 200 = 32 800 €.
 * Variance (revised forecast − spent): 2021 120 000 − 50 500 = 69 500; 2022 186 000 − 4 500 =
 *   181 500; 2023 230 000 − 14 200 = 215 800; 2024 250 000; total 786 000 − 69 200 = 716 800 €.
 * Execution rate (spent × 10 000 / forecast, basis points, rounded to the nearest, a half away from
 * zero, as every rate of every output):
 *   2021 50 500 × 10 000 / 120 000 = 4208,33 → 4208; 2022 4 500 × 10 000 / 186 000 = 241,93 → 242;
 *   2023 14 200 × 10 000 / 230 000 = 617,39 → 617; 2024 0; total 69 200 × 10 000 / 786 000 = 880,40 → 880.
 */

let events: ProjectedEvent[];

beforeAll(async () => {
  events = await demoEvents();
});

/** Replays the demo into fresh in-memory read models, keeping only the events in the cut. */
function replay(cut: EventCut = {}): ReadModels {
  const views: Record<string, InMemoryReadModel<unknown>> = {
    budget: new InMemoryReadModel(budgetProjection) as InMemoryReadModel<unknown>,
    funding: new InMemoryReadModel(fundingProjection) as InMemoryReadModel<unknown>,
    // The échéancier reads the antennas' status (a closed antenna's tranches are blocked).
    phases: new InMemoryReadModel(phasesProjection) as InMemoryReadModel<unknown>,
  };
  for (const event of events) {
    if (!isInCut(event, cut)) continue;
    for (const view of Object.values(views)) view.apply(event);
  }
  return {
    view<Doc>(name: string): ReadModelView<Doc> {
      const view = views[name];
      if (!view) throw new Error(`no read model ${name}`);
      return view as ReadModelView<Doc>;
    },
  };
}

const table = (report: Report, title: string): ReportTable => {
  const found = report.tables.find((t) => t.title === title);
  if (!found) throw new Error(`no table « ${title} »`);
  return found;
};

const TODAY = '2026-01-15';
const REVERSAL_REASON = 'Condition non remplie : rapport d’activité 2022 non transmis';

const figures = (forecast: number, committed: number, released: number, received: number, spent: number, variance: number, rate: number | null) => ({
  forecastOriginal: forecast,
  forecastCurrent: forecast, // the revision moved money inside 2023 only
  committed,
  released,
  received,
  spent,
  variance,
  executionRate: rate,
});
const yearRow = (year: number | string, ...cells: Parameters<typeof figures>) => ({ year, ...figures(...cells) });

describe('budget of the demo history (Montbéliard)', () => {
  it('forecast 786 000 € over 2021–2024, per year, against committed, released, received and spent, with variance and execution rate', () => {
    const report = buildBudgetReport(replay(), { antennaId: ANTENNA_ID, referenceDate: TODAY });
    expect(report.title).toBe('Budget de l’antenne Cnam Montbéliard — Au cœur des territoires (Montbéliard)');
    const years = table(report, BUDGET_TABLE_TITLES.years);
    expect(years.rows).toEqual([
      yearRow(2021, 12_000_000, 10_000_000, 4_000_000, 4_000_000, 5_050_000, 6_950_000, 4208),
      yearRow(2022, 18_600_000, 0, 3_000_000, 3_000_000, 450_000, 18_150_000, 242),
      yearRow(2023, 23_000_000, 0, 3_000_000, 0, 1_420_000, 21_580_000, 617),
      yearRow(2024, 25_000_000, 0, 0, 0, 0, 25_000_000, 0),
    ]);
    expect(years.totals).toEqual(yearRow('Total', 78_600_000, 10_000_000, 10_000_000, 7_000_000, 6_920_000, 71_680_000, 880));
  });

  it('the 100 000 € Banque des Territoires commitment, in 2021', () => {
    const report = buildBudgetReport(replay(), { antennaId: ANTENNA_ID, referenceDate: TODAY });
    expect(table(report, BUDGET_TABLE_TITLES.funders).rows).toEqual([{ funder: 'Banque des Territoires', year: 2021, committed: 10_000_000 }]);
  });

  it('the revision moving 10 000 € inside 2023, with its reason; the original forecast stays visible', () => {
    const report = buildBudgetReport(replay(), { antennaId: ANTENNA_ID, referenceDate: TODAY });
    expect(table(report, BUDGET_TABLE_TITLES.revisions).rows).toEqual([
      {
        revision: 1,
        effectiveDate: '2022-11-15',
        reason: 'Réaffectation après l’étude opérationnelle de 2022 (illustratif)',
        previousTotal: 78_600_000,
        total: 78_600_000,
        change: 0,
      },
    ]);
    // The revision's own detail: 786 000 € → 786 000 € hides Locaux −10 000 € and Enseignement +10 000 € in 2023.
    expect(table(report, BUDGET_TABLE_TITLES.revisionChanges).rows).toEqual([
      { revision: 1, year: 2023, category: 'Locaux', previous: 5_000_000, current: 4_000_000, change: -1_000_000 },
      { revision: 1, year: 2023, category: 'Enseignement', previous: 4_000_000, current: 5_000_000, change: 1_000_000 },
    ]);
    const changed = table(report, BUDGET_TABLE_TITLES.categories).rows.filter((row) => row.change !== 0);
    expect(changed).toEqual([
      { year: 2023, category: 'Locaux', original: 5_000_000, current: 4_000_000, change: -1_000_000 },
      { year: 2023, category: 'Enseignement', original: 4_000_000, current: 5_000_000, change: 1_000_000 },
    ]);
    const data = report.data as BudgetReportData;
    expect(data.forecast?.original?.totalCents).toBe(78_600_000);
    expect(data.forecast?.current?.revision).toBe(1);
  });

  it('the programme report sums its only antenna: same per-year figures, one antenna row', () => {
    const antenna = buildBudgetReport(replay(), { antennaId: ANTENNA_ID, referenceDate: TODAY });
    const programme = buildBudgetReport(replay(), { referenceDate: TODAY });
    expect(table(programme, BUDGET_TABLE_TITLES.years)).toEqual(table(antenna, BUDGET_TABLE_TITLES.years));
    expect(table(programme, BUDGET_TABLE_TITLES.antennas).rows).toEqual([
      {
        antenna: 'Cnam Montbéliard — Au cœur des territoires',
        town: 'Montbéliard',
        ...figures(78_600_000, 10_000_000, 10_000_000, 7_000_000, 6_920_000, 71_680_000, 880),
      },
    ]);
  });
});

describe('funding reconciliation of the demo history (Banque des Territoires seed envelope)', () => {
  it('every tranche: schedule vs released vs received (bank reference)', () => {
    const report = buildFundingReport(replay(), { antennaId: ANTENNA_ID, referenceDate: TODAY });
    const agreement = 'Enveloppe d’amorçage pour l’installation de l’antenne';
    expect(table(report, FUNDING_TABLE_TITLES.tranches).rows).toEqual([
      {
        agreement,
        tranche: 'Première tranche',
        dueOn: '2021-09-01',
        conditions: 'Signature de la convention d’amorçage',
        scheduled: 4_000_000,
        state: 'Reçue',
        released: 4_000_000,
        releasedOn: '2021-09-15',
        received: 4_000_000,
        receivedOn: '2021-09-28',
        bankReference: 'VIR-BDT-2021-0915',
      },
      {
        agreement,
        tranche: 'Deuxième tranche',
        dueOn: '2022-06-30',
        conditions: 'Inauguration de l’antenne',
        scheduled: 3_000_000,
        state: 'Reçue',
        released: 3_000_000,
        releasedOn: '2022-07-05',
        received: 3_000_000,
        receivedOn: '2022-07-19',
        bankReference: 'VIR-BDT-2022-0705',
      },
      {
        agreement,
        tranche: 'Troisième tranche',
        dueOn: '2023-06-30',
        conditions: 'Rapport d’activité 2022',
        scheduled: 3_000_000,
        state: 'Versée',
        released: 3_000_000,
        releasedOn: '2023-09-04', // the release standing after the reversal
        received: null,
        receivedOn: null,
        bankReference: null,
      },
    ]);
    // Totals: scheduled 40 000 + 30 000 + 30 000; released the same; received 40 000 + 30 000.
    expect(table(report, FUNDING_TABLE_TITLES.tranches).totals).toMatchObject({ scheduled: 10_000_000, released: 10_000_000, received: 7_000_000 });
  });

  it('the agreement: committed 100 000 €, released 100 000 €, received 70 000 €, spent 37 200 €, nothing left to release, 30 000 € reste à encaisser, solde 32 800 €', () => {
    const report = buildFundingReport(replay(), { antennaId: ANTENNA_ID, referenceDate: TODAY });
    expect(table(report, FUNDING_TABLE_TITLES.agreements).rows).toEqual([
      {
        agreement: 'Enveloppe d’amorçage pour l’installation de l’antenne',
        funder: 'Banque des Territoires',
        committedOn: '2021-06-01',
        committed: 10_000_000,
        released: 10_000_000,
        received: 7_000_000,
        spent: 3_720_000,
        remaining: 0, // 100 000 − 100 000
        notReleasedAtClosing: 0, // open
        blocked: 0, // its antenna open
        toCollect: 3_000_000, // 100 000 − 70 000
        balance: 3_280_000, // 70 000 − 37 200
        closedOn: null,
      },
    ]);
  });

  it('flags every tranche released after its due date (14, 5 and 66 days), and tranche-3: its release reversed (with the reason), and released on 2023-09-04 but never received, 864 days later on 2026-01-15', () => {
    // 2023-09-04 → 2024-09-04: 366 days (29 February 2024); → 2025-09-04: 365; → 2026-01-04: 30 + 31 + 30 + 31 = 122; → 2026-01-15: 11.
    // 366 + 365 + 122 + 11 = 864 days > 30.
    const report = buildFundingReport(replay(), { antennaId: ANTENNA_ID, referenceDate: TODAY });
    const flags = (report.data as FundingReportData).discrepancies;
    expect(flags.map((f) => ({ kind: f.kind, trancheId: f.trancheId, amountCents: f.amountCents, date: f.date, days: f.days, reason: f.reason }))).toEqual([
      { kind: 'release-late', trancheId: 'tranche-1', amountCents: 4_000_000, date: '2021-09-15', days: 14, reason: null },
      { kind: 'release-late', trancheId: 'tranche-2', amountCents: 3_000_000, date: '2022-07-05', days: 5, reason: null },
      { kind: 'release-reversed', trancheId: 'tranche-3', amountCents: 3_000_000, date: '2023-07-10', days: null, reason: REVERSAL_REASON },
      { kind: 'release-late', trancheId: 'tranche-3', amountCents: 3_000_000, date: '2023-09-04', days: 66, reason: null },
      { kind: 'receipt-overdue', trancheId: 'tranche-3', amountCents: 3_000_000, date: '2023-09-04', days: 864, reason: null },
    ]);
    expect(flags.every((f) => f.agreementId === SEED_AGREEMENT_ID)).toBe(true);
    expect(table(report, FUNDING_TABLE_TITLES.discrepancies).rows.map((r) => [r.tranche, r.discrepancy])).toEqual([
      ['Première tranche', 'Versement postérieur à l’échéance'],
      ['Deuxième tranche', 'Versement postérieur à l’échéance'],
      ['Troisième tranche', 'Versement annulé'],
      ['Troisième tranche', 'Versement postérieur à l’échéance'],
      ['Troisième tranche', 'Versement non reçu dans le délai'],
    ]);
    expect(report.notes).toEqual([
      fr('Délai de réception admis : 30 jours après le versement, apprécié au 15/01/2026 ; échéances des tranches appréciées à la même date.'),
      fr('Enveloppe d’amorçage pour l’installation de l’antenne — Première tranche : versement postérieur à l’échéance. Échéance le 01/09/2021, versé le 15/09/2021 (40 000,00 €) : 14 jours après l’échéance.'),
      fr('Enveloppe d’amorçage pour l’installation de l’antenne — Deuxième tranche : versement postérieur à l’échéance. Échéance le 30/06/2022, versé le 05/07/2022 (30 000,00 €) : 5 jours après l’échéance.'),
      fr(`Enveloppe d’amorçage pour l’installation de l’antenne — Troisième tranche : versement annulé. Versement de 30 000,00 € du 03/07/2023 annulé le 10/07/2023. Motif : ${REVERSAL_REASON}`),
      fr('Enveloppe d’amorçage pour l’installation de l’antenne — Troisième tranche : versement postérieur à l’échéance. Échéance le 30/06/2023, versé le 04/09/2023 (30 000,00 €) : 66 jours après l’échéance.'),
      fr('Enveloppe d’amorçage pour l’installation de l’antenne — Troisième tranche : versement non reçu dans le délai. Versé le 04/09/2023 (30 000,00 €), toujours pas reçu au 15/01/2026, 864 jours plus tard (délai admis : 30 jours).'),
    ]);
  });
});

describe('time travel over the demo history', () => {
  const released = (models: ReadModels, referenceDate: string) => {
    const funding = buildFundingReport(models, { antennaId: ANTENNA_ID, referenceDate });
    const budget = buildBudgetReport(models, { antennaId: ANTENNA_ID, referenceDate });
    const data = funding.data as FundingReportData;
    return {
      fundingReleased: data.totals.releasedCents,
      budgetReleased: (budget.data as BudgetReportData).totals.releasedCents,
      tranche3: data.agreements[0]!.tranches[2]!.state,
      flags: data.discrepancies.map((f) => [f.trancheId, f.kind, f.days]),
    };
  };

  it('as of 2023-07-05 tranche-3 counts as released: 40 000 + 30 000 + 30 000 = 100 000 €, 3 days after its due date (30/06), receipt not overdue yet (2 days)', () => {
    expect(released(replay({ asOf: '2023-07-05' }), '2023-07-05')).toEqual({
      fundingReleased: 10_000_000,
      budgetReleased: 10_000_000,
      tranche3: 'released',
      flags: [
        ['tranche-1', 'release-late', 14],
        ['tranche-2', 'release-late', 5],
        ['tranche-3', 'release-late', 3],
      ],
    });
  });

  it('as of 2023-07-31 it does not (reversed on 2023-07-10): 40 000 + 30 000 = 70 000 €, the reversal flagged, and tranche-3 due and not released for 31 days', () => {
    expect(released(replay({ asOf: '2023-07-31' }), '2023-07-31')).toEqual({
      fundingReleased: 7_000_000,
      budgetReleased: 7_000_000,
      tranche3: 'reversed',
      flags: [
        ['tranche-1', 'release-late', 14],
        ['tranche-2', 'release-late', 5],
        ['tranche-3', 'release-reversed', null],
        ['tranche-3', 'release-overdue', 31],
      ],
    });
  });

  it('as of 2023-09-30 it does again (released again on 2023-09-04, 66 days after its due date; 26 days before: receipt not overdue yet), and the 2023 spending is in', () => {
    const models = replay({ asOf: '2023-09-30' });
    expect(released(models, '2023-09-30')).toEqual({
      fundingReleased: 10_000_000,
      budgetReleased: 10_000_000,
      tranche3: 'released',
      flags: [
        ['tranche-1', 'release-late', 14],
        ['tranche-2', 'release-late', 5],
        ['tranche-3', 'release-reversed', null],
        ['tranche-3', 'release-late', 66],
      ],
    });
    // 50 500 + 4 500 + 14 200 (2023-09-29) = 69 200 €
    expect((buildBudgetReport(models, { antennaId: ANTENNA_ID, referenceDate: '2023-09-30' }).data as BudgetReportData).totals.spentCents).toBe(6_920_000);
  });

  it('as of 2023-07-05 the budget shows only what had happened: spent 50 500 + 4 500 = 55 000 €, received 70 000 €', () => {
    const totals = (buildBudgetReport(replay({ asOf: '2023-07-05' }), { antennaId: ANTENNA_ID, referenceDate: '2023-07-05' }).data as BudgetReportData).totals;
    expect(totals).toMatchObject({ forecastCurrentCents: 78_600_000, committedCents: 10_000_000, releasedCents: 10_000_000, receivedCents: 7_000_000, spentCents: 5_500_000 });
  });

  it('recordings happen at 09:00 UTC the day after the effective date', () => {
    const reversal = events.find((e) => e.type === 'TrancheReleaseReversed')!;
    expect(reversal.data.effectiveDate).toBe('2023-07-10');
    expect(reversal.metadata.recordedAt).toBe('2023-07-11T09:00:00.000Z');
  });

  it('known at 2023-07-05T00:00:00Z the reversal is not known yet: tranche-3 released, 100 000 €, 3 days after its due date', () => {
    expect(released(replay({ knownAt: '2023-07-05T00:00:00Z' }), '2023-07-05')).toEqual({
      fundingReleased: 10_000_000,
      budgetReleased: 10_000_000,
      tranche3: 'released',
      flags: [
        ['tranche-1', 'release-late', 14],
        ['tranche-2', 'release-late', 5],
        ['tranche-3', 'release-late', 3],
      ],
    });
  });

  it('known at 2023-07-12T00:00:00Z it is: 70 000 €, the reversal flagged with its reason, tranche-3 due and not released for 12 days', () => {
    const models = replay({ knownAt: '2023-07-12T00:00:00Z' });
    expect(released(models, '2023-07-12')).toEqual({
      fundingReleased: 7_000_000,
      budgetReleased: 7_000_000,
      tranche3: 'reversed',
      flags: [
        ['tranche-1', 'release-late', 14],
        ['tranche-2', 'release-late', 5],
        ['tranche-3', 'release-reversed', null],
        ['tranche-3', 'release-overdue', 12],
      ],
    });
    const flag = (buildFundingReport(models, { antennaId: ANTENNA_ID, referenceDate: '2023-07-12' }).data as FundingReportData).discrepancies.find((f) => f.kind === 'release-reversed')!;
    expect(flag.reason).toBe(REVERSAL_REASON);
  });
});

describe('échéancier of the demo history', () => {
  const items = (asOf: string, withinDays?: number) => {
    const report = buildEcheancierReport(replay({ asOf }), { referenceDate: asOf, ...(withinDays !== undefined ? { withinDays } : {}) });
    return (report.data as EcheancierReportData).items.map((i) => [i.situation, i.trancheId, i.dueOn, i.days, i.scheduledCents]);
  };

  it('as of 2022-06-15: tranche-2 (30 000 €) due on 30/06/2022, in 15 days; tranche-3 (30/06/2023) beyond 30 days', () => {
    expect(items('2022-06-15')).toEqual([['due-soon', 'tranche-2', '2022-06-30', 15, 3_000_000]]);
  });

  it('as of 2023-07-31: tranche-3 overdue by 31 days (its release of 03/07 reversed on 10/07)', () => {
    expect(items('2023-07-31')).toEqual([['overdue', 'tranche-3', '2023-06-30', 31, 3_000_000]]);
  });

  it('as of 2023-06-01 with 29 days: tranche-3 is due in 29 days (30/06/2023), in; with 28 it is out', () => {
    expect(items('2023-06-01', 29)).toEqual([['due-soon', 'tranche-3', '2023-06-30', 29, 3_000_000]]);
    expect(items('2023-06-01', 28)).toEqual([]);
  });

  it('today (2026-01-15) every tranche is released: nothing due, nothing overdue', () => {
    expect(items(TODAY)).toEqual([]);
  });
});
