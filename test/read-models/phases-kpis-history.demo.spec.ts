import { EventCut, InMemoryReadModel, isInCut, ProjectedEvent, ReadModelView } from '@jalon/projections';
import { formatEuros, Report, ReportParameters, ReportTable } from '@jalon/reporting';
import { historyProjection } from '../../libs/projections/src/read-models/history/history.projection';
import { buildHistoryReport } from '../../libs/projections/src/read-models/history/history.report';
import { kpisProjection } from '../../libs/projections/src/read-models/kpis/kpis.projection';
import { buildKpisReport } from '../../libs/projections/src/read-models/kpis/kpis.report';
import { phasesProjection } from '../../libs/projections/src/read-models/phases/phases.projection';
import { buildPhasesReport } from '../../libs/projections/src/read-models/phases/phases.report';
import { demoEvents } from '../support/demo-history';
import { fr } from '../../libs/reporting/src/testing/french-spaces';

/**
 * The demo history of the Montbéliard antenna (apps/cli/src/demo/montbeliard-history.ts), recorded
 * through the real command path (each step recorded at 09:00 UTC the day after it took effect),
 * replayed into the phases, kpis and history read models. Every figure below was worked out by
 * hand from the demo file; the arithmetic is in the comments.
 */

const PHASE_1 = 'Espace d’accueil, d’information et d’orientation (AIOA) et premiers modules à distance';
const PHASE_2 = 'Nouvelles formations sur le site de l’ancienne polyclinique des Portes du Jura';
// The audit trail names who recorded a fact by the name they had (their id stays in the data).
const MANAGER = 'Chargée de programme (démo)';
const FINANCE = 'Service financier (démo)';

let events: ProjectedEvent[];
beforeAll(async () => {
  events = await demoEvents();
});

/** Replays the events inside `cut` into fresh read models, as a report "as of" / "as known at" does. */
function replay(cut: EventCut = {}) {
  const models = [new InMemoryReadModel(phasesProjection), new InMemoryReadModel(kpisProjection), new InMemoryReadModel(historyProjection)];
  for (const event of events) {
    if (!isInCut(event, cut)) continue;
    for (const model of models) model.apply(event);
  }
  return {
    view<Doc>(name: string): ReadModelView<Doc> {
      const model = models.find((m) => m.projection.name === name);
      if (!model) throw new Error(`no read model ${name}`);
      return model as unknown as ReadModelView<Doc>;
    },
  };
}

function report(build: (models: ReturnType<typeof replay>, parameters: ReportParameters) => Report, parameters: ReportParameters): Report {
  return build(replay({ asOf: parameters.asOf, knownAt: parameters.knownAt }), parameters);
}

function table(r: Report, title: string): ReportTable {
  const found = r.tables.find((t) => t.title === title);
  if (!found) throw new Error(`no table ${title} in ${r.tables.map((t) => t.title).join(', ')}`);
  return found;
}

describe('demo: Montbéliard phases', () => {
  const phases = (parameters: Partial<ReportParameters> = {}) =>
    report(buildPhasesReport, { antennaId: 'montbeliard', referenceDate: '2024-01-01', ...parameters });

  it('rule: the antenna was opened on 2021-03-01 and inaugurated on 2022-06-22 on the university campus', () => {
    expect(table(phases(), 'Antenne').rows).toEqual([
      {
        antenna: 'Cnam Montbéliard — Au cœur des territoires',
        town: 'Montbéliard',
        status: 'Active',
        openedOn: '2021-03-01',
        inauguratedOn: '2022-06-22',
        inaugurationPlace: 'Campus universitaire de Montbéliard',
      },
    ]);
  });

  it('rule: rescheduling keeps the original plan visible: phase 2 moved from 2023-01-01 to 2023-03-01', () => {
    expect(table(phases(), 'Phases').rows).toEqual([
      {
        phase: PHASE_1,
        site: 'Mattern Lab, Montbéliard',
        originalPlannedStart: '2021-01-01',
        plannedStart: '2021-01-01',
        actualStart: '2021-09-01',
        originalPlannedEnd: '2022-12-31',
        plannedEnd: '2022-12-31',
        actualEnd: '2022-12-31',
        status: 'Terminée',
        // espace-aioa-ouvert (2021-09-20) and etude-operationnelle (2022-10-14).
        milestonesReached: 2,
        // completed on its planned end, 2022-12-31: 0 days late.
        latenessDays: 0,
      },
      {
        phase: PHASE_2,
        site: 'Ancienne polyclinique des Portes du Jura (environ 10 000 m² acquis par PMA), Montbéliard',
        originalPlannedStart: '2023-01-01',
        plannedStart: '2023-03-01',
        actualStart: '2023-03-06',
        originalPlannedEnd: '2024-12-31',
        plannedEnd: '2024-12-31',
        actualEnd: null,
        status: 'En cours',
        milestonesReached: 0,
        // started; judged on its planned end 2024-12-31, after the reference date 2024-01-01: on time.
        latenessDays: 0,
      },
    ]);
    expect(table(phases(), 'Replanifications').rows).toEqual([
      {
        phase: PHASE_2,
        effectiveDate: '2022-11-15',
        previousPlannedStart: '2023-01-01',
        plannedStart: '2023-03-01',
        previousPlannedEnd: '2024-12-31',
        plannedEnd: '2024-12-31',
        reason: 'Travaux préalables sur le site des Portes du Jura (report illustratif)',
      },
    ]);
  });

  it('rule: milestones are listed with the day they were reached', () => {
    expect(table(phases(), 'Jalons atteints').rows).toEqual([
      { phase: PHASE_1, milestone: 'Espace AIOA ouvert au public dans le Mattern Lab', reachedOn: '2021-09-20' },
      { phase: PHASE_1, milestone: 'Étude opérationnelle remise', reachedOn: '2022-10-14' },
    ]);
  });

  it('rule: a started phase past its planned end is late by the days since that end', () => {
    // Phase 2 still running on 2025-03-01, planned end 2024-12-31: 31 (January) + 28 (February 2025) + 1 = 60 days.
    const late = phases({ referenceDate: '2025-03-01' });
    expect(table(late, 'Phases').rows.map((row) => row.latenessDays)).toEqual([0, 60]);
    expect(late.notes).toContain(fr(`La phase « ${PHASE_2} » est en retard de 60 jours.`));
  });

  it('rule: the programme view counts antennas per status and per phase against the target of 100 by the end of 2022', () => {
    const programme = report(buildPhasesReport, { referenceDate: '2024-01-01' });
    expect(programme.title).toBe('Avancement du programme — Au cœur des territoires');
    // 1 antenna opened of 100: 1 × 10000 / 100 = 100 basis points (1,00 %).
    expect(table(programme, 'Objectif du programme').rows).toEqual([
      { programme: 'Au cœur des territoires', targetCount: 100, targetDate: '2022-12-31', opened: 1, attainment: 100 },
    ]);
    expect(table(programme, 'Antennes par statut').rows).toEqual([
      { status: 'Active', antennas: 1, shareOfTarget: 100 },
      { status: 'Suspendue', antennas: 0, shareOfTarget: 0 },
      { status: 'Fermée', antennas: 0, shareOfTarget: 0 },
    ]);
    // Phase 1 completed on 2022-12-31, phase 2 started on 2023-03-06 and not completed.
    expect(table(programme, 'Antennes par phase en cours').rows).toEqual([{ phase: 'Phase 2 en cours', antennas: 1, shareOfTarget: 100 }]);
    expect(programme.notes).toContain('Échéance du 31/12/2022 dépassée : 1 antenne ouverte pour un objectif de 100.');
  });
});

describe('demo: Montbéliard KPIs', () => {
  const kpis = (parameters: Partial<ReportParameters> = {}) => report(buildKpisReport, { referenceDate: '2024-01-01', ...parameters });

  it('rule: 1 antenna opened and inaugurated (22/06/2022, before the 31/12/2022 target date) of a target of 100, all in Action Cœur de Ville towns', () => {
    expect(table(kpis(), 'Antennes et objectif').rows).toEqual([
      {
        targetCount: 100,
        targetDate: '2022-12-31',
        opened: 1,
        inaugurated: 1,
        inauguratedByTargetDate: 1,
        active: 1,
        suspended: 0,
        closed: 0,
        // 1 / 100 = 100 basis points, opened and inaugurated alike.
        attainment: 100,
        inaugurationAttainment: 100,
        actionCoeurDeVille: 1,
        // 1 / 1 = 10000 basis points (100 %).
        actionCoeurDeVilleShare: 10_000,
      },
    ]);
  });

  it('rule: 1 candidacy and 1 laureate for the second AMI (ami-2)', () => {
    expect(table(kpis(), 'Candidatures et lauréats par appel').rows).toEqual([
      { call: 'Deuxième appel à manifestation d’intérêt « Au cœur des territoires »', number: 2, candidacies: 1, laureates: 1, rejected: 0, withdrawn: 0 },
    ]);
  });

  it('rule: 3 training courses; learners are the headcount of the latest month reported (120 in 2023-06), not 45 + 120', () => {
    // Courses: remise-a-niveau-bac-plus-1 (2021-10-04), technicien-industrie-4-0 and technologies-hydrogene (2023-09-11).
    // Learners: the headcount of June 2022 (45) then of June 2023 (120): 120 today, never 165.
    expect(table(kpis(), 'Formation').rows).toEqual([{ trainingCourses: 3, learners: 120 }]);
    expect(table(kpis(), 'Apprenants par antenne (dernier effectif déclaré)').rows).toEqual([{ antenna: 'Cnam Montbéliard — Au cœur des territoires', period: '2023-06', learners: 120 }]);
    expect(table(kpis(), 'Apprenants par mois').rows).toEqual([
      { period: '2022-06', learners: 45 },
      { period: '2023-06', learners: 120 },
    ]);
  });

  it('rule: programme money totals: forecast 786 000 €, committed 100 000 €, released 100 000 € net, received 70 000 €', () => {
    // Forecast: 786 000 € set, revised to 786 000 € (10 000 € moved from 2023 premises to 2023 teaching).
    // Released: 40 000 (t1) + 30 000 (t2) + 30 000 (t3) − 30 000 (t3 reversed) + 30 000 (t3 again) = 100 000 €.
    // Received: 40 000 (t1) + 30 000 (t2) = 70 000 €; t3 was released but its receipt is not recorded.
    expect(table(kpis(), 'Budget et financements du programme').rows).toEqual([
      { budgetForecast: 78_600_000, committed: 10_000_000, released: 10_000_000, received: 7_000_000, remaining: 0, blocked: 0, notReleasedAtClosing: 0 },
    ]);
  });
});

describe('demo: Montbéliard history', () => {
  const history = (parameters: Partial<ReportParameters> = {}) =>
    report(buildHistoryReport, { antennaId: 'montbeliard', referenceDate: '2024-01-01', ...parameters });

  it('rule: the trail holds the candidacy, antenna, budget and funding events in log order, with actors and reasons', () => {
    const rows = table(history(), 'Historique').rows;
    // The demo's facts of the candidacy, the antenna, its budget and its agreement, up to the reference date: 37.
    expect(rows.map((row) => [row.effectiveDate, row.event, row.actor, row.reason])).toEqual([
      ['2020-12-10', 'Candidature déposée', MANAGER, null],
      ['2020-12-14', 'Partenaire ajouté', MANAGER, null],
      ['2021-02-15', 'Candidature retenue', MANAGER, null],
      ['2021-03-01', 'Antenne attribuée à la candidature', MANAGER, null],
      ['2021-03-01', 'Antenne ouverte', MANAGER, null],
      ['2021-03-01', 'Phase prévue', MANAGER, null],
      ['2021-03-01', 'Phase prévue', MANAGER, null],
      ['2021-03-01', 'Budget prévisionnel établi', FINANCE, null],
      ['2021-06-01', 'Convention de financement rattachée', FINANCE, null],
      ['2021-06-01', 'Financement engagé', FINANCE, null],
      ['2021-06-01', 'Données publiques de la convention enregistrées', FINANCE, null],
      ['2021-09-01', 'Phase commencée', MANAGER, null],
      ['2021-09-15', 'Tranche versée', FINANCE, null],
      ['2021-09-20', 'Jalon atteint', MANAGER, null],
      ['2021-09-28', 'Tranche reçue', FINANCE, null],
      ['2021-10-04', 'Formation ouverte', MANAGER, null],
      ['2021-10-15', 'Dépense enregistrée', FINANCE, null],
      ['2021-12-31', 'Dépense enregistrée', FINANCE, null],
      ['2022-06-22', 'Antenne inaugurée', MANAGER, null],
      ['2022-06-30', 'Dépense enregistrée', FINANCE, null],
      ['2022-06-30', 'Dépense enregistrée', FINANCE, null],
      ['2022-07-01', 'Apprenants déclarés', MANAGER, null],
      ['2022-07-05', 'Tranche versée', FINANCE, null],
      ['2022-07-08', 'Dépense annulée', FINANCE, 'Saisie en double de la facture de l’inauguration'],
      ['2022-07-19', 'Tranche reçue', FINANCE, null],
      ['2022-10-14', 'Jalon atteint', MANAGER, null],
      ['2022-11-15', 'Phase replanifiée', MANAGER, 'Travaux préalables sur le site des Portes du Jura (report illustratif)'],
      ['2022-11-15', 'Budget prévisionnel révisé', FINANCE, 'Réaffectation après l’étude opérationnelle de 2022 (illustratif)'],
      ['2022-12-31', 'Phase terminée', MANAGER, null],
      ['2023-03-06', 'Phase commencée', MANAGER, null],
      ['2023-07-03', 'Apprenants déclarés', MANAGER, null],
      ['2023-07-03', 'Tranche versée', FINANCE, null],
      ['2023-07-10', 'Versement de tranche annulé', FINANCE, 'Condition non remplie : rapport d’activité 2022 non transmis'],
      ['2023-09-04', 'Tranche versée', FINANCE, null],
      ['2023-09-11', 'Formation ouverte', MANAGER, null],
      ['2023-09-11', 'Formation ouverte', MANAGER, null],
      ['2023-09-29', 'Dépense enregistrée', FINANCE, null],
    ]);
  });

  it('rule: each entry says what changed, in French, with euros formatted from integer cents', () => {
    const rows = table(history(), 'Historique').rows;
    // 78 600 000 cents = 786 000,00 €; 13 partners in the submitted candidacy (Mattern Lab was added later).
    expect(rows[0]).toEqual({
      effectiveDate: '2020-12-10',
      recordedAt: '2020-12-11T09:00:00.000Z',
      actor: MANAGER,
      role: 'Gestion du programme',
      event: 'Candidature déposée',
      reason: null,
      changes: `Candidature de Pays de Montbéliard Agglomération déposée (13 partenaires, budget prévisionnel ${formatEuros(78_600_000)}) à l’appel : Deuxième appel à manifestation d’intérêt « Au cœur des territoires »`,
    });
    const changes = rows.map((row) => row.changes);
    // Things are named by their names and dates read as 01/03/2023 (worded when read, from the projection's name index).
    expect(changes).toContain('Phase « Nouvelles formations sur le site de l’ancienne polyclinique des Portes du Jura » replanifiée : début 01/01/2023 → 01/03/2023');
    // 4 500 € = 450 000 cents.
    expect(changes).toContain(`Dépense « Inauguration du 22 juin 2022 (saisie en double) » du 30/06/2022 annulée : ${formatEuros(450_000)}`);
    // Tranche 3: 30 000 € = 3 000 000 cents, released, reversed, released again.
    expect(changes.filter((c) => c === `Tranche « Troisième tranche » versée par Banque des Territoires : ${formatEuros(3_000_000)}`)).toHaveLength(2);
    expect(changes).toContain(`Versement du 03/07/2023 annulé : tranche « Troisième tranche » de Banque des Territoires, ${formatEuros(3_000_000)}`);
    expect(changes).toContain(`Budget prévisionnel révisé (révision n° 1) : ${formatEuros(78_600_000)} → ${formatEuros(78_600_000)}`);
    expect(rows[rows.length - 1]).toMatchObject({ recordedAt: '2023-09-30T09:00:00.000Z', role: 'Finances' });
  });
});

describe('demo: time travel', () => {
  it('rule: as of 2022-06-21 the antenna is not inaugurated; as of 2022-06-22 it is', () => {
    const before = report(buildPhasesReport, { antennaId: 'montbeliard', asOf: '2022-06-21', referenceDate: '2022-06-21' });
    expect(table(before, 'Antenne').rows[0]).toMatchObject({ inauguratedOn: null, inaugurationPlace: null });
    const on = report(buildPhasesReport, { antennaId: 'montbeliard', asOf: '2022-06-22', referenceDate: '2022-06-22' });
    expect(table(on, 'Antenne').rows[0]).toMatchObject({ inauguratedOn: '2022-06-22', inaugurationPlace: 'Campus universitaire de Montbéliard' });
  });

  it('rule: as of 2022-12-01 phase 1 is started, not completed, and phase 2 already carries its new plan', () => {
    const r = report(buildPhasesReport, { antennaId: 'montbeliard', asOf: '2022-12-01', referenceDate: '2022-12-01' });
    expect(table(r, 'Phases').rows.map((row) => [row.status, row.actualStart, row.actualEnd, row.plannedStart, row.milestonesReached, row.latenessDays])).toEqual([
      // planned end 2022-12-31 is after 2022-12-01: on time.
      ['En cours', '2021-09-01', null, '2021-01-01', 2, 0],
      // rescheduled on 2022-11-15 to start on 2023-03-01, after 2022-12-01: on time.
      ['Prévue', null, null, '2023-03-01', 0, 0],
    ]);
    const programme = report(buildPhasesReport, { asOf: '2022-12-01', referenceDate: '2022-12-01' });
    expect(table(programme, 'Antennes par phase en cours').rows).toEqual([{ phase: 'Phase 1 en cours', antennas: 1, shareOfTarget: 100 }]);
  });

  it('rule: as of 2022-11-14 the rescheduling had not happened: phase 2 still starts on 2023-01-01', () => {
    const r = report(buildPhasesReport, { antennaId: 'montbeliard', asOf: '2022-11-14', referenceDate: '2022-11-14' });
    expect(table(r, 'Phases').rows[1]).toMatchObject({ originalPlannedStart: '2023-01-01', plannedStart: '2023-01-01' });
    expect(table(r, 'Replanifications').rows).toEqual([]);
  });

  it('rule: a known-at cut shows what was recorded then: the rescheduling is known from 2022-11-16 09:00 UTC', () => {
    // Effective 2022-11-15, recorded the next day at 09:00 UTC.
    const notYet = report(buildPhasesReport, { antennaId: 'montbeliard', knownAt: '2022-11-16T08:59:59.000Z', referenceDate: '2022-11-16' });
    expect(table(notYet, 'Phases').rows[1]).toMatchObject({ plannedStart: '2023-01-01' });
    const known = report(buildPhasesReport, { antennaId: 'montbeliard', knownAt: '2022-11-16T09:00:00.000Z', referenceDate: '2022-11-16' });
    expect(table(known, 'Phases').rows[1]).toMatchObject({ originalPlannedStart: '2023-01-01', plannedStart: '2023-03-01' });
  });

  it('rule: as of and as known at differ: the reversal of tranche 3 took effect on 2023-07-10 but was recorded on 2023-07-11', () => {
    const money = (cut: Partial<ReportParameters>) =>
      table(report(buildKpisReport, { referenceDate: '2023-07-10', ...cut }), 'Budget et financements du programme').rows[0]!.released;
    // As of 2023-07-10 (everything recorded since): 40 000 + 30 000 + 30 000 − 30 000 = 70 000 €.
    expect(money({ asOf: '2023-07-10' })).toBe(7_000_000);
    // As known at the end of 2023-07-10 UTC: the reversal was not recorded yet: 40 000 + 30 000 + 30 000 = 100 000 €.
    expect(money({ knownAt: '2023-07-10T23:59:59.000Z' })).toBe(10_000_000);
    // Known at 2023-07-11 09:00 UTC: 70 000 €.
    expect(money({ knownAt: '2023-07-11T09:00:00.000Z' })).toBe(7_000_000);
  });

  it('rule: learners reported for 2023-06 are known only from 2023-07-04 09:00 UTC', () => {
    const learners = (knownAt: string) => table(report(buildKpisReport, { knownAt, referenceDate: '2023-07-04' }), 'Formation').rows[0]!.learners;
    expect(learners('2023-07-04T08:59:59.000Z')).toBe(45);
    // June 2023's headcount replaces June 2022's as the latest: 120, not 45 + 120 = 165.
    expect(learners('2023-07-04T09:00:00.000Z')).toBe(120);
  });

  it('rule: the history as known at 2022-06-23 08:00 UTC ends before the inauguration', () => {
    const rows = table(report(buildHistoryReport, { antennaId: 'montbeliard', knownAt: '2022-06-23T08:00:00.000Z', referenceDate: '2022-06-23' }), 'Historique').rows;
    // Entries 1–18 of the full trail: up to the 2021-12-31 expenditure (recorded 2022-01-01).
    expect(rows).toHaveLength(18);
    expect(rows[rows.length - 1]).toMatchObject({ effectiveDate: '2021-12-31', event: 'Dépense enregistrée' });
    expect(rows.map((row) => row.event)).not.toContain('Antenne inaugurée');
  });

  it('rule: before the antenna was opened, its phases and history are refused as unknown', () => {
    expect(() => report(buildPhasesReport, { antennaId: 'montbeliard', asOf: '2021-02-28', referenceDate: '2021-02-28' })).toThrow('Antenne inconnue');
    expect(() => report(buildHistoryReport, { antennaId: 'montbeliard', asOf: '2021-02-28', referenceDate: '2021-02-28' })).toThrow('Antenne inconnue');
  });
});
