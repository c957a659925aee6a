import { InputValidationError, ForbiddenError } from '../errors';
import { Actor } from '../identity/roles';
import { claimProgramme, commandNamed } from '../commands';
import { AppendResult, collect, EventStore, EventToAppend, ExpectedRevision, SqliteEventStore, WrongExpectedRevisionError } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandExecutor } from './command-executor';

const launchProgramme = commandNamed('LaunchProgramme');
const signConvention = commandNamed('SignConvention');
const reviseTargets = commandNamed('ReviseProgrammeTargets');
const manager: Actor = { id: 'claire', name: 'Claire', role: 'programme-manager' };
const clock = { now: () => new Date('2026-01-15T10:00:00Z') };
const launch = {
  programmeId: 'acdt',
  name: 'Au cœur des territoires',
  operator: 'Cnam',
  targets: { antennaCount: 100, targetDate: '2022-12-31' },
  effectiveDate: '2019-01-15',
};
const convention = (conventionId: string) => ({
  programmeId: 'acdt',
  conventionId,
  title: 'Convention',
  partners: ['Cnam'],
  durationMonths: 36,
  effectiveDate: '2019-04-01',
});

/** Delegates to a real store; lets a test slip a competing append in just before ours. */
class RacingStore implements EventStore {
  beforeNextAppend: (() => Promise<void>) | undefined;
  eventsRead = 0;
  constructor(readonly inner: SqliteEventStore) {}
  async append(streamId: string, events: readonly EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    const competitor = this.beforeNextAppend;
    this.beforeNextAppend = undefined;
    if (competitor) await competitor();
    return this.inner.append(streamId, events, options);
  }
  async *readStream(...args: Parameters<EventStore['readStream']>) {
    for await (const event of this.inner.readStream(...args)) {
      this.eventsRead++;
      yield event;
    }
  }
  readAll = (...args: Parameters<EventStore['readAll']>) => this.inner.readAll(...args);
  subscribeToAll = (...args: Parameters<EventStore['subscribeToAll']>) => this.inner.subscribeToAll(...args);
  headPosition = () => this.inner.headPosition();
  storeId = () => this.inner.storeId();
  eventAt = (position: bigint) => this.inner.eventAt(position);
  close = () => this.inner.close();
}

/** Holds every append until opened, noting the revision each expects; says whether its appends settle in order. */
class HeldAppendsStore extends RacingStore {
  readonly expected: ExpectedRevision[] = [];
  private gate: Promise<void> = Promise.resolve();
  constructor(
    inner: SqliteEventStore,
    readonly appendsSettleInOrder: boolean,
  ) {
    super(inner);
  }
  hold(): () => void {
    let open!: () => void;
    this.gate = new Promise((resolve) => (open = resolve));
    return open;
  }
  override async append(streamId: string, events: readonly EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    this.expected.push(options.expectedRevision);
    await this.gate;
    return super.append(streamId, events, options);
  }
}

describe('CommandExecutor: the one load → decide → append path', () => {
  let dir: string;
  let store: RacingStore;
  let executor: CommandExecutor;
  let other: CommandExecutor;

  /** Where the log stands once the installation's registry claims `acdt`. */
  let claimedAt: bigint;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-executor-'));
    store = new RacingStore(SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') }));
    executor = new CommandExecutor({ store, clock, ids: { uuid: () => crypto.randomUUID() }, timeZone: 'Europe/Paris' });
    other = new CommandExecutor({ store: store.inner, clock, ids: { uuid: () => crypto.randomUUID() }, timeZone: 'Europe/Paris' });
    // The registry claims the programme first (docs/decisions/0061): these tests run LaunchProgramme's
    // own step, a command on the programme's stream like any other.
    await other.execute(claimProgramme, launch, manager);
    claimedAt = await store.headPosition();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const streamTypes = async () => (await collect(store.inner.readStream('programme-acdt'))).map((e) => e.type);

  it.each([
    ['may settle out of order (EventStoreDB)', false, [0]],
    ['settle in order (the embedded store)', true, [0, 1]],
  ])('rule: on a store whose appends %s, the next command on a stream is decided on what the append in flight leaves only if they settle in order (decision 0059)', async (_, inOrder, beforeSettled) => {
    const held = new HeldAppendsStore(store.inner, inOrder);
    const on = new CommandExecutor({ store: held, clock, ids: { uuid: () => crypto.randomUUID() }, timeZone: 'Europe/Paris' });
    await on.execute(launchProgramme, launch, manager);
    held.expected.length = 0;
    const open = held.hold();
    const both = Promise.all([on.execute(signConvention, convention('convention-a'), manager), on.execute(signConvention, convention('convention-b'), manager)]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Out of order: the second is not even decided while the first is in flight.
    expect(held.expected).toEqual(beforeSettled);
    open();
    expect((await both).map((result) => result.nextExpectedRevision)).toEqual([1, 2]);
    expect(held.expected).toEqual([0, 1]);
  });

  it('rule: a command that lost a race is decided again on the fresh state and then appended', async () => {
    await executor.execute(launchProgramme, launch, manager);
    store.beforeNextAppend = async () => void (await other.execute(signConvention, convention('convention-a'), manager));
    const result = await executor.execute(signConvention, convention('convention-b'), manager);
    expect(result).toMatchObject({ written: true, nextExpectedRevision: 2 });
    expect(await streamTypes()).toEqual(['ProgrammeLaunched', 'ConventionSigned', 'ConventionSigned']);
  });

  it('rule: the retry checks the rules anew: if the competitor already did the same thing, nothing is appended', async () => {
    store.beforeNextAppend = async () => void (await other.execute(launchProgramme, launch, manager));
    const result = await executor.execute(launchProgramme, launch, manager);
    expect(result).toMatchObject({ written: false, events: [] });
    expect(await streamTypes()).toEqual(['ProgrammeLaunched']);
  });

  it('rule: when the client pinned the revision it saw, a lost race is a conflict, not a retry', async () => {
    await executor.execute(launchProgramme, launch, manager);
    store.beforeNextAppend = async () => void (await other.execute(signConvention, convention('convention-a'), manager));
    await expect(executor.execute(signConvention, convention('convention-b'), manager, { expectedRevision: 0 })).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    expect(await streamTypes()).toEqual(['ProgrammeLaunched', 'ConventionSigned']);
  });

  it('rule: a command that keeps losing races gives up with a conflict after its attempts', async () => {
    await executor.execute(launchProgramme, launch, manager);
    const limited = new CommandExecutor({ store, clock, ids: { uuid: () => crypto.randomUUID() }, timeZone: 'Europe/Paris', maxAttempts: 2 });
    let n = 0;
    const compete = async () => {
      await other.execute(signConvention, convention(`concurrente-${++n}`), manager);
      store.beforeNextAppend = compete;
    };
    store.beforeNextAppend = compete;
    await expect(limited.execute(signConvention, convention('convention-b'), manager)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    store.beforeNextAppend = undefined;
  });

  it('rule: the role is checked before the input, so a forbidden caller learns nothing about the validation', async () => {
    const auditor: Actor = { id: 'ines', name: 'Inès', role: 'auditor' };
    await expect(executor.execute(launchProgramme, { nonsense: true }, auditor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(executor.execute(launchProgramme, { nonsense: true }, manager)).rejects.toBeInstanceOf(InputValidationError);
    expect(await store.headPosition()).toBe(claimedAt);
  });

  it('rule: a command on a long stream folds only the events appended since the last one (cost stays flat)', async () => {
    await executor.execute(launchProgramme, launch, manager);
    for (let i = 0; i < 20; i++) await executor.execute(signConvention, convention(`convention-${i}`), manager);
    store.eventsRead = 0;
    await executor.execute(signConvention, convention('convention-derniere'), manager);
    expect(store.eventsRead).toBe(0);
  });

  it('rule: the same idempotency seed gives the same event ids, so a retried request cannot append twice', async () => {
    const elsewhere = SqliteEventStore.open({ file: join(dir, 'elsewhere.sqlite') });
    const twin = new CommandExecutor({ store: elsewhere, clock, ids: { uuid: () => crypto.randomUUID() }, timeZone: 'Europe/Paris' });
    try {
      await twin.execute(claimProgramme, launch, manager);
      const first = await executor.execute(launchProgramme, launch, manager, { eventIdSeed: 'cle-1' });
      const same = await twin.execute(launchProgramme, launch, manager, { eventIdSeed: 'cle-1' });
      const other = await twin.execute(signConvention, convention('c'), manager, { eventIdSeed: 'cle-2' });
      expect(same.events[0]!.id).toBe(first.events[0]!.id);
      expect(other.events[0]!.id).not.toBe(first.events[0]!.id);
      expect(first.events[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      await elsewhere.close();
    }
  });

  it('rule: beforeWrite (what the events will name, e.g. an upload’s bytes) runs only for a command decided without refusal, before its append; if it fails nothing is appended', async () => {
    const auditor: Actor = { id: 'ines', name: 'Inès', role: 'auditor' };
    const calls: string[] = [];
    const beforeWrite = async () => void calls.push(`beforeWrite at ${await store.headPosition()}`);
    // Refused by role, by the input's declaration, by the decider (no programme launched), by a date in the future: never run.
    await expect(executor.execute(signConvention, convention('c'), auditor, { beforeWrite })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(executor.execute(signConvention, { ...convention('c'), effectiveDate: '2019-02-30' }, manager, { beforeWrite })).rejects.toBeInstanceOf(InputValidationError);
    await expect(executor.execute(signConvention, convention('c'), manager, { beforeWrite })).rejects.toThrow();
    await expect(executor.execute(launchProgramme, { ...launch, effectiveDate: '2027-01-01' }, manager, { beforeWrite })).rejects.toThrow();
    expect(calls).toEqual([]);
    // Failing: nothing appended.
    await expect(executor.execute(launchProgramme, launch, manager, { beforeWrite: () => Promise.reject(new Error('disque plein')) })).rejects.toThrow('disque plein');
    expect(await store.headPosition()).toBe(claimedAt);
    // Accepted: run once, before the append.
    await executor.execute(launchProgramme, launch, manager, { beforeWrite });
    expect(calls).toEqual([`beforeWrite at ${claimedAt}`]);
    expect(await streamTypes()).toEqual(['ProgrammeLaunched']);
    // A repeat that changes nothing still runs it (an upload again puts back bytes lost since).
    await executor.execute(launchProgramme, launch, manager, { beforeWrite });
    expect(calls).toHaveLength(2);
  });

  it('records the actor, role, correlation and causation ids, recorded time and reason in the metadata', async () => {
    await executor.execute(launchProgramme, launch, manager, { correlationId: 'req-42' });
    await executor.execute(
      reviseTargets,
      { programmeId: 'acdt', targets: { antennaCount: 120, targetDate: '2023-12-31' }, reason: 'Extension du programme', effectiveDate: '2020-01-01' },
      manager,
    );
    const [launched, revised] = await collect(store.inner.readStream('programme-acdt'));
    expect(launched!.metadata).toMatchObject({ actor: 'claire', actorName: 'Claire', role: 'programme-manager', correlationId: 'req-42', recordedAt: '2026-01-15T10:00:00.000Z' });
    expect(launched!.metadata.reason).toBeUndefined();
    expect(revised!.metadata.reason).toBe('Extension du programme');
    expect(revised!.metadata.causationId).not.toBe(launched!.metadata.causationId);
  });
});
