import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEvent, testMetadata } from '../../../../test/support/events';
import { tsNodeArgs } from '../../../../test/support/spawn-ts';
import { alterFile, appendChained, rechain, rewriteLog, rowAt, SEAL_STREAM, sealLog } from '../../../../test/support/integrity';
import { collect, WrongExpectedRevisionError, type EventStore } from '../event-store.port';
import { SqliteEventStore } from '../sqlite';
import { exportHistoryToFile, importHistoryFile } from '../transfer';
import { eventHash } from './event-hash';
import { assignedPositions, embeddedStoreDamage } from './embedded-positions';
import { SealKey } from './seal';
import { LogVerifier, verifyLog, type LogProblem, type LogVerificationReport, type NamedFiles, type NamedFileState } from './verify-log';

const STREAMS = ['antenna-a', 'budget-a', 'funding-x'];
const CHILD = join(__dirname, '../../../../test/support/sqlite-store-child.ts');

describe('verifyLog on the embedded store', () => {
  let directory: string;
  let file: string;
  let store: SqliteEventStore;
  const key = SealKey.generate();

  const verify = async (options: { from?: bigint; trustedKeyIds?: string[]; files?: NamedFiles } = {}): Promise<LogVerificationReport> => {
    await store.close();
    store = SqliteEventStore.open({ file });
    return verifyLog(store, { sealStreamId: SEAL_STREAM, densePositions: true, assignedPositions: () => assignedPositions(file), ...options });
  };
  const at = (report: LogVerificationReport, position: number) => report.problems.filter((problem) => problem.position === String(position));
  const kinds = (problems: readonly LogProblem[]) => problems.map((problem) => problem.kind);

  /**
   * Positions 1-12: four rounds over three streams (antenna-a, budget-a, funding-x), revisions 0-3
   * each; 13: a seal of those 12; 14-16: one more event per stream; 17: a seal of those 16.
   */
  async function writeHistory(): Promise<void> {
    for (let round = 0; round < 4; round++) {
      for (const stream of STREAMS) await appendChained(store, stream, [testEvent({ data: { n: round, stream } })]);
    }
    await sealLog(store, key, new Date('2024-03-15T10:00:00Z'));
    for (const stream of STREAMS) await appendChained(store, stream, [testEvent({ data: { n: 4, stream } })]);
    await sealLog(store, key, new Date('2024-03-16T10:00:00Z'));
  }

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-verify-'));
    file = join(directory, 'jalon.sqlite');
    store = SqliteEventStore.open({ file });
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('rule: with the files events name, each is checked once: a missing or altered file is named at every event that names it; the count of files is reported', async () => {
    const named = (sha: string, fileName: string) => testEvent({ type: 'DocumentAttached', data: { sha256: sha, fileName } });
    await appendChained(store, 'budget-a', [named('a'.repeat(64), 'facture.pdf')]);
    await appendChained(store, 'funding-x', [named('b'.repeat(64), 'releve.csv'), named('c'.repeat(64), 'convention.pdf')]);
    await appendChained(store, 'budget-a', [named('b'.repeat(64), 'releve.csv')]);
    const states: Record<string, NamedFileState> = {
      ['a'.repeat(64)]: { state: 'ok' },
      ['b'.repeat(64)]: { state: 'missing' },
      ['c'.repeat(64)]: { state: 'altered', actualSha256: 'e'.repeat(64) },
    };
    const checked: string[] = [];
    const files: NamedFiles = {
      filesOf: (event) => (event.type === 'DocumentAttached' ? [{ sha256: String(event.data.sha256), fileName: String(event.data.fileName) }] : []),
      check: async (sha) => {
        checked.push(sha);
        return states[sha]!;
      },
    };
    const report = await verify({ files });
    expect(report.documents).toBe(3);
    expect(checked.sort()).toEqual(['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)]);
    expect(report.problems.map((problem) => [problem.kind, problem.streamId, problem.revision])).toEqual([
      ['document-missing', 'funding-x', 0],
      ['document-altered', 'funding-x', 1],
      ['document-missing', 'budget-a', 1],
    ]);
    expect(report.problems[1]!.message).toBe(`Position 3, flux funding-x, révision 1 : le justificatif « convention.pdf » (empreinte ${'c'.repeat(64)}) a été modifié : son fichier a pour empreinte ${'e'.repeat(64)}.`);
    expect((await verify()).documents).toBeUndefined();
  });

  it('rule: stored files no event names (an upload cut short after its bytes, a temporary a stop left) are counted and listed, never a problem of the log; not from a seal, whose events are not reread', async () => {
    await writeHistory();
    const named = 'a'.repeat(64);
    await appendChained(store, 'budget-a', [testEvent({ type: 'DocumentAttached', data: { sha256: named, fileName: 'facture.pdf' } })]);
    const stored = [
      { path: `/docs/aa/aa/${named}`, sizeBytes: 100, sha256: named },
      { path: `/docs/bb/bb/${'b'.repeat(64)}`, sizeBytes: 2_000, sha256: 'b'.repeat(64) },
      { path: `/docs/cc/cc/.${'c'.repeat(64)}.0a1b2c3d4e5f.tmp`, sizeBytes: 30 },
    ];
    const files = (listing: () => AsyncIterable<{ path: string; sizeBytes: number; sha256?: string }>): NamedFiles => ({
      filesOf: (event) => (event.type === 'DocumentAttached' ? [{ sha256: String(event.data.sha256), fileName: String(event.data.fileName) }] : []),
      check: async () => ({ state: 'ok' }),
      stored: listing,
    });
    const report = await verify({ files: files(async function* () { yield* stored; }) });
    expect(report).toMatchObject({ ok: true, problemCount: 0, documents: 1, unnamedFiles: { count: 2, bytes: 2_030, paths: [stored[1]!.path, stored[2]!.path] } });
    // From a seal, the events it covers are not read: which files they name is not known.
    expect((await verify({ from: 17n, files: files(async function* () { yield* stored; }) })).unnamedFiles).toBeUndefined();
    // A directory that cannot be listed is said, not thrown.
    const unlisted = await verify({
      files: files(async function* () {
        yield stored[0]!;
        throw new Error('EACCES: permission denied');
      }),
    });
    expect(unlisted).toMatchObject({ ok: true, unnamedFiles: { notListed: 'EACCES: permission denied' } });
  });

  it('rule: a clean log verifies: events, streams, chained events, seals and the last seal are counted', async () => {
    await writeHistory();
    const report = await verify({ trustedKeyIds: [key.keyId] });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, events: 17, streams: 4, chained: 17, beforeChain: 0, seals: 2, eventsAfterLastSeal: 0 });
    expect(report.lastSeal).toMatchObject({ position: '17', treeSize: 16, keyId: key.keyId, sealedAt: '2024-03-16T10:00:00.000Z' });
  });

  it('rule: one byte of an event’s data changed (a figure): its position, stream and revision are named', async () => {
    await writeHistory();
    await store.close();
    const row = rowAt(file, 5);
    alterFile(file, (db) => db.prepare('UPDATE events SET data = ? WHERE position = 5').run(row.data.replace('"n":1', '"n":7')));
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'hash-mismatch', position: '5', streamId: 'budget-a', revision: 1 }),
    ]);
    expect(report.problems[0]!.message).toMatch(/^Position 5, flux budget-a, révision 1 : /);
  });

  it('rule: one byte of an event’s metadata changed (who recorded it): its position is named', async () => {
    await writeHistory();
    await store.close();
    const row = rowAt(file, 6);
    alterFile(file, (db) => db.prepare('UPDATE events SET metadata = ? WHERE position = 6').run(row.metadata.replace('"actor":"user-1"', '"actor":"user-2"')));
    const report = await verify();
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'hash-mismatch', position: '6', streamId: 'funding-x', revision: 1 })]);
  });

  it('rule: one byte of an event’s type changed: its position is named', async () => {
    await writeHistory();
    await store.close();
    alterFile(file, (db) => db.prepare("UPDATE events SET type = 'TestEventRecordee' WHERE position = 4").run());
    const report = await verify();
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'hash-mismatch', position: '4', streamId: 'antenna-a', revision: 1 })]);
  });

  it('rule: a byte that makes a row undecodable is named as unreadable, and the rest of the log is still checked', async () => {
    await writeHistory();
    await store.close();
    alterFile(file, (db) => db.prepare("UPDATE events SET data = substr(data, 2) WHERE position = 5").run());
    alterFile(file, (db) => db.prepare("UPDATE events SET type = 'Autre' WHERE position = 9").run());
    const report = await verify();
    expect(kinds(at(report, 5))).toEqual(['unreadable']);
    expect(kinds(at(report, 9))).toEqual(['hash-mismatch']);
    expect(report.events).toBe(17);
    // The seals cover the unreadable event: their roots cannot be recomputed, and they say so.
    expect(kinds(at(report, 13))).toEqual(['seal-unverifiable']);
  });

  it('rule: a deleted row is named by its position, and the stream’s missing revision by the event after it', async () => {
    await writeHistory();
    await store.close();
    alterFile(file, (db) => db.prepare('DELETE FROM events WHERE position = 7').run());
    const report = await verify();
    expect(at(report, 7)).toEqual([expect.objectContaining({ kind: 'position-gap', message: expect.stringMatching(/^Position 7 : absente du journal/) })]);
    // Position 7 was antenna-a revision 2; its next event, revision 3, is at position 10.
    expect(at(report, 10)).toEqual([expect.objectContaining({ kind: 'revision-gap', streamId: 'antenna-a', revision: 3 })]);
    expect(kinds(at(report, 13))).toEqual(['seal-missing-events']);
  });

  it('rule: two rows of one stream swapped: both positions are named', async () => {
    await writeHistory();
    await store.close();
    // antenna-a revision 1 (position 4) and revision 3 (position 10) trade places.
    alterFile(file, (db) => {
      db.prepare('UPDATE events SET position = -4 WHERE position = 4').run();
      db.prepare('UPDATE events SET position = 4 WHERE position = 10').run();
      db.prepare('UPDATE events SET position = 10 WHERE position = -4').run();
    });
    const report = await verify();
    expect(at(report, 4)).toEqual([expect.objectContaining({ kind: 'revision-gap', streamId: 'antenna-a', revision: 3 })]);
    expect(kinds(at(report, 7))).toEqual(['revision-order']);
    expect(at(report, 10)).toEqual([expect.objectContaining({ kind: 'revision-order', streamId: 'antenna-a', revision: 1 })]);
    expect(kinds(at(report, 13))).toEqual(['seal-root-mismatch']);
  });

  it('rule: the tail cut off after the last seal: the embedded store’s position counter names the missing positions', async () => {
    await writeHistory();
    await appendChained(store, 'antenna-a', [testEvent(), testEvent()]);
    await store.close();
    alterFile(file, (db) => db.prepare('DELETE FROM events WHERE position >= 18').run());
    const report = await verify();
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'tail-truncated', position: '18', message: expect.stringContaining('Positions 18 à 19') })]);
  });

  it('rule: events appended by another process while the log is verified are no damage: the end checks read the file in one snapshot (they once said « index endommagé » and « fin tronquée »)', async () => {
    await writeHistory();
    // A table large enough that counting it and its indexes takes a while, as on a real store.
    for (let batch = 0; batch < 20; batch++) await store.append('filler', Array.from({ length: 1_000 }, () => testEvent({ data: { padding: 'x'.repeat(200) } })), { expectedRevision: 'any' });
    const writer = spawn(process.execPath, tsNodeArgs(CHILD, 'append', file, 'another-process', '4000', '1', 'close'), { stdio: ['ignore', 'ignore', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => writer.on('exit', resolve));
    let running = true;
    void exited.then(() => (running = false));
    const reports: LogVerificationReport[] = [];
    const damages: string[][] = [];
    while (running || reports.length === 0) {
      const before = (await store.headPosition()) ?? 0n;
      reports.push(await verifyLog(store, { sealStreamId: SEAL_STREAM, densePositions: true, assignedPositions: () => assignedPositions(file), storeDamage: () => embeddedStoreDamage(file) }));
      damages.push(embeddedStoreDamage(file));
      if ((await store.headPosition()) === before && !running) break;
      // Reading the embedded store never waits on I/O: let the child's exit be heard.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await exited).toBe(0);
    expect(reports.length).toBeGreaterThan(1);
    expect(reports.flatMap((report) => report.problems)).toEqual([]);
    expect(damages.flat()).toEqual([]);
  }, 60_000);

  it('rule: the tail cut off and the log renumbered to hide it: the last seal names the missing events', async () => {
    for (let round = 0; round < 4; round++) {
      for (const stream of STREAMS) await appendChained(store, stream, [testEvent({ data: { n: round } })]);
    }
    const seal = await sealLog(store, key);
    expect(seal.position).toBe(13n);
    await store.close();
    // The last round (positions 10-12) goes; the seal moves down to 10; the counter is reset.
    rewriteLog(file, (rows) => rows.filter((row) => row.position < 10 || row.position === 13));
    const report = await verify();
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'seal-missing-events', position: '10', message: expect.stringContaining('les événements n° 10 à 12 du journal manquent') }),
    ]);
  });

  it('rule: an event inserted with its stream’s hash chain recomputed is caught by the seal, which names the range it is in', async () => {
    await writeHistory();
    await store.close();
    // A forged budget-a event at position 8, between revisions 1 and 2; budget-a re-chained, positions renumbered.
    rewriteLog(file, (rows) => {
      const forged = { ...rows[4]!, event_id: 'forged', data: JSON.stringify({ n: 99, stream: 'budget-a' }), position: 7.5 };
      const all = [...rows, forged].sort((a, b) => a.position - b.position);
      const budget = rechain(all.filter((row) => row.stream_id === 'budget-a'));
      return all.map((row) => (row.stream_id === 'budget-a' ? budget.shift()! : row));
    });
    const report = await verify();
    // Every chain holds and positions are dense: only the seals see it.
    expect(kinds(report.problems)).toEqual(['seal-root-mismatch', 'seal-root-mismatch']);
    expect(report.problems[0]).toMatchObject({ position: '14', streamId: SEAL_STREAM, revision: 0 });
    // The first seal covers 12 events: 8 + 4; position 8 is in the first 8.
    expect(report.problems[0]!.message).toContain('le premier écart est parmi les événements n° 1 à 8 (positions 1 à 8)');
  });

  it('rule: a forged seal (its signature altered, its event hash recomputed) is named', async () => {
    await writeHistory();
    await store.close();
    const row = rowAt(file, 17);
    const data = JSON.parse(row.data) as { signature: string };
    const signature = Buffer.from(data.signature, 'base64');
    signature[10]! ^= 1;
    const forged = rechain([rowAt(file, 13), { ...row, data: JSON.stringify({ ...data, signature: signature.toString('base64') }) }])[1]!;
    alterFile(file, (db) => db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = 17').run(forged.data, forged.metadata));
    const report = await verify();
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'seal-invalid', position: '17', streamId: SEAL_STREAM, message: expect.stringContaining('signature est fausse') }),
    ]);
  });

  it('rule: a seal signed with another key than the service’s is named when the service’s key is known', async () => {
    await writeHistory();
    await sealLog(store, SealKey.generate());
    const report = await verify({ trustedKeyIds: [key.keyId] });
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'seal-foreign-key', position: '18' })]);
    expect((await verify()).ok).toBe(true);
  });

  it('rule: events written before the chain are counted and located; the first seal covers them as they are', async () => {
    for (let n = 0; n < 3; n++) await store.append('antenna-old', [testEvent({ data: { n } })], { expectedRevision: n === 0 ? 'no_stream' : n - 1 });
    await appendChained(store, 'antenna-old', [testEvent({ data: { n: 3 } })]);
    const before = await verify();
    expect(before).toMatchObject({ ok: true, beforeChain: 3, chained: 1, beforeChainPositions: { first: '1', last: '3' }, seals: 0, eventsAfterLastSeal: 4 });
    await sealLog(store, key);
    expect(await verify()).toMatchObject({ ok: true, seals: 1, eventsAfterLastSeal: 0 });
    // A pre-chain event changed afterwards: nothing in it or its stream says so, the seal does.
    await store.close();
    alterFile(file, (db) => db.prepare(`UPDATE events SET data = '{"n":9}' WHERE position = 2`).run());
    const report = await verify();
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'seal-root-mismatch', position: '5', message: expect.stringContaining('parmi les événements n° 1 à 4 (positions 1 à 4)') }),
    ]);
  });

  it('rule: an unchained event in a chained stream is named (its hash fields stripped)', async () => {
    await writeHistory();
    await store.close();
    const row = rowAt(file, 16);
    const { hash: _hash, previousHash: _previous, ...metadata } = JSON.parse(row.metadata) as Record<string, unknown>;
    alterFile(file, (db) => db.prepare('UPDATE events SET metadata = ? WHERE position = 16').run(JSON.stringify(metadata)));
    const report = await verify();
    expect(kinds(at(report, 16))).toEqual(['chain-missing']);
  });

  it('rule: verifying from a seal starts after what it covers, and still finds what changed after it', async () => {
    await writeHistory();
    await appendChained(store, 'funding-x', [testEvent()]);
    const clean = await verify({ from: 17n });
    expect(clean).toMatchObject({ ok: true, events: 2, startedAfter: '16', startedFromSeal: { position: '17', treeSize: 16 } });
    await store.close();
    alterFile(file, (db) => db.prepare("UPDATE events SET type = 'Autre' WHERE position = 18").run());
    expect((await verify({ from: 17n })).problems).toEqual([expect.objectContaining({ kind: 'hash-mismatch', position: '18' })]);
  });

  it('rule: export → import → verify passes: hashes and seals survive the move, positions are not in them', async () => {
    await writeHistory();
    const exported = join(directory, 'history.ndjson');
    await exportHistoryToFile(store, exported);
    const copyFile = join(directory, 'copy.sqlite');
    const copy = SqliteEventStore.open({ file: copyFile });
    try {
      await importHistoryFile(exported, copy);
      const report = await verifyLog(copy, { sealStreamId: SEAL_STREAM, densePositions: true, assignedPositions: () => assignedPositions(copyFile) });
      expect(report).toMatchObject({ ok: true, events: 17, seals: 2 });
    } finally {
      await copy.close();
    }
  });
});

describe('positions of the embedded store are dense', () => {
  let directory: string;
  let file: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-dense-'));
    file = join(directory, 'jalon.sqlite');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('rule: an insert rolled back in its savepoint or transaction gives its position back (AUTOINCREMENT rolls back with it)', () => {
    const db = new Database(file);
    try {
      db.exec('CREATE TABLE t (position INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)');
      const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
      const inner = db.transaction((v: string, fail: boolean) => {
        insert.run(v);
        if (fail) throw new Error('refused');
      });
      db.transaction(() => {
        inner('a', false);
        expect(() => inner('b', true)).toThrow('refused');
        inner('c', false);
      })();
      expect(() => db.transaction(() => inner('d', true))()).toThrow('refused');
      insert.run('e');
      expect(db.prepare('SELECT position, v FROM t ORDER BY position').all()).toEqual([
        { position: 1, v: 'a' },
        { position: 2, v: 'c' },
        { position: 3, v: 'e' },
      ]);
    } finally {
      db.close();
    }
  });

  it('rule: appends refused inside a group commit leave no gap in positions', async () => {
    const store: EventStore = SqliteEventStore.open({ file });
    try {
      await store.append('s-1', [testEvent()], { expectedRevision: 'no_stream' });
      const outcomes = await Promise.allSettled([
        store.append('s-1', [testEvent(), testEvent()], { expectedRevision: 0 }),
        store.append('s-1', [testEvent()], { expectedRevision: 0 }),
        store.append('s-2', [testEvent({ metadata: testMetadata() })], { expectedRevision: 'no_stream' }),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((await collect(store.readAll())).map((event) => event.position)).toEqual([1n, 2n, 3n, 4n]);
    } finally {
      await store.close();
    }
  });
});

describe('LogVerifier alone', () => {
  it('rule: a stream’s first event must name the genesis hash, and each event the hash of the one before', () => {
    const verifier = new LogVerifier({ sealStreamId: SEAL_STREAM });
    const base = { streamId: 's', type: 'T', version: 1, data: {} };
    const first = { ...base, id: 'a', revision: 0, position: 1n, metadata: { ...testMetadata(), previousHash: '1'.repeat(64) } };
    const firstHashed = { ...first, metadata: { ...first.metadata, hash: eventHash(first) } };
    verifier.accept(firstHashed);
    expect(verifier.report().problems).toEqual([expect.objectContaining({ kind: 'chain-broken', position: '1', message: expect.stringContaining('empreinte initiale') })]);
  });

  it('rule: an event that names its predecessor’s hash but lost its own is named', () => {
    const verifier = new LogVerifier({ sealStreamId: SEAL_STREAM });
    verifier.accept({ streamId: 's', type: 'T', version: 1, data: {}, id: 'a', revision: 0, position: 1n, metadata: { ...testMetadata(), previousHash: '0'.repeat(64) } });
    expect(verifier.report().problems).toEqual([expect.objectContaining({ kind: 'hash-invalid', position: '1', message: expect.stringContaining('mais pas la sienne') })]);
  });
  it('rule: the end checks compare the counter with the last event of their own snapshot, and the events verified must still be there', () => {
    const verifiedUpTo = (last: number) => {
      const verifier = new LogVerifier({ sealStreamId: SEAL_STREAM });
      for (let position = 1; position <= last; position++) {
        verifier.accept({ streamId: 's', type: 'T', version: 1, data: {}, id: `e${position}`, revision: position - 1, position: BigInt(position), metadata: testMetadata() });
      }
      return verifier;
    };
    // Appended by another process after the events were read: no problem.
    const appended = verifiedUpTo(5);
    appended.checkEnd({ positions: { highest: 9n, lastStored: 9n } });
    expect(appended.report().problems).toEqual([]);
    // Read, then gone from the file: named as what was verified and removed.
    const removed = verifiedUpTo(5);
    removed.checkEnd({ positions: { highest: 5n, lastStored: 3n } });
    expect(removed.report().problems).toEqual([expect.objectContaining({ kind: 'tail-truncated', position: '4', message: 'Positions 4 à 5 : vérifiées, puis retirées du journal (fin du journal tronquée).' })]);
    // Handed out beyond the last event of the same snapshot: cut off.
    const cut = verifiedUpTo(5);
    cut.checkEnd({ positions: { highest: 7n, lastStored: 5n } });
    expect(cut.report().problems).toEqual([expect.objectContaining({ kind: 'tail-truncated', position: '6', message: expect.stringContaining('Positions 6 à 7 : attribuées') })]);
  });
});
