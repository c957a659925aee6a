import { loadConfig } from '@jalon/core';
import { SqliteEventStore } from '@jalon/event-store';
import { holderStarted, holderStopped, newInstanceId, SqliteProjectionStorage } from '@jalon/projections';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordDemoHistory } from '../../../../test/support/demo-history';
import { replayCommand } from './replay.command';

describe('jalon replay', () => {
  let dataDir: string;
  const printed: string[] = [];

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-replay-'));
    const store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    await recordDemoHistory(store);
    await store.close();
    jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    printed.length = 0;
    process.exitCode = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const replay = () => replayCommand(() => loadConfig({ DATA_DIR: dataDir })).parseAsync([], { from: 'user' });

  it('rule: an unreadable event is passed over and named, with the projections that read its type, and the command exits with 1', async () => {
    const db = new Database(join(dataDir, 'jalon.sqlite'));
    const { position, stream_id: streamId, revision } = db
      .prepare("SELECT position, stream_id, revision FROM events WHERE type = 'AntennaInaugurated'")
      .get() as { position: number; stream_id: string; revision: number };
    db.prepare(`UPDATE events SET data = '{"antennaId": "montb' WHERE position = ?`).run(position);
    db.close();

    await replay();

    expect(printed[0]).toMatch(/^\d+ événements rejoués en .* projections reconstruites\.$/);
    // Time-travel snapshots are not built past an unreadable event (reports at a past date replay the log).
    expect(printed[1]).toMatch(/^Instantanés de voyage dans le temps : .*ne peuvent pas être construits/);
    expect(printed[2]).toContain('Attention : 1 événement(s) illisible(s) ignoré(s)');
    expect(printed[3]).toMatch(new RegExp(`^  - flux ${streamId}, révision ${revision}, position ${position} \\(AntennaInaugurated\\) : data : .* — ignoré par .*phases@`));
    expect(printed).toHaveLength(4);
    expect(process.exitCode).toBe(1);
  });

  it('rule: a replay is refused while a running service holds the projection lease, and writes nothing to the read models', async () => {
    const errors: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    const storage = SqliteProjectionStorage.open(join(dataDir, 'read-models.sqlite'));
    // A service of this process, running: its lease is alive (neither expired nor its holder gone).
    const service = newInstanceId();
    holderStarted(service);
    try {
      expect(storage.takeLease(service, 60_000, Date.now()).holder).toBe(service);

      await replay();

      expect(process.exitCode).toBe(1);
      expect(errors).toEqual([expect.stringMatching(new RegExp(`^Reconstruction refusée : le service ${service} tient le bail des projections .*arrêtez-le`))]);
      expect(printed).toEqual([]);
      expect(storage.checkpoints()).toEqual([]);
      expect(storage.lease()).toMatchObject({ holder: service, term: 1 });
    } finally {
      holderStopped(service);
      storage.close();
    }
  });

  it('rule: a replay holds the projection lease while it runs (a service started meanwhile serves what it commits), and gives it up at the end', async () => {
    await replay();

    const storage = SqliteProjectionStorage.open(join(dataDir, 'read-models.sqlite'));
    try {
      const lease = storage.lease();
      expect(lease).toMatchObject({ term: 1 });
      expect(lease!.expiresAt).toBeLessThanOrEqual(Date.now());
      expect(storage.checkpoints().length).toBeGreaterThan(0);
    } finally {
      storage.close();
    }
  });

  it('says nothing more, and exits normally, when every event could be read', async () => {
    await replay();

    expect(printed[1]).toMatch(/^\d+ instantané\(s\) de voyage dans le temps construit\(s\) en .* s\.$/);
    expect(printed).toHaveLength(2);
    expect(process.exitCode).toBeUndefined();
  });
});
