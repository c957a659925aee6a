import { randomUUID } from 'node:crypto';
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
import { candidacyCommands, isCandidacyId, registerCallCandidacy } from './candidacy.commands';
import { commandNamed } from './index';
import { runCommand } from './run-command';

const marie: Actor = { id: 'marie', name: 'Marie', role: 'programme-manager' };
const clock = { now: () => new Date('2026-01-15T10:00:00Z') };

const launchProgramme = {
  programmeId: 'au-coeur-des-territoires',
  name: 'Au cœur des territoires',
  operator: 'Cnam',
  targets: { antennaCount: 100, targetDate: '2022-12-31' },
  effectiveDate: '2019-01-15',
};

const openCall = {
  callId: 'ami-2',
  programmeId: 'au-coeur-des-territoires',
  title: "Deuxième appel à manifestation d'intérêt « Au cœur des territoires »",
  number: 2,
  opensOn: '2020-10-01',
  closesOn: '2020-12-15',
  criteria: ['dynamique partenariale locale'],
  effectiveDate: '2020-09-28',
};

// Facts from the articles (PMA's figures, partners, needs, 786,000 € forecast); the dates are illustrative.
const submit = {
  callId: 'ami-2',
  territory: {
    id: 'pays-de-montbeliard',
    name: 'Pays de Montbéliard Agglomération',
    kind: 'agglomeration',
    region: 'Bourgogne-Franche-Comté',
    department: 'Doubs',
    actionCoeurDeVille: true,
    figures: { jobs: 59_000, companies: 2_900, students: 3_770, industrialEmploymentPercent: 30, belowBaccalaureatePercent: 34 },
  },
  partners: [
    { name: 'Cnam Bourgogne-Franche-Comté', kind: 'academic' },
    { name: 'Ville de Montbéliard', kind: 'local-authority' },
    { name: 'UIMM', kind: 'employer' },
    { name: 'Pôle emploi', kind: 'employment-service' },
  ],
  trainingNeeds: ['Industrie 4.0, formations hybrides, apprentissage et alternance', 'Technologie hydrogène'],
  projectedBudgetCents: 78_600_000,
  effectiveDate: '2020-12-10',
};

const candidacyId = 'ami-2--pays-de-montbeliard';
const stream = `candidacy-${candidacyId}`;

describe('candidacy commands (through CommandExecutor, embedded SQLite store)', () => {
  let directory: string;
  let store: SqliteEventStore;
  let executor: CommandExecutor;

  // As every entry point does: LaunchProgramme claims the installation's registry first (0061), a submission registers its candidacy on the call first (0062).
  const run = (name: string, input: unknown, actor: Actor = marie) => runCommand(executor, name, input, actor);
  const typesIn = async (streamId: string) => (await collect(store.readStream(streamId))).map((event) => event.type);
  const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
  const violationsOf = async (promise: Promise<unknown>) => {
    const error = await failureOf(promise);
    expect(error).toBeInstanceOf(InputValidationError);
    return (error as InputValidationError).violations.map(({ field, rule }) => ({ field, rule }));
  };
  const openedCall = async () => {
    await run('LaunchProgramme', launchProgramme);
    await run('OpenCallForApplications', openCall);
  };
  const submitted = async () => {
    await openedCall();
    await run('SubmitCandidacy', submit);
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-candidacy-commands-'));
    store = SqliteEventStore.open({ file: join(directory, 'events.db') });
    executor = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('catalogue', () => {
    it('every candidacy command is registered under its domain name and open to programme writers only', () => {
      expect(candidacyCommands.map((definition) => definition.name)).toEqual([
        'SubmitCandidacy',
        'AddCandidacyPartner',
        'SelectCandidacy',
        'RejectCandidacy',
        'WithdrawCandidacy',
      ]);
      for (const definition of candidacyCommands) {
        expect(commandNamed(definition.name)).toBe(definition);
        expect([...definition.roles].sort()).toEqual(['admin', 'programme-manager']);
      }
    });

    it('rule: a candidacy id is <callId>--<territoryId>, both slugs', () => {
      expect(isCandidacyId(candidacyId)).toBe(true);
      expect(isCandidacyId('montbeliard')).toBe(false);
      expect(isCandidacyId('ami-2--pays--de-montbeliard')).toBe(false);
      expect(isCandidacyId('AMI-2--montbeliard')).toBe(false);
      expect(isCandidacyId(`ami-2--${'a'.repeat(65)}`)).toBe(false);
    });
  });

  describe('SubmitCandidacy', () => {
    it('appends CandidacySubmitted to the stream named after the call and the territory, with the call’s programme', async () => {
      await openedCall();
      const result = await run('SubmitCandidacy', submit);
      expect(result).toMatchObject({ streamId: stream, written: true, events: [{ type: 'CallCandidacyRegistered', streamId: 'call-ami-2' }, { type: 'CandidacySubmitted', streamId: stream, revision: 0 }] });
      const [event] = await collect(store.readStream(stream));
      expect(event?.data).toEqual({ candidacyId, programmeId: 'au-coeur-des-territoires', ...submit });
    });

    it('rule: submitting the same candidacy again writes nothing', async () => {
      await submitted();
      expect(await run('SubmitCandidacy', submit)).toMatchObject({ written: false, events: [] });
      expect(await typesIn(stream)).toEqual(['CandidacySubmitted']);
    });

    it('look-up: a candidacy to a call never opened is refused (CALL.NOT_FOUND) and nothing is written', async () => {
      await run('LaunchProgramme', launchProgramme);
      const error = await failureOf(run('SubmitCandidacy', { ...submit, callId: 'ami-9' }));
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'CALL.NOT_FOUND', kind: 'not-found' });
      expect(await typesIn('candidacy-ami-9--pays-de-montbeliard')).toEqual([]);
    });

    it('look-up: the call’s period, read from its stream, bounds the submission (CANDIDACY.CALL_NOT_OPEN)', async () => {
      await openedCall();
      await expect(run('SubmitCandidacy', { ...submit, effectiveDate: '2021-01-10' })).rejects.toMatchObject({
        code: 'CANDIDACY.CALL_NOT_OPEN',
      });
    });

    it('input: nested fields are named by their path with the rule they break, and nothing is written', async () => {
      await openedCall();
      const violations = await violationsOf(
        run('SubmitCandidacy', {
          ...submit,
          territory: { ...submit.territory, kind: 'village', mayor: 'x', figures: { ...submit.territory.figures, jobs: 59.5 } },
          partners: [{ name: 'UIMM', kind: 'union' }],
          projectedBudgetCents: 786_000.5,
          effectiveDate: '2020-13-01',
        }),
      );
      expect(violations).toEqual(
        expect.arrayContaining([
          { field: 'territory.kind', rule: 'isIn' },
          { field: 'territory.mayor', rule: 'whitelistValidation' },
          { field: 'territory.figures.jobs', rule: 'isInt' },
          { field: 'partners.0.kind', rule: 'isIn' },
          { field: 'projectedBudgetCents', rule: 'isCents' },
          { field: 'effectiveDate', rule: 'isIsoDate' },
        ]),
      );
      expect(await typesIn(stream)).toEqual([]);
    });

    it('input: the territory is required (isDefined), and its id is a slug (isSlug)', async () => {
      const { territory: _territory, ...withoutTerritory } = submit;
      expect(await violationsOf(run('SubmitCandidacy', withoutTerritory))).toEqual([{ field: 'territory', rule: 'isDefined' }]);
      expect(await violationsOf(run('SubmitCandidacy', { ...submit, territory: { ...submit.territory, id: 'Pays de Montbéliard' } }))).toEqual([
        { field: 'territory.id', rule: 'isSlug' },
      ]);
    });

    it('input: a share is a percentage between 0 and 100 (max)', async () => {
      const figures = { ...submit.territory.figures, industrialEmploymentPercent: 130 };
      expect(await violationsOf(run('SubmitCandidacy', { ...submit, territory: { ...submit.territory, figures } }))).toEqual([
        { field: 'territory.figures.industrialEmploymentPercent', rule: 'max' },
      ]);
    });

    describe('the call lists the candidacies it received (docs/decisions/0062)', () => {
      const callStream = 'call-ami-2';

      it('a submission registers the candidacy on its call first, then records it on its own stream', async () => {
        await openedCall();
        await run('SubmitCandidacy', submit);
        expect(await typesIn(callStream)).toEqual(['CallForApplicationsOpened', 'CallCandidacyRegistered']);
        const [, registration] = await collect(store.readStream(callStream));
        expect(registration?.data).toEqual({
          callId: 'ami-2',
          candidacyId,
          territoryId: 'pays-de-montbeliard',
          territoryName: 'Pays de Montbéliard Agglomération',
          effectiveDate: '2020-12-10',
        });
        expect(await typesIn(stream)).toEqual(['CandidacySubmitted']);
        // The same submission again registers nothing more.
        await run('SubmitCandidacy', submit);
        expect(await typesIn(callStream)).toEqual(['CallForApplicationsOpened', 'CallCandidacyRegistered']);
      });

      it('rule: a call is not closed before a candidacy it received (CALL.CLOSED_BEFORE_LAST_CANDIDACY), and nothing is written', async () => {
        await submitted();
        await expect(run('CloseCallForApplications', { callId: 'ami-2', effectiveDate: '2020-12-01' })).rejects.toMatchObject({
          code: 'CALL.CLOSED_BEFORE_LAST_CANDIDACY',
          details: { field: 'effectiveDate', latestCandidacyOn: '2020-12-10', candidacyId },
        });
        expect(await typesIn(callStream)).toEqual(['CallForApplicationsOpened', 'CallCandidacyRegistered']);
        // On the day of the last candidacy, or after it, the call closes.
        await expect(run('CloseCallForApplications', { callId: 'ami-2', effectiveDate: '2020-12-10' })).resolves.toMatchObject({ written: true });
      });

      it('rule: a submission and a closing dated before it, sent together, never both pass: one is refused by its rule, in either order', async () => {
        for (const order of ['submission first', 'closing first'] as const) {
          await store.close();
          rmSync(directory, { recursive: true, force: true });
          directory = mkdtempSync(join(tmpdir(), 'jalon-candidacy-commands-'));
          store = SqliteEventStore.open({ file: join(directory, 'events.db') });
          executor = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
          await openedCall();
          const submission = () => run('SubmitCandidacy', submit);
          const closing = () => run('CloseCallForApplications', { callId: 'ami-2', effectiveDate: '2020-12-01' });
          const settled = await Promise.allSettled(order === 'submission first' ? [submission(), closing()] : [closing(), submission()]);
          const refused = settled.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
          expect(refused).toHaveLength(1);
          expect(['CALL.CLOSED_BEFORE_LAST_CANDIDACY', 'CANDIDACY.CALL_NOT_OPEN']).toContain((refused[0]!.reason as DomainError).code);
          const types = await typesIn(callStream);
          // Registered and closed after it, or closed and nothing registered: never a candidacy after the closing.
          expect([
            ['CallForApplicationsOpened', 'CallCandidacyRegistered'],
            ['CallForApplicationsOpened', 'CallForApplicationsClosed'],
          ]).toContainEqual(types);
          expect(await typesIn(stream)).toEqual(types.includes('CallCandidacyRegistered') ? ['CandidacySubmitted'] : []);
        }
      });

      it('rule: the submission step alone records nothing its call has not registered (CANDIDACY.SUBMISSION_NOT_REGISTERED)', async () => {
        await openedCall();
        await expect(executor.execute(commandNamed('SubmitCandidacy'), submit, marie)).rejects.toMatchObject({
          code: 'CANDIDACY.SUBMISSION_NOT_REGISTERED',
          kind: 'conflict',
        });
        expect(await typesIn(stream)).toEqual([]);
      });

      it('rule: a submission refused for its own data registers nothing on its call', async () => {
        await openedCall();
        const twice = [submit.partners[0], { ...submit.partners[0], name: 'CNAM Bourgogne-Franche-Comté' }];
        await expect(run('SubmitCandidacy', { ...submit, partners: twice })).rejects.toMatchObject({ code: 'CANDIDACY.DUPLICATE_PARTNER' });
        await expect(run('SubmitCandidacy', { ...submit, effectiveDate: '2020-09-30' })).rejects.toMatchObject({ code: 'CANDIDACY.CALL_NOT_OPEN' });
        expect(await typesIn(callStream)).toEqual(['CallForApplicationsOpened']);
        expect(await typesIn(stream)).toEqual([]);
      });

      it('an interrupted submission sent again at another date registers that date, and the closing follows it', async () => {
        await openedCall();
        // The first attempt stopped after its first step (a crash between the two).
        await executor.execute(registerCallCandidacy, { ...submit, effectiveDate: '2020-11-02' }, marie);
        await run('SubmitCandidacy', submit);
        expect(await typesIn(callStream)).toEqual(['CallForApplicationsOpened', 'CallCandidacyRegistered', 'CallCandidacyRegistered']);
        await expect(run('CloseCallForApplications', { callId: 'ami-2', effectiveDate: '2020-11-15' })).rejects.toMatchObject({
          code: 'CALL.CLOSED_BEFORE_LAST_CANDIDACY',
        });
      });

      describe('a history recorded before calls listed their candidacies (docs/decisions/0064)', () => {
        // The submission alone, as recorded before 0062: no registration on the call's stream.
        const legacySubmission = async () => {
          await openedCall();
          await store.append(
            stream,
            [
              {
                id: randomUUID(),
                type: 'CandidacySubmitted',
                version: 1,
                data: { candidacyId, programmeId: 'au-coeur-des-territoires', ...submit },
                metadata: { actor: 'marie', role: 'programme-manager', correlationId: 'c', causationId: 'c', recordedAt: '2020-12-10T09:00:00Z' },
              },
            ],
            { expectedRevision: 'no_stream' },
          );
        };

        it('rule: the same submission sent again registers the candidacy on its call at its submission’s date, and nothing else; the closing then follows it', async () => {
          await legacySubmission();
          const head = await store.headPosition();
          expect(await run('SubmitCandidacy', submit)).toMatchObject({ written: true });
          const events = await collect(store.readAll({ after: head }));
          expect(events.map(({ streamId, type, data }) => ({ streamId, type, data }))).toEqual([
            {
              streamId: callStream,
              type: 'CallCandidacyRegistered',
              data: { callId: 'ami-2', candidacyId, territoryId: 'pays-de-montbeliard', territoryName: 'Pays de Montbéliard Agglomération', effectiveDate: '2020-12-10' },
            },
          ]);
          expect(await typesIn(stream)).toEqual(['CandidacySubmitted']);
          await expect(run('CloseCallForApplications', { callId: 'ami-2', effectiveDate: '2020-12-01' })).rejects.toMatchObject({
            code: 'CALL.CLOSED_BEFORE_LAST_CANDIDACY',
            details: { latestCandidacyOn: '2020-12-10', candidacyId },
          });
        });

        it('rule: sent once more, the same submission writes nothing (the registration is recorded once)', async () => {
          await legacySubmission();
          await run('SubmitCandidacy', submit);
          const head = await store.headPosition();
          expect(await run('SubmitCandidacy', submit)).toMatchObject({ written: false, events: [] });
          expect(await store.headPosition()).toBe(head);
          expect(await typesIn(callStream)).toEqual(['CallForApplicationsOpened', 'CallCandidacyRegistered']);
        });

        it('rule: a submission with other details is refused (CANDIDACY.ALREADY_SUBMITTED) and registers nothing', async () => {
          await legacySubmission();
          const head = await store.headPosition();
          await expect(run('SubmitCandidacy', { ...submit, effectiveDate: '2020-12-12' })).rejects.toMatchObject({ code: 'CANDIDACY.ALREADY_SUBMITTED' });
          await expect(run('SubmitCandidacy', { ...submit, trainingNeeds: ['Technologie hydrogène'] })).rejects.toMatchObject({ code: 'CANDIDACY.ALREADY_SUBMITTED' });
          expect(await store.headPosition()).toBe(head);
        });

        it('rule: on a call already closed, the same submission again writes nothing (no closing is left to guard)', async () => {
          await legacySubmission();
          await run('CloseCallForApplications', { callId: 'ami-2', effectiveDate: '2020-12-15' });
          const head = await store.headPosition();
          expect(await run('SubmitCandidacy', submit)).toMatchObject({ written: false });
          expect(await store.headPosition()).toBe(head);
        });
      });

      it('rule: a second candidacy with other details registers nothing (CANDIDACY.ALREADY_SUBMITTED)', async () => {
        await submitted();
        await expect(run('SubmitCandidacy', { ...submit, effectiveDate: '2020-12-12' })).rejects.toMatchObject({ code: 'CANDIDACY.ALREADY_SUBMITTED' });
        expect(await typesIn(callStream)).toEqual(['CallForApplicationsOpened', 'CallCandidacyRegistered']);
      });
    });

    it('roles: an auditor may not submit a candidacy (ForbiddenError)', async () => {
      await openedCall();
      await expect(run('SubmitCandidacy', submit, { id: 'anne', name: 'Anne', role: 'auditor' })).rejects.toBeInstanceOf(ForbiddenError);
      expect(await typesIn(stream)).toEqual([]);
    });
  });

  describe('AddCandidacyPartner', () => {
    const add = { candidacyId, partner: { name: 'Mattern Lab', kind: 'other' }, effectiveDate: '2021-01-20' };

    it('appends CandidacyPartnerAdded; repeating it writes nothing', async () => {
      await submitted();
      expect(await run('AddCandidacyPartner', add)).toMatchObject({ streamId: stream, events: [{ type: 'CandidacyPartnerAdded' }] });
      expect(await run('AddCandidacyPartner', add)).toMatchObject({ written: false });
      expect(await typesIn(stream)).toEqual(['CandidacySubmitted', 'CandidacyPartnerAdded']);
    });

    it('input: the candidacy id is <callId>--<territoryId> (isCandidacyId); the partner is required (isDefined)', async () => {
      const violations = await violationsOf(run('AddCandidacyPartner', { candidacyId: 'montbeliard', effectiveDate: '2021-01-20' }));
      expect(violations).toEqual([
        { field: 'candidacyId', rule: 'isCandidacyId' },
        { field: 'partner', rule: 'isDefined' },
      ]);
    });

    it('input: the partner’s fields are checked (partner.kind isIn, partner.name isText)', async () => {
      expect(await violationsOf(run('AddCandidacyPartner', { ...add, partner: { name: '', kind: 'friend' } }))).toEqual([
        { field: 'partner.name', rule: 'isText' },
        { field: 'partner.kind', rule: 'isIn' },
      ]);
    });

    it('rule: a partner joins only a submitted candidacy (CANDIDACY.NOT_FOUND)', async () => {
      await expect(run('AddCandidacyPartner', add)).rejects.toMatchObject({ code: 'CANDIDACY.NOT_FOUND' });
    });
  });

  describe('SelectCandidacy', () => {
    const select = { candidacyId, criteria: ['dynamique partenariale locale forte'], effectiveDate: '2021-02-15' };

    it('appends CandidacySelected; repeating it writes nothing', async () => {
      await submitted();
      expect(await run('SelectCandidacy', select)).toMatchObject({ streamId: stream, events: [{ type: 'CandidacySelected' }] });
      expect(await run('SelectCandidacy', select)).toMatchObject({ written: false });
      expect(await typesIn(stream)).toEqual(['CandidacySubmitted', 'CandidacySelected']);
    });

    it('input: a selection gives at least one criterion (arrayMinSize)', async () => {
      expect(await violationsOf(run('SelectCandidacy', { ...select, criteria: [] }))).toEqual([{ field: 'criteria', rule: 'arrayMinSize' }]);
    });

    it('rule: a rejected candidacy cannot be selected (CANDIDACY.ALREADY_DECIDED)', async () => {
      await submitted();
      await run('RejectCandidacy', { candidacyId, reason: 'Dossier incomplet', effectiveDate: '2021-02-15' });
      await expect(run('SelectCandidacy', select)).rejects.toMatchObject({ code: 'CANDIDACY.ALREADY_DECIDED' });
    });
  });

  describe('RejectCandidacy', () => {
    const reject = { candidacyId, reason: 'Dossier incomplet', effectiveDate: '2021-02-15' };

    it('appends CandidacyRejected with its reason in the metadata; repeating it writes nothing', async () => {
      await submitted();
      await run('RejectCandidacy', reject);
      expect(await run('RejectCandidacy', reject)).toMatchObject({ written: false });
      const events = await collect(store.readStream(stream));
      expect(events.map((event) => event.type)).toEqual(['CandidacySubmitted', 'CandidacyRejected']);
      expect(events[1]?.metadata.reason).toBe('Dossier incomplet');
    });

    it('input: a rejection gives a reason (isText)', async () => {
      expect(await violationsOf(run('RejectCandidacy', { ...reject, reason: '  ' }))).toEqual([{ field: 'reason', rule: 'isText' }]);
    });
  });

  describe('WithdrawCandidacy', () => {
    const withdraw = { candidacyId, reason: 'Le territoire renonce', effectiveDate: '2021-03-01' };

    it('appends CandidacyWithdrawn; repeating it writes nothing', async () => {
      await submitted();
      expect(await run('WithdrawCandidacy', withdraw)).toMatchObject({ events: [{ type: 'CandidacyWithdrawn' }] });
      expect(await run('WithdrawCandidacy', withdraw)).toMatchObject({ written: false });
      expect(await typesIn(stream)).toEqual(['CandidacySubmitted', 'CandidacyWithdrawn']);
    });

    it('roles: finance may not withdraw a candidacy (ForbiddenError)', async () => {
      await submitted();
      await expect(run('WithdrawCandidacy', withdraw, { id: 'fabien', name: 'Fabien', role: 'finance' })).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      expect(await typesIn(stream)).toEqual(['CandidacySubmitted']);
    });
  });
});
