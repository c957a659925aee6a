import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@jalon/domain';
import { collect } from '@jalon/event-store';
import { SqliteEventStore } from '../../../event-store/src/sqlite';
import { CommandExecutor } from '../command-handling/command-executor';
import { ForbiddenError, InputValidationError } from '../errors';
import { Actor } from '../identity/roles';
import { timeOrderedIds } from '../ports';
import { antennaCommands, assignCandidacyAntenna } from './antenna.commands';
import { commandNamed } from './index';
import { runCommand } from './run-command';

const marie: Actor = { id: 'marie', name: 'Marie', role: 'programme-manager' };
const clock = { now: () => new Date('2026-01-15T10:00:00Z') };

const candidacyId = 'ami-2--pays-de-montbeliard';
const stream = 'antenna-montbeliard';

// The Montbéliard antenna as the articles tell it; dates not in the articles are illustrative.
const history: readonly (readonly [string, object])[] = [
  [
    'LaunchProgramme',
    {
      programmeId: 'au-coeur-des-territoires',
      name: 'Au cœur des territoires',
      operator: 'Cnam',
      targets: { antennaCount: 100, targetDate: '2022-12-31' },
      effectiveDate: '2019-01-15',
    },
  ],
  [
    'OpenCallForApplications',
    {
      callId: 'ami-2',
      programmeId: 'au-coeur-des-territoires',
      title: 'Deuxième AMI',
      number: 2,
      opensOn: '2020-10-01',
      closesOn: '2020-12-15',
      criteria: [],
      effectiveDate: '2020-09-28',
    },
  ],
  [
    'SubmitCandidacy',
    {
      callId: 'ami-2',
      territory: {
        id: 'pays-de-montbeliard',
        name: 'Pays de Montbéliard Agglomération',
        kind: 'agglomeration',
        region: 'Bourgogne-Franche-Comté',
        actionCoeurDeVille: true,
      },
      partners: [{ name: 'UIMM', kind: 'employer' }],
      trainingNeeds: ['Technologie hydrogène'],
      effectiveDate: '2020-12-10',
    },
  ],
];
const select = { candidacyId, criteria: ['dynamique partenariale locale forte'], effectiveDate: '2020-12-15' };

const open = { antennaId: 'montbeliard', candidacyId, name: 'Cnam Pays de Montbéliard', town: 'Montbéliard', effectiveDate: '2021-01-11' };
const plan = {
  antennaId: 'montbeliard',
  phaseId: 'aioa-mattern-lab',
  name: "Espace d'accueil, d'information et d'orientation (AIOA)",
  site: 'Mattern Lab',
  plannedStart: '2021-01-01',
  plannedEnd: '2022-12-31',
  effectiveDate: '2021-01-11',
};
const start = { antennaId: 'montbeliard', phaseId: 'aioa-mattern-lab', effectiveDate: '2021-03-01' };

describe('antenna commands (through CommandExecutor, embedded SQLite store)', () => {
  let directory: string;
  let store: SqliteEventStore;
  let executor: CommandExecutor;

  // As every entry point does (HTTP, dashboard, CLI, demo): OpenAntenna runs in two steps.
  const run = (name: string, input: unknown, actor: Actor = marie) => runCommand(executor, name, input, actor);
  const typesIn = async (streamId: string) => (await collect(store.readStream(streamId))).map((event) => event.type);
  const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
  const violationsOf = async (promise: Promise<unknown>) => {
    const error = await failureOf(promise);
    expect(error).toBeInstanceOf(InputValidationError);
    return (error as InputValidationError).violations.map(({ field, rule }) => ({ field, rule }));
  };
  const submittedCandidacy = async () => {
    for (const [name, input] of history) await run(name, input);
  };
  const openedAntenna = async () => {
    await submittedCandidacy();
    await run('SelectCandidacy', select);
    await run('OpenAntenna', open);
  };
  /** Runs a command twice: the first appends `type`, the second (identical) writes nothing. */
  const appendsOnce = async (name: string, input: object, type: string) => {
    const first = await run(name, input);
    expect(first).toMatchObject({ streamId: stream, written: true, events: [{ type }] });
    const again = await run(name, input);
    expect(again).toMatchObject({ written: false, events: [], nextExpectedRevision: first.nextExpectedRevision });
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-antenna-commands-'));
    store = SqliteEventStore.open({ file: join(directory, 'events.db') });
    executor = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('catalogue', () => {
    it('every antenna command is registered under its domain name and open to programme writers only', () => {
      expect(antennaCommands.map((definition) => definition.name)).toEqual([
        'OpenAntenna',
        'PlanPhase',
        'StartPhase',
        'ReachMilestone',
        'ReschedulePhase',
        'CompletePhase',
        'InaugurateAntenna',
        'OpenTrainingCourse',
        'ReportLearners',
        'SuspendAntenna',
        'ResumeAntenna',
        'CloseAntenna',
      ]);
      for (const definition of antennaCommands) {
        expect(commandNamed(definition.name)).toBe(definition);
        expect([...definition.roles].sort()).toEqual(['admin', 'programme-manager']);
      }
    });

  });

  describe('OpenAntenna', () => {
    it('appends AntennaOpened with the call, programme and territory read from the selected candidacy', async () => {
      await submittedCandidacy();
      await run('SelectCandidacy', select);
      const result = await run('OpenAntenna', open);
      expect(result).toMatchObject({ streamId: stream, written: true, events: [{ type: 'CandidacyAntennaAssigned', streamId: 'candidacy-ami-2--pays-de-montbeliard' }, { type: 'AntennaOpened', streamId: stream, revision: 0 }] });
      const [event] = await collect(store.readStream(stream));
      expect(event?.data).toEqual({
        ...open,
        callId: 'ami-2',
        programmeId: 'au-coeur-des-territoires',
        territory: { id: 'pays-de-montbeliard', name: 'Pays de Montbéliard Agglomération', region: 'Bourgogne-Franche-Comté', actionCoeurDeVille: true },
      });
    });

    it('claims the antenna on the candidacy stream first (CandidacyAntennaAssigned), in the same correlation as the opening', async () => {
      await openedAntenna();
      const [claim] = (await collect(store.readStream(`candidacy-${candidacyId}`))).filter((event) => event.type === 'CandidacyAntennaAssigned');
      expect(claim?.data).toEqual({ candidacyId, callId: 'ami-2', territoryId: 'pays-de-montbeliard', antennaId: 'montbeliard', effectiveDate: '2021-01-11' });
      const [opening] = await collect(store.readStream(stream));
      expect(opening?.metadata.correlationId).toBe(claim?.metadata.correlationId);
    });

    it('rule: opening the same antenna again writes nothing', async () => {
      await openedAntenna();
      expect(await run('OpenAntenna', open)).toMatchObject({ written: false, events: [] });
      expect(await typesIn(stream)).toEqual(['AntennaOpened']);
      expect((await typesIn(`candidacy-${candidacyId}`)).filter((type) => type === 'CandidacyAntennaAssigned')).toHaveLength(1);
    });

    it('rule: one selected candidacy opens one antenna: a second antenna id is refused (CANDIDACY.ANTENNA_ALREADY_ASSIGNED), nothing written', async () => {
      await openedAntenna();
      await expect(run('OpenAntenna', { ...open, antennaId: 'montbeliard-bis' })).rejects.toMatchObject({
        code: 'CANDIDACY.ANTENNA_ALREADY_ASSIGNED',
        kind: 'conflict',
      });
      expect(await typesIn('antenna-montbeliard-bis')).toEqual([]);
    });

    it('rule: one antenna per candidacy holds under a race: of two simultaneous openings with different ids, one succeeds, the other gets a 409 code', async () => {
      // Two executors on one store, as two processes would be: neither queues behind the other.
      const other = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
      await submittedCandidacy();
      await run('SelectCandidacy', select);
      const outcomes = await Promise.allSettled([
        runCommand(executor, 'OpenAntenna', open, marie),
        runCommand(other, 'OpenAntenna', { ...open, antennaId: 'pays-de-montbeliard' }, marie),
        runCommand(executor, 'OpenAntenna', { ...open, antennaId: 'montbeliard-agglo' }, marie),
      ]);
      const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as DomainError] : []));
      expect(fulfilled).toHaveLength(1);
      expect(refused.map((error) => [error.code, error.kind])).toEqual([
        ['CANDIDACY.ANTENNA_ALREADY_ASSIGNED', 'conflict'],
        ['CANDIDACY.ANTENNA_ALREADY_ASSIGNED', 'conflict'],
      ]);
      const opened = await Promise.all(['montbeliard', 'pays-de-montbeliard', 'montbeliard-agglo'].map((id) => typesIn(`antenna-${id}`)));
      expect(opened.filter((types) => types.length > 0)).toEqual([['AntennaOpened']]);
      expect((await typesIn(`candidacy-${candidacyId}`)).filter((type) => type === 'CandidacyAntennaAssigned')).toHaveLength(1);
    });

    it('rule: an interrupted opening (claimed, not opened) is completed by the same command again', async () => {
      await submittedCandidacy();
      await run('SelectCandidacy', select);
      await executor.execute(assignCandidacyAntenna, open, marie);
      expect(await typesIn(stream)).toEqual([]);
      await expect(run('OpenAntenna', { ...open, antennaId: 'autre-antenne' })).rejects.toMatchObject({ code: 'CANDIDACY.ANTENNA_ALREADY_ASSIGNED' });
      expect(await run('OpenAntenna', open)).toMatchObject({ written: true, events: [{ type: 'AntennaOpened', revision: 0 }] });
    });

    it('rule: the opening step alone, never claimed on the candidacy, is refused (ANTENNA.OPENING_NOT_CLAIMED)', async () => {
      await submittedCandidacy();
      await run('SelectCandidacy', select);
      await expect(executor.execute(commandNamed('OpenAntenna'), open, marie)).rejects.toMatchObject({ code: 'ANTENNA.OPENING_NOT_CLAIMED', kind: 'conflict' });
      expect(await typesIn(stream)).toEqual([]);
    });

    it('rule: an antenna id opened from another candidacy cannot be claimed (ANTENNA.ALREADY_OPENED), nothing written', async () => {
      await openedAntenna();
      await run('SubmitCandidacy', { ...history[2]![1], territory: { id: 'chaumont', name: 'Chaumont', kind: 'commune', region: 'Grand Est', actionCoeurDeVille: true } });
      await run('SelectCandidacy', { ...select, candidacyId: 'ami-2--chaumont' });
      await expect(run('OpenAntenna', { ...open, candidacyId: 'ami-2--chaumont' })).rejects.toMatchObject({ code: 'ANTENNA.ALREADY_OPENED', kind: 'conflict' });
      expect(await typesIn('candidacy-ami-2--chaumont')).toEqual(['CandidacySubmitted', 'CandidacySelected']);
    });

    it('rule: learners are not reported for a month still to come (LEARNERS.PERIOD_IN_FUTURE), nothing written', async () => {
      await openedAntenna();
      await expect(run('ReportLearners', { antennaId: 'montbeliard', period: '2099-01', learners: 3, effectiveDate: '2021-10-05' })).rejects.toMatchObject({
        code: 'LEARNERS.PERIOD_IN_FUTURE',
        details: { field: 'period' },
      });
      expect(await typesIn(stream)).toEqual(['AntennaOpened']);
    });

    it('look-up: an antenna opens only from a selected candidacy (ANTENNA.CANDIDACY_NOT_SELECTED), nothing is written', async () => {
      await submittedCandidacy();
      const error = await failureOf(run('OpenAntenna', open));
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'ANTENNA.CANDIDACY_NOT_SELECTED', kind: 'rule' });
      expect(await typesIn(stream)).toEqual([]);
    });

    it('look-up: a candidacy never submitted is not found (CANDIDACY.NOT_FOUND)', async () => {
      await expect(run('OpenAntenna', open)).rejects.toMatchObject({ code: 'CANDIDACY.NOT_FOUND', kind: 'not-found' });
    });

    it('input: missing field, bad slug, bad candidacy id, bad date and unknown field are each named with their rule', async () => {
      const { town: _town, ...withoutTown } = open;
      const violations = await violationsOf(
        run('OpenAntenna', { ...withoutTown, antennaId: 'Montbéliard', candidacyId: 'pays-de-montbeliard', effectiveDate: '2021-1-11', callId: 'ami-2' }),
      );
      expect(violations).toEqual(
        expect.arrayContaining([
          { field: 'town', rule: 'isText' },
          { field: 'antennaId', rule: 'isSlug' },
          { field: 'candidacyId', rule: 'isCandidacyId' },
          { field: 'effectiveDate', rule: 'isIsoDate' },
          { field: 'callId', rule: 'whitelistValidation' },
        ]),
      );
      expect(await typesIn(stream)).toEqual([]);
    });

    it('roles: an auditor may not open an antenna (ForbiddenError)', async () => {
      await submittedCandidacy();
      await run('SelectCandidacy', select);
      await expect(run('OpenAntenna', open, { id: 'anne', name: 'Anne', role: 'auditor' })).rejects.toBeInstanceOf(ForbiddenError);
      expect(await typesIn(stream)).toEqual([]);
    });
  });

  describe('phases', () => {
    it('PlanPhase appends PhasePlanned (the optional site may be left out); repeating it writes nothing', async () => {
      await openedAntenna();
      await appendsOnce('PlanPhase', plan, 'PhasePlanned');
      const { site: _site, ...withoutSite } = { ...plan, phaseId: 'portes-du-jura' };
      await appendsOnce('PlanPhase', withoutSite, 'PhasePlanned');
    });

    it('StartPhase, ReachMilestone and CompletePhase append their events; repeats write nothing', async () => {
      await openedAntenna();
      await run('PlanPhase', plan);
      await appendsOnce('StartPhase', start, 'PhaseStarted');
      await appendsOnce(
        'ReachMilestone',
        { ...start, milestoneId: 'first-distance-modules', name: 'Premiers modules à distance ouverts', effectiveDate: '2021-09-13' },
        'MilestoneReached',
      );
      await appendsOnce('CompletePhase', { ...start, effectiveDate: '2022-12-16' }, 'PhaseCompleted');
      expect(await typesIn(stream)).toEqual(['AntennaOpened', 'PhasePlanned', 'PhaseStarted', 'MilestoneReached', 'PhaseCompleted']);
    });

    it('ReschedulePhase appends PhaseRescheduled carrying the plan it replaces; repeating it writes nothing', async () => {
      await openedAntenna();
      await run('PlanPhase', plan);
      const reschedule = { ...start, plannedStart: '2021-01-01', plannedEnd: '2023-06-30', reason: 'Travaux au Mattern Lab', effectiveDate: '2022-02-01' };
      await appendsOnce('ReschedulePhase', reschedule, 'PhaseRescheduled');
      const events = await collect(store.readStream(stream));
      expect(events[2]?.data).toEqual({ ...reschedule, previousPlannedStart: '2021-01-01', previousPlannedEnd: '2022-12-31' });
      expect(events[2]?.metadata.reason).toBe('Travaux au Mattern Lab');
    });

    it('rule: a phase must be planned before it starts (PHASE.NOT_FOUND)', async () => {
      await openedAntenna();
      await expect(run('StartPhase', start)).rejects.toMatchObject({ code: 'PHASE.NOT_FOUND' });
    });

    it('rule: nothing happens to an antenna never opened (ANTENNA.NOT_FOUND)', async () => {
      await expect(run('PlanPhase', plan)).rejects.toMatchObject({ code: 'ANTENNA.NOT_FOUND' });
      expect(await typesIn(stream)).toEqual([]);
    });

    it('input: route parameters are validated like body fields (phaseId isSlug, plannedEnd isIsoDate)', async () => {
      expect(await violationsOf(run('PlanPhase', { ...plan, phaseId: 'phase 1', plannedEnd: '2022-12-32' }))).toEqual([
        { field: 'phaseId', rule: 'isSlug' },
        { field: 'plannedEnd', rule: 'isIsoDate' },
      ]);
      expect(await violationsOf(run('StartPhase', { effectiveDate: '2021-03-01' }))).toEqual([
        { field: 'antennaId', rule: 'isSlug' },
        { field: 'phaseId', rule: 'isSlug' },
      ]);
    });

    it('input: a rescheduling gives a reason (isText)', async () => {
      expect(
        await violationsOf(run('ReschedulePhase', { ...start, plannedStart: '2021-01-01', plannedEnd: '2023-06-30', effectiveDate: '2022-02-01' })),
      ).toEqual([{ field: 'reason', rule: 'isText' }]);
    });
  });

  describe('life of the antenna', () => {
    it('InaugurateAntenna and OpenTrainingCourse append their events; repeats write nothing', async () => {
      await openedAntenna();
      await appendsOnce('InaugurateAntenna', { antennaId: 'montbeliard', place: 'Campus universitaire de Montbéliard', effectiveDate: '2022-06-22' }, 'AntennaInaugurated');
      await appendsOnce(
        'OpenTrainingCourse',
        {
          antennaId: 'montbeliard',
          courseId: 'industrie-4-0',
          title: 'Industrie 4.0 en alternance',
          sector: 'industrie',
          level: 'BAC+2',
          mode: 'work-study',
          effectiveDate: '2021-09-01',
        },
        'TrainingCourseOpened',
      );
    });

    it('input: a training mode is one of the domain’s modes (isIn)', async () => {
      const course = { antennaId: 'montbeliard', courseId: 'c', title: 't', sector: 's', level: 'l', mode: 'online', effectiveDate: '2021-09-01' };
      expect(await violationsOf(run('OpenTrainingCourse', course))).toEqual([{ field: 'mode', rule: 'isIn' }]);
    });

    it('ReportLearners appends LearnersReported; the same count again writes nothing; a correction needs a reason', async () => {
      await openedAntenna();
      const report = { antennaId: 'montbeliard', period: '2021-09', learners: 24, effectiveDate: '2021-10-05' };
      await appendsOnce('ReportLearners', report, 'LearnersReported');
      await expect(run('ReportLearners', { ...report, learners: 26 })).rejects.toMatchObject({ code: 'LEARNERS.CORRECTION_NEEDS_REASON' });
      await appendsOnce('ReportLearners', { ...report, learners: 26, reason: 'Deux inscriptions tardives' }, 'LearnersReported');
    });

    it('input: a period is a month YYYY-MM (matches, French message) and a learner count is a whole number ≥ 0', async () => {
      const error = await failureOf(run('ReportLearners', { antennaId: 'montbeliard', period: '2021-13', learners: -1, effectiveDate: '2021-10-05' }));
      expect(error).toBeInstanceOf(InputValidationError);
      const violations = (error as InputValidationError).violations;
      expect(violations.map(({ field, rule }) => ({ field, rule }))).toEqual([
        { field: 'period', rule: 'matches' },
        { field: 'learners', rule: 'min' },
      ]);
      expect(violations[0]?.message).toBe('period doit être un mois au format AAAA-MM (ex. 2021-09)');
      expect(await violationsOf(run('ReportLearners', { antennaId: 'montbeliard', period: '2021-09', learners: 2.5, effectiveDate: '2021-10-05' }))).toEqual([
        { field: 'learners', rule: 'isInt' },
      ]);
    });

    it('SuspendAntenna, ResumeAntenna and CloseAntenna append their events; repeats write nothing', async () => {
      await openedAntenna();
      await appendsOnce('SuspendAntenna', { antennaId: 'montbeliard', reason: 'Travaux de mise en sécurité', effectiveDate: '2022-02-01' }, 'AntennaSuspended');
      await appendsOnce('ResumeAntenna', { antennaId: 'montbeliard', effectiveDate: '2022-03-01' }, 'AntennaResumed');
      await appendsOnce('CloseAntenna', { antennaId: 'montbeliard', reason: 'Fin du programme', effectiveDate: '2024-12-31' }, 'AntennaClosed');
      expect(await typesIn(stream)).toEqual(['AntennaOpened', 'AntennaSuspended', 'AntennaResumed', 'AntennaClosed']);
    });

    it('rule: a closed antenna accepts nothing more (ANTENNA.CLOSED)', async () => {
      await openedAntenna();
      await run('CloseAntenna', { antennaId: 'montbeliard', reason: 'Fin du programme', effectiveDate: '2024-12-31' });
      await expect(run('PlanPhase', plan)).rejects.toMatchObject({ code: 'ANTENNA.CLOSED' });
    });

    it('input: a suspension gives a reason (isText)', async () => {
      expect(await violationsOf(run('SuspendAntenna', { antennaId: 'montbeliard', effectiveDate: '2022-02-01' }))).toEqual([
        { field: 'reason', rule: 'isText' },
      ]);
    });

    it('rule: effective dates may not lie in the future of the clock (2026-01-15, Europe/Paris)', async () => {
      await openedAntenna();
      const error = await failureOf(run('SuspendAntenna', { antennaId: 'montbeliard', reason: 'Travaux', effectiveDate: '2026-01-16' }));
      expect(error).toBeInstanceOf(DomainError);
      expect(await typesIn(stream)).toEqual(['AntennaOpened']);
    });

    it('roles: finance may not suspend an antenna (ForbiddenError), nothing is written', async () => {
      await openedAntenna();
      await expect(
        run('SuspendAntenna', { antennaId: 'montbeliard', reason: 'x', effectiveDate: '2022-02-01' }, { id: 'fabien', name: 'Fabien', role: 'finance' }),
      ).rejects.toBeInstanceOf(ForbiddenError);
      expect(await typesIn(stream)).toEqual(['AntennaOpened']);
    });
  });
});
