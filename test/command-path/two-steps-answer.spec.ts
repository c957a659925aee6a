/**
 * The answer to a command written in two steps (decision 0012) is the answer to one request: it
 * lists what both steps wrote, each event with its stream, the claim's first. It once listed the
 * second step's events only, so a client (and `npm run demo`) counted fewer events than the log
 * holds, and the claim on the parent's stream appeared in no answer.
 */
import { CommandExecutor, runCommand, timeOrderedIds } from '@jalon/application';
import { collect, SqliteEventStore } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MONTBELIARD_HISTORY, PROGRAMME_MANAGER } from '../../apps/cli/src/demo/montbeliard-history';

const inputOf = (command: string) => {
  const step = MONTBELIARD_HISTORY.find((candidate) => candidate.command === command);
  if (!step) throw new Error(`the demo has no ${command}`);
  return step.input;
};

describe('the answer to a command written in two steps', () => {
  let directory: string;
  let store: SqliteEventStore;
  let executor: CommandExecutor;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-two-steps-answer-'));
    store = SqliteEventStore.open({ file: join(directory, 'jalon.sqlite') });
    executor = new CommandExecutor({ store, clock: { now: () => new Date('2026-01-15T10:00:00Z') }, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('rule: a launch answers both events it wrote, the registry’s claim first, each naming its stream and revision, as the log holds them', async () => {
    const result = await runCommand(executor, 'LaunchProgramme', inputOf('LaunchProgramme'), PROGRAMME_MANAGER, {
      idempotency: { key: 'launch-1', request: 'launch-1' },
      eventIdSeed: 'launch-1',
    });
    const log = await collect(store.readAll());
    expect(result.events).toEqual(log.map((event) => ({ id: event.id, type: event.type, streamId: event.streamId, revision: event.revision })));
    expect(result.events.map((event) => [event.type, event.streamId])).toEqual([
      ['ProgrammeClaimed', 'installation-programme'],
      ['ProgrammeLaunched', 'programme-au-coeur-des-territoires'],
    ]);
    // The revision for If-Match and the position stay the command's own stream's.
    expect(result).toMatchObject({ streamId: 'programme-au-coeur-des-territoires', written: true, nextExpectedRevision: 0, position: log[1]!.position.toString() });

    // A retry with the same key is answered as the first request was, and writes nothing.
    const retry = await runCommand(executor, 'LaunchProgramme', inputOf('LaunchProgramme'), PROGRAMME_MANAGER, {
      idempotency: { key: 'launch-1', request: 'launch-1' },
      eventIdSeed: 'launch-1',
    });
    expect(retry.events).toEqual(result.events);
    expect(await collect(store.readAll())).toHaveLength(2);
  });

  it('rule: the same command again, with nothing left to write, answers no event', async () => {
    await runCommand(executor, 'LaunchProgramme', inputOf('LaunchProgramme'), PROGRAMME_MANAGER);
    const again = await runCommand(executor, 'LaunchProgramme', inputOf('LaunchProgramme'), PROGRAMME_MANAGER);
    expect(again).toMatchObject({ written: false, events: [] });
  });
});
