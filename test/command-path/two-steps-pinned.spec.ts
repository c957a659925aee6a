/**
 * Commands written in two steps (decision 0012: an opening, a submission, a commitment, a launch)
 * and a revision pinned by the client (`If-Match`) on the command's own stream: a stale pin refuses
 * the whole request before anything is written. The first step once wrote its claim, then the
 * second step was refused: the claim stayed, naming a candidacy, an agreement or a programme that
 * never was (a call refusing its closing, an installation locked to a programme never launched).
 */
import { CommandExecutor, ForbiddenError, runCommand, timeOrderedIds } from '@jalon/application';
import { collect, SqliteEventStore } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FINANCE_OFFICER, MONTBELIARD_HISTORY, PROGRAMME_MANAGER } from '../../apps/cli/src/demo/montbeliard-history';
import { recordDemoHistory } from '../support/demo-history';

const inputOf = (command: string) => {
  const step = MONTBELIARD_HISTORY.find((candidate) => candidate.command === command);
  if (!step) throw new Error(`the demo has no ${command}`);
  return step.input;
};

describe('a command written in two steps, refused before its first step (a stale If-Match, a role), writes nothing', () => {
  let directory: string;
  let store: SqliteEventStore;
  let executor: CommandExecutor;
  const typesIn = async (streamId: string) => (await collect(store.readStream(streamId))).map((event) => event.type);

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-two-steps-pinned-'));
    store = SqliteEventStore.open({ file: join(directory, 'jalon.sqlite') });
    executor = new CommandExecutor({ store, clock: { now: () => new Date('2026-01-15T10:00:00Z') }, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('rule: a launch pinned to a revision its programme does not have is refused (STREAM.WRONG_EXPECTED_REVISION), and the installation’s registry claims nothing', async () => {
    const launch = inputOf('LaunchProgramme');
    await expect(runCommand(executor, 'LaunchProgramme', launch, PROGRAMME_MANAGER, { expectedRevision: 3 })).rejects.toMatchObject({
      code: 'STREAM.WRONG_EXPECTED_REVISION',
      streamId: 'programme-au-coeur-des-territoires',
    });
    expect(await typesIn('installation-programme')).toEqual([]);
    // The programme's own revision, or none for a new stream, still passes.
    await expect(runCommand(executor, 'LaunchProgramme', launch, PROGRAMME_MANAGER, { expectedRevision: 'no_stream' })).resolves.toMatchObject({ written: true });
    expect(await typesIn('installation-programme')).toEqual(['ProgrammeClaimed']);
  });

  it('rule: a submission, a commitment and an opening pinned to a stale revision are refused, and their call, antenna and candidacy record no claim', async () => {
    await recordDemoHistory(store);
    const before = {
      call: await typesIn('call-ami-2'),
      antenna: await typesIn('antenna-montbeliard'),
    };

    const submission = { ...inputOf('SubmitCandidacy'), territory: { ...(inputOf('SubmitCandidacy')['territory'] as object), id: 'pays-de-vesoul', name: 'Pays de Vesoul' } };
    await expect(runCommand(executor, 'SubmitCandidacy', submission, PROGRAMME_MANAGER, { expectedRevision: 7 })).rejects.toMatchObject({
      code: 'STREAM.WRONG_EXPECTED_REVISION',
      streamId: 'candidacy-ami-2--pays-de-vesoul',
    });
    expect(await typesIn('call-ami-2')).toEqual(before.call);

    const commitment = { ...inputOf('CommitFunding'), agreementId: 'region-montbeliard' };
    await expect(runCommand(executor, 'CommitFunding', commitment, FINANCE_OFFICER, { expectedRevision: 9 })).rejects.toMatchObject({
      code: 'STREAM.WRONG_EXPECTED_REVISION',
      streamId: 'funding-region-montbeliard',
    });
    expect(await typesIn('antenna-montbeliard')).toEqual(before.antenna);

    // A laureate without an antenna yet: its opening pinned to a revision the new antenna cannot have.
    await runCommand(executor, 'SubmitCandidacy', submission, PROGRAMME_MANAGER);
    await runCommand(executor, 'SelectCandidacy', { candidacyId: 'ami-2--pays-de-vesoul', criteria: ['Dynamique partenariale'], effectiveDate: '2021-02-15' }, PROGRAMME_MANAGER);
    const candidacy = await typesIn('candidacy-ami-2--pays-de-vesoul');
    const opening = { ...inputOf('OpenAntenna'), antennaId: 'vesoul', candidacyId: 'ami-2--pays-de-vesoul', town: 'Vesoul' };
    await expect(runCommand(executor, 'OpenAntenna', opening, PROGRAMME_MANAGER, { expectedRevision: 0 })).rejects.toMatchObject({
      code: 'STREAM.WRONG_EXPECTED_REVISION',
      streamId: 'antenna-vesoul',
    });
    expect(await typesIn('candidacy-ami-2--pays-de-vesoul')).toEqual(candidacy);
  });

  it('roles: a role that may not run the command is refused naming the command it sent, never its first step, and nothing is written', async () => {
    const cases = [
      ['LaunchProgramme', FINANCE_OFFICER],
      ['SubmitCandidacy', FINANCE_OFFICER],
      ['CommitFunding', PROGRAMME_MANAGER],
      ['OpenAntenna', FINANCE_OFFICER],
    ] as const;
    for (const [command, actor] of cases) {
      const error = await runCommand(executor, command, inputOf(command), actor).then(() => undefined, (failure: unknown) => failure);
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as Error).message).toContain(`la commande ${command}`);
    }
    expect(await store.headPosition()).toBe(0n);
  });

  it('rule: a keyed request replayed under the pin it was first sent with is answered by its replay, not refused', async () => {
    const launch = inputOf('LaunchProgramme');
    const keyed = { idempotency: { key: 'cle-lancement', request: 'empreinte' }, eventIdSeed: 'cle-lancement', expectedRevision: 'no_stream' as const };
    const first = await runCommand(executor, 'LaunchProgramme', launch, PROGRAMME_MANAGER, keyed);
    await expect(runCommand(executor, 'LaunchProgramme', launch, PROGRAMME_MANAGER, keyed)).resolves.toMatchObject({ position: first.position, events: first.events });
  });
});
