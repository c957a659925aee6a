import { project, projected } from '../../testing/projection-specification';
import { PhasesAntennaDocument, phasesProjection, PhasesProgrammeDocument } from './phases.projection';

const launched = projected('ProgrammeLaunched', {
  programmeId: 'acdt',
  name: 'Au cœur des territoires',
  operator: 'Cnam',
  targets: { antennaCount: 100, targetDate: '2022-12-31' },
  effectiveDate: '2019-01-15',
});
const opened = projected('AntennaOpened', {
  antennaId: 'mbl',
  candidacyId: 'ami-2--pma',
  callId: 'ami-2',
  programmeId: 'acdt',
  name: 'Cnam Montbéliard',
  town: 'Montbéliard',
  territory: { id: 'pma', name: 'PMA', region: 'BFC', actionCoeurDeVille: true },
  effectiveDate: '2021-03-01',
});
const planned1 = projected('PhasePlanned', {
  antennaId: 'mbl',
  phaseId: 'p1',
  name: 'Espace AIOA',
  site: 'Mattern Lab',
  plannedStart: '2021-01-01',
  plannedEnd: '2022-12-31',
  effectiveDate: '2021-03-01',
});
const planned2 = projected('PhasePlanned', {
  antennaId: 'mbl',
  phaseId: 'p2',
  name: 'Portes du Jura',
  plannedStart: '2023-01-01',
  plannedEnd: '2024-12-31',
  effectiveDate: '2021-03-01',
});

const openedAntenna: PhasesAntennaDocument = {
  kind: 'antenna',
  antennaId: 'mbl',
  programmeId: 'acdt',
  callId: 'ami-2',
  candidacyId: 'ami-2--pma',
  name: 'Cnam Montbéliard',
  town: 'Montbéliard',
  territory: { territoryId: 'pma', name: 'PMA', region: 'BFC', actionCoeurDeVille: true },
  status: 'active',
  statusSince: '2021-03-01',
  statusReason: null,
  openedOn: '2021-03-01',
  inauguratedOn: null,
  inaugurationPlace: null,
  phases: [],
};

const phase1Planned = {
  phaseId: 'p1',
  name: 'Espace AIOA',
  site: 'Mattern Lab',
  plannedOn: '2021-03-01',
  originalPlannedStart: '2021-01-01',
  originalPlannedEnd: '2022-12-31',
  plannedStart: '2021-01-01',
  plannedEnd: '2022-12-31',
  reschedulings: [],
  actualStart: null,
  actualEnd: null,
  status: 'planned' as const,
  milestones: [],
};
const phase2Planned = {
  ...phase1Planned,
  phaseId: 'p2',
  name: 'Portes du Jura',
  site: null,
  originalPlannedStart: '2023-01-01',
  originalPlannedEnd: '2024-12-31',
  plannedStart: '2023-01-01',
  plannedEnd: '2024-12-31',
};

describe('phases projection', () => {
  it('rule: an opened antenna starts active, with no phase, not inaugurated, and carries its territory and region (AntennaOpened)', () => {
    expect(project(phasesProjection, [opened]).get('antenna:mbl')).toEqual(openedAntenna);
  });

  it('rule: phases are listed in the order they were planned, with their site (PhasePlanned)', () => {
    expect(project(phasesProjection, [opened, planned1, planned2]).get('antenna:mbl')).toEqual({
      ...openedAntenna,
      phases: [phase1Planned, phase2Planned],
    });
  });

  it('rule: the actual start, milestones and actual end are recorded on the phase (PhaseStarted, MilestoneReached, PhaseCompleted)', () => {
    const model = project(phasesProjection, [
      opened,
      planned1,
      projected('PhaseStarted', { antennaId: 'mbl', phaseId: 'p1', effectiveDate: '2021-09-01' }),
      projected('MilestoneReached', { antennaId: 'mbl', phaseId: 'p1', milestoneId: 'aioa', name: 'Espace ouvert', effectiveDate: '2021-09-20' }),
      projected('MilestoneReached', { antennaId: 'mbl', phaseId: 'p1', milestoneId: 'etude', name: 'Étude remise', effectiveDate: '2022-10-14' }),
      projected('PhaseCompleted', { antennaId: 'mbl', phaseId: 'p1', effectiveDate: '2022-12-31' }),
    ]);
    expect(model.get('antenna:mbl')).toEqual({
      ...openedAntenna,
      phases: [
        {
          ...phase1Planned,
          actualStart: '2021-09-01',
          actualEnd: '2022-12-31',
          status: 'completed',
          milestones: [
            { milestoneId: 'aioa', name: 'Espace ouvert', reachedOn: '2021-09-20' },
            { milestoneId: 'etude', name: 'Étude remise', reachedOn: '2022-10-14' },
          ],
        },
      ],
    });
  });

  it('rule: a started phase that is not completed is "started"', () => {
    const model = project(phasesProjection, [opened, planned1, projected('PhaseStarted', { antennaId: 'mbl', phaseId: 'p1', effectiveDate: '2021-09-01' })]);
    expect(model.get('antenna:mbl')).toEqual({ ...openedAntenna, phases: [{ ...phase1Planned, actualStart: '2021-09-01', status: 'started' }] });
  });

  it('rule: rescheduling keeps the original plan visible (PhaseRescheduled)', () => {
    const model = project(phasesProjection, [
      opened,
      planned2,
      projected(
        'PhaseRescheduled',
        {
          antennaId: 'mbl',
          phaseId: 'p2',
          plannedStart: '2023-03-01',
          plannedEnd: '2024-12-31',
          previousPlannedStart: '2023-01-01',
          previousPlannedEnd: '2024-12-31',
          reason: 'Travaux préalables',
          effectiveDate: '2022-11-15',
        },
        { reason: 'Travaux préalables' },
      ),
      projected('PhaseRescheduled', {
        antennaId: 'mbl',
        phaseId: 'p2',
        plannedStart: '2023-03-01',
        plannedEnd: '2025-06-30',
        previousPlannedStart: '2023-03-01',
        previousPlannedEnd: '2024-12-31',
        reason: 'Chantier prolongé',
        effectiveDate: '2023-01-10',
      }),
    ]);
    expect(model.get('antenna:mbl')).toEqual({
      ...openedAntenna,
      phases: [
        {
          ...phase2Planned,
          originalPlannedStart: '2023-01-01',
          originalPlannedEnd: '2024-12-31',
          plannedStart: '2023-03-01',
          plannedEnd: '2025-06-30',
          reschedulings: [
            {
              effectiveDate: '2022-11-15',
              from: { plannedStart: '2023-01-01', plannedEnd: '2024-12-31' },
              to: { plannedStart: '2023-03-01', plannedEnd: '2024-12-31' },
              reason: 'Travaux préalables',
            },
            {
              effectiveDate: '2023-01-10',
              from: { plannedStart: '2023-03-01', plannedEnd: '2024-12-31' },
              to: { plannedStart: '2023-03-01', plannedEnd: '2025-06-30' },
              reason: 'Chantier prolongé',
            },
          ],
        },
      ],
    });
  });

  it('rule: the inauguration date and place are those of the event (AntennaInaugurated)', () => {
    const model = project(phasesProjection, [opened, projected('AntennaInaugurated', { antennaId: 'mbl', place: 'Campus', effectiveDate: '2022-06-22' })]);
    expect(model.get('antenna:mbl')).toEqual({ ...openedAntenna, inauguratedOn: '2022-06-22', inaugurationPlace: 'Campus' });
  });

  it('rule: suspension and closing change the status with their date and reason; resuming makes it active again (AntennaSuspended, AntennaResumed, AntennaClosed)', () => {
    const suspended = projected('AntennaSuspended', { antennaId: 'mbl', reason: 'Locaux indisponibles', effectiveDate: '2023-02-01' });
    const resumed = projected('AntennaResumed', { antennaId: 'mbl', effectiveDate: '2023-04-01' });
    const closed = projected('AntennaClosed', { antennaId: 'mbl', reason: 'Fin du programme', effectiveDate: '2025-01-31' });
    expect(project(phasesProjection, [opened, suspended]).get('antenna:mbl')).toEqual({
      ...openedAntenna,
      status: 'suspended',
      statusSince: '2023-02-01',
      statusReason: 'Locaux indisponibles',
    });
    expect(project(phasesProjection, [opened, suspended, resumed]).get('antenna:mbl')).toEqual({
      ...openedAntenna,
      status: 'active',
      statusSince: '2023-04-01',
      statusReason: null,
    });
    expect(project(phasesProjection, [opened, suspended, resumed, closed]).get('antenna:mbl')).toEqual({
      ...openedAntenna,
      status: 'closed',
      statusSince: '2025-01-31',
      statusReason: 'Fin du programme',
    });
  });

  it('rule: events on an antenna never opened, or on a phase never planned, change nothing', () => {
    const model = project(phasesProjection, [
      planned1,
      opened,
      projected('PhaseStarted', { antennaId: 'mbl', phaseId: 'inconnue', effectiveDate: '2021-09-01' }),
    ]);
    expect(model.get('antenna:mbl')).toEqual(openedAntenna);
    expect(model.list('antenna:')).toHaveLength(1);
  });

  it('rule: the programme keeps its target and the antennas opened in it (ProgrammeLaunched, AntennaOpened)', () => {
    const expected: PhasesProgrammeDocument = {
      kind: 'programme',
      programmeId: 'acdt',
      name: 'Au cœur des territoires',
      launchedOn: '2019-01-15',
      originalTarget: { antennaCount: 100, targetDate: '2022-12-31' },
      target: { antennaCount: 100, targetDate: '2022-12-31' },
      targetRevisions: [],
      antennaIds: ['mbl'],
    };
    expect(project(phasesProjection, [launched, opened]).get('programme:acdt')).toEqual(expected);
  });

  it('rule: a target revision replaces the target and keeps the original one and the reason (ProgrammeTargetsRevised)', () => {
    const revised = projected('ProgrammeTargetsRevised', {
      programmeId: 'acdt',
      targets: { antennaCount: 120, targetDate: '2023-12-31' },
      previousTargets: { antennaCount: 100, targetDate: '2022-12-31' },
      reason: 'Extension du programme',
      effectiveDate: '2021-06-01',
    });
    expect(project(phasesProjection, [launched, revised]).get('programme:acdt')).toEqual({
      kind: 'programme',
      programmeId: 'acdt',
      name: 'Au cœur des territoires',
      launchedOn: '2019-01-15',
      originalTarget: { antennaCount: 100, targetDate: '2022-12-31' },
      target: { antennaCount: 120, targetDate: '2023-12-31' },
      targetRevisions: [
        {
          effectiveDate: '2021-06-01',
          from: { antennaCount: 100, targetDate: '2022-12-31' },
          to: { antennaCount: 120, targetDate: '2023-12-31' },
          reason: 'Extension du programme',
        },
      ],
      antennaIds: [],
    });
  });

  it('rule: evolve never mutates the document it is given', () => {
    const model = project(phasesProjection, [opened, planned1]);
    const before = model.get('antenna:mbl')!;
    const snapshot = JSON.parse(JSON.stringify(before));
    phasesProjection.evolve(before, projected('PhaseStarted', { antennaId: 'mbl', phaseId: 'p1', effectiveDate: '2021-09-01' }), 'antenna:mbl');
    expect(before).toEqual(snapshot);
  });
});
