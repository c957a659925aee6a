import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEvent } from '../../../../test/support/events';
import { alterFile, appendChained, rechain, rewriteLog, SEAL_STREAM, sealLog } from '../../../../test/support/integrity';
import { collect, type StoredEvent } from '../event-store.port';
import { SqliteEventStore } from '../sqlite';
import { auditExportLines, verifyAuditExport, type AuditSubject } from './audit-export';
import { proveExtends, sealEventFromText, verifyExtends } from './consistency-proof';
import { eventHash } from './event-hash';
import { IntegrityError } from './integrity-error';
import { buildLogTree, leafOf } from './log-tree';
import { leafHash, MerkleFrontier, MerkleTree, toHex } from './merkle';
import { SealKey } from './seal';

const antenna: AuditSubject = {
  kind: 'antenna',
  id: 'a',
  label: 'l’antenne a',
  select: () => (event: StoredEvent) => ['antenna-a', 'budget-a', 'funding-x'].includes(event.streamId),
};

describe('verifiable audit export and consistency proofs', () => {
  let directory: string;
  let file: string;
  let store: SqliteEventStore;
  const key = SealKey.generate();
  const other = SealKey.generate();

  /** Four rounds over antenna-a, antenna-b, budget-a, funding-x (16 events), then a seal (position 17). */
  async function writeHistory(): Promise<StoredEvent> {
    for (let round = 0; round < 4; round++) {
      for (const stream of ['antenna-a', 'antenna-b', 'budget-a', 'funding-x']) {
        await appendChained(store, stream, [testEvent({ data: { n: round, stream, effectiveDate: `2022-0${round + 3}-15` } })]);
      }
    }
    return sealLog(store, key);
  }

  const exportLines = async (seal: StoredEvent, fromSeal?: StoredEvent, signer: SealKey | null = key) =>
    collect(auditExportLines(store, { subject: antenna, seal, ...(fromSeal ? { fromSeal } : {}), ...(signer ? { signer } : {}), now: () => new Date('2024-03-20T08:00:00Z') }));

  /** Changes line `index` (0-based) with `change` on its parsed value, and recomputes the summary's checksum as a forger would. */
  function forge(lines: string[], index: number, change: (value: Record<string, unknown>) => void): string[] {
    const copy = [...lines];
    const value = JSON.parse(copy[index]!) as Record<string, unknown>;
    change(value);
    copy[index] = JSON.stringify(value);
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    const checksum = createHash('sha256');
    copy.slice(0, -1).forEach((line) => checksum.update(`${line}\n`, 'utf8'));
    const summary = JSON.parse(copy[copy.length - 1]!) as Record<string, unknown>;
    copy[copy.length - 1] = JSON.stringify({ ...summary, checksum: checksum.digest('hex') });
    return copy;
  }

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-audit-'));
    file = join(directory, 'jalon.sqlite');
    store = SqliteEventStore.open({ file });
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('rule: an export holds the subject’s events only, each with its hash and leaf index, under the seal, and verifies offline', async () => {
    const seal = await writeHistory();
    const lines = await exportLines(seal);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.map((line) => line.kind)).toEqual(['header', 'seal', ...Array(12).fill('event'), 'summary']);
    expect(parsed[0]).toMatchObject({ format: 'jalon-audit', version: 2, keyId: key.keyId, publicKey: key.publicKey, seal: { treeSize: 16 }, subject: { kind: 'antenna', id: 'a' } });
    expect(new Set(parsed.filter((line) => line.kind === 'event').map((line) => line.streamId))).toEqual(new Set(['antenna-a', 'budget-a', 'funding-x']));
    expect(parsed[2]).toMatchObject({ leafIndex: 0, position: '1', streamId: 'antenna-a', revision: 0 });
    expect(parsed[14]!.text).toContain('Export d’audit de l’antenne a : 12 événement(s) de 3 flux, dates d’effet du 15/03/2022 au 15/06/2022.');

    const report = await verifyAuditExport(lines, { publicKey: key.publicKey });
    expect(report).toMatchObject({ ok: true, problems: [], events: 12, streams: 3, keyMatches: true, seal: { treeSize: 16 }, signed: true });
  });

  /**
   * Cuts a stream's last event out of the file as someone passing it on could: the summary's count,
   * text and checksum recomputed, so that nothing but a signature can tell (the signature is kept).
   */
  function cutLastEventOf(lines: string[], streamId: string): string[] {
    const last = Math.max(...lines.map((line, index) => ((JSON.parse(line) as Record<string, unknown>).streamId === streamId ? index : -1)));
    const kept = [...lines.slice(0, last), ...lines.slice(last + 1)];
    const summary = JSON.parse(kept[kept.length - 1]!) as Record<string, unknown>;
    kept[kept.length - 1] = JSON.stringify({ ...summary, events: (summary.events as number) - 1, text: (summary.text as string).replace('12 événement(s)', '11 événement(s)') });
    return forge(kept, 0, () => undefined);
  }

  it('rule: a signed file is proof against whoever passes it on: a stream’s last event cut out, count, text and checksum recomputed, fails (docs/decisions/0057)', async () => {
    const lines = await exportLines(await writeHistory());
    expect(JSON.parse(lines[lines.length - 1]!).text).toContain('Le fichier entier est signé par la même clé');
    const cut = cutLastEventOf(lines, 'budget-a');
    const report = await verifyAuditExport(cut, { publicKey: key.publicKey });
    expect(report).toMatchObject({ ok: false, signed: false, events: 11 });
    expect(report.problems).toEqual([{ line: cut.length, message: expect.stringContaining('la signature du fichier est fausse') }]);
    // The same cut with the signature dropped: refused as unsigned, unless the verifier is told to accept that.
    const unsignedCut = forge(cut, 0, () => undefined).map((line, index, all) => (index === all.length - 1 ? JSON.stringify({ ...JSON.parse(line), signature: undefined }) : line));
    expect((await verifyAuditExport(unsignedCut)).problems).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('le fichier n’est pas signé dans son ensemble') })]));
  });

  it('rule: a file made without the seal’s key is unsigned, says so in its summary, and verifies only when an unsigned file is accepted', async () => {
    const seal = await writeHistory();
    for (const signer of [null, other]) {
      const lines = await exportLines(seal, undefined, signer);
      const summary = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
      expect(summary.signature).toBeUndefined();
      expect(summary.text).toContain('Le fichier n’est pas signé (produit sans la clé du sceau) : il prouve les événements qu’il contient, pas qu’aucun n’en a été retiré.');
      expect(await verifyAuditExport(lines, { publicKey: key.publicKey })).toMatchObject({
        ok: false,
        signed: false,
        problems: [{ line: lines.length, message: expect.stringContaining('produit sans la clé du sceau') }],
      });
      expect(await verifyAuditExport(lines, { publicKey: key.publicKey, acceptUnsigned: true })).toMatchObject({ ok: true, problems: [], signed: false, events: 12 });
    }
  });

  it('rule: a version-1 file (before files were signed) verifies its lines when unsigned files are accepted, and is refused otherwise', async () => {
    const lines = await exportLines(await writeHistory(), undefined, null);
    const summary = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
    const versionOne = forge(
      [...lines.slice(0, -1), JSON.stringify({ ...summary, text: (summary.text as string).replace(/ Le fichier n’est pas signé[^.]*\./, '') })],
      0,
      (header) => (header.version = 1),
    );
    expect(await verifyAuditExport(versionOne, { acceptUnsigned: true })).toMatchObject({ ok: true, problems: [], signed: false });
    expect((await verifyAuditExport(versionOne)).problems).toEqual([expect.objectContaining({ message: expect.stringContaining('(version 1 du format)') })]);
  });

  it('rule: one character changed anywhere in the file makes verification fail, naming the line', async () => {
    const lines = await exportLines(await writeHistory());
    let tried = 0;
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!;
      for (let at = 0; at < line.length; at += 23) {
        const replacement = line[at] === 'a' ? 'b' : line[at] === '0' ? '1' : 'a';
        const altered = [...lines];
        altered[index] = line.slice(0, at) + replacement + line.slice(at + 1);
        const report = await verifyAuditExport(altered);
        if (report.ok) throw new Error(`line ${index + 1}, character ${at} changed from ${line[at]} to ${replacement}: not detected`);
        tried += 1;
      }
    }
    expect(tried).toBeGreaterThan(300);
  });

  it('rule: an event changed with its hash recomputed (and the checksum) fails: its inclusion proof no longer leads to the seal', async () => {
    const lines = await exportLines(await writeHistory());
    const forged = forge(lines, 5, (value) => {
      value.data = { ...(value.data as object), n: 99 };
      const { kind: _kind, leafIndex: _leaf, position: _position, hash: _hash, inclusionProof: _proof, ...content } = value;
      value.hash = eventHash(content as never);
    });
    const report = await verifyAuditExport(forged);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ line: 6, message: expect.stringContaining('la preuve d’inclusion ne mène pas à la racine du sceau') })]));
  });

  it('rule: a supporting document’s hash is in the export (in its event’s data, which the event hash covers): changing it, even with the hash and checksum recomputed, fails', async () => {
    const documentSha = 'c'.repeat(64);
    for (let round = 0; round < 2; round++) await appendChained(store, 'budget-a', [testEvent({ data: { n: round, effectiveDate: '2022-03-15' } })]);
    await appendChained(store, 'budget-a', [
      testEvent({
        type: 'DocumentAttached',
        data: { antennaId: 'a', subject: { kind: 'expenditure', expenditureId: 'e1' }, sha256: documentSha, fileName: 'facture.pdf', sizeBytes: 1234, mediaType: 'application/pdf', effectiveDate: '2022-03-20' },
      }),
    ]);
    const lines = await exportLines(await sealLog(store, key));
    const index = lines.findIndex((line) => JSON.parse(line).type === 'DocumentAttached');
    expect(JSON.parse(lines[index]!)).toMatchObject({ kind: 'event', streamId: 'budget-a', revision: 2, data: { sha256: documentSha, fileName: 'facture.pdf', sizeBytes: 1234 } });
    expect((await verifyAuditExport(lines, { publicKey: key.publicKey })).ok).toBe(true);

    const forged = forge(lines, index, (value) => {
      (value.data as Record<string, unknown>).sha256 = 'd'.repeat(64);
      const { kind: _kind, leafIndex: _leaf, position: _position, hash: _hash, inclusionProof: _proof, ...content } = value;
      value.hash = eventHash(content as never);
    });
    const report = await verifyAuditExport(forged);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ line: index + 1 })]));
  });

  it('rule: an event left out of the export is named by the line where its stream skips a revision', async () => {
    const lines = await exportLines(await writeHistory());
    const withoutOne = forge([...lines.slice(0, 5), ...lines.slice(6)], 0, () => undefined);
    const report = await verifyAuditExport(withoutOne);
    expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ line: 8, message: expect.stringContaining('la révision 1 du flux est attendue') })]));
  });

  it('rule: a seal whose signature does not hold, or signed by another key than the one given, fails', async () => {
    const lines = await exportLines(await writeHistory());
    const forged = forge(lines, 1, (value) => {
      const data = value.data as Record<string, unknown>;
      const signature = Buffer.from(data.signature as string, 'base64');
      signature[0]! ^= 1;
      data.signature = signature.toString('base64');
    });
    expect((await verifyAuditExport(forged)).problems).toEqual(expect.arrayContaining([expect.objectContaining({ line: 2, message: expect.stringContaining('signature est fausse') })]));
    const wrongKey = await verifyAuditExport(lines, { publicKey: other.publicPem() });
    expect(wrongKey).toMatchObject({ ok: false, keyMatches: false });
    expect((await verifyAuditExport(lines, { publicKey: key.keyId })).ok).toBe(true);
  });

  it('rule: an export refuses a log that no longer gives the seal’s root, or an event that no longer gives its hash', async () => {
    const seal = await writeHistory();
    await store.close();
    alterFile(file, (db) => db.prepare("UPDATE events SET type = 'Autre' WHERE position = 3").run());
    store = SqliteEventStore.open({ file });
    await expect(exportLines(seal)).rejects.toThrow(/position 3 .*ne correspond plus à son empreinte/);
    await store.close();
    rewriteLog(file, (rows) => {
      const budget = rechain(rows.filter((row) => row.stream_id === 'budget-a').map((row, i) => (i === 1 ? { ...row, data: '{"n":9}' } : row)));
      return rows.map((row) => (row.stream_id === 'budget-a' ? budget.shift()! : row));
    });
    store = SqliteEventStore.open({ file });
    await expect(exportLines(seal)).rejects.toThrow(IntegrityError);
  });

  it('rule: an export from an earlier seal carries the proof that the earlier log is a prefix of the sealed one', async () => {
    const first = await writeHistory();
    await appendChained(store, 'antenna-a', [testEvent({ data: { n: 5, effectiveDate: '2022-07-01' } })]);
    const second = await sealLog(store, key, new Date('2024-04-01T10:00:00Z'));
    const lines = await exportLines(second, first);
    expect(JSON.parse(lines[2]!)).toMatchObject({ kind: 'consistency', fromSeal: { id: first.id } });
    const report = await verifyAuditExport(lines, { publicKey: key.publicKey });
    expect(report).toMatchObject({ ok: true, fromSeal: { treeSize: 16 }, seal: { treeSize: 18 } });
    const forged = forge(lines, 2, (value) => {
      const proof = value.proof as string[];
      proof[0] = proof[0]!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    });
    expect((await verifyAuditExport(forged)).problems).toEqual(expect.arrayContaining([expect.objectContaining({ line: 3, message: expect.stringContaining('la preuve de cohérence') })]));
  });

  it('rule: prove-extends from an earlier seal to the latest verifies offline; the file names its seals', async () => {
    const first = await writeHistory();
    await appendChained(store, 'budget-a', [testEvent()]);
    const latest = await sealLog(store, key, new Date('2024-04-01T10:00:00Z'));
    const proof = await proveExtends(store, first, latest, new Date('2024-04-02T00:00:00Z'));
    const document = JSON.parse(JSON.stringify(proof)) as unknown;
    expect(verifyExtends(document, { publicKey: key.publicKey })).toMatchObject({ ok: true, problems: [], from: { treeSize: 16 }, to: { treeSize: 18 }, keyMatches: true });
    expect(verifyExtends(document, { publicKey: other.publicKey })).toMatchObject({ ok: false, keyMatches: false });
    // Pinned to the seal a controller kept: a proof from another seal says nothing of it.
    const keptSeal = (seal: StoredEvent) => ({ treeSize: (seal.data as { treeSize: number }).treeSize, rootHash: (seal.data as { rootHash: string }).rootHash });
    expect(verifyExtends(document, { publicKey: key.publicKey, keptSeal: keptSeal(first) })).toMatchObject({ ok: true, problems: [] });
    expect(verifyExtends(document, { publicKey: key.publicKey, keptSeal: keptSeal(latest) })).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('la preuve ne part pas du sceau conservé (18 événements')],
    });
    // A kept seal can be given back as a file: the proof's own `to` seal is the next quarter's starting point.
    expect(sealEventFromText(JSON.stringify(proof))).toMatchObject({ id: latest.id });
    expect(sealEventFromText((await exportLines(latest)).join('\n'))).toMatchObject({ id: latest.id });
  });

  it('rule: once an event covered by the earlier seal is altered, no consistency proof from it holds, and prove-extends refuses', async () => {
    const first = await writeHistory();
    await appendChained(store, 'budget-a', [testEvent()]);
    const latestHonest = await sealLog(store, key, new Date('2024-04-01T10:00:00Z'));
    const honest = JSON.parse(JSON.stringify(await proveExtends(store, first, latestHonest))) as Record<string, unknown>;
    await store.close();
    // budget-a revision 1 rewritten with its chain recomputed; the log resealed over the altered history.
    rewriteLog(file, (rows) => {
      const budget = rechain(rows.filter((row) => row.stream_id === 'budget-a').map((row, i) => (i === 1 ? { ...row, data: '{"n":9}' } : row)));
      return rows.filter((row) => row.position !== 19).map((row) => (row.stream_id === 'budget-a' ? budget.shift()! : row));
    });
    store = SqliteEventStore.open({ file });
    await expect(proveExtends(store, first, latestHonest)).rejects.toThrow(/ne donnent plus la racine/);
    // What a forger holding the key could produce: a new seal over the altered log and the proof that log gives.
    const treeSize = 18;
    const tree = await buildLogTree(store, treeSize);
    const frontier = new MerkleFrontier();
    for (let i = 0; i < treeSize; i++) frontier.appendLeafHash(tree.leafHashAt(i));
    const data = key.sign(
      { treeSize, rootHash: toHex(tree.rootAt()), frontier: frontier.snapshot().nodes.map(toHex), lastEvent: { streamId: SEAL_STREAM, revision: 0, id: first.id }, sealedAt: '2024-04-02T10:00:00.000Z' },
      '2024-04-02',
    );
    const forgedLatest = { ...latestHonest, id: 'forged-seal', position: '20', data };
    const forgedProof = { ...honest, to: forgedLatest, proof: tree.consistencyProof(16, treeSize).map(toHex) };
    const check = verifyExtends(JSON.parse(JSON.stringify(forgedProof)), { publicKey: key.publicKey });
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual(expect.arrayContaining([expect.stringContaining('un événement couvert par le premier sceau a été modifié')]));
  });

  it('rule: a log cut off with its last seal, counter reset, is caught by a seal kept elsewhere', async () => {
    await writeHistory();
    await appendChained(store, 'antenna-a', [testEvent(), testEvent()]);
    const kept = await sealLog(store, key, new Date('2024-04-01T10:00:00Z'));
    await store.close();
    rewriteLog(file, (rows) => rows.slice(0, 17));
    store = SqliteEventStore.open({ file });
    await appendChained(store, 'budget-a', [testEvent()]);
    const latest = await sealLog(store, key, new Date('2024-04-02T10:00:00Z'));
    await expect(proveExtends(store, kept, latest)).rejects.toThrow('le sceau de départ couvre 19 événements, plus que le dernier sceau (18)');
  });

  it('rule: a leaf is the stored hash, or for an event before the chain its recomputed hash', async () => {
    await store.append('antenna-old', [testEvent()], { expectedRevision: 'no_stream' });
    const [old] = await collect(store.readAll());
    expect(leafOf(old!)).toBe(eventHash(old!));
    const tree = await buildLogTree(store, 1);
    expect(tree.rootAt()).toEqual(MerkleTree.of([Buffer.from(eventHash(old!), 'hex')]).rootAt());
    expect(tree.leafHashAt(0)).toEqual(leafHash(Buffer.from(eventHash(old!), 'hex')));
    expect(SEAL_STREAM).toBe('integrity-seals');
  });
});
