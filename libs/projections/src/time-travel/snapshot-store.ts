import type Database from 'better-sqlite3';
import { isAscii } from 'node:buffer';
import { promisify } from 'node:util';
import { deflate, inflateSync } from 'node:zlib';

const deflated = promisify(deflate);

/** Every character outside ASCII, one UTF-16 unit at a time (a pair of surrogates is escaped as two, as JSON allows). */
const NOT_ASCII = /[\u0080-\uffff]/g;

/**
 * A snapshot's documents of one projection version as stored: JSON of `[key, doc]` pairs by key, in
 * ASCII (every other character escaped, `é` as `\u00e9`), deflated (off the event loop). This is the
 * format's definition, for one-off encodings; the snapshot builder writes the same bytes faster
 * with a {@link SnapshotDocsEncoder}, which reuses what it wrote before.
 *
 * ASCII because a cut decodes a snapshot at each query, and V8 turns a large UTF-8 text holding a
 * few accented letters into a string a hundred times slower than an ASCII one: 40 ms against
 * 0.4 ms for the 4.4 MB budget snapshot of 1,000 antennas (JSON.parse then takes 15 ms). Snapshots
 * written before in UTF-8 are still read as such ({@link decodeSnapshotDocs}).
 */
export function encodeSnapshotDocs(entries: readonly (readonly [string, unknown])[]): Promise<Buffer> {
  return deflatedAscii(asciiOnly(JSON.stringify(entries)));
}

function asciiOnly(json: string): string {
  return json.replace(NOT_ASCII, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function deflatedAscii(json: string): Promise<Buffer> {
  return deflated(Buffer.from(json, 'latin1'), { level: 1 });
}

/**
 * Encodes as {@link encodeSnapshotDocs} does, the same bytes, reusing the text of each document, and
 * of its members two levels down, that it wrote before: documents are never changed in place
 * (`evolve` returns new ones, sharing what did not change; `test/read-models/frozen-documents.spec.ts`
 * holds every projection to it), so an object seen again has the same text. Consecutive snapshots
 * of 1,000 antennas share about nine tenths of their text, and the programme's indicators, changed
 * by nearly every event (so in every mark), keep most of their members: only the new parts are
 * written, where JSON.stringify wrote every snapshot whole.
 * Texts are held as long as their objects live (a WeakMap): for the builder's documents, at most
 * about three times their JSON (a text per level), some 20 MB at 1,000 antennas.
 */
export class SnapshotDocsEncoder {
  private readonly texts = new WeakMap<object, string>();

  encode(entries: readonly (readonly [string, unknown])[]): Promise<Buffer> {
    const parts: string[] = [];
    for (const [key, doc] of entries) parts.push(`[${asciiOnly(JSON.stringify(key))},${this.text(doc, 0)}]`);
    return deflatedAscii(`[${parts.join(',')}]`);
  }

  /** The ASCII JSON text of a value (where JSON.stringify writes `null` for it in an array, here too). */
  private text(value: unknown, depth: number): string {
    if (typeof value !== 'object' || value === null || depth > KEPT_TEXT_DEPTH) return value === undefined || typeof value === 'function' || typeof value === 'symbol' ? 'null' : asciiOnly(JSON.stringify(value));
    const kept = this.texts.get(value);
    if (kept !== undefined) return kept;
    // Parts joined, not a string grown piece by piece: join makes one flat string, which later
    // snapshots copy at once, where a string of many small pieces is walked again at every copy.
    const parts: string[] = [];
    let text: string;
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) parts.push(this.text(item, depth + 1));
      text = `[${parts.join(',')}]`;
    } else {
      const prototype = Object.getPrototypeOf(value) as unknown;
      // Anything but a plain object (a Date, a boxed value…), or one with its own toJSON: as JSON.stringify writes it.
      if ((prototype !== Object.prototype && prototype !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return asciiOnly(JSON.stringify(value));
      for (const key of Object.keys(value)) {
        const member = (value as Record<string, unknown>)[key];
        if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
        parts.push(`${asciiOnly(JSON.stringify(key))}:${this.text(member, depth + 1)}`);
      }
      text = `{${parts.join(',')}}`;
    }
    this.texts.set(value, text);
    return text;
  }
}

/** How deep {@link SnapshotDocsEncoder} keeps texts: a document (0), its members (1), theirs (2, the buckets of the indicators). */
const KEPT_TEXT_DEPTH = 2;

/**
 * A stored snapshot's documents, parsed: the text read as ASCII when it is (see
 * {@link encodeSnapshotDocs}; V8 makes it a one-byte string in 0.4 ms for 4.4 MB, against 2 to 4 ms
 * read as latin1), as UTF-8 otherwise. Inflated in chunks about the size of the text (JSON deflates
 * about 8 to 1), not 16 KB ones joined at the end: 3 ms instead of 4 for 4.4 MB.
 */
function decodeSnapshotDocs(blob: Buffer): unknown {
  const bytes = inflateSync(blob, { chunkSize: Math.min(Math.max(blob.length * 8, 64 * 1024), 16 * 1024 * 1024) });
  return JSON.parse(isAscii(bytes) ? bytes.toString('ascii') : bytes.toString('utf8'));
}

/**
 * What one time-travel snapshot says of the log up to its position (docs/decisions/0028). Every
 * figure is over the events of the types the snapshot's projections read, as stored (before
 * upcasting), compared as the cut compares them (`cutFilter`):
 * - `maxRecordedAt` / `maxEffective`: the latest recorded instant (ms) and effective date of the
 *   events up to `position` (null when none has one): the snapshot holds only events inside a cut
 *   when they are not after it;
 * - `minRecordedAt` / `minEffective`: the earliest of the events of its segment, the events after
 *   the previous snapshot up to `position`: a cut before both holds none of them. An event whose
 *   instant cannot be read counts as the earliest (null), one without an effective date as `''`:
 *   every cut holds them.
 */
export interface SnapshotMeta {
  readonly position: bigint;
  /** Position of the snapshot before it (0 for the first): snapshots are used only as an unbroken chain from the first. */
  readonly previous: bigint;
  /** Whether it keeps documents; otherwise a mark: its figures, which tell a cut whether to read its segment, and its changes (below). */
  readonly full: boolean;
  /**
   * A mark that keeps the documents changed since the snapshot or mark before it (`[key, doc]`, a
   * document gone as `[key, null]`), so that a cut starts from it rather than from the snapshot with
   * every document: absent in marks written before (then a cut starts from that snapshot and folds
   * their segments).
   */
  readonly changes?: boolean;
  /**
   * The projections (`name@version`) every document of which changed since the mark before (kpis:
   * one document for the programme, changed by nearly every event): the mark's changes hold all
   * their documents, as a snapshot does, and a cut starts from it without the snapshot before.
   */
  readonly complete?: readonly string[];
  /** The projection versions it was built with (`name@version`, sorted, comma-separated). */
  readonly projections: string;
  /** The store it was read from, and what names the event at `position` (the runner's fingerprint). */
  readonly storeId: string;
  readonly lastEvent: string;
  /** Events of its types up to `position`. */
  readonly events: number;
  readonly maxRecordedAt: number | null;
  readonly maxEffective: string | null;
  readonly minRecordedAt: number | null;
  readonly minEffective: string | null;
}

/** A snapshot's documents could not be read back (a damaged blob, JSON that does not parse): it is not used (never seen by a caller: the report is replayed). */
export class SnapshotUnreadableError extends Error {
  constructor(
    readonly position: bigint,
    readonly projection: string,
    cause: unknown,
  ) {
    super(`l’instantané de ${projection} à la position ${position} est illisible : ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'SnapshotUnreadableError';
  }
}

/** Where time-travel snapshots are kept: beside the read models, derived from the log like them. */
export interface TimeTravelSnapshotStore {
  /** Every snapshot, by position. */
  metas(): SnapshotMeta[];
  /** The documents a snapshot keeps of one projection version (or a mark its changes), as `[key, doc]` by key; undefined when it keeps none. Throws {@link SnapshotUnreadableError}. */
  docs(position: bigint, projection: string): [string, unknown][] | undefined;
  /** Writes a snapshot and its documents (per projection version, in the format of {@link encodeSnapshotDocs}) at once. */
  save(meta: SnapshotMeta, docs: ReadonlyMap<string, Buffer>): void;
  /** Forgets the snapshots at or after `position` (all by default). */
  drop(fromPosition?: bigint): void;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS time_travel_snapshots (
    position TEXT PRIMARY KEY,
    meta TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS time_travel_snapshot_docs (
    position TEXT NOT NULL,
    projection TEXT NOT NULL,
    docs BLOB NOT NULL,
    PRIMARY KEY (position, projection)
  );
`;
/** The count of writes of the tables above ({@link countSnapshotWrite}). */
const WRITES_SCHEMA = `
  CREATE TABLE IF NOT EXISTS time_travel_snapshots_written (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    writes INTEGER NOT NULL
  );
`;
// The documents' table has a rowid (decision 0029): its key index then holds only keys, never the
// large blobs a WITHOUT ROWID table would keep in its interior pages.

/** How the storage lends its connection: `read` and `write` throw its own errors (ProjectionStorageError) when the file is in trouble. */
export interface SqliteAccess {
  read<T>(work: (db: Database.Database) => T): T;
  write<T>(work: (db: Database.Database) => T): T;
}

/**
 * Snapshots in the read-model file: one row of figures per snapshot, one compressed blob of
 * documents per snapshot and projection version (JSON of `[key, doc]` pairs, zlib-deflated: its
 * checksum catches a damaged blob). Tables are created by the first write, so that a file written
 * by an earlier version still opens, read-only, with no snapshot.
 */
export class SqliteTimeTravelSnapshotStore implements TimeTravelSnapshotStore {
  /**
   * The figures last read, decoded, with the connection and the count of writes they were read at:
   * read again only when a write (here or through another connection: every writer counts in the
   * file, {@link countSnapshotWrite}) or another connection came in between. Every report of the
   * projection thread (20 a second) and every cut asks for them: decoding them all each time cost
   * as much as the projections' own work on a 1,000,000-event log (about 2,000 snapshots and marks).
   */
  private kept: { readonly db: Database.Database; readonly writes: number; readonly metas: readonly SnapshotMeta[] } | undefined;

  constructor(private readonly access: SqliteAccess) {}

  metas(): SnapshotMeta[] {
    return this.access.read((db) => {
      if (!hasTables(db)) return [];
      const writes = writesOf(db);
      if (this.kept?.db === db && this.kept.writes === writes) return [...this.kept.metas];
      const rows = db.prepare('SELECT position, meta FROM time_travel_snapshots').all() as { position: string; meta: string }[];
      const metas = rows.map((row) => decodeMeta(row.position, row.meta)).sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
      this.kept = { db, writes, metas };
      return [...metas];
    });
  }

  docs(position: bigint, projection: string): [string, unknown][] | undefined {
    const blob = this.access.read((db) => {
      if (!hasTables(db)) return undefined;
      return db.prepare('SELECT docs FROM time_travel_snapshot_docs WHERE position = ? AND projection = ?').pluck().get(String(position), projection) as Buffer | undefined;
    });
    if (blob === undefined) return undefined;
    try {
      const entries = decodeSnapshotDocs(blob);
      if (!Array.isArray(entries) || !entries.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string')) throw new Error('ce ne sont pas des paires clé-document');
      return entries as [string, unknown][];
    } catch (error) {
      throw new SnapshotUnreadableError(position, projection, error);
    }
  }

  save(meta: SnapshotMeta, blobs: ReadonlyMap<string, Buffer>): void {
    this.access.write((db) =>
      db
        .transaction(() => {
          db.exec(SCHEMA);
          const position = String(meta.position);
          db.prepare('INSERT OR REPLACE INTO time_travel_snapshots (position, meta) VALUES (?, ?)').run(position, encodeMeta(meta));
          const insert = db.prepare('INSERT OR REPLACE INTO time_travel_snapshot_docs (position, projection, docs) VALUES (?, ?, ?)');
          for (const [projection, blob] of blobs) insert.run(position, projection, blob);
          countSnapshotWrite(db);
        })
        .immediate(),
    );
  }

  drop(fromPosition = 0n): void {
    this.access.write((db) =>
      db
        .transaction(() => {
          if (!hasTables(db)) return;
          // Positions are kept as decimal text: compared as numbers here.
          db.prepare('DELETE FROM time_travel_snapshots WHERE CAST(position AS INTEGER) >= ?').run(fromPosition);
          db.prepare('DELETE FROM time_travel_snapshot_docs WHERE CAST(position AS INTEGER) >= ?').run(fromPosition);
          countSnapshotWrite(db);
        })
        .immediate(),
    );
  }
}

/**
 * Counts a write of the snapshots' tables in the file, in the writer's transaction: whoever wrote
 * them (this store, the read models' clean-up, another process), a reader's decoded figures are
 * then read again. Every writer of those tables calls it.
 */
export function countSnapshotWrite(db: Database.Database): void {
  db.exec(WRITES_SCHEMA);
  db.prepare('INSERT INTO time_travel_snapshots_written (id, writes) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET writes = writes + 1').run();
}

/**
 * The count of writes of the snapshots' tables: 0 in a file written before the count existed (its
 * first write here creates it). Only a Jalon older than the count, writing the same file beside
 * this one, would write them uncounted: not a supported way to run (docs/decisions/0049).
 */
function writesOf(db: Database.Database): number {
  const counted = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'time_travel_snapshots_written'").pluck().get() !== undefined;
  return counted ? ((db.prepare('SELECT writes FROM time_travel_snapshots_written WHERE id = 1').pluck().get() as number | undefined) ?? 0) : 0;
}

function hasTables(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'time_travel_snapshot_docs'").pluck().get() !== undefined;
}

function encodeMeta(meta: SnapshotMeta): string {
  return JSON.stringify({ ...meta, position: String(meta.position), previous: String(meta.previous) });
}

function decodeMeta(position: string, json: string): SnapshotMeta {
  const meta = JSON.parse(json) as Omit<SnapshotMeta, 'position' | 'previous'> & { previous: string };
  return { ...meta, position: BigInt(position), previous: BigInt(meta.previous) };
}
