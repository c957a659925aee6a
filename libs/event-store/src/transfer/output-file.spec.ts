import { mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressInfo, connect, createServer } from 'node:net';
import { describeFileSystemFailure, fileSystemCause, writeWholeFile } from './output-file';

function failureOf(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('describeFileSystemFailure', () => {
  it('rule: a file that cannot be opened is worded as an opening, not as a write, whichever way it was opened', () => {
    const missing = '/nonexistent-jalon-dir/history.ndjson';
    expect(describeFileSystemFailure(failureOf(() => openSync(missing, 'r')))).toBe(`ouverture impossible : ${missing} : fichier ou dossier introuvable (ENOENT)`);
    expect(describeFileSystemFailure(failureOf(() => openSync(missing, 'w')))).toBe(`ouverture impossible : ${missing} : fichier ou dossier introuvable (ENOENT)`);
  });

  it('rule: an error that is not one of the file system is left to its own wording', () => {
    expect(describeFileSystemFailure(new Error('autre chose'))).toBeUndefined();
  });

  it('rule: a socket’s failure (a port in use, a connection refused) is not worded as a file’s', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const inUse = await new Promise<unknown>((resolve) => createServer().once('error', resolve).listen(port, '127.0.0.1'));
      expect(inUse).toMatchObject({ code: 'EADDRINUSE', syscall: 'listen' });
      expect(describeFileSystemFailure(inUse)).toBeUndefined();
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    const refused = await new Promise<unknown>((resolve) => connect(port, '127.0.0.1').once('error', resolve));
    expect(refused).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect' });
    expect(describeFileSystemFailure(refused)).toBeUndefined();
  });
});

describe('writeWholeFile refusals', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'jalon-output-file-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const refusalOf = (file: string) => writeWholeFile(file, async (sink) => sink('{}')).then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: { code?: string; message?: string }) => error,
  );

  it('rule: one wording of file-system failures: a folder, a file in place of a folder, a missing folder are worded by the table of causes (as the system’s own error would be), naming the file and the code', async () => {
    const folder = join(root, 'a-folder');
    mkdirSync(folder);
    const plain = join(root, 'a-file');
    writeFileSync(plain, 'x');
    const underFile = join(plain, 'historique.ndjson');
    const missing = join(root, 'missing', 'historique.ndjson');

    const cases: readonly [string, string][] = [
      [folder, `${folder} : ${fileSystemCause(failureOf(() => openSync(folder, 'w')))}`],
      [underFile, `${underFile} : ${fileSystemCause(failureOf(() => openSync(underFile, 'w')))}`],
      [missing, `${missing} : son dossier n’existe pas (ENOENT)`],
    ];
    for (const [file, detail] of cases) {
      expect(await refusalOf(file)).toMatchObject({ code: 'TRANSFER.FILE_UNWRITABLE', message: `fichier non écrit : ${detail}` });
    }
    expect(cases.map(([, detail]) => detail.replace(/^.* : /, ''))).toEqual([
      'c’est un dossier, pas un fichier (EISDIR)',
      'un fichier occupe la place d’un dossier (ENOTDIR)',
      'son dossier n’existe pas (ENOENT)',
    ]);
    expect(fileSystemCause(failureOf(() => openSync(missing, 'w')), 'writing')).toBe('son dossier n’existe pas (ENOENT)');
    expect(readdirSync(root).sort()).toEqual(['a-file', 'a-folder']);
  });
});
