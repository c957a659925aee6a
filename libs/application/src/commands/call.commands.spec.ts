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
import { callCommands } from './call.commands';
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

// The articles do not print the AMI's dates: these are illustrative.
const openCall = {
  callId: 'ami-2',
  programmeId: 'au-coeur-des-territoires',
  title: "Deuxième appel à manifestation d'intérêt « Au cœur des territoires »",
  number: 2,
  opensOn: '2020-10-01',
  closesOn: '2020-12-15',
  criteria: ['dynamique partenariale locale', 'diversité des établissements de formation'],
  effectiveDate: '2020-09-28',
};

describe('call commands (through CommandExecutor, embedded SQLite store)', () => {
  let directory: string;
  let store: SqliteEventStore;
  let executor: CommandExecutor;

  // As every entry point does: LaunchProgramme claims the installation's registry first (docs/decisions/0061).
  const run = (name: string, input: unknown, actor: Actor = marie) => runCommand(executor, name, input, actor);
  const typesIn = async (streamId: string) => (await collect(store.readStream(streamId))).map((event) => event.type);
  const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
  const violationsOf = async (promise: Promise<unknown>) => {
    const error = await failureOf(promise);
    expect(error).toBeInstanceOf(InputValidationError);
    return (error as InputValidationError).violations.map(({ field, rule }) => ({ field, rule }));
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-call-commands-'));
    store = SqliteEventStore.open({ file: join(directory, 'events.db') });
    executor = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('catalogue: every call command is registered under its domain name and open to programme writers only', () => {
    expect(callCommands.map((definition) => definition.name)).toEqual(['OpenCallForApplications', 'CloseCallForApplications']);
    for (const definition of callCommands) {
      expect(commandNamed(definition.name)).toBe(definition);
      expect([...definition.roles].sort()).toEqual(['admin', 'programme-manager']);
    }
  });

  describe('OpenCallForApplications', () => {
    it('appends CallForApplicationsOpened to the call’s stream when the programme is launched', async () => {
      await run('LaunchProgramme', launchProgramme);
      const result = await run('OpenCallForApplications', openCall);
      expect(result).toMatchObject({ streamId: 'call-ami-2', written: true, events: [{ type: 'CallForApplicationsOpened', revision: 0 }] });
      const [event] = await collect(store.readStream('call-ami-2'));
      expect(event?.data).toEqual(openCall);
      expect(event?.metadata).toMatchObject({ actor: 'marie', actorName: 'Marie', role: 'programme-manager' });
    });

    it('rule: opening the same call again with the same details writes nothing', async () => {
      await run('LaunchProgramme', launchProgramme);
      await run('OpenCallForApplications', openCall);
      const repeat = await run('OpenCallForApplications', openCall);
      expect(repeat).toMatchObject({ written: false, nextExpectedRevision: 0, events: [] });
      expect(await typesIn('call-ami-2')).toEqual(['CallForApplicationsOpened']);
    });

    it('look-up: a call of a programme never launched is refused (PROGRAMME.NOT_FOUND) and nothing is written', async () => {
      const error = await failureOf(run('OpenCallForApplications', openCall));
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'PROGRAMME.NOT_FOUND', kind: 'not-found' });
      expect(await typesIn('call-ami-2')).toEqual([]);
    });

    it('input: missing field, bad slug, bad date, wrong integer and unknown field are each named with their rule', async () => {
      await run('LaunchProgramme', launchProgramme);
      const { title: _title, ...withoutTitle } = openCall;
      const violations = await violationsOf(
        run('OpenCallForApplications', { ...withoutTitle, callId: 'AMI 2', closesOn: '2020-02-30', number: 0, deadline: 'x' }),
      );
      expect(violations).toEqual(
        expect.arrayContaining([
          { field: 'title', rule: 'isText' },
          { field: 'callId', rule: 'isSlug' },
          { field: 'closesOn', rule: 'isIsoDate' },
          { field: 'number', rule: 'min' },
          { field: 'deadline', rule: 'whitelistValidation' },
        ]),
      );
      expect(await typesIn('call-ami-2')).toEqual([]);
    });

    it('input: each criterion is a non-empty text (isText, reported on the list field)', async () => {
      await run('LaunchProgramme', launchProgramme);
      const violations = await violationsOf(run('OpenCallForApplications', { ...openCall, criteria: ['ok', '   '] }));
      expect(violations).toEqual([{ field: 'criteria', rule: 'isText' }]);
    });

    it('input: messages the user reads are in French', async () => {
      const error = await failureOf(run('OpenCallForApplications', { ...openCall, surprise: true }));
      expect((error as InputValidationError).violations[0]?.message).toBe('le champ surprise n’est pas attendu');
    });

    it('roles: an auditor may not open a call (ForbiddenError) and nothing is written', async () => {
      await run('LaunchProgramme', launchProgramme);
      const error = await failureOf(run('OpenCallForApplications', openCall, { id: 'anne', name: 'Anne', role: 'auditor' }));
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(await typesIn('call-ami-2')).toEqual([]);
    });
  });

  describe('CloseCallForApplications', () => {
    const close = { callId: 'ami-2', effectiveDate: '2020-12-15' };

    it('appends CallForApplicationsClosed to the call’s stream', async () => {
      await run('LaunchProgramme', launchProgramme);
      await run('OpenCallForApplications', openCall);
      const result = await run('CloseCallForApplications', close);
      expect(result).toMatchObject({ streamId: 'call-ami-2', written: true, events: [{ type: 'CallForApplicationsClosed', revision: 1 }] });
      expect(await typesIn('call-ami-2')).toEqual(['CallForApplicationsOpened', 'CallForApplicationsClosed']);
    });

    it('rule: closing again on the same date writes nothing', async () => {
      await run('LaunchProgramme', launchProgramme);
      await run('OpenCallForApplications', openCall);
      await run('CloseCallForApplications', close);
      expect(await run('CloseCallForApplications', close)).toMatchObject({ written: false, events: [] });
      expect(await typesIn('call-ami-2')).toHaveLength(2);
    });

    it('rule: only an opened call can be closed (CALL.NOT_FOUND)', async () => {
      await expect(run('CloseCallForApplications', close)).rejects.toMatchObject({ code: 'CALL.NOT_FOUND' });
      expect(await typesIn('call-ami-2')).toEqual([]);
    });

    it('input: the closing date must be a real date (isIsoDate)', async () => {
      expect(await violationsOf(run('CloseCallForApplications', { callId: 'ami-2', effectiveDate: '15/12/2020' }))).toEqual([
        { field: 'effectiveDate', rule: 'isIsoDate' },
      ]);
    });

    it('roles: finance may not close a call (ForbiddenError)', async () => {
      await expect(run('CloseCallForApplications', close, { id: 'fabien', name: 'Fabien', role: 'finance' })).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    });
  });
});
