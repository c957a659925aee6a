import { loadConfig } from '@jalon/core';
import { SqliteEventStore } from '@jalon/event-store';
import { encodeSnapshotDocs, holderStarted, holderStopped, newInstanceId, PROJECTIONS, projectionId, SqliteProjectionStorage, TimeTravelSnapshots } from '@jalon/projections';
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordDemoHistory } from '../../../../test/support/demo-history';
import { mountSmallDisk, SmallDisk } from '../../../../test/support/small-disk';
import { compactCommand, vacuumLeaseMs } from './compact.command';
import { replayCommand } from './replay.command';
import { statusCommand } from './status.command';

/** The ids this code lists: what compact must never touch. */
const CURRENT = PROJECTIONS.map(projectionId);
/** A version of history that an older Jalon built, and that this code no longer lists. */
const OLD_HISTORY = 'history@1';
/** Snapshots built with projection versions this code does not build with. */
const OLD_SNAPSHOT_SET = 'budget@1,funding@1,kpis@1,phases@1';

describe('jalon compact', () => {
  let dataDir: string;
  const printed: string[] = [];
  const errors: string[] = [];

  const config = () => loadConfig({ DATA_DIR: dataDir });
  const readModels = () => join(dataDir, 'read-models.sqlite');
  const compact = () => compactCommand(config).parseAsync([], { from: 'user' });

  /** Runs compact, reading the lease as the VACUUM starts: it must cover the file's rewrite at 10 MiB/s. */
  async function leaseHeldOverVacuum(): Promise<void> {
    let seen: { holder: string; expiresAt: number } | undefined;
    let seenAt = 0;
    let asked = 0;
    const vacuum = SqliteProjectionStorage.prototype.vacuum;
    const spy = jest.spyOn(SqliteProjectionStorage.prototype, 'vacuum').mockImplementation(function (this: SqliteProjectionStorage) {
      seen = this.lease();
      seenAt = Date.now();
      const bytes = ['', '-wal'].reduce((total, suffix) => total + (statSync(`${readModels()}${suffix}`, { throwIfNoEntry: false })?.size ?? 0), 0);
      asked = vacuumLeaseMs(bytes);
      vacuum.call(this);
    });
    // An expiry far shorter than the file's rewrite: only holding the lease for the VACUUM covers it.
    const shortLease = () => loadConfig({ DATA_DIR: dataDir, JALON_LEASE_RENEW_MS: '10', JALON_LEASE_EXPIRY_MS: '20' });
    try {
      await compactCommand(shortLease).parseAsync([], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    expect(process.exitCode).toBeUndefined();
    expect(seen).toBeDefined();
    expect(asked).toBeGreaterThanOrEqual(1_000);
    // Held from just before the VACUUM for the whole presumed rewrite (a renewal would have given 20 ms).
    expect(seen!.expiresAt - seenAt).toBeGreaterThan(asked - 200);
    const storage = SqliteProjectionStorage.open(readModels());
    try {
      expect(storage.lease()).toMatchObject({ holder: seen!.holder });
      expect(storage.lease()!.expiresAt).toBeLessThanOrEqual(Date.now());
    } finally {
      storage.close();
    }
  }

  /** The demo history, its read models built by a replay, and the current time-travel snapshots (one every 5 events). */
  async function demoDataDir(dir: string): Promise<void> {
    dataDir = dir;
    const store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    try {
      await recordDemoHistory(store);
      await replayCommand(config).parseAsync([], { from: 'user' });
      const storage = SqliteProjectionStorage.open(readModels());
      try {
        const snapshots = new TimeTravelSnapshots(store, storage.timeTravelSnapshots(), PROJECTIONS, { everyEvents: 5 });
        await snapshots.catchUp();
        expect(snapshots.status().snapshots).toBeGreaterThan(0);
      } finally {
        storage.close();
      }
    } finally {
      await store.close();
    }
    printed.length = 0;
  }

  /** What an older version left: `history@1`'s documents (about `kib` KiB), checkpoint and a passed-over event, and a snapshot of other versions. */
  async function leaveSupersededData(kib: number): Promise<void> {
    const blob = await encodeSnapshotDocs([['programme', { antennas: 1 }]]);
    const db = new Database(readModels());
    try {
      const insert = db.prepare('INSERT INTO documents (projection, key, doc) VALUES (?, ?, ?)');
      db.transaction(() => {
        for (let i = 0; i < kib * 2; i++) insert.run(OLD_HISTORY, `antenna:${String(i).padStart(5, '0')}`, JSON.stringify({ entries: 'x'.repeat(500) }));
        db.prepare("INSERT INTO checkpoints (projection, position, caught_up, updated_at) VALUES (?, '40', 1, '2026-01-01T00:00:00.000Z')").run(OLD_HISTORY);
        db.prepare("INSERT INTO skipped_events (projection, position, stream_id, revision, type, reason) VALUES (?, '12', 'antenna-montbeliard', 3, 'AntennaOpened', 'illisible')").run(OLD_HISTORY);
        const meta = { position: '900000', previous: '0', full: true, projections: OLD_SNAPSHOT_SET, storeId: 'ancien', lastEvent: 'x', events: 1, maxRecordedAt: null, maxEffective: null, minRecordedAt: null, minEffective: '' };
        db.prepare('INSERT INTO time_travel_snapshots (position, meta) VALUES (?, ?)').run('900000', JSON.stringify(meta));
        db.prepare('INSERT INTO time_travel_snapshot_docs (position, projection, docs) VALUES (?, ?, ?)').run('900000', 'budget@1', blob);
      })();
    } finally {
      db.close();
    }
  }

  /** Every row this code reads: current documents, checkpoints and passed-over events, current snapshots and their documents (blobs as hex). */
  function currentDump(): unknown {
    const db = new Database(readModels(), { readonly: true });
    try {
      const ids = JSON.stringify(CURRENT);
      return {
        documents: db.prepare('SELECT projection, key, doc FROM documents WHERE projection IN (SELECT value FROM json_each(?)) ORDER BY projection, key').all(ids),
        checkpoints: db.prepare('SELECT projection, position, caught_up, updated_at, store_id, last_event FROM checkpoints WHERE projection IN (SELECT value FROM json_each(?)) ORDER BY projection').all(ids),
        skipped: db.prepare('SELECT * FROM skipped_events WHERE projection IN (SELECT value FROM json_each(?)) ORDER BY projection, position').all(ids),
        snapshots: db.prepare("SELECT position, meta FROM time_travel_snapshots WHERE json_extract(meta, '$.projections') <> ? ORDER BY position").all(OLD_SNAPSHOT_SET),
        snapshotDocs: db.prepare('SELECT position, projection, hex(docs) AS docs FROM time_travel_snapshot_docs WHERE projection IN (SELECT value FROM json_each(?)) ORDER BY position, projection').all(ids),
      };
    } finally {
      db.close();
    }
  }

  function supersededRows(): { documents: number; checkpoints: number; skipped: number; snapshots: number; snapshotDocs: number } {
    const db = new Database(readModels(), { readonly: true });
    try {
      const count = (sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) as number;
      return {
        documents: count('SELECT count(*) FROM documents WHERE projection = ?', OLD_HISTORY),
        checkpoints: count('SELECT count(*) FROM checkpoints WHERE projection = ?', OLD_HISTORY),
        skipped: count('SELECT count(*) FROM skipped_events WHERE projection = ?', OLD_HISTORY),
        snapshots: count("SELECT count(*) FROM time_travel_snapshots WHERE json_extract(meta, '$.projections') = ?", OLD_SNAPSHOT_SET),
        snapshotDocs: count("SELECT count(*) FROM time_travel_snapshot_docs WHERE projection = 'budget@1'"),
      };
    } finally {
      db.close();
    }
  }

  beforeEach(() => {
    jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    printed.length = 0;
    errors.length = 0;
    process.exitCode = undefined;
  });

  describe('on an ordinary disk', () => {
    beforeEach(async () => {
      await demoDataDir(mkdtempSync(join(tmpdir(), 'jalon-compact-')));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('rule: compact removes every projection version and snapshot this code does not read, reports them, keeps every current row byte-identical, and the file shrinks', async () => {
      await leaveSupersededData(1024);
      const before = currentDump();
      const sizeBefore = statSync(readModels()).size;

      await compact();

      expect(errors).toEqual([]);
      expect(process.exitCode).toBeUndefined();
      expect(printed).toEqual([
        'Supprimé de read-models.sqlite (versions de projections que cette version de Jalon ne lit plus) :',
        '  - history@1 : 2\u202f048 documents, son point de reprise, 1 événement ignoré',
        '  - instantanés de voyage dans le temps d’autres versions : 1',
        expect.stringMatching(/^Taille de read-models\.sqlite : [\d,]+ Mo avant, \d+ Ko après \([\d,]+ Mo rendus\)\.$/),
      ]);
      expect(supersededRows()).toEqual({ documents: 0, checkpoints: 0, skipped: 0, snapshots: 0, snapshotDocs: 0 });
      expect(currentDump()).toEqual(before);
      expect(statSync(readModels()).size).toBeLessThan(sizeBefore / 4);
    });

    it('rule: with nothing superseded left, compact says there is nothing to compact and exits normally', async () => {
      await leaveSupersededData(16);
      await compact();
      printed.length = 0;
      const before = currentDump();

      await compact();

      expect(printed).toEqual([expect.stringMatching(/^Rien à compacter : read-models\.sqlite \(\d+ Ko\) ne contient ni version de projection remplacée, ni instantané d’une autre version, ni place libre\.$/)]);
      expect(errors).toEqual([]);
      expect(process.exitCode).toBeUndefined();
      expect(currentDump()).toEqual(before);
    });

    it('rule: free pages with nothing superseded (the rowid move of decision 0029) are given back too, saying nothing was superseded', async () => {
      const db = new Database(readModels());
      db.exec("CREATE TABLE scratch (v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO scratch SELECT printf('%.1000c', 'x') FROM n; DROP TABLE scratch;");
      db.close();
      const before = currentDump();
      const sizeBefore = statSync(readModels()).size;

      await compact();

      expect(printed[0]).toMatch(/^Aucune version de projection remplacée à supprimer ; [\d,]+ Mo de place libre à rendre\.$/);
      expect(printed[1]).toMatch(/^Taille de read-models\.sqlite : .* avant, .* après/);
      expect(printed).toHaveLength(2);
      expect(process.exitCode).toBeUndefined();
      expect(currentDump()).toEqual(before);
      expect(statSync(readModels()).size).toBeLessThan(sizeBefore / 4);
    });

    it('rule: compact is refused while a running service holds the projection lease, naming it, and removes nothing', async () => {
      await leaveSupersededData(16);
      const before = currentDump();
      const storage = SqliteProjectionStorage.open(readModels());
      // A service of this process, running: its lease is alive (neither expired nor its holder gone).
      const service = newInstanceId();
      holderStarted(service);
      try {
        const lease = storage.takeLease(service, 60_000, Date.now());
        expect(lease.holder).toBe(service);

        await compact();

        expect(process.exitCode).toBe(1);
        expect(errors).toEqual([expect.stringMatching(new RegExp(`^Compactage refusé : le service ${service} tient le bail des projections .*arrêtez-le d’abord`))]);
        expect(printed).toEqual([]);
        expect(supersededRows()).toEqual({ documents: 32, checkpoints: 1, skipped: 1, snapshots: 1, snapshotDocs: 1 });
        expect(currentDump()).toEqual(before);
        expect(storage.lease()).toEqual(lease);
      } finally {
        holderStopped(service);
        storage.close();
      }
    });

    it('rule: the lease is held over the VACUUM as long as a slow disk may take to rewrite the file, since its renewal cannot run meanwhile; given up after', async () => {
      // About 10 MiB: a second's rewrite at the presumed slowest pace.
      await leaveSupersededData(10_240);
      await leaseHeldOverVacuum();
    });

    it('rule: jalon status names the superseded versions the file keeps and points at compact; silent once compacted', async () => {
      await leaveSupersededData(16);
      const status = () => statusCommand(config).parseAsync([], { from: 'user' });

      await status();
      expect(printed[printed.length - 1]).toBe(
        'Versions remplacées gardées dans read-models.sqlite : history@1 (32 documents), 1 instantané de voyage dans le temps d’autres versions ; jalon compact (service arrêté) rend leur place.',
      );

      await compact();
      printed.length = 0;
      await status();
      expect(printed.some((line) => line.startsWith('Versions remplacées'))).toBe(false);
    });
  });

  describe('on a disk that fills up during VACUUM (a small tmpfs, root only)', () => {
    let disk: SmallDisk;
    beforeAll(() => {
      disk = mountSmallDisk(8 * 1024);
    });
    afterAll(() => disk.unmount());
    afterEach(() => {
      disk.free();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('rule: a full disk during VACUUM gives a French error and exit 1, the read models intact and the deletions, committed before, kept; a later compact finishes', async () => {
      const dir = join(disk.path, 'data');
      mkdirSync(dir);
      await demoDataDir(dir);
      await leaveSupersededData(1024);
      const before = currentDump();
      // The disk fills up right after the deletions are committed, before VACUUM writes its copy.
      const remove = SqliteProjectionStorage.prototype.removeSuperseded;
      jest.spyOn(SqliteProjectionStorage.prototype, 'removeSuperseded').mockImplementation(function (this: SqliteProjectionStorage, ...args) {
        const removed = remove.apply(this, args);
        disk.fill();
        return removed;
      });

      await compact();

      expect(process.exitCode).toBe(1);
      expect(printed.slice(0, 2)).toEqual([
        'Supprimé de read-models.sqlite (versions de projections que cette version de Jalon ne lit plus) :',
        '  - history@1 : 2\u202f048 documents, son point de reprise, 1 événement ignoré',
      ]);
      expect(printed.some((line) => line.startsWith('Taille de'))).toBe(false);
      expect(errors[0]).toMatch(
        /^Compactage inachevé : les modèles de lecture \(read-models\.sqlite\) ne peuvent pas être écrits : le disque est plein \(SQLITE_FULL\)\. Les suppressions ci-dessus sont validées et conservées ; le fichier n’a pas été réduit et les modèles de lecture sont intacts .* VACUUM a besoin d’environ [\d,]+ Mo d’espace libre .* libérez-en, puis relancez jalon compact\.$/,
      );

      disk.free();
      const db = new Database(readModels(), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      expect(currentDump()).toEqual(before);
      expect(supersededRows()).toEqual({ documents: 0, checkpoints: 0, skipped: 0, snapshots: 0, snapshotDocs: 0 });

      jest.mocked(SqliteProjectionStorage.prototype.removeSuperseded).mockRestore();
      printed.length = 0;
      process.exitCode = undefined;
      const sizeBefore = statSync(readModels()).size;
      await compact();
      expect(printed[0]).toMatch(/^Aucune version de projection remplacée à supprimer ; [\d,]+ Mo de place libre à rendre\.$/);
      expect(process.exitCode).toBeUndefined();
      expect(statSync(readModels()).size).toBeLessThan(sizeBefore / 4);
      expect(currentDump()).toEqual(before);
    });
  });
});
