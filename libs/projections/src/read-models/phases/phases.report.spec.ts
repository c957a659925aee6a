import { ReportParameters, ReportSubjectNotFoundError } from '@jalon/reporting';
import { ReadModelView } from '../../projection';
import { InMemoryReadModel } from '../../runner/in-memory-read-model';
import { project, projected } from '../../testing/projection-specification';
import { PhaseProgress, phasesProjection } from './phases.projection';
import { buildPhasesReport, phaseLatenessDays, PhasesAntennaReportData } from './phases.report';
import { fr } from '../../../../reporting/src/testing/french-spaces';

function modelsOf(...models: InMemoryReadModel<any>[]) {
  return {
    view<Doc>(name: string): ReadModelView<Doc> {
      const model = models.find((m) => m.projection.name === name);
      if (!model) throw new Error(`no read model ${name}`);
      return model as ReadModelView<Doc>;
    },
  };
}

const phase: PhaseProgress = {
  phaseId: 'p',
  name: 'Phase',
  site: null,
  plannedOn: '2021-01-01',
  originalPlannedStart: '2021-01-01',
  originalPlannedEnd: '2021-12-31',
  plannedStart: '2021-03-01',
  plannedEnd: '2021-12-31',
  reschedulings: [],
  actualStart: null,
  actualEnd: null,
  status: 'planned',
  milestones: [],
};

describe('phase lateness', () => {
  it('rule: a phase not started is late by the days since its current planned start', () => {
    // 2021-03-01 → 2021-03-11: 10 days.
    expect(phaseLatenessDays(phase, '2021-03-11')).toBe(10);
    expect(phaseLatenessDays(phase, '2021-03-01')).toBe(0);
    expect(phaseLatenessDays(phase, '2021-02-01')).toBe(0);
  });

  it('rule: a started phase is judged on its current planned end, not on its start', () => {
    const started: PhaseProgress = { ...phase, actualStart: '2021-06-01', status: 'started' };
    expect(phaseLatenessDays(started, '2021-12-31')).toBe(0);
    // 2021-12-31 → 2022-01-31: 31 days.
    expect(phaseLatenessDays(started, '2022-01-31')).toBe(31);
  });

  it('rule: a completed phase is judged on its actual end, whatever the reference date', () => {
    const completed: PhaseProgress = { ...phase, actualStart: '2021-06-01', actualEnd: '2022-01-05', status: 'completed' };
    // 2021-12-31 → 2022-01-05: 5 days.
    expect(phaseLatenessDays(completed, '2030-01-01')).toBe(5);
    expect(phaseLatenessDays({ ...completed, actualEnd: '2021-11-30' }, '2030-01-01')).toBe(0);
  });

  it('rule: lateness is measured against the plan in force, not the original plan', () => {
    // Originally planned to start 2021-01-01, rescheduled to 2021-03-01: on 2021-02-15 it is not late.
    expect(phaseLatenessDays(phase, '2021-02-15')).toBe(0);
  });
});

const events = () => [
  projected('ProgrammeLaunched', {
    programmeId: 'acdt',
    name: 'Au cœur des territoires',
    operator: 'Cnam',
    targets: { antennaCount: 4, targetDate: '2022-12-31' },
    effectiveDate: '2019-01-15',
  }),
  ...(['a', 'b', 'c'] as const).map((id) =>
    projected('AntennaOpened', {
      antennaId: id,
      candidacyId: `ami--${id}`,
      callId: 'ami',
      programmeId: 'acdt',
      name: `Antenne ${id.toUpperCase()}`,
      town: `Ville ${id.toUpperCase()}`,
      territory: { id, name: id, region: 'r', actionCoeurDeVille: true },
      effectiveDate: '2021-01-10',
    }),
  ),
  projected('PhasePlanned', { antennaId: 'a', phaseId: 'a1', name: 'Accueil', site: 'Lab', plannedStart: '2021-01-01', plannedEnd: '2021-12-31', effectiveDate: '2021-01-10' }),
  projected('PhasePlanned', { antennaId: 'a', phaseId: 'a2', name: 'Formations', plannedStart: '2022-01-01', plannedEnd: '2022-12-31', effectiveDate: '2021-01-10' }),
  projected('PhaseStarted', { antennaId: 'a', phaseId: 'a1', effectiveDate: '2021-02-01' }),
  projected('MilestoneReached', { antennaId: 'a', phaseId: 'a1', milestoneId: 'm', name: 'Espace ouvert', effectiveDate: '2021-03-01' }),
  projected('PhaseCompleted', { antennaId: 'a', phaseId: 'a1', effectiveDate: '2022-01-20' }),
  projected(
    'PhaseRescheduled',
    {
      antennaId: 'a',
      phaseId: 'a2',
      plannedStart: '2022-03-01',
      plannedEnd: '2022-12-31',
      previousPlannedStart: '2022-01-01',
      previousPlannedEnd: '2022-12-31',
      reason: 'Travaux',
      effectiveDate: '2021-12-01',
    },
    { reason: 'Travaux' },
  ),
  projected('AntennaInaugurated', { antennaId: 'a', place: 'Campus', effectiveDate: '2021-06-22' }),
  projected('PhasePlanned', { antennaId: 'b', phaseId: 'b1', name: 'Accueil', plannedStart: '2021-02-01', plannedEnd: '2022-06-30', effectiveDate: '2021-01-10' }),
  projected('PhaseStarted', { antennaId: 'b', phaseId: 'b1', effectiveDate: '2021-02-01' }),
  projected('AntennaSuspended', { antennaId: 'c', reason: 'Locaux fermés', effectiveDate: '2021-05-01' }),
];

const parameters = (extra: Partial<ReportParameters> = {}): ReportParameters => ({ referenceDate: '2022-04-01', ...extra });

describe('phases report for one antenna', () => {
  const models = () => modelsOf(project(phasesProjection, events()));

  it('rule: one row per phase with initial and current plans, actual dates, status, milestones and lateness', () => {
    const report = buildPhasesReport(models(), parameters({ antennaId: 'a' }));
    expect(report.kind).toBe('phases');
    expect(report.title).toBe('Avancement des phases — Antenne A');
    const phases = report.tables.find((t) => t.title === 'Phases')!;
    expect(phases.columns.map((c) => c.label)).toEqual([
      'Phase',
      'Site',
      'Début prévu (initial)',
      'Début prévu (actuel)',
      'Début réel',
      'Fin prévue (initiale)',
      'Fin prévue (actuelle)',
      'Fin réelle',
      'Statut',
      'Jalons atteints',
      'Retard (jours)',
    ]);
    expect(phases.rows).toEqual([
      {
        phase: 'Accueil',
        site: 'Lab',
        originalPlannedStart: '2021-01-01',
        plannedStart: '2021-01-01',
        actualStart: '2021-02-01',
        originalPlannedEnd: '2021-12-31',
        plannedEnd: '2021-12-31',
        actualEnd: '2022-01-20',
        status: 'Terminée',
        milestonesReached: 1,
        // completed 2022-01-20 for a planned end on 2021-12-31: 20 days late.
        latenessDays: 20,
      },
      {
        phase: 'Formations',
        site: null,
        originalPlannedStart: '2022-01-01',
        plannedStart: '2022-03-01',
        actualStart: null,
        originalPlannedEnd: '2022-12-31',
        plannedEnd: '2022-12-31',
        actualEnd: null,
        status: 'Prévue',
        milestonesReached: 0,
        // not started, current planned start 2022-03-01, reference 2022-04-01: 31 days.
        latenessDays: 31,
      },
    ]);
  });

  it('rule: the antenna table shows its status, opening and inauguration', () => {
    const report = buildPhasesReport(models(), parameters({ antennaId: 'a' }));
    expect(report.tables[0]).toMatchObject({
      title: 'Antenne',
      rows: [{ antenna: 'Antenne A', town: 'Ville A', status: 'Active', openedOn: '2021-01-10', inauguratedOn: '2021-06-22', inaugurationPlace: 'Campus' }],
    });
  });

  it('rule: reschedulings and milestones are listed with their dates and reasons', () => {
    const report = buildPhasesReport(models(), parameters({ antennaId: 'a' }));
    expect(report.tables.find((t) => t.title === 'Replanifications')!.rows).toEqual([
      {
        phase: 'Formations',
        effectiveDate: '2021-12-01',
        previousPlannedStart: '2022-01-01',
        plannedStart: '2022-03-01',
        previousPlannedEnd: '2022-12-31',
        plannedEnd: '2022-12-31',
        reason: 'Travaux',
      },
    ]);
    expect(report.tables.find((t) => t.title === 'Jalons atteints')!.rows).toEqual([{ phase: 'Accueil', milestone: 'Espace ouvert', reachedOn: '2021-03-01' }]);
  });

  it('rule: lateness depends on the reference date, never on the projection', () => {
    const before = buildPhasesReport(models(), parameters({ antennaId: 'a', referenceDate: '2022-02-15' }));
    expect(before.tables.find((t) => t.title === 'Phases')!.rows[1]!.latenessDays).toBe(0);
    expect(before.notes).toContain(fr('La phase « Accueil » est en retard de 20 jours.'));
    expect(before.notes).not.toContain(fr('La phase « Formations » est en retard de 31 jours.'));
    const after = buildPhasesReport(models(), parameters({ antennaId: 'a' }));
    expect(after.notes).toContain(fr('La phase « Formations » est en retard de 31 jours.'));
  });

  it('rule: an unknown antenna is refused with a French message', () => {
    expect(() => buildPhasesReport(models(), parameters({ antennaId: 'nulle-part' }))).toThrow('Antenne inconnue : « nulle-part »');
    // The API answers 404 for this error.
    expect(() => buildPhasesReport(models(), parameters({ antennaId: 'nulle-part' }))).toThrow(ReportSubjectNotFoundError);
  });
});

describe('a closed antenna (Antenne B closed on 01/08/2022, its phase 1 started, due to end on 30/06/2022)', () => {
  const closed = () => modelsOf(project(phasesProjection, [...events(), projected('AntennaClosed', { antennaId: 'b', reason: 'Fin du programme local', effectiveDate: '2022-08-01' })]));

  it('rule: a closed antenna accepts nothing more, so its phases’ lateness stops at its closing instead of growing for ever, and its phase left started reads « interrompue », not « en cours »', () => {
    const antenna = buildPhasesReport(closed(), parameters({ antennaId: 'b', referenceDate: '2023-01-01' }));
    // 30/06/2022 → 01/08/2022: 32 days, whatever the reference date after the closing.
    expect(antenna.tables.find((t) => t.title === 'Phases')!.rows.map((row) => row.latenessDays)).toEqual([32]);
    expect(antenna.notes?.[0]).toBe(fr('Retards arrêtés au 01/08/2022, jour de la fermeture de l’antenne (rien ne peut plus y commencer ni s’y achever), par rapport au plan en vigueur.'));
    expect((antenna.data as { currentPhase: string }).currentPhase).toBe('Phase 1 interrompue (antenne fermée) : Accueil');
    const programme = buildPhasesReport(closed(), parameters({ referenceDate: '2023-01-01' }));
    expect(programme.tables.find((t) => t.title === 'Antennes')!.rows.find((row) => row.antenna === 'Antenne B')).toMatchObject({
      currentPhase: 'Phase 1 interrompue (antenne fermée) : Accueil',
      latenessDays: 32,
    });
    // Before its closing it was late as any open antenna: on 31/07/2022, 31 days, phase 1 « en cours ».
    const before = buildPhasesReport(closed(), parameters({ antennaId: 'b', referenceDate: '2022-07-31' }));
    expect(before.tables.find((t) => t.title === 'Phases')!.rows.map((row) => row.latenessDays)).toEqual([31]);
  });

  it('rule: the phase left started reads « Interrompue (antenne fermée) » in the table of phases and in the data every output reads (the dashboard’s table and chart), from the closing day on, and « En cours » before it', () => {
    const situations = (referenceDate: string) => {
      const report = buildPhasesReport(closed(), parameters({ antennaId: 'b', referenceDate }));
      const data = report.data as PhasesAntennaReportData;
      return {
        table: report.tables.find((t) => t.title === 'Phases')!.rows.map((row) => row.status),
        data: data.antenna.phases.map((phase) => phase.situation),
        current: data.currentPhase,
      };
    };
    expect(situations('2023-01-01')).toEqual({ table: ['Interrompue (antenne fermée)'], data: ['interrupted'], current: 'Phase 1 interrompue (antenne fermée) : Accueil' });
    expect(situations('2022-08-01')).toEqual({ table: ['Interrompue (antenne fermée)'], data: ['interrupted'], current: 'Phase 1 interrompue (antenne fermée) : Accueil' });
    expect(situations('2022-07-31')).toEqual({ table: ['En cours'], data: ['started'], current: 'Phase 1 en cours : Accueil' });
  });
});

describe('phases report for the programme', () => {
  const report = () => buildPhasesReport(modelsOf(project(phasesProjection, events())), parameters());

  it('rule: antennas opened are compared with the target as a rate in basis points', () => {
    expect(report().title).toBe('Avancement du programme — Au cœur des territoires');
    // 3 antennas opened of a target of 4: 3 × 10000 / 4 = 7500 basis points.
    expect(report().tables[0]).toMatchObject({
      title: 'Objectif du programme',
      rows: [{ programme: 'Au cœur des territoires', targetCount: 4, targetDate: '2022-12-31', opened: 3, attainment: 7500 }],
    });
  });

  it('rule: antennas are counted per status against the target', () => {
    const table = report().tables.find((t) => t.title === 'Antennes par statut')!;
    expect(table.rows).toEqual([
      { status: 'Active', antennas: 2, shareOfTarget: 5000 },
      { status: 'Suspendue', antennas: 1, shareOfTarget: 2500 },
      { status: 'Fermée', antennas: 0, shareOfTarget: 0 },
    ]);
    expect(table.totals).toEqual({ status: 'Total', antennas: 3, shareOfTarget: 7500 });
  });

  it('rule: antennas are counted per current phase (rank in their own plan)', () => {
    const table = report().tables.find((t) => t.title === 'Antennes par phase en cours')!;
    expect(table.rows).toEqual([
      { phase: 'Aucune phase prévue', antennas: 1, shareOfTarget: 2500 },
      { phase: 'Phase 1 en cours', antennas: 1, shareOfTarget: 2500 },
      { phase: 'Phase 2 à commencer', antennas: 1, shareOfTarget: 2500 },
    ]);
  });

  it('rule: each antenna shows its current phase and its worst lateness', () => {
    const table = report().tables.find((t) => t.title === 'Antennes')!;
    expect(table.rows).toEqual([
      {
        antenna: 'Antenne A',
        town: 'Ville A',
        status: 'Active',
        openedOn: '2021-01-10',
        inauguratedOn: '2021-06-22',
        currentPhase: 'Phase 2 à commencer : Formations',
        phasesCompleted: 1,
        phasesPlanned: 2,
        // phase 1: 20 days (completed late), phase 2: 31 days (not started since 2022-03-01).
        latenessDays: 31,
      },
      {
        antenna: 'Antenne B',
        town: 'Ville B',
        status: 'Active',
        openedOn: '2021-01-10',
        inauguratedOn: null,
        currentPhase: 'Phase 1 en cours : Accueil',
        phasesCompleted: 0,
        phasesPlanned: 1,
        // started, planned end 2022-06-30 after the reference date: on time.
        latenessDays: 0,
      },
      {
        antenna: 'Antenne C',
        town: 'Ville C',
        status: 'Suspendue',
        openedOn: '2021-01-10',
        inauguratedOn: null,
        currentPhase: 'Aucune phase prévue',
        phasesCompleted: 0,
        phasesPlanned: 0,
        latenessDays: 0,
      },
    ]);
  });

  it('rule: each antenna of the programme carries its territory, region, call and candidacy (the overview filters on them)', () => {
    const data = report().data;
    if (!('programmes' in data)) throw new Error('a programme report was expected');
    expect(data.programmes[0]!.antennas.map(({ antennaId, territory, callId, candidacyId }) => ({ antennaId, territory, callId, candidacyId }))).toEqual(
      ['a', 'b', 'c'].map((id) => ({ antennaId: id, territory: { territoryId: id, name: id, region: 'r', actionCoeurDeVille: true }, callId: 'ami', candidacyId: `ami--${id}` })),
    );
  });

  it('rule: a target date passed is noted with the antennas opened', () => {
    const late = buildPhasesReport(modelsOf(project(phasesProjection, events())), parameters({ referenceDate: '2023-01-01' }));
    expect(late.notes).toContain('Échéance du 31/12/2022 dépassée : 3 antennes ouvertes pour un objectif de 4.');
  });

  it('rule: an empty history gives an empty programme view, not an error', () => {
    const empty = buildPhasesReport(modelsOf(project(phasesProjection, [])), parameters());
    expect(empty.tables).toEqual([]);
    expect(empty.notes).toContain('Aucun programme enregistré à cette date.');
  });
});
