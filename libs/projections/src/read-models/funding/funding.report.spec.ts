import type { Report, ReportTable } from '@jalon/reporting';
import { renderJson, renderTable } from '@jalon/reporting';
import type { ProjectedEvent, ReadModelView } from '../../projection';
import { project, projected } from '../../testing/projection-specification';
import { ReadModels, UnknownAntennaError } from '../budget/report-helpers';
import { fundingProjection } from './funding.projection';
import { phasesProjection } from '../phases/phases.projection';
import { buildFundingReport, FUNDING_TABLE_TITLES, FundingReportData } from './funding.report';
import { fr } from '../../../../reporting/src/testing/french-spaces';

/** The funding read model, and the phases one for the antennas' status, both from the same events (one cut). */
function models(events: readonly ProjectedEvent[]): ReadModels {
  return modelsOf(project(fundingProjection, events), project(phasesProjection, events));
}
function modelsOf(funding: ReadModelView<unknown>, phases: ReadModelView<unknown>): ReadModels {
  const views: Record<string, unknown> = { funding, phases };
  return {
    view<Doc>(name: string): ReadModelView<Doc> {
      if (!(name in views)) throw new Error(`unexpected view ${name}`);
      return views[name] as ReadModelView<Doc>;
    },
  };
}

const table = (report: Report, title: string): ReportTable => {
  const found = report.tables.find((t) => t.title === title);
  if (!found) throw new Error(`no table « ${title} »`);
  return found;
};
const notesOf = (report: Report) => report.notes ?? [];
const flagsOf = (report: Report) => (report.data as FundingReportData).discrepancies;

const A = { agreementId: 'bdt', antennaId: 'montbeliard' };
const opened = (antennaId: string, name: string, town: string) =>
  projected('AntennaOpened', { antennaId, candidacyId: 'c', callId: 'ami', programmeId: 'p', name, town, territory: {}, effectiveDate: '2021-03-01' });
const committed = (agreementId = 'bdt', antennaId = 'montbeliard', label = 'Enveloppe d’amorçage') =>
  projected('FundingCommitted', {
    agreementId,
    antennaId,
    funder: 'Banque des Territoires',
    label,
    amountCents: 10_000_000,
    tranches: [
      { trancheId: 't1', label: 'Première tranche', amountCents: 4_000_000, dueOn: '2021-09-15', conditions: 'Signature' },
      { trancheId: 't2', label: 'Deuxième tranche', amountCents: 6_000_000, dueOn: '2023-12-31' },
    ],
    effectiveDate: '2021-06-01',
  });
const released = (trancheId: string, amountCents: number, effectiveDate: string) =>
  projected('BudgetTrancheReleased', { ...A, trancheId, amountCents, effectiveDate });
const reversed = (trancheId: string, amountCents: number, reason: string, effectiveDate: string) =>
  projected('TrancheReleaseReversed', { ...A, trancheId, amountCents, reason, effectiveDate });
const received = (trancheId: string, amountCents: number, bankReference: string, effectiveDate: string) =>
  projected('TrancheReceived', { ...A, trancheId, amountCents, bankReference, effectiveDate });
const spent = (expenditureId: string, amountCents: number, effectiveDate: string) =>
  projected('ExpenditureRecorded', { antennaId: 'montbeliard', expenditureId, category: 'premises', amountCents, description: 'x', fundingAgreementId: 'bdt', effectiveDate });

/** A clean history: tranche 1 released on its due date and received in full, 15 000 € spent, tranche 2 still planned (due 31/12/2023). */
const CLEAN = [
  opened('montbeliard', 'Cnam Montbéliard', 'Montbéliard'),
  committed(),
  released('t1', 4_000_000, '2021-09-15'),
  received('t1', 4_000_000, 'VIR-BDT-2021-0915', '2021-09-28'),
  spent('e1', 1_500_000, '2021-10-15'),
];

describe('funding report', () => {
  const report = buildFundingReport(models(CLEAN), { antennaId: 'montbeliard', referenceDate: '2022-01-15' });

  it('is a funding report titled in French after the antenna', () => {
    expect(report.kind).toBe('funding');
    expect(report.title).toBe('Rapprochement des financements — antenne Cnam Montbéliard (Montbéliard)');
    expect(report.tables.map((t) => t.title)).toEqual([
      'Accords de financement',
      'Échéancier et rapprochement des tranches',
      'Versements et annulations',
      'Écarts constatés',
    ]);
  });

  it('per agreement: committed, net released, received, spent, the remaining commitment (committed − net released), « reste à encaisser » (committed − received) and « solde » (received − spent), with totals', () => {
    const agreements = table(report, FUNDING_TABLE_TITLES.agreements);
    expect(agreements.columns.map((c) => c.label)).toEqual([
      'Accord',
      'Financeur',
      'Engagé le',
      'Engagé',
      'Versé',
      'Reçu',
      'Dépensé',
      'Reste à verser',
      'Non versé à la clôture',
      'Bloqué (antenne fermée)',
      'Reste à encaisser',
      'Solde',
      'Clôturé le',
    ]);
    expect(agreements.rows).toEqual([
      {
        agreement: 'Enveloppe d’amorçage',
        funder: 'Banque des Territoires',
        committedOn: '2021-06-01',
        committed: 10_000_000,
        released: 4_000_000,
        received: 4_000_000,
        spent: 1_500_000,
        remaining: 6_000_000,
        notReleasedAtClosing: 0, // open
        blocked: 0, // its antenna open
        toCollect: 6_000_000, // 100 000 − 40 000
        balance: 2_500_000, // 40 000 − 15 000
        closedOn: null,
      },
    ]);
    expect(agreements.totals).toMatchObject({
      agreement: 'Total',
      committed: 10_000_000,
      released: 4_000_000,
      received: 4_000_000,
      spent: 1_500_000,
      remaining: 6_000_000,
      notReleasedAtClosing: 0,
      toCollect: 6_000_000,
      balance: 2_500_000,
    });
  });

  it('per tranche: schedule (due date, conditions, amount) against released and received, with the bank reference', () => {
    const tranches = table(report, FUNDING_TABLE_TITLES.tranches);
    expect(tranches.columns.map((c) => c.label)).toEqual([
      'Accord',
      'Tranche',
      'Échéance',
      'Conditions',
      'Prévu',
      'État',
      'Versé',
      'Versé le',
      'Reçu',
      'Reçu le',
      'Référence bancaire',
    ]);
    expect(tranches.rows).toEqual([
      {
        agreement: 'Enveloppe d’amorçage',
        tranche: 'Première tranche',
        dueOn: '2021-09-15',
        conditions: 'Signature',
        scheduled: 4_000_000,
        state: 'Reçue',
        released: 4_000_000,
        releasedOn: '2021-09-15',
        received: 4_000_000,
        receivedOn: '2021-09-28',
        bankReference: 'VIR-BDT-2021-0915',
      },
      {
        agreement: 'Enveloppe d’amorçage',
        tranche: 'Deuxième tranche',
        dueOn: '2023-12-31',
        conditions: null,
        scheduled: 6_000_000,
        state: 'Prévue',
        released: null,
        releasedOn: null,
        received: null,
        receivedOn: null,
        bankReference: null,
      },
    ]);
    expect(tranches.totals).toMatchObject({ agreement: 'Total', scheduled: 10_000_000, released: 4_000_000, received: 4_000_000 });
  });

  it('no discrepancy: an empty table and a note saying so, with the delay and the reference date', () => {
    expect(table(report, FUNDING_TABLE_TITLES.discrepancies).rows).toEqual([]);
    expect(notesOf(report)).toEqual([fr('Délai de réception admis : 30 jours après le versement, apprécié au 15/01/2022 ; échéances des tranches appréciées à la même date.'), 'Aucun écart constaté.']);
    expect(flagsOf(report)).toEqual([]);
  });

  it('flags a tranche released and not received MORE than 30 days (by default) after release, at the reference date', () => {
    const events = [...CLEAN, released('t2', 6_000_000, '2022-07-05')];
    // 2022-07-05 + 30 days = 2022-08-04: not yet late; 2022-08-05 is day 31: late.
    expect(flagsOf(buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2022-08-04' }))).toEqual([]);
    const late = buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2022-08-05' });
    expect(flagsOf(late)).toEqual([
      {
        kind: 'receipt-overdue',
        antennaId: 'montbeliard',
        agreementId: 'bdt',
        trancheId: 't2',
        label: 'Versement non reçu dans le délai',
        detail: fr('Versé le 05/07/2022 (60 000,00 €), toujours pas reçu au 05/08/2022, 31 jours plus tard (délai admis : 30 jours).'),
        amountCents: 6_000_000,
        date: '2022-07-05',
        days: 31,
        reason: null,
      },
    ]);
    expect(table(late, FUNDING_TABLE_TITLES.discrepancies).rows).toEqual([
      {
        agreement: 'Enveloppe d’amorçage',
        tranche: 'Deuxième tranche',
        discrepancy: 'Versement non reçu dans le délai',
        detail: fr('Versé le 05/07/2022 (60 000,00 €), toujours pas reçu au 05/08/2022, 31 jours plus tard (délai admis : 30 jours).'),
      },
    ]);
    expect(notesOf(late)[1]).toBe(
      fr('Enveloppe d’amorçage — Deuxième tranche : versement non reçu dans le délai. Versé le 05/07/2022 (60 000,00 €), toujours pas reçu au 05/08/2022, 31 jours plus tard (délai admis : 30 jours).'),
    );
  });

  it('the receipt delay can be set: receiptDelayDays', () => {
    const events = [...CLEAN, released('t2', 6_000_000, '2022-07-05')];
    expect(flagsOf(buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2022-07-15', receiptDelayDays: 9 }))).toHaveLength(1);
    expect(flagsOf(buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2022-07-15', receiptDelayDays: 10 }))).toEqual([]);
    expect(() => buildFundingReport(models(events), { referenceDate: '2022-07-15', receiptDelayDays: -1 })).toThrow(/délai de réception/);
  });

  it('flags a tranche released after its due date, by how many days (released on its due date is on time)', () => {
    // t2 is due on 31/12/2023; released on 04/03/2024: 31 (January) + 29 (February 2024) + 4 = 64 days after.
    const events = [...CLEAN, released('t2', 6_000_000, '2024-03-04'), received('t2', 6_000_000, 'VIR-2', '2024-03-12')];
    const late = buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2024-06-30' });
    expect(flagsOf(late)).toEqual([
      {
        kind: 'release-late',
        antennaId: 'montbeliard',
        agreementId: 'bdt',
        trancheId: 't2',
        label: 'Versement postérieur à l’échéance',
        detail: fr('Échéance le 31/12/2023, versé le 04/03/2024 (60 000,00 €) : 64 jours après l’échéance.'),
        amountCents: 6_000_000,
        date: '2024-03-04',
        days: 64,
        reason: null,
      },
    ]);
    expect(table(late, FUNDING_TABLE_TITLES.discrepancies).rows).toEqual([
      {
        agreement: 'Enveloppe d’amorçage',
        tranche: 'Deuxième tranche',
        discrepancy: 'Versement postérieur à l’échéance',
        detail: fr('Échéance le 31/12/2023, versé le 04/03/2024 (60 000,00 €) : 64 jours après l’échéance.'),
      },
    ]);
    const oneDay = [...CLEAN, released('t2', 6_000_000, '2024-01-01')];
    expect(flagsOf(buildFundingReport(models(oneDay), { antennaId: 'montbeliard', referenceDate: '2024-01-02' }))[0]).toMatchObject({
      kind: 'release-late',
      days: 1,
      detail: fr('Échéance le 31/12/2023, versé le 01/01/2024 (60 000,00 €) : 1 jour après l’échéance.'),
    });
    const onDueDate = [...CLEAN, released('t2', 6_000_000, '2023-12-31')];
    expect(flagsOf(buildFundingReport(models(onDueDate), { antennaId: 'montbeliard', referenceDate: '2024-01-15' }))).toEqual([]);
  });

  it('flags a tranche whose due date has passed at the reference date and that is not released, by how many days; not on its due date itself', () => {
    expect(flagsOf(buildFundingReport(models(CLEAN), { antennaId: 'montbeliard', referenceDate: '2023-12-31' }))).toEqual([]);
    const overdue = buildFundingReport(models(CLEAN), { antennaId: 'montbeliard', referenceDate: '2024-01-31' });
    expect(flagsOf(overdue)).toEqual([
      {
        kind: 'release-overdue',
        antennaId: 'montbeliard',
        agreementId: 'bdt',
        trancheId: 't2',
        label: 'Échéance dépassée, tranche non versée',
        detail: fr('Échéance le 31/12/2023 (60 000,00 € prévus), toujours pas versée au 31/01/2024 : 31 jours de retard.'),
        amountCents: 6_000_000,
        date: '2023-12-31',
        days: 31,
        reason: null,
      },
    ]);
    expect(notesOf(overdue)[1]).toBe(
      fr('Enveloppe d’amorçage — Deuxième tranche : échéance dépassée, tranche non versée. Échéance le 31/12/2023 (60 000,00 € prévus), toujours pas versée au 31/01/2024 : 31 jours de retard.'),
    );
  });

  it('a tranche released late is no longer overdue: only the lateness of its release remains', () => {
    const events = [...CLEAN, released('t2', 6_000_000, '2024-01-20')];
    expect(flagsOf(buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2024-01-31' })).map((f) => [f.kind, f.days])).toEqual([['release-late', 20]]);
  });

  it('a closed agreement’s tranches never released are not overdue (the funder will not release them)', () => {
    const closed = projected('FundingAgreementClosed', { ...A, reason: 'Fin du programme', effectiveDate: '2023-06-30' });
    expect(flagsOf(buildFundingReport(models([...CLEAN, closed]), { antennaId: 'montbeliard', referenceDate: '2024-06-30' }))).toEqual([]);
  });

  it('« solde » is negative and « reste à encaisser » counts only what was received when more was spent than received', () => {
    const events = [...CLEAN, released('t2', 6_000_000, '2023-07-03'), spent('e2', 3_000_000, '2023-08-01')];
    const data = buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2023-07-20' }).data as FundingReportData;
    // received 40 000; spent 15 000 + 30 000 = 45 000: solde 40 000 − 45 000 = −5 000; reste à encaisser 100 000 − 40 000 = 60 000.
    expect(data.agreements[0]).toMatchObject({ receivedCents: 4_000_000, spentCents: 4_500_000, toCollectCents: 6_000_000, balanceCents: -500_000 });
    expect(data.totals).toMatchObject({ toCollectCents: 6_000_000, balanceCents: -500_000 });
  });

  it('flags an amount received different from the amount released', () => {
    const events = [...CLEAN, released('t2', 6_000_000, '2022-07-05'), received('t2', 5_995_000, 'VIR-2', '2022-07-19')];
    const flags = flagsOf(buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2022-12-31' }));
    expect(flags).toEqual([
      {
        kind: 'amount-mismatch',
        antennaId: 'montbeliard',
        agreementId: 'bdt',
        trancheId: 't2',
        label: 'Montant reçu différent du montant versé',
        detail: fr('Reçu 59 950,00 € le 19/07/2022 (référence VIR-2) pour 60 000,00 € versés : écart de \u221250,00 €.'),
        amountCents: -5_000,
        date: '2022-07-19',
        days: null,
        reason: null,
      },
    ]);
  });

  it('flags a release above the tranche\'s scheduled amount (the domain accepts it within the commitment), once received too', () => {
    const events = [...CLEAN, released('t2', 6_500_000, '2022-07-05'), received('t2', 6_500_000, 'VIR-2', '2022-07-19')];
    const report2 = buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2022-12-31' });
    expect(flagsOf(report2)).toEqual([
      {
        kind: 'release-above-tranche',
        antennaId: 'montbeliard',
        agreementId: 'bdt',
        trancheId: 't2',
        label: 'Versement supérieur à la tranche prévue',
        detail: fr('Versé 65 000,00 € le 05/07/2022 pour 60 000,00 € prévus à l’échéancier : dépassement de 5 000,00 €.'),
        amountCents: 500_000,
        date: '2022-07-05',
        days: null,
        reason: null,
      },
    ]);
    const atSchedule = [...CLEAN, released('t2', 6_000_000, '2022-07-05'), received('t2', 6_000_000, 'VIR-2', '2022-07-19')];
    expect(flagsOf(buildFundingReport(models(atSchedule), { antennaId: 'montbeliard', referenceDate: '2022-12-31' }))).toEqual([]);
  });

  it('flags spending above what was received from the agreement', () => {
    const events = [...CLEAN, spent('e2', 3_000_000, '2021-11-15')]; // 15 000 + 30 000 = 45 000 € spent, 40 000 € received
    const report2 = buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2021-12-31' });
    expect(flagsOf(report2)).toEqual([
      {
        kind: 'overspent',
        antennaId: 'montbeliard',
        agreementId: 'bdt',
        trancheId: null,
        label: 'Dépenses supérieures aux fonds reçus',
        detail: fr('Dépensé 45 000,00 € sur l’accord pour 40 000,00 € reçus : dépassement de 5 000,00 €.'),
        amountCents: 500_000,
        date: null,
        days: null,
        reason: null,
      },
    ]);
    expect(table(report2, FUNDING_TABLE_TITLES.discrepancies).rows[0]).toMatchObject({ tranche: null, discrepancy: 'Dépenses supérieures aux fonds reçus' });
    expect(notesOf(report2)[1]).toBe(
      fr('Enveloppe d’amorçage : dépenses supérieures aux fonds reçus. Dépensé 45 000,00 € sur l’accord pour 40 000,00 € reçus : dépassement de 5 000,00 €.'),
    );
  });

  it('flags every reversed release with its reason, even once the tranche was released again; the movements table lists releases and reversals', () => {
    const events = [
      ...CLEAN,
      released('t2', 6_000_000, '2023-07-03'),
      reversed('t2', 6_000_000, 'Condition non remplie : rapport d’activité 2022 non transmis', '2023-07-10'),
      released('t2', 6_000_000, '2023-09-04'),
      received('t2', 6_000_000, 'VIR-3', '2023-09-20'),
    ];
    const report2 = buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2023-12-31' });
    expect(flagsOf(report2)).toEqual([
      {
        kind: 'release-reversed',
        antennaId: 'montbeliard',
        agreementId: 'bdt',
        trancheId: 't2',
        label: 'Versement annulé',
        detail: fr('Versement de 60 000,00 € du 03/07/2023 annulé le 10/07/2023. Motif : Condition non remplie : rapport d’activité 2022 non transmis'),
        amountCents: 6_000_000,
        date: '2023-07-10',
        days: null,
        reason: 'Condition non remplie : rapport d’activité 2022 non transmis',
      },
    ]);
    expect(table(report2, FUNDING_TABLE_TITLES.movements).rows).toEqual([
      { agreement: 'Enveloppe d’amorçage', tranche: 'Première tranche', date: '2021-09-15', movement: 'Versement', amount: 4_000_000, reason: null },
      { agreement: 'Enveloppe d’amorçage', tranche: 'Deuxième tranche', date: '2023-07-03', movement: 'Versement', amount: 6_000_000, reason: null },
      {
        agreement: 'Enveloppe d’amorçage',
        tranche: 'Deuxième tranche',
        date: '2023-07-10',
        movement: 'Annulation du versement',
        amount: -6_000_000,
        reason: 'Condition non remplie : rapport d’activité 2022 non transmis',
      },
      { agreement: 'Enveloppe d’amorçage', tranche: 'Deuxième tranche', date: '2023-09-04', movement: 'Versement', amount: 6_000_000, reason: null },
    ]);
  });

  it('a tranche whose release was reversed shows as planned again, is not awaited for receipt, and is overdue once its due date has passed', () => {
    const events = [...CLEAN, released('t2', 6_000_000, '2023-07-03'), reversed('t2', 6_000_000, 'Erreur', '2023-07-10')];
    const report2 = buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2024-12-31' });
    expect(table(report2, FUNDING_TABLE_TITLES.tranches).rows[1]).toMatchObject({ state: 'Versement annulé (de nouveau prévue)', released: null });
    expect(flagsOf(report2).map((f) => f.kind)).toEqual(['release-reversed', 'release-overdue']);
    expect(flagsOf(buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2023-12-31' })).map((f) => f.kind)).toEqual(['release-reversed']);
    expect((report2.data as FundingReportData).totals.remainingCommitmentCents).toBe(6_000_000);
  });

  it('lists flags per agreement, tranche by tranche (reversals, amount, delay), then the agreement’s spending', () => {
    const events = [
      ...CLEAN,
      spent('e2', 9_000_000, '2023-08-01'),
      released('t2', 6_000_000, '2023-07-03'),
      reversed('t2', 6_000_000, 'Erreur', '2023-07-10'),
      released('t2', 6_000_000, '2023-09-04'),
    ];
    const flags = flagsOf(buildFundingReport(models(events), { antennaId: 'montbeliard', referenceDate: '2026-01-15' }));
    expect(flags.map((f) => [f.trancheId, f.kind])).toEqual([
      ['t2', 'release-reversed'],
      ['t2', 'receipt-overdue'],
      [null, 'overspent'],
    ]);
  });

  it('data holds agreements, totals and discrepancies as JSON, cents as integers', () => {
    const data = report.data as FundingReportData;
    expect(data).toMatchObject({
      scope: 'antenna',
      antenna: { antennaId: 'montbeliard', antennaName: 'Cnam Montbéliard', town: 'Montbéliard' },
      referenceDate: '2022-01-15',
      receiptDelayDays: 30,
      totals: {
        committedCents: 10_000_000,
        releasedCents: 4_000_000,
        receivedCents: 4_000_000,
        spentCents: 1_500_000,
        remainingCommitmentCents: 6_000_000,
        toCollectCents: 6_000_000,
        balanceCents: 2_500_000,
      },
      discrepancies: [],
    });
    expect(data.agreements[0]).toMatchObject({
      agreementId: 'bdt',
      antennaName: 'Cnam Montbéliard',
      toCollectCents: 6_000_000,
      balanceCents: 2_500_000,
      tranches: [{ trancheId: 't1' }, { trancheId: 't2' }],
    });
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });

  it('an unknown antenna is an error with a French message (the caller answers 404)', () => {
    expect(() => buildFundingReport(models(CLEAN), { antennaId: 'nowhere', referenceDate: '2022-01-15' })).toThrow(UnknownAntennaError);
    expect(() => buildFundingReport(models(CLEAN), { antennaId: 'nowhere', referenceDate: '2022-01-15' })).toThrow(/Antenne inconnue : « nowhere »/);
  });

  it('an antenna opened without any agreement gives empty tables and says so', () => {
    const bare = buildFundingReport(models([opened('vierzon', 'Cnam Vierzon', 'Vierzon')]), { antennaId: 'vierzon', referenceDate: '2022-01-15' });
    expect(table(bare, FUNDING_TABLE_TITLES.agreements).rows).toEqual([]);
    expect(notesOf(bare)).toContain('Aucun accord de financement.');
  });

  it('without an antenna: every agreement of every antenna, with an Antenne column', () => {
    const events = [
      ...CLEAN,
      opened('chaumont', 'Cnam Chaumont', 'Chaumont'),
      committed('bdt-chaumont', 'chaumont', 'Amorçage Chaumont'),
      projected('BudgetTrancheReleased', { agreementId: 'bdt-chaumont', antennaId: 'chaumont', trancheId: 't1', amountCents: 4_000_000, effectiveDate: '2021-09-15' }),
    ];
    const all = buildFundingReport(models(events), { referenceDate: '2022-01-15' });
    expect(all.title).toBe('Rapprochement des financements — toutes antennes');
    const agreements = table(all, FUNDING_TABLE_TITLES.agreements);
    expect(agreements.columns[0]!.label).toBe('Antenne');
    expect(agreements.rows.map((r) => [r.antenna, r.agreement, r.released])).toEqual([
      ['Cnam Chaumont', 'Amorçage Chaumont', 4_000_000],
      ['Cnam Montbéliard', 'Enveloppe d’amorçage', 4_000_000],
    ]);
    expect(agreements.totals).toMatchObject({ antenna: 'Total', committed: 20_000_000, released: 8_000_000 });
    expect(table(all, FUNDING_TABLE_TITLES.discrepancies).rows).toEqual([
      expect.objectContaining({ antenna: 'Cnam Chaumont', agreement: 'Amorçage Chaumont', tranche: 'Première tranche', discrepancy: 'Versement non reçu dans le délai' }),
    ]);
    expect(notesOf(all)[1]).toMatch(/^Cnam Chaumont — Amorçage Chaumont — Première tranche : versement non reçu dans le délai\. Versé le 15\/09\/2021/);
  });
});

/**
 * The audit's scenario: the department committed 50 000,00 € to Langres (d1 20 000,00 € due
 * 15/01/2024, d2 30 000,00 € due 20/12/2026), released d1 on 01/02/2024, then closed the agreement
 * (« Fin anticipée », 30/06/2024): d2 will never be paid. Chaumont's region agreement (10 000,00 €)
 * is still open.
 */
describe('funding report of a closed agreement', () => {
  const langres = { agreementId: 'dept-langres', antennaId: 'langres' };
  const CLOSED = [
    opened('langres', 'Cnam Langres', 'Langres'),
    projected('FundingCommitted', {
      ...langres,
      funder: 'Département de la Haute-Marne',
      label: 'Soutien départemental',
      amountCents: 5_000_000,
      tranches: [
        { trancheId: 'd1', label: 'Première tranche', amountCents: 2_000_000, dueOn: '2024-01-15' },
        { trancheId: 'd2', label: 'Seconde tranche', amountCents: 3_000_000, dueOn: '2026-12-20' },
      ],
      effectiveDate: '2023-10-01',
    }),
    projected('BudgetTrancheReleased', { ...langres, trancheId: 'd1', amountCents: 2_000_000, effectiveDate: '2024-02-01' }),
    projected('FundingAgreementClosed', { ...langres, reason: 'Fin anticipée', effectiveDate: '2024-06-30' }),
    opened('chaumont', 'Cnam Chaumont', 'Chaumont'),
    projected('FundingCommitted', {
      agreementId: 'region-chaumont',
      antennaId: 'chaumont',
      funder: 'Région Grand Est',
      label: 'Soutien régional',
      amountCents: 1_000_000,
      tranches: [{ trancheId: 'r1', label: 'Tranche unique', amountCents: 1_000_000, dueOn: '2026-12-31' }],
      effectiveDate: '2023-11-01',
    }),
  ];
  const antenna = buildFundingReport(models(CLOSED), { antennaId: 'langres', referenceDate: '2027-01-15' });
  const programme = buildFundingReport(models(CLOSED), { referenceDate: '2027-01-15' });
  /** The cells, by column label, of the rendered table's first line after its header that starts with `start` (columns cut where the dashes under the header are). */
  const renderedCells = (text: string, title: string, start: string): Record<string, string> => {
    const lines = text.split('\n');
    const from = lines.indexOf(title);
    const spans = [...lines[from + 2]!.matchAll(/-+/g)].map((dashes) => [dashes.index, dashes.index + dashes[0].length] as const);
    const cut = (line: string) => spans.map(([begin, end]) => line.slice(begin, end).trim());
    const line = lines.slice(from + 3).find((candidate) => candidate.startsWith(start))!;
    const cells = cut(line);
    return Object.fromEntries(cut(lines[from + 1]!).map((label, index) => [label, cells[index]!]));
  };

  it('rule: a closed agreement has nothing « reste à verser »; what it had not released is « non versé à la clôture »; « reste à encaisser » is released − received (antenna, table)', () => {
    const text = renderTable(antenna);
    expect(renderedCells(text, FUNDING_TABLE_TITLES.agreements, 'Soutien départemental')).toMatchObject({
      Engagé: fr('50 000,00 €'),
      Versé: fr('20 000,00 €'),
      Reçu: fr('0,00 €'),
      'Reste à verser': fr('0,00 €'),
      'Non versé à la clôture': fr('30 000,00 €'),
      'Reste à encaisser': fr('20 000,00 €'),
      'Clôturé le': '30/06/2024',
    });
    expect(renderedCells(text, FUNDING_TABLE_TITLES.tranches, 'Soutien départemental  Seconde tranche')).toMatchObject({
      Tranche: 'Seconde tranche',
      État: 'Non versée (convention clôturée)',
    });
    expect(renderedCells(text, FUNDING_TABLE_TITLES.tranches, 'Soutien départemental  Première tranche')).toMatchObject({ État: 'Versée' });
    expect(text).not.toContain('Prévue');
    expect(text).not.toContain('Échéance dépassée');
    expect(notesOf(antenna)).toContain(
      'Convention clôturée : ce qu’elle n’avait pas versé à sa clôture ne sera plus versé ; il figure en « Non versé à la clôture » et non plus en « Reste à verser », et son « Reste à encaisser » est le versé moins le reçu.',
    );
  });

  it('rule: a closed agreement has nothing « reste à verser », its shortfall « non versé à la clôture », its unreleased tranches « not-released-closed » (antenna, JSON)', () => {
    const json = JSON.parse(renderJson(antenna)) as { data: FundingReportData };
    expect(json.data.agreements).toEqual([
      expect.objectContaining({
        agreementId: 'dept-langres',
        committedCents: 5_000_000,
        releasedCents: 2_000_000,
        remainingCommitmentCents: 0,
        notReleasedAtClosingCents: 3_000_000,
        toCollectCents: 2_000_000,
        closed: { on: '2024-06-30', reason: 'Fin anticipée' },
      }),
    ]);
    expect(json.data.agreements[0]!.tranches.map((tranche) => [tranche.trancheId, tranche.state])).toEqual([
      ['d1', 'released'],
      ['d2', 'not-released-closed'],
    ]);
    expect(json.data.totals).toMatchObject({ remainingCommitmentCents: 0, notReleasedAtClosingCents: 3_000_000, toCollectCents: 2_000_000 });
    expect(json.data.discrepancies.map((d) => d.kind)).not.toContain('release-overdue');
  });

  it('rule: the programme’s « reste à verser » counts only the open agreements; the closed one’s shortfall is totalled apart (programme, table and JSON)', () => {
    const text = renderTable(programme);
    // 10 000 € to come at Chaumont; Langres’s 30 000 € never will.
    expect(renderedCells(text, FUNDING_TABLE_TITLES.agreements, 'Total')).toMatchObject({
      Engagé: fr('60 000,00 €'),
      'Reste à verser': fr('10 000,00 €'),
      'Non versé à la clôture': fr('30 000,00 €'),
      // Langres: 20 000 released − 0 received; Chaumont: 10 000 committed − 0 received.
      'Reste à encaisser': fr('30 000,00 €'),
    });
    const json = JSON.parse(renderJson(programme)) as { data: FundingReportData };
    expect(json.data.totals).toMatchObject({ committedCents: 6_000_000, releasedCents: 2_000_000, remainingCommitmentCents: 1_000_000, notReleasedAtClosingCents: 3_000_000, toCollectCents: 3_000_000 });
    expect(json.data.agreements.map((a) => [a.agreementId, a.remainingCommitmentCents, a.notReleasedAtClosingCents])).toEqual([
      ['region-chaumont', 1_000_000, 0],
      ['dept-langres', 0, 3_000_000],
    ]);
  });

  it('rule: before its closing (a cut before 30/06/2024), the agreement is open and its unreleased 30 000,00 € are still « reste à verser »', () => {
    const before = buildFundingReport(models(CLOSED.filter((event) => event.type !== 'FundingAgreementClosed')), { antennaId: 'langres', referenceDate: '2024-06-29' });
    const data = before.data as FundingReportData;
    expect(data.agreements[0]).toMatchObject({ remainingCommitmentCents: 3_000_000, notReleasedAtClosingCents: 0, toCollectCents: 5_000_000, closed: null });
    expect(data.agreements[0]!.tranches.map((tranche) => tranche.state)).toEqual(['released', 'planned']);
  });
});

describe('funding report of an open agreement on a closed antenna (decision 0066, amended)', () => {
  const langres = { agreementId: 'dept-langres', antennaId: 'langres' };
  const OPEN = [
    opened('langres', 'Cnam Langres', 'Langres'),
    projected('FundingCommitted', {
      ...langres,
      funder: 'Département de la Haute-Marne',
      label: 'Soutien départemental',
      amountCents: 5_000_000,
      tranches: [
        { trancheId: 'd1', label: 'Première tranche', amountCents: 2_000_000, dueOn: '2024-01-15' },
        { trancheId: 'd2', label: 'Seconde tranche', amountCents: 3_000_000, dueOn: '2024-03-01' },
      ],
      effectiveDate: '2023-10-01',
    }),
    projected('BudgetTrancheReleased', { ...langres, trancheId: 'd1', amountCents: 2_000_000, effectiveDate: '2024-02-01' }),
    // A second agreement of the same antenna, wholly released: nothing of it is blocked.
    projected('FundingCommitted', {
      agreementId: 'ville-langres',
      antennaId: 'langres',
      funder: 'Ville de Langres',
      label: 'Soutien municipal',
      amountCents: 500_000,
      tranches: [{ trancheId: 'v1', label: 'Tranche unique', amountCents: 500_000, dueOn: '2024-01-10' }],
      effectiveDate: '2023-10-01',
    }),
    projected('BudgetTrancheReleased', { agreementId: 'ville-langres', antennaId: 'langres', trancheId: 'v1', amountCents: 500_000, effectiveDate: '2024-01-10' }),
    opened('chaumont', 'Cnam Chaumont', 'Chaumont'),
    projected('FundingCommitted', {
      agreementId: 'region-chaumont',
      antennaId: 'chaumont',
      funder: 'Région Grand Est',
      label: 'Soutien régional',
      amountCents: 1_000_000,
      tranches: [{ trancheId: 'r1', label: 'Tranche unique', amountCents: 1_000_000, dueOn: '2026-12-31' }],
      effectiveDate: '2023-11-01',
    }),
  ];
  const antennaClosed = projected('AntennaClosed', { antennaId: 'langres', reason: 'Fin du programme local', effectiveDate: '2024-06-30' });
  const CLOSED_ANTENNA = [...OPEN, antennaClosed];
  const referenceDate = '2027-01-15';

  it('rule: an open agreement’s unreleased tranche on a closed antenna is « Bloquée : antenne fermée », never overdue (no growing lateness); one flag per agreement says it, with the blocked amount and the closing date', () => {
    const report = buildFundingReport(models(CLOSED_ANTENNA), { antennaId: 'langres', referenceDate });
    const data = report.data as FundingReportData;
    const department = data.agreements.find((a) => a.agreementId === 'dept-langres')!;
    expect(department.tranches.map((tranche) => [tranche.trancheId, tranche.state])).toEqual([
      ['d1', 'released'],
      ['d2', 'blocked'],
    ]);
    expect(department).toMatchObject({ remainingCommitmentCents: 0, blockedCents: 3_000_000, notReleasedAtClosingCents: 0, antennaClosedOn: '2024-06-30', closed: null });
    // Nothing more can be released, so nothing more can arrive than the 20 000 € released: « reste à encaisser » is released − received, as for a closed agreement.
    expect(department.toCollectCents).toBe(2_000_000);
    expect(data.discrepancies.map((d) => d.kind)).not.toContain('release-overdue');
    expect(data.discrepancies.filter((d) => d.kind === 'antenna-closed-agreement-open')).toEqual([
      {
        kind: 'antenna-closed-agreement-open',
        antennaId: 'langres',
        agreementId: 'dept-langres',
        trancheId: null,
        label: 'Antenne fermée, convention encore ouverte',
        detail: fr('Antenne fermée le 30/06/2024, convention encore ouverte : 30 000,00 € non versés ne pourront plus l’être (1 tranche bloquée). Clôturez la convention si plus rien n’en est attendu.'),
        amountCents: 3_000_000,
        date: '2024-06-30',
        days: null,
        reason: null,
      },
    ]);
    const text = renderTable(report);
    expect(text).toContain('Bloquée : antenne fermée');
    expect(text).not.toContain('Prévue');
    expect(text).not.toContain('Échéance dépassée');
    expect(table(report, FUNDING_TABLE_TITLES.agreements).totals).toMatchObject({ remaining: 0, blocked: 3_000_000 });
  });

  it('rule: the programme’s « reste à verser » leaves out what a closed antenna’s open agreements hold; it is totalled apart as « Bloqué (antenne fermée) »', () => {
    const data = buildFundingReport(models(CLOSED_ANTENNA), { referenceDate }).data as FundingReportData;
    expect(data.totals).toMatchObject({ remainingCommitmentCents: 1_000_000, blockedCents: 3_000_000, notReleasedAtClosingCents: 0 });
    expect(table(buildFundingReport(models(CLOSED_ANTENNA), { referenceDate }), FUNDING_TABLE_TITLES.agreements).columns.find((c) => c.key === 'blocked')!.label).toBe('Bloqué (antenne fermée)');
  });

  it('rule: a wholly released agreement of a closed antenna has nothing blocked and no flag', () => {
    const data = buildFundingReport(models(CLOSED_ANTENNA), { antennaId: 'langres', referenceDate }).data as FundingReportData;
    expect(data.agreements.find((a) => a.agreementId === 'ville-langres')).toMatchObject({ blockedCents: 0, remainingCommitmentCents: 0 });
    expect(data.discrepancies.filter((d) => d.agreementId === 'ville-langres').map((d) => d.kind)).not.toContain('antenna-closed-agreement-open');
  });

  it('rule: before the antenna’s closing (a cut before 30/06/2024), its tranche is « Prévue » and overdue, as before', () => {
    const data = buildFundingReport(models(OPEN), { antennaId: 'langres', referenceDate: '2024-06-29' }).data as FundingReportData;
    const department = data.agreements.find((a) => a.agreementId === 'dept-langres')!;
    expect(department.tranches.map((tranche) => tranche.state)).toEqual(['released', 'planned']);
    expect(department).toMatchObject({ remainingCommitmentCents: 3_000_000, blockedCents: 0, antennaClosedOn: null });
    const kinds = data.discrepancies.filter((d) => d.agreementId === 'dept-langres').map((d) => d.kind);
    expect(kinds).toContain('release-overdue');
    expect(kinds).not.toContain('antenna-closed-agreement-open');
  });

  it('rule: a part kept for an antenna’s funding document is never served once the antenna is closed: the same document, its antenna closed since, gives the blocked report (parts cache)', () => {
    // The funding document is the same object before and after the closing (AntennaClosed does not touch it): only the phases read model changes.
    const funding = project(fundingProjection, OPEN);
    for (const antennaId of ['langres', undefined]) {
      const parameters = { ...(antennaId ? { antennaId } : {}), referenceDate };
      const before = buildFundingReport(modelsOf(funding, project(phasesProjection, OPEN)), parameters).data as FundingReportData;
      expect(before.totals).toMatchObject({ blockedCents: 0 });
      const after = buildFundingReport(modelsOf(funding, project(phasesProjection, CLOSED_ANTENNA)), parameters).data as FundingReportData;
      expect(after.totals).toMatchObject({ blockedCents: 3_000_000 });
      expect(after.agreements.find((a) => a.agreementId === 'dept-langres')!.tranches.map((tranche) => tranche.state)).toEqual(['released', 'blocked']);
      // And back to a cut before the closing: the open part again.
      expect((buildFundingReport(modelsOf(funding, project(phasesProjection, OPEN)), parameters).data as FundingReportData).totals).toMatchObject({ blockedCents: 0 });
    }
  });
});
