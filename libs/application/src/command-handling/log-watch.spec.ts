import { EventStore, EventToAppend, ReadAllOptions, ReadStreamOptions, SqliteEventStore, StoredEvent, Subscription } from '@jalon/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandNamed } from '../commands';
import { IdentityService, SYSTEM_ACTOR } from '../identity/identity.service';
import { Actor } from '../identity/roles';
import { timeOrderedIds } from '../ports';
import { CommandExecutor } from './command-executor';
import { LogWatch } from './log-watch';
import { montbeliardOpened } from '../testing/montbeliard.fixture';

const clock = { now: () => new Date('2026-01-15T10:00:00Z') };
const finance: Actor = { id: 'fin-1', name: 'Fanny Finances', role: 'finance' };
const recordExpenditure = commandNamed('RecordExpenditure');
const reverseExpenditure = commandNamed('ReverseExpenditure');
const setForecast = commandNamed('SetBudgetForecast');

const antennaOpened = montbeliardOpened;
const expenditure = (expenditureId: string) => ({
  antennaId: 'montbeliard',
  expenditureId,
  category: 'equipment',
  amountCents: 123_456,
  description: 'Écrans',
  effectiveDate: '2021-03-10',
});
const event = (type: string, data: Record<string, unknown>): EventToAppend => ({
  id: randomUUID(),
  type,
  version: 1,
  data,
  metadata: { actor: 'other', role: 'admin', correlationId: 'c', causationId: 'c', recordedAt: '2026-01-15T10:00:00.000Z' },
});

/**
 * The real store, counting stream reads, whose subscription can be held: while it is, the watch
 * hears of nothing, as when another process has appended and the store has not polled yet.
 */
class HeldStore implements EventStore {
  streamReads = 0;
  private held = false;
  private readonly release = new Set<() => void>();
  constructor(readonly inner: SqliteEventStore) {}

  hold(): void {
    this.held = true;
  }

  letGo(): void {
    this.held = false;
    for (const resolve of this.release) resolve();
    this.release.clear();
  }

  append(...args: Parameters<EventStore['append']>) {
    return this.inner.append(...args);
  }

  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent> {
    this.streamReads++;
    return this.inner.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions) {
    return this.inner.readAll(options);
  }

  subscribeToAll(options?: { after?: bigint }): Subscription {
    const inner = this.inner.subscribeToAll(options);
    const iterator = inner[Symbol.asyncIterator]();
    const gate = async () => {
      while (this.held) await new Promise<void>((resolve) => this.release.add(resolve));
    };
    return {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          const next = await iterator.next();
          await gate();
          return next;
        },
      }),
      unsubscribe: async () => {
        await inner.unsubscribe();
        this.letGo();
      },
    };
  }

  headPosition() {
    return this.inner.headPosition();
  }

  storeId() {
    return this.inner.storeId();
  }

  eventAt(position: bigint) {
    return this.inner.eventAt(position);
  }

  close() {
    return this.inner.close();
  }
}

describe('LogWatch: cached states the command path may use without asking the store', () => {
  let dir: string;
  let store: HeldStore;
  let watch: LogWatch;
  /** The executor under test: it follows the log. */
  let executor: CommandExecutor;
  /** Another writer on the same store (another process): its appends reach the watch through the log only. */
  let other: CommandExecutor;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-log-watch-'));
    store = new HeldStore(SqliteEventStore.open({ file: join(dir, 'events.db') }));
    await store.inner.append('antenna-montbeliard', [event(antennaOpened.type, antennaOpened.data)], { expectedRevision: 'no_stream' });
    watch = await LogWatch.start(store);
    executor = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris', watch });
    other = new CommandExecutor({ store: store.inner, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
    await executor.execute(
      setForecast,
      { antennaId: 'montbeliard', lines: [{ year: 2021, category: 'staff', amountCents: 1_000_000 }], effectiveDate: '2021-02-01' },
      finance,
    );
  });

  afterEach(async () => {
    await watch.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: a command on streams the watch knows to be current reads nothing from the store (its own stream nor its look-up)', async () => {
    await executor.execute(recordExpenditure, expenditure('fact-1'), finance);
    store.streamReads = 0;
    const result = await executor.execute(recordExpenditure, expenditure('fact-2'), finance);
    expect(result).toMatchObject({ written: true, nextExpectedRevision: 2 });
    expect(store.streamReads).toBe(0);
  });

  it('rule: a look-up follows what another writer appended once the watch has seen it (a closed antenna takes no more money)', async () => {
    await executor.execute(recordExpenditure, expenditure('fact-1'), finance);
    const closed = await store.inner.append(
      'antenna-montbeliard',
      [event('AntennaClosed', { antennaId: 'montbeliard', reason: 'Fin du programme', effectiveDate: '2024-12-31' })],
      { expectedRevision: 0 },
    );
    await watch.seen(closed.position);
    await expect(executor.execute(recordExpenditure, expenditure('fact-2'), finance)).rejects.toMatchObject({ code: 'ANTENNA.CLOSED' });
  });

  it('rule: an append decided on a cached state that missed another writer’s event is refused by the expected revision, then decided again', async () => {
    store.hold();
    await other.execute(recordExpenditure, expenditure('fact-autre'), finance);
    const result = await executor.execute(recordExpenditure, expenditure('fact-1'), finance);
    expect(result).toMatchObject({ written: true, nextExpectedRevision: 2 });
  });

  it('rule: a refusal decided on a cached state is judged again on what the store holds before it is answered', async () => {
    store.hold();
    await other.execute(recordExpenditure, expenditure('fact-autre'), finance);
    // The cached budget has never heard of fact-autre: only the store's state may refuse the reversal.
    const reversal = { antennaId: 'montbeliard', expenditureId: 'fact-autre', reason: 'Facture annulée', effectiveDate: '2021-03-11' };
    const result = await executor.execute(reverseExpenditure, reversal, finance);
    expect(result).toMatchObject({ written: true, events: [{ type: 'ExpenditureReversed' }] });
  });

  it('rule: a repeat that changes nothing is judged on what the store holds, not on the cache', async () => {
    store.hold();
    await other.execute(recordExpenditure, expenditure('fact-autre'), finance);
    // Identical to what the other writer recorded: a no-op, which the cached state could not tell.
    expect(await executor.execute(recordExpenditure, expenditure('fact-autre'), finance)).toMatchObject({ written: false, nextExpectedRevision: 1 });
  });

  it('rule: an If-Match the cache does not know yet is checked against the store before it is refused', async () => {
    store.hold();
    await other.execute(recordExpenditure, expenditure('fact-autre'), finance);
    const result = await executor.execute(recordExpenditure, expenditure('fact-1'), finance, { expectedRevision: 1 });
    expect(result).toMatchObject({ written: true, nextExpectedRevision: 2 });
  });

  it('rule: a token issued by another process is accepted at once: an unknown token is looked up in the store before a 401', async () => {
    const here = new IdentityService(executor, clock, 'Europe/Paris');
    const elsewhere = new IdentityService(other, clock, 'Europe/Paris');
    await here.bootstrapAdmin();
    store.hold();
    const { token } = await elsewhere.addUser({ name: 'Claire Martin', role: 'programme-manager' }, SYSTEM_ACTOR);
    await expect(here.authenticate(token)).resolves.toMatchObject({ id: 'claire-martin', role: 'programme-manager' });
    await expect(here.authenticate('jalon_inconnu')).rejects.toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
  });

  it('rule: a known token is accepted from the cache, without reading the users stream', async () => {
    const here = new IdentityService(executor, clock, 'Europe/Paris');
    const admin = await here.bootstrapAdmin();
    await here.authenticate(admin!.token);
    store.streamReads = 0;
    await expect(here.authenticate(admin!.token)).resolves.toMatchObject({ role: 'admin' });
    expect(store.streamReads).toBe(0);
  });

  it('rule: once the watch has ended, every state is read from the store again', async () => {
    await executor.execute(recordExpenditure, expenditure('fact-1'), finance);
    await watch.stop();
    store.streamReads = 0;
    await executor.execute(recordExpenditure, expenditure('fact-2'), finance);
    expect(store.streamReads).toBe(2);
  });

  it('rule: a stream the bounded watch had to forget is never taken as current', async () => {
    const small = await LogWatch.start(store, 1);
    try {
      const at = small.position()!;
      const first = await store.inner.append('stream-a', [event('Something', { n: 1 })], { expectedRevision: 'no_stream' });
      const second = await store.inner.append('stream-b', [event('Something', { n: 2 })], { expectedRevision: 'no_stream' });
      await small.seen(second.position);
      // stream-a was dropped to keep one stream: a state of it checked before its event is not current.
      expect(small.isCurrent('stream-a', -1, at)).toBe(false);
      expect(small.isCurrent('stream-a', 0, first.position)).toBe(true);
      expect(small.isCurrent('stream-b', -1, at)).toBe(false);
      expect(small.isCurrent('stream-b', 0, at)).toBe(true);
    } finally {
      await small.stop();
    }
  });
});
