import { collect, keyIdOf, LOG_SEALED, SqliteEventStore, verifyAuditExport, type StoredEvent } from '@jalon/event-store';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEvent } from '../../../../test/support/events';
import { alterFile, appendChained } from '../../../../test/support/integrity';
import { waitFor } from '../../../../test/support/subscription';
import { loadConfig } from '../config';
import { HealthRegistry } from '../health/health-registry';
import { embeddedStoreFile } from '../open-event-store';
import { SEAL_STREAM_ID, sealKeyFile } from './integrity-settings';
import { verifyAndSeal, verifyStore } from './seal-log';
import { recordSealWitness, sealWitnessFile } from './seal-witness';
import { LogIntegrityService } from './log-integrity.service';

const WAIT_MS = 10_000;

describe('LogIntegrityService (the running service’s verification and seals)', () => {
  let directory: string;
  let store: SqliteEventStore;
  let service: LogIntegrityService | undefined;
  let registry: HealthRegistry;
  const config = () => loadConfig({ DATA_DIR: directory, JALON_SEAL_EVERY_EVENTS: '5', JALON_SEAL_INTERVAL_SECONDS: '3600' });
  const clock = { now: () => new Date('2024-03-15T10:00:00Z') };
  const seals = async () => (await collect(store.readStream(SEAL_STREAM_ID))) as StoredEvent[];
  const start = (lease?: ConstructorParameters<typeof LogIntegrityService>[4]) => {
    registry = new HealthRegistry();
    service = new LogIntegrityService(store, config(), clock, registry, lease);
    return service.start();
  };
  const integrity = async () => (await registry.report()).components.integrity!;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-integrity-'));
    store = SqliteEventStore.open({ file: embeddedStoreFile(config()) });
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('rule: the first start creates the key (mode 0600, once), verifies the log and seals the events no seal covers', async () => {
    for (let n = 0; n < 3; n++) await appendChained(store, 'antenna-a', [testEvent({ data: { n } })]);
    const { createdKey } = start();
    expect(createdKey).toBeDefined();
    expect(statSync(sealKeyFile(config())).mode & 0o777).toBe(0o600);
    await waitFor(() => service!.report()?.lastSeal !== undefined, WAIT_MS, 'the seal at start');
    const [seal] = await seals();
    expect(seal).toMatchObject({ type: LOG_SEALED, position: 4n, data: { treeSize: 3, keyId: createdKey!.keyId, sealedAt: '2024-03-15T10:00:00.000Z', effectiveDate: '2024-03-15' } });
    expect(keyIdOf(Buffer.from(service!.publicKey().publicKey, 'base64'))).toBe(createdKey!.keyId);
    expect(await integrity()).toMatchObject({ status: 'ok', state: 'suivi du journal', upToPosition: '4', lastSeal: { position: '4', treeSize: 3 }, eventsAfterLastSeal: 0 });

    // A second start keeps the key and writes no seal: nothing new to cover.
    await service!.stop();
    expect(start().createdKey).toBeUndefined();
    await waitFor(() => service!.report()?.lastPosition === '4', WAIT_MS, 'the verification at the second start');
    expect(await seals()).toHaveLength(1);
  });

  it('rule: following the log, it seals every N events (JALON_SEAL_EVERY_EVENTS) and once per interval while events arrive, never twice for the same events', async () => {
    start();
    await waitFor(() => service!.lastVerification().state === 'suivi du journal', WAIT_MS, 'following');
    for (let n = 0; n < 12; n++) await appendChained(store, `antenna-${n % 3}`, [testEvent({ data: { n } })]);
    await waitFor(() => service!.report()?.lastPosition === '14', WAIT_MS, 'the events and two seals read back');
    expect((await seals()).map((seal) => (seal.data as { treeSize: number }).treeSize)).toEqual([5, 11]);
    await service!.sealIfDue();
    expect((await seals()).map((seal) => (seal.data as { treeSize: number }).treeSize)).toEqual([5, 11, 14]);
    await waitFor(() => service!.report()?.lastSeal?.treeSize === 14, WAIT_MS, 'the third seal read back');
    await service!.sealIfDue();
    expect(await seals()).toHaveLength(3);
    expect(service!.report()).toMatchObject({ ok: true, seals: 3, eventsAfterLastSeal: 0 });
  });

  it('rule: a log altered before the start turns the integrity part of /health degraded, names the position, and is not sealed', async () => {
    for (let n = 0; n < 3; n++) await appendChained(store, 'antenna-a', [testEvent({ data: { n } })]);
    await store.close();
    alterFile(embeddedStoreFile(config()), (db) => db.prepare(`UPDATE events SET data = '{"n":7}' WHERE position = 2`).run());
    store = SqliteEventStore.open({ file: embeddedStoreFile(config()) });
    start();
    await waitFor(() => service!.report()?.lastPosition === '3', WAIT_MS, 'the initial verification');
    const health = await registry.report();
    expect(health.status).toBe('degraded');
    expect(health.components.integrity).toMatchObject({ status: 'degraded', reason: expect.stringContaining('Position 2, flux antenna-a, révision 1') });
    await appendChained(store, 'antenna-a', [testEvent()]);
    await waitFor(() => service!.report()?.lastPosition === '4', WAIT_MS, 'the next event');
    await service!.sealIfDue();
    expect(await seals()).toEqual([]);
    await expect(service!.sealedLatest()).rejects.toThrow(/ne se vérifie pas/);
  });

  it('rule: an event appended without its hash after chained ones, while the service runs, is named at once', async () => {
    start();
    await appendChained(store, 'antenna-a', [testEvent()]);
    await waitFor(() => service!.report()?.lastPosition === '1', WAIT_MS, 'the event');
    await store.append('antenna-a', [testEvent()], { expectedRevision: 0 });
    await waitFor(() => service!.report()?.ok === false, WAIT_MS, 'the problem');
    expect(service!.report()!.problems).toEqual([expect.objectContaining({ kind: 'chain-missing', position: '2' })]);
    expect(await integrity()).toMatchObject({ status: 'degraded' });
  });

  it('rule: with several instances, only the holder of the projection lease seals on its own; the others verify, and one that takes the lease over seals what is left uncovered', async () => {
    for (let n = 0; n < 3; n++) await appendChained(store, 'antenna-a', [testEvent({ data: { n } })]);
    let holds = false;
    let leadership: (() => void) | undefined;
    start({ holdsLease: () => holds, onLeadership: (listener) => ((leadership = listener), () => (leadership = undefined)) });
    await waitFor(() => service!.lastVerification().state === 'suivi du journal', WAIT_MS, 'the initial verification');
    for (let n = 3; n < 8; n++) await appendChained(store, 'antenna-a', [testEvent({ data: { n } })]);
    await waitFor(() => service!.report()?.lastPosition === '8', WAIT_MS, 'the events verified');
    await service!.sealIfDue();
    expect(await seals()).toEqual([]);
    expect(service!.report()).toMatchObject({ ok: true, events: 8 });

    holds = true;
    leadership!();
    await waitFor(() => service!.report()?.lastSeal !== undefined, WAIT_MS, 'the seal of the new holder read back');
    expect((await seals()).map((seal) => seal.data)).toEqual([expect.objectContaining({ treeSize: 8 })]);
  });

  it('rule: an event altered while the service runs, found by an audit export, ends the file with the reason, cuts the download, turns /health degraded and stops the seals', async () => {
    for (let n = 0; n < 3; n++) await appendChained(store, 'antenna-a', [testEvent({ data: { n } })]);
    start();
    await waitFor(() => service!.report()?.lastSeal !== undefined && service!.lastVerification().state === 'suivi du journal', WAIT_MS, 'the seal at start');
    alterFile(embeddedStoreFile(config()), (db) => db.prepare(`UPDATE events SET data = '{"n":7}' WHERE position = 2`).run());

    const lines: string[] = [];
    const file = await service!.auditExport();
    await expect(
      (async () => {
        for await (const line of file) lines.push(line);
      })(),
    ).rejects.toMatchObject({ code: 'INTEGRITY.LOG_NOT_VERIFIED' });

    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ kind: 'interruption', code: 'INTEGRITY.LOG_NOT_VERIFIED', message: expect.stringContaining('position 2') });
    const verified = await verifyAuditExport(lines.map((line) => line.trimEnd()));
    expect(verified.ok).toBe(false);
    expect(verified.problems.map((problem) => problem.message)).toEqual([expect.stringContaining('interrompu par le service')]);
    expect(await integrity()).toMatchObject({ status: 'degraded', reason: expect.stringContaining('Export d’audit interrompu') });
    await appendChained(store, 'antenna-a', [testEvent()]);
    await waitFor(() => service!.report()?.lastPosition === '5', WAIT_MS, 'the next event');
    await service!.sealIfDue();
    expect(await seals()).toHaveLength(1);
  });

  it('rule: events removed from the end of the log while the service runs turn /health degraded at the next check, and nothing is sealed over the shorter log', async () => {
    for (let n = 0; n < 3; n++) await appendChained(store, 'antenna-a', [testEvent({ data: { n } })]);
    start();
    await waitFor(() => service!.report()?.lastSeal !== undefined && service!.lastVerification().state === 'suivi du journal', WAIT_MS, 'the seal at start');
    expect(await integrity()).toMatchObject({ status: 'ok' });
    alterFile(embeddedStoreFile(config()), (db) => db.prepare('DELETE FROM events WHERE position >= 3').run());

    expect(await integrity()).toMatchObject({ status: 'degraded', reason: expect.stringContaining('s’arrête à la position 2, avant la position 4 déjà vérifiée') });
    await service!.sealIfDue();
    await expect(service!.sealedLatest()).rejects.toThrow(/ne se vérifie pas/);
  });

  /** Removes the seals' rows and resets the position counter, as someone editing the file would to leave no gap. */
  const stripSeals = () =>
    alterFile(embeddedStoreFile(config()), (db) => {
      db.prepare('DELETE FROM events WHERE stream_id = ?').run(SEAL_STREAM_ID);
      db.prepare(`UPDATE sqlite_sequence SET seq = (SELECT MAX(position) FROM events) WHERE name = 'events'`).run();
    });

  it('rule: the last seal the service wrote is kept beside the store, and a log that no longer holds it verifies as altered: not « intact », not sealed again at start (decision 0056)', async () => {
    for (let n = 0; n < 3; n++) await appendChained(store, 'antenna-a', [testEvent({ data: { n } })]);
    start();
    await waitFor(() => service!.report()?.lastSeal !== undefined, WAIT_MS, 'the seal at start');
    const [seal] = await seals();
    expect(JSON.parse(readFileSync(sealWitnessFile(config()), 'utf8'))).toMatchObject({ id: seal!.id, revision: 0, position: '4', treeSize: 3 });
    await service!.stop();
    await store.close();
    stripSeals();
    store = SqliteEventStore.open({ file: embeddedStoreFile(config()) });

    const verified = await verifyStore(store, config());
    expect(verified.ok).toBe(false);
    expect(verified.problems).toEqual([expect.objectContaining({ kind: 'seal-removed', message: expect.stringContaining('n’est plus dans le journal') })]);
    start();
    await waitFor(() => service!.lastVerification().state === 'suivi du journal', WAIT_MS, 'the verification at start');
    expect(await integrity()).toMatchObject({ status: 'degraded', reason: expect.stringContaining('le dernier posé depuis ce dossier de données') });
    expect(await seals()).toEqual([]);
  });

  it('rule: the record of the last seal never goes back to an earlier seal (two processes sealing together), and leaves no temporary file', async () => {
    await appendChained(store, 'antenna-a', [testEvent()]);
    await verifyAndSeal(store, config(), clock);
    await appendChained(store, 'antenna-a', [testEvent()]);
    await verifyAndSeal(store, config(), clock);
    const [first, second] = await seals();
    expect(JSON.parse(readFileSync(sealWitnessFile(config()), 'utf8'))).toMatchObject({ id: second!.id, revision: 1 });
    // The process that wrote the first seal records it late: the later record stays.
    expect(await recordSealWitness(config(), first!)).toBeUndefined();
    expect(JSON.parse(readFileSync(sealWitnessFile(config()), 'utf8'))).toMatchObject({ id: second!.id, revision: 1 });
    expect(readdirSync(config().dataDir).filter((name) => name.endsWith('.partial'))).toEqual([]);
    expect((await verifyStore(store, config())).ok).toBe(true);
  });

  it('rule: a record of the last seal that cannot be read is said, never taken for « no seal was written »', async () => {
    await appendChained(store, 'antenna-a', [testEvent()]);
    mkdirSync(sealWitnessFile(config()));
    const verified = await verifyStore(store, config());
    expect(verified.problems).toEqual([expect.objectContaining({ kind: 'seal-removed', message: expect.stringContaining('ne peut pas être lu (EISDIR)') })]);
  });
});
