import { CommandExecutor, commandNamed, IdempotencyKeyReusedError, IdempotencyService, runCommand, timeOrderedIds } from '@jalon/application';
import { collect, eventHash, GENESIS_HASH, SqliteEventStore } from '@jalon/event-store';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { tsNodeArgs } from '../support/spawn-ts';
import { KEYED_ACTOR as manager, KEYED_LAUNCH as launch } from '../support/keyed-command-child';
import { conventionOf as convention } from '../support/programme-launch';

const clock = { now: () => new Date('2026-01-15T10:00:00Z') };
const signConvention = commandNamed('SignConvention');

describe('The command path: hash chain, one queue per stream, idempotency in the same append', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;
  let executor: CommandExecutor;
  let idempotency: IdempotencyService;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-command-path-'));
    file = join(dir, 'jalon.sqlite');
    store = SqliteEventStore.open({ file });
    executor = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
    idempotency = new IdempotencyService(store);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // As every entry point sends them: a launch claims the installation's registry first (docs/decisions/0061).
  const keyed = (key: string, command: string, input: Record<string, unknown>) =>
    idempotency.run(manager, key, { command, input }, (options) => runCommand(executor, command, input, manager, options));

  it('rule: every appended event carries the hash of the previous event of its stream and its own hash over its content', async () => {
    await runCommand(executor, 'LaunchProgramme', launch, manager);
    await executor.execute(signConvention, convention('convention-a'), manager);
    // A second executor (another process, or a restart) continues the chain from what it reads.
    const restarted = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
    await restarted.execute(signConvention, convention('convention-b'), manager);

    const events = await collect(store.readStream('programme-acdt'));
    expect(events).toHaveLength(3);
    expect(events[0]!.metadata.previousHash).toBe(GENESIS_HASH);
    for (const [index, event] of events.entries()) {
      expect(event.metadata.hash).toBe(eventHash(event));
      if (index > 0) expect(event.metadata.previousHash).toBe(events[index - 1]!.metadata.hash);
    }
  });

  it('rule: 64 simultaneous valid commands on one stream all succeed, each decided on the state the previous one left', async () => {
    await runCommand(executor, 'LaunchProgramme', launch, manager);
    const results = await Promise.allSettled(
      Array.from({ length: 64 }, (_, i) => executor.execute(signConvention, convention(`convention-${i}`), manager)),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const events = await collect(store.readStream('programme-acdt'));
    expect(events).toHaveLength(65);
    expect(new Set(events.map((e) => e.revision)).size).toBe(65);
    for (let i = 1; i < events.length; i++) expect(events[i]!.metadata.previousHash).toBe(events[i - 1]!.metadata.hash);
  });

  it('rule: a retry with the same Idempotency-Key returns the first result (status, position, event ids) without writing', async () => {
    await keyed('launch-1', 'LaunchProgramme', launch);
    const first = await keyed('convention-1', 'SignConvention', convention('convention-a'));
    const retry = await keyed('convention-1', 'SignConvention', convention('convention-a'));
    expect(first.replayed).toBe(false);
    expect(retry.replayed).toBe(true);
    expect({ ...retry.result, replayed: undefined }).toEqual({ ...first.result, replayed: undefined });
    expect(await collect(store.readStream('programme-acdt'))).toHaveLength(2);
  });

  it('rule: the key and the request travel in the metadata of the events the command appends, in the same append', async () => {
    const { result } = await keyed('launch-1', 'LaunchProgramme', launch);
    const [event] = await collect(store.readStream('programme-acdt'));
    expect(event!.id).toBe(result.events.find((appended) => appended.streamId === 'programme-acdt')!.id);
    expect(event!.metadata.idempotency).toEqual({ key: expect.stringMatching(/^[0-9a-f]{64}$/), request: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // No stream is written for the record: only the launch's two steps, each carrying the key.
    const all = await collect(store.readAll());
    expect(all.map((e) => e.streamId)).toEqual(['installation-programme', 'programme-acdt']);
    expect(all[0]!.metadata.idempotency).toEqual(event!.metadata.idempotency);
  });

  it('rule: a key reused for another request is refused, on the same stream and on another one, and nothing is written', async () => {
    await keyed('launch-1', 'LaunchProgramme', launch);
    await keyed('convention-1', 'SignConvention', convention('convention-a'));
    await expect(keyed('convention-1', 'SignConvention', convention('convention-b'))).rejects.toThrow(IdempotencyKeyReusedError);
    await expect(keyed('launch-1', 'LaunchProgramme', { ...launch, programmeId: 'autre' })).rejects.toThrow(IdempotencyKeyReusedError);
    expect((await collect(store.readAll())).map((e) => e.type)).toEqual(['ProgrammeClaimed', 'ProgrammeLaunched', 'ConventionSigned']);
  });

  it('rule: a retry after a crash right after the append (child killed with SIGKILL) still returns the first result', async () => {
    await store.close();
    const child = spawn(process.execPath, tsNodeArgs(join(__dirname, '../support/keyed-command-child.ts'), 'keyed', file, 'launch-crash'), {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`child exited with ${String(code)} before answering`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const first = JSON.parse(line) as { position: string; events: { id: string }[] };

    store = SqliteEventStore.open({ file });
    executor = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
    idempotency = new IdempotencyService(store);
    const retry = await keyed('launch-crash', 'LaunchProgramme', launch);
    expect(retry.replayed).toBe(true);
    expect(retry.result).toMatchObject({ written: true, position: first.position, events: first.events });
    expect(await collect(store.readStream('programme-acdt'))).toHaveLength(1);
  });
});
