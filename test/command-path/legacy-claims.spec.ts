import { Actor, CommandExecutor, findMissingClaims, recordMissingClaims, runCommand, timeOrderedIds } from '@jalon/application';
import { collect, EventStore, SqliteEventStore } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDbEventStore } from '../../libs/event-store/src/eventstoredb/eventstoredb-event-store';
import { startEventStoreDbTestDouble, type EventStoreDbTestDouble } from '../doubles/eventstoredb/eventstoredb-test-double';
import { legacyHistory } from '../support/legacy-history';

/**
 * A history recorded before calls listed their candidacies (0062) and antennas their agreements
 * (0060), as an installation upgraded from an earlier version holds it: the facts without their
 * claims. The upgrade (docs/decisions/0064) finds each missing claim from the log and records it
 * through the one command path, by the original command sent again, unchanged; on either store,
 * through the same port.
 */
jest.setTimeout(60_000);

const clock = { now: () => new Date('2026-01-15T10:00:00Z') };
const cli: Actor = { id: 'cli', name: 'ligne de commande (test)', role: 'admin' };

const STORES: readonly [string, () => Promise<{ store: EventStore; close: () => Promise<void> }>][] = [
  [
    'the embedded store',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jalon-legacy-claims-'));
      const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
      return { store, close: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
    },
  ],
  [
    'EventStoreDB (test double)',
    async () => {
      const double: EventStoreDbTestDouble = await startEventStoreDbTestDouble();
      const store = EventStoreDbEventStore.connect(double.connectionString);
      return { store, close: async () => (await store.close(), await double.stop()) };
    },
  ],
];

describe.each(STORES)('Upgrading a history recorded before calls and antennas listed their children (decision 0064), on %s', (_name, open) => {
  let store: EventStore;
  let close: () => Promise<void>;
  let executor: CommandExecutor;
  const send = (name: string, input: unknown) => runCommand(executor, name, input, cli);

  beforeEach(async () => {
    ({ store, close } = await open());
    executor = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
    await legacyHistory(store);
  });
  afterEach(() => close());

  it('rule: every candidacy without its registration and every agreement without its attachment is found from the log; those of a closed call or antenna are left, each named', async () => {
    const missing = await findMissingClaims(store);
    expect(missing.submissions.map((found) => found.candidacyId)).toEqual(['ami-2--pays-de-montbeliard', 'ami-2--vierzon']);
    expect(missing.commitments.map((found) => found.agreementId)).toEqual(['bdt-seed']);
    expect(missing).toMatchObject({
      submissionsToClosedCalls: [{ id: 'ami-1--chaumont', parentId: 'ami-1' }],
      commitmentsOfClosedAntennas: [{ id: 'bdt-vierzon', parentId: 'vierzon' }],
    });
  });

  it('rule: the upgrade records the missing claims, each dated as its original fact, and nothing else; the closings then follow them', async () => {
    const head = await store.headPosition();
    const report = await recordMissingClaims(store, send);
    expect(report).toMatchObject({
      registrations: 2,
      attachments: 1,
      submissionsToClosedCalls: [{ id: 'ami-1--chaumont', parentId: 'ami-1' }],
      commitmentsOfClosedAntennas: [{ id: 'bdt-vierzon', parentId: 'vierzon' }],
    });
    const written = await collect(store.readAll({ after: head }));
    expect(written.map(({ streamId, type, data, metadata }) => ({ streamId, type, date: data.effectiveDate, actor: metadata.actor }))).toEqual([
      { streamId: 'call-ami-2', type: 'CallCandidacyRegistered', date: '2020-12-10', actor: 'cli' },
      { streamId: 'call-ami-2', type: 'CallCandidacyRegistered', date: '2020-11-03', actor: 'cli' },
      { streamId: 'antenna-montbeliard', type: 'FundingAgreementAttached', date: '2021-07-01', actor: 'cli' },
    ]);
    await expect(send('CloseCallForApplications', { callId: 'ami-2', effectiveDate: '2020-12-01' })).rejects.toMatchObject({
      code: 'CALL.CLOSED_BEFORE_LAST_CANDIDACY',
      details: { latestCandidacyOn: '2020-12-10', candidacyId: 'ami-2--pays-de-montbeliard' },
    });
    await expect(send('CloseAntenna', { antennaId: 'montbeliard', reason: 'Fin du projet', effectiveDate: '2021-06-30' })).rejects.toMatchObject({
      code: 'ANTENNA.CLOSED_BEFORE_LAST_FACT',
    });
  });

  it('rule: run again, the upgrade finds nothing missing and writes nothing', async () => {
    await recordMissingClaims(store, send);
    const head = await store.headPosition();
    const again = await recordMissingClaims(store, send);
    expect(again).toMatchObject({ registrations: 0, attachments: 0, outcomes: [] });
    expect(await store.headPosition()).toBe(head);
  });
});
