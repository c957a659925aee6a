import type { ProjectedEvent, ReadModelView } from '../../projection';
import { project, projected } from '../../testing/projection-specification';
import { ReadModels, UnknownAntennaError } from '../budget/report-helpers';
import { buildEcheancierReport, EcheancierReportData } from './echeancier.report';
import { fundingProjection } from './funding.projection';
import { phasesProjection } from '../phases/phases.projection';
import { fr } from '../../../../reporting/src/testing/french-spaces';

/** The funding read model, and the phases one for the antennas' status, both from the same events (one cut). */
function models(events: readonly ProjectedEvent[]): ReadModels {
  const views: Record<string, unknown> = { funding: project(fundingProjection, events), phases: project(phasesProjection, events) };
  return {
    view<Doc>(name: string): ReadModelView<Doc> {
      if (!(name in views)) throw new Error(`unexpected view ${name}`);
      return views[name] as ReadModelView<Doc>;
    },
  };
}

const opened = (antennaId: string, name: string) =>
  projected('AntennaOpened', { antennaId, candidacyId: 'c', callId: 'ami', programmeId: 'p', name, town: name, territory: {}, effectiveDate: '2021-03-01' });
const committed = (antennaId: string, agreementId: string, label: string, tranches: readonly { trancheId: string; amountCents: number; dueOn: string }[]) =>
  projected('FundingCommitted', {
    agreementId,
    antennaId,
    funder: 'Banque des Territoires',
    label,
    amountCents: tranches.reduce((total, t) => total + t.amountCents, 0),
    tranches: tranches.map((t) => ({ ...t, label: `Tranche ${t.trancheId}`, conditions: t.trancheId === 't1' ? 'Signature' : undefined })),
    effectiveDate: '2021-06-01',
  });
const released = (antennaId: string, agreementId: string, trancheId: string, amountCents: number, effectiveDate: string) =>
  projected('BudgetTrancheReleased', { antennaId, agreementId, trancheId, amountCents, effectiveDate });
const reversed = (antennaId: string, agreementId: string, trancheId: string, amountCents: number, effectiveDate: string) =>
  projected('TrancheReleaseReversed', { antennaId, agreementId, trancheId, amountCents, reason: 'Erreur', effectiveDate });

/**
 * Montbéliard: t1 due 01/09/2021 released; t2 due 30/06/2022; t3 due 31/12/2022.
 * Chaumont: t1 due 15/06/2022; t2 due 15/07/2022, released then reversed.
 */
const EVENTS = [
  opened('montbeliard', 'Cnam Montbéliard'),
  committed('montbeliard', 'bdt', 'Amorçage Montbéliard', [
    { trancheId: 't1', amountCents: 4_000_000, dueOn: '2021-09-01' },
    { trancheId: 't2', amountCents: 3_000_000, dueOn: '2022-06-30' },
    { trancheId: 't3', amountCents: 3_000_000, dueOn: '2022-12-31' },
  ]),
  released('montbeliard', 'bdt', 't1', 4_000_000, '2021-09-01'),
  opened('chaumont', 'Cnam Chaumont'),
  committed('chaumont', 'bdt-c', 'Amorçage Chaumont', [
    { trancheId: 't1', amountCents: 2_000_000, dueOn: '2022-06-15' },
    { trancheId: 't2', amountCents: 1_000_000, dueOn: '2022-07-15' },
  ]),
  released('chaumont', 'bdt-c', 't2', 1_000_000, '2022-06-01'),
  reversed('chaumont', 'bdt-c', 't2', 1_000_000, '2022-06-05'),
];

const itemsOf = (data: EcheancierReportData) => data.items.map((i) => [i.situation, i.antennaId, i.trancheId, i.dueOn, i.days]);

describe('échéancier report', () => {
  const report = buildEcheancierReport(models(EVENTS), { referenceDate: '2022-06-20' });
  const data = report.data as EcheancierReportData;

  it('lists the tranches not released that are overdue, and those due within 30 days by default, most urgent first', () => {
    // 20/06/2022: Chaumont t1 is 5 days late; Montbéliard t2 due in 10 days; Chaumont t2 (reversed) due in 25 days;
    // Montbéliard t3 (31/12/2022) is beyond 20/07/2022; Montbéliard t1 is released.
    expect(itemsOf(data)).toEqual([
      ['overdue', 'chaumont', 't1', '2022-06-15', 5],
      ['due-soon', 'montbeliard', 't2', '2022-06-30', 10],
      ['due-soon', 'chaumont', 't2', '2022-07-15', 25],
    ]);
    expect(data).toMatchObject({ referenceDate: '2022-06-20', withinDays: 30, until: '2022-07-20', totals: { overdueCents: 2_000_000, dueSoonCents: 4_000_000, blockedCents: 0 } });
  });

  it('is one table with the situation, the due date, days late or left, antenna, agreement, tranche and amount, with a total', () => {
    expect(report.kind).toBe('echeancier');
    expect(report.title).toBe('Échéancier des tranches — toutes antennes');
    const [table] = report.tables;
    expect(table!.columns.map((c) => c.label)).toEqual([
      'Situation',
      'Échéance',
      'Jours de retard',
      'Jours restants',
      'Antenne',
      'Accord',
      'Financeur',
      'Tranche',
      'Conditions',
      'Montant prévu',
      'Montant bloqué',
      'Antenne fermée le',
    ]);
    expect(table!.rows[0]).toEqual({
      situation: 'En retard',
      dueOn: '2022-06-15',
      lateDays: 5,
      daysLeft: null,
      antenna: 'Cnam Chaumont',
      agreement: 'Amorçage Chaumont',
      funder: 'Banque des Territoires',
      tranche: 'Tranche t1',
      conditions: 'Signature',
      scheduled: 2_000_000,
      blocked: null,
      antennaClosedOn: null,
    });
    expect(table!.rows[1]).toMatchObject({ situation: 'À échoir', lateDays: null, daysLeft: 10 });
    expect(table!.totals).toMatchObject({ situation: 'Total', scheduled: 6_000_000, blocked: 0 });
    expect(report.notes).toEqual([
      fr('Tranches non versées dont l’échéance est dépassée au 20/06/2022, ou tombe d’ici le 20/07/2022 (30 jours) ; les plus urgentes en premier.'),
      fr('1 tranche en retard (20 000,00 €), 2 à échoir (40 000,00 €).'),
    ]);
  });

  it('the horizon can be set: withinDays (a tranche due on the last day is in, the next day is out)', () => {
    // Montbéliard t2 is due 10 days after 20/06/2022.
    expect(itemsOf(buildEcheancierReport(models(EVENTS), { referenceDate: '2022-06-20', withinDays: 10 }).data as EcheancierReportData)).toEqual([
      ['overdue', 'chaumont', 't1', '2022-06-15', 5],
      ['due-soon', 'montbeliard', 't2', '2022-06-30', 10],
    ]);
    expect(itemsOf(buildEcheancierReport(models(EVENTS), { referenceDate: '2022-06-20', withinDays: 9 }).data as EcheancierReportData)).toEqual([
      ['overdue', 'chaumont', 't1', '2022-06-15', 5],
    ]);
    expect(() => buildEcheancierReport(models(EVENTS), { referenceDate: '2022-06-20', withinDays: -1 })).toThrow(/horizon de l’échéancier/);
  });

  it('a tranche due on the reference date is due (0 days left), not yet overdue', () => {
    expect(itemsOf(buildEcheancierReport(models(EVENTS), { referenceDate: '2022-06-15', withinDays: 0 }).data as EcheancierReportData)).toEqual([
      ['due-soon', 'chaumont', 't1', '2022-06-15', 0],
    ]);
  });

  it('a released tranche leaves the échéancier; a closed agreement’s tranches are not listed', () => {
    const later = [
      ...EVENTS,
      released('chaumont', 'bdt-c', 't1', 2_000_000, '2022-06-21'),
      projected('FundingAgreementClosed', { antennaId: 'montbeliard', agreementId: 'bdt', reason: 'Fin', effectiveDate: '2022-06-22' }),
    ];
    expect(itemsOf(buildEcheancierReport(models(later), { referenceDate: '2022-06-22' }).data as EcheancierReportData)).toEqual([
      ['due-soon', 'chaumont', 't2', '2022-07-15', 23],
    ]);
  });

  it('for one antenna; an unknown antenna is an error (the caller answers 404); nothing due says so', () => {
    const one = buildEcheancierReport(models(EVENTS), { antennaId: 'montbeliard', referenceDate: '2022-06-20' });
    expect(one.title).toBe('Échéancier des tranches — antenne Cnam Montbéliard');
    expect(itemsOf(one.data as EcheancierReportData)).toEqual([['due-soon', 'montbeliard', 't2', '2022-06-30', 10]]);
    expect(() => buildEcheancierReport(models(EVENTS), { antennaId: 'nowhere', referenceDate: '2022-06-20' })).toThrow(UnknownAntennaError);
    const none = buildEcheancierReport(models(EVENTS), { referenceDate: '2021-01-01' });
    expect(none.tables[0]!.rows).toEqual([]);
    expect(none.notes?.[1]).toBe('Aucune tranche en retard ni à échoir.');
  });

  describe('an antenna closed while its agreement is still open (Chaumont closed on 18/06/2022)', () => {
    const closing = projected('AntennaClosed', { antennaId: 'chaumont', reason: 'Fin du programme sur le territoire', effectiveDate: '2022-06-18' });
    const closedEvents = [...EVENTS, closing];
    /** What an as-of replay holds: the facts that took effect by the end of that day. */
    const asOf = (date: string) => closedEvents.filter((event) => String(event.data.effectiveDate) <= date);

    it('rule: a closed antenna accepts nothing but audit reads, so its open agreement’s unreleased tranches are « Bloquée : antenne fermée », with the closing date, after the due ones', () => {
      const blocked = buildEcheancierReport(models(closedEvents), { referenceDate: '2022-06-20' });
      const data = blocked.data as EcheancierReportData;
      expect(itemsOf(data)).toEqual([
        ['due-soon', 'montbeliard', 't2', '2022-06-30', 10],
        ['blocked', 'chaumont', 't1', '2022-06-15', 5],
        ['blocked', 'chaumont', 't2', '2022-07-15', 25],
      ]);
      expect(data.items.map((item) => item.antennaClosedOn)).toEqual([null, '2022-06-18', '2022-06-18']);
      const [table] = blocked.tables;
      expect(table!.rows[1]).toEqual({
        situation: 'Bloquée : antenne fermée',
        dueOn: '2022-06-15',
        lateDays: null,
        daysLeft: null,
        antenna: 'Cnam Chaumont',
        agreement: 'Amorçage Chaumont',
        funder: 'Banque des Territoires',
        tranche: 'Tranche t1',
        conditions: 'Signature',
        scheduled: null,
        blocked: 2_000_000,
        antennaClosedOn: '2022-06-18',
      });
    });

    it('rule: money that will not come is not counted as due: blocked tranches have their own total, outside the overdue and due-soon ones', () => {
      const blocked = buildEcheancierReport(models(closedEvents), { referenceDate: '2022-06-20' });
      expect((blocked.data as EcheancierReportData).totals).toEqual({ overdueCents: 0, dueSoonCents: 3_000_000, blockedCents: 3_000_000 });
      expect(blocked.tables[0]!.totals).toMatchObject({ situation: 'Total', scheduled: 3_000_000, blocked: 3_000_000 });
      expect(blocked.notes).toEqual([
        fr('Tranches non versées dont l’échéance est dépassée au 20/06/2022, ou tombe d’ici le 20/07/2022 (30 jours) ; les plus urgentes en premier.'),
        fr('0 tranche en retard (0,00 €), 1 à échoir (30 000,00 €).'),
        fr('2 tranches bloquées (30 000,00 €), hors de ces totaux : leur antenne est fermée, plus rien ne peut y être versé ; clôturez leur convention si plus rien n’en est attendu.'),
      ]);
    });

    it('rule: time travel reads the antenna as it was at the cut: as of the day before its closing, its tranches are overdue and due soon as before', () => {
      const before = buildEcheancierReport(models(asOf('2022-06-17')), { referenceDate: '2022-06-17', asOf: '2022-06-17' });
      const data = before.data as EcheancierReportData;
      expect(itemsOf(data)).toEqual([
        ['overdue', 'chaumont', 't1', '2022-06-15', 2],
        ['due-soon', 'montbeliard', 't2', '2022-06-30', 13],
        ['due-soon', 'chaumont', 't2', '2022-07-15', 28],
      ]);
      expect(data.totals).toEqual({ overdueCents: 2_000_000, dueSoonCents: 4_000_000, blockedCents: 0 });
      expect(before.notes).toHaveLength(2);
      // On the day of the closing, they are blocked.
      expect(itemsOf(buildEcheancierReport(models(asOf('2022-06-18')), { referenceDate: '2022-06-18', asOf: '2022-06-18' }).data as EcheancierReportData).map(([situation]) => situation)).toEqual([
        'due-soon',
        'blocked',
        'blocked',
      ]);
    });

    it('rule: a blocked tranche is listed whenever it falls due, beyond the horizon too, so that the blocked total is all the open agreement can no longer release', () => {
      // Horizon 0 days: Montbéliard's tranche due on 30/06 is not listed; Chaumont's of 15/07 is, blocked.
      const data = buildEcheancierReport(models(closedEvents), { referenceDate: '2022-06-20', withinDays: 0 }).data as EcheancierReportData;
      expect(itemsOf(data)).toEqual([
        ['blocked', 'chaumont', 't1', '2022-06-15', 5],
        ['blocked', 'chaumont', 't2', '2022-07-15', 25],
      ]);
      expect(data.totals).toEqual({ overdueCents: 0, dueSoonCents: 0, blockedCents: 3_000_000 });
    });

    it('a closed agreement of a closed antenna is still left out: nothing is blocked on it, nothing is to come', () => {
      const both = [...closedEvents, projected('FundingAgreementClosed', { antennaId: 'chaumont', agreementId: 'bdt-c', reason: 'Fin', effectiveDate: '2022-06-19' })];
      const data = buildEcheancierReport(models(both), { referenceDate: '2022-06-20' }).data as EcheancierReportData;
      expect(itemsOf(data)).toEqual([['due-soon', 'montbeliard', 't2', '2022-06-30', 10]]);
      expect(data.totals.blockedCents).toBe(0);
    });
  });
});
