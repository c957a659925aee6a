/**
 * End to end: the provable history as the README tells it, with the compiled CLI on the embedded
 * store: verify, seal, export-audit / verify-export, prove-extends / verify-extends, and `serve`.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, jalon, serve } from './cli';

describe('jalon verify, seal and audit exports, end to end', () => {
  let dir: string;
  let dataDir: string;
  const run = (...args: string[]) => jalon(args, dataDir);
  const publicKeyOf = (stdout: string) => /Clé publique de scellement[^:]*: (\S+)/.exec(stdout)?.[1];

  beforeAll(() => assertBuilt());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-integrity-e2e-'));
    dataDir = join(dir, 'data');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rule: after the demo, verify exits 0; the antenna’s audit export verifies offline, and fails once one character of it changes', () => {
    expect(run('demo').status).toBe(0);
    const verified = run('verify');
    expect(verified.stdout).toContain('Journal vérifié : intact.');
    expect(verified.status).toBe(0);

    const sealed = run('seal');
    expect(sealed.status).toBe(0);
    expect(sealed.stdout).toMatch(/Journal scellé : 43 événement\(s\)/);
    const publicKey = publicKeyOf(sealed.stdout)!;
    expect(publicKey).toMatch(/^MC/);

    const file = join(dir, 'audit-montbeliard.jsonl');
    const exported = run('export-audit', '--antenna', 'montbeliard', '--out', file);
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toContain('Export d’audit de l’antenne montbeliard');
    const ok = run('verify-export', file, '--public-key', publicKey);
    expect(ok.stdout).toContain('Le sceau est signé par la clé publique donnée.');
    expect(ok.status).toBe(0);

    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('78600000');
    const altered = join(dir, 'altered.jsonl');
    writeFileSync(altered, `${text.slice(0, at)}88600000${text.slice(at + 8)}`);
    const line = text.slice(0, at).split('\n').length;
    const { streamId, revision } = JSON.parse(text.split('\n')[line - 1]!) as { streamId: string; revision: number };
    const refused = run('verify-export', altered, '--public-key', publicKey);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(`Ligne ${line} : flux ${streamId}, révision ${revision} : le contenu de l’événement ne donne pas son empreinte`);

    const otherKey = run('verify-export', file, '--public-key', 'MCowBQYDK2VwAyEAgo6txja3RFWKzocZxI8+mnuTchZF8xZ/BFusf97q1YU=');
    expect(otherKey.status).toBe(1);
  });

  it('rule: an audit export is signed as a whole: the budget’s last event cut out of the file, its count, text and checksum redone, is refused (it once verified)', () => {
    expect(run('demo').status).toBe(0);
    const publicKey = publicKeyOf(run('seal').stdout)!;
    const file = join(dir, 'audit-montbeliard.jsonl');
    expect(run('export-audit', '--antenna', 'montbeliard', '--out', file).status).toBe(0);
    const verified = run('verify-export', file, '--public-key', publicKey);
    expect(verified.stdout).toContain('Le fichier entier est signé par la clé du sceau : aucune ligne n’en a été retirée ni modifiée.');
    expect(verified.status).toBe(0);

    // What someone passing the file on could do to hide the last expenditure: every check but the signature redone.
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const last = Math.max(...lines.map((line, index) => ((JSON.parse(line) as { streamId?: string }).streamId === 'budget-montbeliard' ? index : -1)));
    const kept = [...lines.slice(0, last), ...lines.slice(last + 1, -1)];
    const summary = JSON.parse(lines[lines.length - 1]!) as { events: number; text: string };
    const checksum = createHash('sha256');
    for (const line of kept) checksum.update(`${line}\n`, 'utf8');
    const text = summary.text.replace(`${summary.events} événement(s)`, `${summary.events - 1} événement(s)`);
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, [...kept, JSON.stringify({ ...summary, events: summary.events - 1, text, checksum: checksum.digest('hex') })].join('\n') + '\n');
    const refused = run('verify-export', cut, '--public-key', publicKey);
    expect(refused.stdout).toContain(`Ligne ${kept.length + 1} : la signature du fichier est fausse`);
    expect(refused.status).toBe(1);
  });

  it('rule: one byte of a stored amount changed with SQLite: verify exits 1 and names the position, the stream and the revision', () => {
    run('demo');
    const db = new Database(join(dataDir, 'jalon.sqlite'));
    const row = db.prepare<[], { position: number; stream_id: string; revision: number; data: string }>(
      "SELECT position, stream_id, revision, data FROM events WHERE type = 'BudgetTrancheReleased' ORDER BY position LIMIT 1",
    ).get()!;
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(row.data.replace(/"amountCents":(\d)/, (_m, digit: string) => `"amountCents":${(Number(digit) + 1) % 10}`), row.position);
    db.close();
    const verified = run('verify');
    expect(verified.status).toBe(1);
    expect(verified.stdout).toContain(`Position ${row.position}, flux ${row.stream_id}, révision ${row.revision} : son contenu`);
    // And nothing can be sealed or exported over it.
    expect(run('seal').status).toBe(1);
    expect(run('export-audit', '--antenna', 'montbeliard', '--out', join(dir, 'f')).status).toBe(1);
  });

  it('rule: one page of an index damaged on the disk (every event still readable in order): verify exits 1 naming the index, and nothing is sealed over it (it once said « intact » while every append failed)', () => {
    run('demo');
    const file = join(dataDir, 'jalon.sqlite');
    const db = new Database(file);
    const { rootpage } = db.prepare<[], { rootpage: number }>("SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_events_1'").get()!;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    // The page's kind byte made one no page has: SQLite reads it as damaged.
    const bytes = readFileSync(file);
    bytes[(rootpage - 1) * pageSize] = 0x77;
    writeFileSync(file, bytes);
    const verified = run('verify');
    expect(verified.status).toBe(1);
    expect(verified.stdout).toMatch(/^Journal altéré/);
    expect(verified.stdout).toContain('L’index sqlite_autoindex_events_1 est illisible : le fichier est endommagé (SQLITE_CORRUPT) ; restaurez le fichier du magasin depuis une sauvegarde.');
    expect(run('seal').status).toBe(1);
  });

  it('rule: export-audit --latest-seal proves under the last seal already there and seals nothing; a log without a seal, or one that does not verify, is refused', () => {
    run('demo');
    const file = join(dir, 'f.jsonl');
    const unsealed = run('export-audit', '--antenna', 'montbeliard', '--latest-seal', '--out', file);
    expect(unsealed.status).toBe(1);
    expect(unsealed.stderr).toContain('Erreur INTEGRITY.NO_SEAL : aucun sceau dans integrity-seals');

    expect(run('seal').status).toBe(0);
    const seals = () => run('events', 'integrity-seals', '--json').stdout.trim().split('\n').length;
    expect(seals()).toBe(1);
    const exported = run('export-audit', '--antenna', 'montbeliard', '--latest-seal', '--out', file);
    expect(exported.stdout).toContain('Sceau utilisé : le dernier du journal, position 44.');
    expect(exported.status).toBe(0);
    expect(run('verify-export', file).status).toBe(0);
    expect(seals()).toBe(1);

    // A backup without its key: the file cannot be signed, says so, and is refused unless accepted as unsigned.
    renameSync(join(dataDir, 'seal-key.pem'), join(dir, 'seal-key.pem'));
    const unsigned = run('export-audit', '--antenna', 'montbeliard', '--latest-seal', '--out', file);
    expect(unsigned.stdout).toContain('Fichier non signé : la clé qui a signé le sceau n’est pas dans DATA_DIR.');
    expect(unsigned.status).toBe(0);
    const refusedUnsigned = run('verify-export', file);
    expect(refusedUnsigned.stdout).toContain('le fichier n’est pas signé dans son ensemble (produit sans la clé du sceau)');
    expect(refusedUnsigned.status).toBe(1);
    const accepted = run('verify-export', file, '--unsigned');
    expect(accepted.stdout).toContain('Fichier non signé dans son ensemble (accepté par --unsigned)');
    expect(accepted.status).toBe(0);
    renameSync(join(dir, 'seal-key.pem'), join(dataDir, 'seal-key.pem'));

    const db = new Database(join(dataDir, 'jalon.sqlite'));
    const row = db.prepare<[], { position: number; data: string }>("SELECT position, data FROM events WHERE type = 'BudgetTrancheReleased' ORDER BY position LIMIT 1").get()!;
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(row.data.replace(/"amountCents":(\d)/, (_m, digit: string) => `"amountCents":${(Number(digit) + 1) % 10}`), row.position);
    db.close();
    const altered = run('export-audit', '--antenna', 'montbeliard', '--latest-seal', '--out', file);
    expect(altered.status).toBe(1);
    expect(altered.stdout).toContain(`Position ${row.position}`);
    expect(altered.stderr).toContain('Erreur INTEGRITY.LOG_NOT_VERIFIED');
  });

  it('rule: a consistency proof from an older seal to the latest verifies offline; one altered byte of it does not', () => {
    run('demo');
    const first = run('seal');
    const publicKey = publicKeyOf(first.stdout)!;
    const kept = join(dir, 'kept.jsonl');
    expect(run('export-audit', '--antenna', 'montbeliard', '--latest-seal', '--out', kept).status).toBe(0);
    run('users', 'add', '--name', 'Inès Lefèvre', '--role', 'auditor');
    const proof = join(dir, 'extends.json');
    const proved = run('prove-extends', '--from-seal', '43', '--out', proof);
    expect(proved.stdout).toContain('est le début, inchangé, du journal scellé');
    expect(proved.status).toBe(0);
    expect(run('verify-extends', proof, '--public-key', publicKey).status).toBe(0);
    // Pinned to the seal the controller kept (here an export made under it): from it, or refused.
    const pinned = run('verify-extends', proof, '--public-key', publicKey, '--from-seal', kept);
    expect(pinned.status).toBe(0);
    expect(pinned.stdout).toMatch(/Du sceau de 43 événement\(s\) \([^)]*, racine [0-9a-f]{64}\)/);
    const other = run('verify-extends', proof, '--public-key', publicKey, '--from-seal', proof);
    expect(other.status).toBe(1);
    expect(other.stdout).toContain('la preuve ne part pas du sceau conservé');
    const document = JSON.parse(readFileSync(proof, 'utf8')) as { proof: string[] };
    document.proof[0] = document.proof[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    writeFileSync(proof, JSON.stringify(document));
    const refused = run('verify-extends', proof, '--public-key', publicKey);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('la preuve ne montre pas que le journal du sceau de départ (43 événements)');
  });

  it('rule: export → import → verify passes in another data directory (hashes and seals move with the history)', () => {
    run('demo');
    run('seal');
    const file = join(dir, 'history.ndjson');
    expect(run('export', '--out', file).status).toBe(0);
    const copy = join(dir, 'copy');
    expect(jalon(['import', file], copy).status).toBe(0);
    const verified = jalon(['verify'], copy);
    expect(verified.stdout).toContain('1 sceau(x) ; dernier : position 44, 43 événement(s) couverts');
    expect(verified.status).toBe(0);
  });

  it('rule: serve prints the public key once, seals the log at start, and /health reports the verification', async () => {
    run('demo');
    const server = await serve(dataDir);
    try {
      const publicKey = publicKeyOf(server.output());
      const served = (await (await fetch(`${server.url}/api/integrity/public-key`)).json()) as { publicKey: string };
      expect(served.publicKey).toBe(publicKey);
      let integrity: { status?: string; lastSeal?: { treeSize: number } } = {};
      for (let attempt = 0; attempt < 100 && integrity.lastSeal === undefined; attempt++) {
        const health = (await (await fetch(`${server.url}/health`)).json()) as Record<string, unknown>;
        integrity = ((health.components as Record<string, unknown> | undefined)?.integrity ?? health.integrity ?? {}) as typeof integrity;
        if (integrity.lastSeal === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // 43 demo events and the administrator created at the first start.
      expect(integrity).toMatchObject({ status: 'ok', lastSeal: { treeSize: 44 } });
    } finally {
      await server.stop();
    }
    const second = await serve(dataDir);
    await second.stop();
    expect(second.output()).not.toMatch(/Clé publique de scellement/);
    expect(run('verify').status).toBe(0);
  });
});
