import { CommandExecutor, commandNamed, LogWatch, timeOrderedIds } from '@jalon/application';
import { collect, SqliteEventStore, StoredEvent } from '@jalon/event-store';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordDemoHistory } from '../support/demo-history';

/**
 * docs/decisions/0058: a decision made on another stream (a look-up) is appended only if that
 * stream has not moved since it was read. The case that showed it: closing an antenna reads its
 * budget (it may not precede the budget's last fact), recording an expenditure reads the antenna
 * (a closed antenna accepts nothing); sent together, both passed, and the budget held an
 * expenditure dated after the antenna's closing.
 */
const clock = { now: () => new Date('2026-01-15T10:00:00Z') };
const admin = { id: 'claire', name: 'Claire', role: 'admin' as const };
const closing = { antennaId: 'montbeliard', reason: 'Fin du programme', effectiveDate: '2025-06-30' };
const lateExpenditure = {
  antennaId: 'montbeliard',
  expenditureId: 'apres-la-fermeture',
  category: 'staff',
  amountCents: 100_000,
  description: 'Dépense datée après la fermeture',
  effectiveDate: '2025-09-01',
};

/** The receipt of the demo agreement's third tranche (released on 04/09/2023), dated after the closing. */
const lateReceipt = {
  antennaId: 'montbeliard',
  agreementId: 'bdt-amorcage-montbeliard',
  trancheId: 'tranche-3',
  amountCents: 3_000_000,
  bankReference: 'VIR-APRES-LA-FERMETURE',
  effectiveDate: '2025-09-01',
};

describe('Look-ups of other streams hold until the append (docs/decisions/0058)', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;

  beforeAll(async () => {
    // The demo history once, copied for each test: its antenna is open and has a budget.
    dir = mkdtempSync(join(tmpdir(), 'jalon-look-ups-'));
    const seeded = SqliteEventStore.open({ file: join(dir, 'seed.sqlite') });
    await recordDemoHistory(seeded);
    await seeded.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let copies = 0;
  beforeEach(() => {
    file = join(dir, `test-${++copies}.sqlite`);
    copyFileSync(join(dir, 'seed.sqlite'), file);
    store = SqliteEventStore.open({ file });
  });
  afterEach(async () => {
    await store.close();
  });

  const executorOn = (on: SqliteEventStore, watch?: LogWatch) =>
    new CommandExecutor({ store: on, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris', ...(watch ? { watch } : {}) });

  /** Every budget fact dated after the antenna's closing, if it closed: what no report may show. */
  const factsAfterClosing = async (): Promise<StoredEvent[]> => {
    const closed = (await collect(store.readStream('antenna-montbeliard'))).find((event) => event.type === 'AntennaClosed');
    if (!closed) return [];
    const budget = await collect(store.readStream('budget-montbeliard'));
    return budget.filter((event) => String(event.data.effectiveDate) > String(closed.data.effectiveDate));
  };

  it.each([
    ['the expenditure sent first', false],
    ['the closing sent first', true],
  ])('rule: an expenditure dated after the closing and the closing, sent together, never both pass (%s)', async (_, closingFirst) => {
    const executor = executorOn(store);
    const spend = () => executor.execute(commandNamed('RecordExpenditure'), lateExpenditure, admin);
    const close = () => executor.execute(commandNamed('CloseAntenna'), closing, admin);
    const results = await Promise.allSettled(closingFirst ? [close(), spend()] : [spend(), close()]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(['ANTENNA.CLOSED', 'ANTENNA.CLOSED_BEFORE_LAST_FACT']).toContain((refused.reason as { code?: string }).code);
    expect(await factsAfterClosing()).toEqual([]);
  });

  it('rule: a closing decided before a receipt of one of its agreements dated after it was appended is decided again, and refused (decision 0060 with 0058)', async () => {
    const executor = executorOn(store);
    // The closing is decided on the agreement without the receipt; the receipt, on the antenna still open, is appended before the closing is.
    let receive: Promise<unknown> | undefined;
    const close = executor.execute(commandNamed('CloseAntenna'), closing, admin, {
      beforeWrite: async () => {
        receive ??= executor.execute(commandNamed('RecordTrancheReceipt'), lateReceipt, admin);
        await receive.catch(() => undefined);
      },
    });

    await expect(close).rejects.toMatchObject({ code: 'ANTENNA.CLOSED_BEFORE_LAST_FACT', details: { latestFactOn: '2025-09-01', agreementId: 'bdt-amorcage-montbeliard' } });
    await expect(receive).resolves.toMatchObject({ written: true });
    expect((await collect(store.readStream('antenna-montbeliard'))).map((event) => event.type)).not.toContain('AntennaClosed');
  });

  it('rule: a look-up is decided again even when the client pinned its own stream with If-Match (that revision is checked anew)', async () => {
    const executor = executorOn(store);
    const budget = await executor.load(commandNamed('RecordExpenditure').decider, 'budget-montbeliard');
    // The expenditure is decided on the antenna still open; the closing is handed to the store first, the expenditure right behind it.
    // (Held by their beforeWrite: the closing reads more streams than the expenditure, and would otherwise be decided last.)
    let expenditureDecided!: () => void;
    const decided = new Promise<void>((resolve) => (expenditureDecided = resolve));
    const close = executor.execute(commandNamed('CloseAntenna'), closing, admin, { beforeWrite: () => decided });
    let first = true;
    const spend = executor.execute(commandNamed('RecordExpenditure'), lateExpenditure, admin, {
      expectedRevision: budget.revision,
      beforeWrite: async () => {
        if (!first) return;
        first = false;
        expenditureDecided();
        await close.catch(() => undefined);
      },
    });
    const results = await Promise.allSettled([close, spend]);

    // Not a 409 on the budget (its revision did not move): the expenditure is judged again, on the closed antenna.
    expect(results.map((result) => (result.status === 'fulfilled' ? 'ok' : (result.reason as { code?: string }).code))).toEqual(['ok', 'ANTENNA.CLOSED']);
    expect(await factsAfterClosing()).toEqual([]);
  });

  it('rule: a look-up cached by one process is not trusted past another process’s write to it (the store refuses, the command is decided again on what the store holds)', async () => {
    const other = SqliteEventStore.open({ file });
    // This process follows the log: the antenna it reads is cached and taken as current until its watch sees a later event.
    const watch = await LogWatch.start(store);
    try {
      const here = executorOn(store, watch);
      await here.execute(commandNamed('RecordExpenditure'), { ...lateExpenditure, expenditureId: 'avant', effectiveDate: '2025-05-01' }, admin);
      // Another process closes the antenna; this one has not seen it yet (its store looks for others' appends every 250 ms).
      await executorOn(other).execute(commandNamed('CloseAntenna'), closing, admin);

      await expect(here.execute(commandNamed('RecordExpenditure'), lateExpenditure, admin)).rejects.toMatchObject({ code: 'ANTENNA.CLOSED' });
      expect(await factsAfterClosing()).toEqual([]);
    } finally {
      await watch.stop();
      await other.close();
    }
  });
});
