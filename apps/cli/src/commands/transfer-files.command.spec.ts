import { loadConfig } from '@jalon/core';
import { SqliteEventStore } from '@jalon/event-store';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordDemoHistory } from '../../../../test/support/demo-history';
import { mountSmallDisk, SmallDisk } from '../../../../test/support/small-disk';
import { errorLines } from '../error-output';
import { exportAuditCommand } from './export-audit.command';
import { exportCommand } from './export.command';
import { importCommand } from './import.command';
import { migrateCommand } from './migrate.command';
import { proveExtendsCommand } from './prove-extends.command';
import { sealCommand } from './seal.command';
import { verifyExportCommand } from './verify-export.command';

/**
 * The files `jalon export`, `export-audit` and `import` are given, as a careless user or a failing
 * disk gives them: what the command line prints (main.ts prints `errorLines`), in French, naming
 * the file, and what is left on disk and in the log.
 */
describe('jalon export / export-audit / import: the files they are given', () => {
  let root: string;
  let dataDir: string;
  const config = () => loadConfig({ DATA_DIR: dataDir });

  /** The lines main.ts would print, or a failure if the command did not stop. */
  async function refusal(run: () => Promise<unknown>): Promise<{ code: unknown; lines: string[] }> {
    try {
      await run();
    } catch (error) {
      return { code: (error as { code?: unknown }).code, lines: errorLines(error) };
    }
    throw new Error('the command was not refused');
  }

  async function logSize(): Promise<bigint> {
    const store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    try {
      return await store.headPosition();
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'jalon-transfer-files-'));
    dataDir = join(root, 'data');
    mkdirSync(dataDir);
    const store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    try {
      await recordDemoHistory(store);
    } finally {
      await store.close();
    }
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeEach(() => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('rule: `export --out` naming a folder is refused before the log is read, in French naming the path, and leaves nothing', async () => {
    const folder = join(root, 'a-folder');
    mkdirSync(folder);
    const readAll = jest.spyOn(SqliteEventStore.prototype, 'readAll');

    const { code, lines } = await refusal(() => exportCommand(config).parseAsync(['--out', folder], { from: 'user' }));

    expect(code).toBe('TRANSFER.FILE_UNWRITABLE');
    expect(lines).toEqual([`Erreur TRANSFER.FILE_UNWRITABLE : fichier non écrit : ${folder} : c’est un dossier, pas un fichier (EISDIR)`]);
    expect(readAll).not.toHaveBeenCalled();
    expect(readdirSync(root).filter((name) => name.startsWith('a-folder'))).toEqual(['a-folder']);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('rule: `export --out` into a folder that does not exist is refused in French, naming the file and the cause', async () => {
    const file = join(root, 'missing', 'historique.ndjson');

    const { code, lines } = await refusal(() => exportCommand(config).parseAsync(['--out', file], { from: 'user' }));

    expect(code).toBe('TRANSFER.FILE_UNWRITABLE');
    expect(lines).toEqual([`Erreur TRANSFER.FILE_UNWRITABLE : fichier non écrit : ${file} : son dossier n’existe pas (ENOENT)`]);
    expect(existsSync(join(root, 'missing'))).toBe(false);
  });

  it('rule: `export --out ""` is refused naming --out, instead of writing the history to the standard output', async () => {
    const written = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);

    const { code, lines } = await refusal(() => exportCommand(config).parseAsync(['--out', ''], { from: 'user' }));

    expect(code).toBe('TRANSFER.FILE_UNWRITABLE');
    expect(lines).toEqual(['Erreur TRANSFER.FILE_UNWRITABLE : fichier non écrit : l’option --out est vide (attendu : le chemin du fichier à écrire)']);
    expect(written).not.toHaveBeenCalled();
  });

  it('rule: `export-audit --out` naming a folder is refused before the log is sealed: nothing is written, not even a seal', async () => {
    const folder = join(root, 'an-audit-folder');
    mkdirSync(folder);
    const before = await logSize();

    const { code, lines } = await refusal(() => exportAuditCommand(config).parseAsync(['--out', folder], { from: 'user' }));

    expect(code).toBe('TRANSFER.FILE_UNWRITABLE');
    expect(lines).toEqual([`Erreur TRANSFER.FILE_UNWRITABLE : fichier non écrit : ${folder} : c’est un dossier, pas un fichier (EISDIR)`]);
    expect(await logSize()).toBe(before);
    expect(readdirSync(root).filter((name) => name.startsWith('an-audit-folder'))).toEqual(['an-audit-folder']);
  }, 30_000);

  it('rule: `export-audit --antenna` naming no antenna is refused before the log is sealed: a refusal writes nothing, not even a seal', async () => {
    const before = await logSize();

    const { code, lines } = await refusal(() => exportAuditCommand(config).parseAsync(['--antenna', 'nulle-part', '--out', join(root, 'nulle-part.jsonl')], { from: 'user' }));

    expect(code).toBe('INTEGRITY.SUBJECT_NOT_FOUND');
    expect(lines).toEqual(['Erreur INTEGRITY.SUBJECT_NOT_FOUND : aucune antenne nulle-part (le flux antenna-nulle-part est vide)']);
    expect(await logSize()).toBe(before);
    expect(existsSync(join(root, 'nulle-part.jsonl'))).toBe(false);
  }, 30_000);

  it('rule: `import` of a folder is refused in French as an unreadable history file, before the store is opened', async () => {
    const folder = join(root, 'not-a-file');
    mkdirSync(folder);
    const before = await logSize();

    const { code, lines } = await refusal(() => importCommand(config).parseAsync([folder], { from: 'user' }));

    expect(code).toBe('TRANSFER.FILE_INVALID');
    expect(lines).toEqual([`Erreur TRANSFER.FILE_INVALID : fichier d’historique illisible : ${folder} est un dossier`]);
    expect(await logSize()).toBe(before);
  });

  it('rule: `verify-export` and `export-audit --from-seal` of a folder are refused in French naming it, never with Node’s English', async () => {
    const folder = join(root, 'an-export-folder');
    mkdirSync(folder);

    const verify = await refusal(() => verifyExportCommand(config).parseAsync([folder], { from: 'user' }));
    expect(verify.lines).toEqual([`Erreur : ${folder} est un dossier, pas un fichier`]);

    const fromSeal = await refusal(() => exportAuditCommand(config).parseAsync(['--from-seal', folder], { from: 'user' }));
    expect(fromSeal.lines).toEqual([`Erreur INTEGRITY.SEAL_NOT_FOUND : ${folder} est un dossier, pas un fichier de sceau`]);
  }, 30_000);

  it('rule: a failure of the file system no command words itself (here the standard output closed under `export`) is printed in French, exit 1, never Node’s English', async () => {
    const closedPipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' });
    jest.spyOn(process.stdout, 'write').mockImplementation(() => {
      process.nextTick(() => process.stdout.emit('error', closedPipe));
      return false;
    });

    const { code, lines } = await refusal(() => exportCommand(config).parseAsync([], { from: 'user' }));

    expect(code).toBe('EPIPE');
    expect(lines).toEqual(['Erreur EPIPE : écriture impossible : la sortie a été fermée avant la fin (EPIPE)']);
  });

  it.each([
    ['export --out', (out: string) => ['--out', join(out, 'historique.ndjson')], () => exportCommand],
    ['migrate --to', (out: string) => ['--to', `sqlite:${join(out, 'copy')}`], () => migrateCommand],
  ])('rule: `%s` from a DATA_DIR that holds no store (a mistyped path) is refused naming it, and creates neither a store there nor an empty copy', async (_name, args, command) => {
    const mistyped = join(root, 'dta');
    const out = join(root, `out-${_name.split(' ')[0]}`);
    mkdirSync(out);

    const { code, lines } = await refusal(() => command()(() => loadConfig({ DATA_DIR: mistyped })).parseAsync(args(out), { from: 'user' }));

    expect(code).toBe('STORE.NOT_FOUND');
    expect(lines).toEqual([
      `Erreur STORE.NOT_FOUND : aucun magasin d’événements à lire : ${join(mistyped, 'jalon.sqlite')} n’existe pas (le dossier ${mistyped} n’existe pas non plus) ; vérifiez DATA_DIR. Rien n’a été créé.`,
    ]);
    expect(existsSync(mistyped)).toBe(false);
    expect(readdirSync(out)).toEqual([]);
  });

  describe('on a disk that fills up during the export', () => {
    let disk: SmallDisk;
    beforeAll(() => {
      disk = mountSmallDisk(64);
    });
    afterAll(() => disk.unmount());

    /** The size of the latest seal (the log sealed first): what `prove-extends --from-seal` takes. */
    async function latestSealSize(): Promise<string> {
      await sealCommand(config).parseAsync([], { from: 'user' });
      const store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
      try {
        let size = 0;
        for await (const event of store.readStream('integrity-seals')) size = (event.data as { treeSize: number }).treeSize;
        return String(size);
      } finally {
        await store.close();
      }
    }

    it('rule: `prove-extends --out` on a full disk stops in French naming the file, and leaves no file, whole-looking or partial', async () => {
      const size = await latestSealSize();
      disk.fill();
      try {
        const file = join(disk.path, 'preuve.json');

        const { code, lines } = await refusal(() => proveExtendsCommand(config).parseAsync(['--from-seal', size, '--out', file], { from: 'user' }));

        expect(code).toBe('TRANSFER.FILE_UNWRITABLE');
        expect(lines).toEqual([`Erreur TRANSFER.FILE_UNWRITABLE : fichier non écrit : ${file} : le disque est plein (ENOSPC)`]);
        expect(readdirSync(disk.path)).toEqual(['filler']);
      } finally {
        disk.free();
      }
    }, 30_000);

    it.each([
      ['export', () => exportCommand],
      ['export-audit', () => exportAuditCommand],
    ])('rule: `%s --out` on a full disk stops in French naming the file and the full disk, and leaves no file, whole-looking or partial', async (_name, command) => {
      disk.fill();
      try {
        const file = join(disk.path, 'sortie.ndjson');

        const { code, lines } = await refusal(() => command()(config).parseAsync(['--out', file], { from: 'user' }));

        expect(code).toBe('TRANSFER.FILE_UNWRITABLE');
        expect(lines).toEqual([`Erreur TRANSFER.FILE_UNWRITABLE : fichier non écrit : ${file} : le disque est plein (ENOSPC)`]);
        expect(readdirSync(disk.path)).toEqual(['filler']);
      } finally {
        disk.free();
      }
    }, 30_000);
  });

  describe('on a disk that fills up during the import', () => {
    let disk: SmallDisk;
    beforeAll(() => {
      disk = mountSmallDisk(8 * 1024);
    });
    afterAll(() => disk.unmount());

    it('rule: an import stopped by a full disk says how many events the target already holds and that running it again resumes; run again, it does', async () => {
      const file = join(root, 'to-import.ndjson');
      await exportCommand(config).parseAsync(['--out', file], { from: 'user' });
      const target = join(disk.path, 'data');
      mkdirSync(target);
      const targetConfig = () => loadConfig({ DATA_DIR: target });
      // Room for a few events only.
      const { bavail, bsize } = statfsSync(disk.path);
      const ballast = join(disk.path, 'ballast');
      writeFileSync(ballast, Buffer.alloc(bavail * bsize - 160 * 1024));
      const said = jest.spyOn(console, 'error').mockImplementation(() => undefined);

      const { code } = await refusal(() => importCommand(targetConfig).parseAsync([file], { from: 'user' }));

      expect(code).toBe('STORE.UNAVAILABLE');
      const store = SqliteEventStore.open({ file: join(target, 'jalon.sqlite') });
      const held = await store.headPosition().finally(() => store.close());
      expect(held).toBeGreaterThan(0n);
      expect(said.mock.calls.map(([line]) => line)).toContain(
        `Import interrompu : la base cible contient déjà ${held} événement(s) de cet historique ; relancez la même commande une fois la cause corrigée : l’import reprendra après eux, sans doublon.`,
      );

      rmSync(ballast);
      const printed = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      await importCommand(targetConfig).parseAsync([file], { from: 'user' });
      expect(printed.mock.calls.map(([line]) => String(line))).toContainEqual(expect.stringMatching(new RegExp(`, ${held} déjà présent\\(s\\) \\(reprise\\)`)));
    }, 60_000);
  });
});
