import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DomainError, PROGRAMME_REGISTRY_STREAM } from '@jalon/domain';
import { collect } from '@jalon/event-store';
import { SqliteEventStore } from '../../../event-store/src/sqlite';
import { CommandExecutor } from '../command-handling/command-executor';
import { Actor } from '../identity/roles';
import { timeOrderedIds } from '../ports';
import { commandNamed } from './index';
import { claimProgramme } from './programme.commands';
import { runCommand } from './run-command';

const marie: Actor = { id: 'marie', name: 'Marie', role: 'programme-manager' };
const clock = { now: () => new Date('2026-01-15T10:00:00Z') };

const launch = {
  programmeId: 'au-coeur-des-territoires',
  name: 'Au cœur des territoires',
  operator: 'Cnam',
  targets: { antennaCount: 100, targetDate: '2022-12-31' },
  effectiveDate: '2019-01-15',
};
const another = { ...launch, programmeId: 'autre-programme', name: 'Autre programme' };

describe('LaunchProgramme: one programme per installation (docs/decisions/0061, through runCommand, embedded SQLite store)', () => {
  let directory: string;
  let store: SqliteEventStore;
  let executor: CommandExecutor;

  // As every entry point does (HTTP, dashboard, CLI, demo): LaunchProgramme runs in two steps.
  const run = (name: string, input: unknown, options = {}) => runCommand(executor, name, input, marie, options);
  const typesIn = async (streamId: string) => (await collect(store.readStream(streamId))).map((event) => event.type);

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-programme-commands-'));
    store = SqliteEventStore.open({ file: join(directory, 'events.db') });
    executor = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('claims the programme on the installation’s registry first (ProgrammeClaimed on installation-programme), in the same correlation as the launch', async () => {
    const result = await run('LaunchProgramme', launch);
    expect(result).toMatchObject({ streamId: 'programme-au-coeur-des-territoires', written: true, events: [{ type: 'ProgrammeClaimed', streamId: 'installation-programme', revision: 0 }, { type: 'ProgrammeLaunched', streamId: 'programme-au-coeur-des-territoires', revision: 0 }] });
    expect(PROGRAMME_REGISTRY_STREAM).toBe('installation-programme');
    const [claim] = await collect(store.readStream(PROGRAMME_REGISTRY_STREAM));
    expect(claim).toMatchObject({ type: 'ProgrammeClaimed', version: 1, data: { programmeId: 'au-coeur-des-territoires', name: 'Au cœur des territoires', effectiveDate: '2019-01-15' } });
    const [launched] = await collect(store.readStream('programme-au-coeur-des-territoires'));
    expect(launched?.metadata.correlationId).toBe(claim?.metadata.correlationId);
  });

  it('rule: the same launch sent twice is one launch: the second writes nothing', async () => {
    await run('LaunchProgramme', launch);
    expect(await run('LaunchProgramme', launch)).toMatchObject({ written: false, events: [] });
    expect(await typesIn(PROGRAMME_REGISTRY_STREAM)).toEqual(['ProgrammeClaimed']);
    expect(await typesIn('programme-au-coeur-des-territoires')).toEqual(['ProgrammeLaunched']);
  });

  it('rule: an installation follows one programme: the launch of another is refused (PROGRAMME.ANOTHER_LAUNCHED, naming the one followed), nothing written', async () => {
    await run('LaunchProgramme', launch);
    const head = await store.headPosition();
    const refusal = await run('LaunchProgramme', another).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'PROGRAMME.ANOTHER_LAUNCHED', kind: 'conflict', details: { field: 'programmeId', programmeId: 'au-coeur-des-territoires' } });
    expect((refusal as DomainError).message).toContain('« Au cœur des territoires » (au-coeur-des-territoires) : une installation suit un seul programme');
    expect(await store.headPosition()).toBe(head);
    expect(await typesIn('programme-autre-programme')).toEqual([]);
  });

  it('rule: one programme per installation holds under a race: of two launches of different programmes sent together, one wins, the other is refused', async () => {
    // Two executors on one store, as two processes would be: neither queues behind the other.
    const other = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
    const outcomes = await Promise.allSettled([runCommand(executor, 'LaunchProgramme', launch, marie), runCommand(other, 'LaunchProgramme', another, marie)]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as DomainError] : []));
    expect(refused.map((error) => [error.code, error.kind])).toEqual([['PROGRAMME.ANOTHER_LAUNCHED', 'conflict']]);
    const launched = await Promise.all(['au-coeur-des-territoires', 'autre-programme'].map((id) => typesIn(`programme-${id}`)));
    expect(launched.filter((types) => types.length > 0)).toEqual([['ProgrammeLaunched']]);
    expect(await typesIn(PROGRAMME_REGISTRY_STREAM)).toEqual(['ProgrammeClaimed']);
  });

  it('rule: the launch step alone, never claimed on the registry, is refused (PROGRAMME.LAUNCH_NOT_CLAIMED)', async () => {
    await expect(executor.execute(commandNamed('LaunchProgramme'), launch, marie)).rejects.toMatchObject({ code: 'PROGRAMME.LAUNCH_NOT_CLAIMED', kind: 'conflict' });
    await run('LaunchProgramme', launch);
    await expect(executor.execute(commandNamed('LaunchProgramme'), another, marie)).rejects.toMatchObject({ code: 'PROGRAMME.ANOTHER_LAUNCHED', kind: 'conflict' });
    expect(await typesIn('programme-autre-programme')).toEqual([]);
  });

  it('rule: an interrupted launch (claimed, not launched) is completed by the same command again; another programme stays refused', async () => {
    await executor.execute(claimProgramme, launch, marie);
    expect(await typesIn('programme-au-coeur-des-territoires')).toEqual([]);
    await expect(run('LaunchProgramme', another)).rejects.toMatchObject({ code: 'PROGRAMME.ANOTHER_LAUNCHED' });
    expect(await run('LaunchProgramme', launch)).toMatchObject({ written: true, events: [{ type: 'ProgrammeLaunched', revision: 0 }] });
  });

  it('rule: a launch its rules refuse leaves no claim behind (the claim checks them too)', async () => {
    await expect(run('LaunchProgramme', { ...launch, targets: { antennaCount: 100, targetDate: '2018-12-31' } })).rejects.toMatchObject({ code: 'PROGRAMME.TARGET_DATE_BEFORE_LAUNCH' });
    // Refused by the claim, which checks it first, naming the launch the user sent.
    await expect(run('LaunchProgramme', { ...launch, effectiveDate: '2026-01-16', targets: { antennaCount: 100, targetDate: '2027-12-31' } })).rejects.toMatchObject({
      code: 'EVENT.EFFECTIVE_DATE_IN_FUTURE',
      details: { eventType: 'ProgrammeLaunched' },
    });
    expect(await store.headPosition()).toBe(0n);
    expect(await run('LaunchProgramme', another)).toMatchObject({ written: true });
  });

  describe('a history recorded before the registry (a programme launched without a claim)', () => {
    const legacyLaunch = async () => {
      const metadata = { actor: 'marie', role: 'programme-manager', correlationId: 'c', causationId: 'c', recordedAt: '2025-01-15T10:00:00.000Z' };
      await store.append('programme-au-coeur-des-territoires', [{ id: randomUUID(), type: 'ProgrammeLaunched', version: 1, data: launch, metadata }], {
        expectedRevision: 'no_stream',
      });
    };

    it('rule: the programme it launched is the one followed: another is refused (PROGRAMME.ANOTHER_LAUNCHED), nothing written', async () => {
      await legacyLaunch();
      await expect(run('LaunchProgramme', another)).rejects.toMatchObject({ code: 'PROGRAMME.ANOTHER_LAUNCHED', details: { programmeId: 'au-coeur-des-territoires' } });
      expect(await typesIn(PROGRAMME_REGISTRY_STREAM)).toEqual([]);
      expect(await typesIn('programme-autre-programme')).toEqual([]);
    });

    it('rule: the same launch again writes nothing; with other details it is refused (PROGRAMME.ALREADY_LAUNCHED) and writes nothing either', async () => {
      await legacyLaunch();
      const head = await store.headPosition();
      expect(await run('LaunchProgramme', launch)).toMatchObject({ streamId: 'programme-au-coeur-des-territoires', written: false, events: [] });
      await expect(run('LaunchProgramme', { ...launch, name: 'Autre nom' })).rejects.toMatchObject({ code: 'PROGRAMME.ALREADY_LAUNCHED' });
      expect(await store.headPosition()).toBe(head);
      await expect(run('LaunchProgramme', another)).rejects.toMatchObject({ code: 'PROGRAMME.ANOTHER_LAUNCHED' });
    });
  });
});
