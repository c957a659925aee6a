import { CommandExecutor, commandNamed, IdempotencyService, LogWatch, runCommand, timeOrderedIds } from '@jalon/application';
import { chainEvents, collect, EventStore, GENESIS_HASH, SqliteEventStore, StoredEvent, tipOf } from '@jalon/event-store';
import { EventStoreDbEventStore } from '../../libs/event-store/src/eventstoredb/eventstoredb-event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEventStoreDbTestDouble, type EventStoreDbTestDouble } from '../doubles/eventstoredb/eventstoredb-test-double';
import { recordDemoHistory } from '../support/demo-history';
import { conventionOf as convention } from '../support/programme-launch';
import { KEYED_ACTOR as manager, KEYED_LAUNCH as launch } from '../support/keyed-command-child';

/**
 * The command path decides a stream's next command on the state the append still on its way will
 * leave (docs/decisions/0059): these tests protect what that may never cost, whatever the store
 * does with the appends in flight. Each event names its stream's previous event (the hash chain),
 * and a command answered « already recorded » (written: false) is one the stream holds.
 */
jest.setTimeout(120_000);

const clock = { now: () => new Date('2026-01-15T10:00:00Z') };

/** Revisions whose event does not name the stream's previous event (its stored hash) as its `previousHash`. */
function chainBreaks(events: readonly StoredEvent[]): number[] {
  return events.filter((event, index) => event.metadata.previousHash !== (index === 0 ? GENESIS_HASH : events[index - 1]!.metadata.hash)).map((event) => event.revision);
}

describe('Appends in flight: the chain holds and nothing is answered « already recorded » that was not (decision 0059)', () => {
  it('rule: on the embedded store, a command decided behind an append that another process\'s write then refused is not appended after that write (it is decided again)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jalon-in-flight-'));
    const file = join(dir, 'jalon.sqlite');
    const here = SqliteEventStore.open({ file });
    const other = SqliteEventStore.open({ file });
    const watch = await LogWatch.start(here);
    try {
      const executor = new CommandExecutor({ store: here, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris', watch });
      await runCommand(executor, 'LaunchProgramme', launch, manager);
      await executor.execute(commandNamed('SignConvention'), convention('a'), manager);

      // Another process appends to the stream; its commit comes before this process's next group.
      const [last] = await collect(other.readStream('programme-acdt', { direction: 'backwards', maxCount: 1 }));
      const outside = chainEvents('programme-acdt', tipOf(last!), [
        { id: timeOrderedIds.uuid(), type: 'ConventionSigned', version: 1, data: convention('outside'), metadata: { actor: 'cli', role: 'admin', correlationId: 'c', causationId: 'c', recordedAt: clock.now().toISOString() } },
      ]);
      const appendedOutside = other.append('programme-acdt', outside, { expectedRevision: last!.revision });
      // This process, which has not seen it, decides two commands: the second on what the first will leave.
      const results = await Promise.allSettled([
        executor.execute(commandNamed('SignConvention'), convention('b'), manager),
        executor.execute(commandNamed('SignConvention'), convention('c'), manager),
      ]);
      await appendedOutside;

      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
      const events = await collect(here.readStream('programme-acdt'));
      expect(chainBreaks(events)).toEqual([]);
      expect(events.map((event) => event.data.conventionId ?? event.type).sort()).toEqual(['ProgrammeLaunched', 'a', 'b', 'c', 'outside']);
    } finally {
      await watch.stop();
      await other.close();
      await here.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('on EventStoreDB (the test double), whose appends may settle out of order', () => {
    let double: EventStoreDbTestDouble;
    let store: EventStoreDbEventStore;

    beforeAll(async () => {
      double = await startEventStoreDbTestDouble();
      store = EventStoreDbEventStore.connect(double.connectionString);
      await recordDemoHistory(store as EventStore);
    });
    afterAll(async () => {
      await store.close();
      await double.stop();
    });

    it('rule: a command behind an append written but not yet replicated is refused 503 STORE.UNAVAILABLE, nothing written, not a 409 naming a change no read shows; once replicated, the first is replayed by its key and the second written after it, the chain whole', async () => {
      const executor = new CommandExecutor({ store, clock: { now: () => new Date() }, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
      const idempotency = new IdempotencyService(store);
      const finance = { id: 'julien-bernard', name: 'Julien Bernard', role: 'finance' } as const;
      const record = (expenditureId: string) => {
        const input = { antennaId: 'montbeliard', expenditureId, category: 'other', amountCents: 1, description: 'Pas encore répliquée', effectiveDate: '2023-06-06' };
        return idempotency.run(finance, `cle-${expenditureId}`, { command: 'RecordExpenditure', input }, (keyed) => runCommand(executor, 'RecordExpenditure', input, finance, keyed));
      };
      double.injectAppendFaults('timeout-not-replicated');

      await expect(record('non-repliquee')).rejects.toMatchObject({ code: 'STORE.OUTCOME_UNKNOWN' });
      await expect(record('derriere')).rejects.toMatchObject({ code: 'STORE.UNAVAILABLE' });
      await double.replicate();
      const first = await record('non-repliquee');
      const second = await record('derriere');

      expect({ firstReplayed: first.replayed, secondWritten: second.result.written }).toEqual({ firstReplayed: true, secondWritten: true });
      const events = await collect(store.readStream('budget-montbeliard'));
      expect(events.slice(-2).map((event) => event.data.expenditureId)).toEqual(['non-repliquee', 'derriere']);
      expect(chainBreaks(events)).toEqual([]);
    });

    it('rule: under prepare timeouts (appends retried by the adapter), no new expenditure is answered « already recorded » and every event names its stream\'s previous one', async () => {
      const executor = new CommandExecutor({ store, clock: { now: () => new Date() }, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
      const finance = { id: 'julien-bernard', name: 'Julien Bernard', role: 'finance' } as const;
      const answeredNotWritten: string[] = [];
      for (let round = 0; round < 5; round++) {
        const ids = Array.from({ length: 100 }, (_, i) => `en-vol-${round}-${i}`);
        let next = 0;
        const faults = (async () => {
          for (let i = 0; i < 12; i++) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            double.injectAppendFaults('timeout-before-commit');
          }
        })();
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            while (next < ids.length) {
              const expenditureId = ids[next++]!;
              const input = { antennaId: 'montbeliard', expenditureId, category: 'other', amountCents: 1, description: 'En vol', effectiveDate: '2023-06-06' };
              // A refusal (503, 409) is allowed; « already recorded » for what was not is not.
              const result = await runCommand(executor, 'RecordExpenditure', input, finance, {}).catch(() => undefined);
              if (result && !result.written) answeredNotWritten.push(expenditureId);
            }
          }),
        );
        await faults;
      }
      const events = await collect(store.readStream('budget-montbeliard'));
      const recorded = new Set(events.filter((event) => event.type === 'ExpenditureRecorded').map((event) => String(event.data.expenditureId)));
      expect({ answeredNotWritten: answeredNotWritten.filter((id) => !recorded.has(id)), chainBreaks: chainBreaks(events) }).toEqual({ answeredNotWritten: [], chainBreaks: [] });
    });
  });
});
