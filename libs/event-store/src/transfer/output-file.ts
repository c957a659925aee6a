/**
 * Writing a file whole or not at all: what `jalon export`, `export-audit`, `prove-extends`, `report` and
 * `import-sheet --template` write with `--out`, and the record of the last seal. The lines go to a
 * temporary file beside `file` ({@link partialOf}: a name of its own, so that two processes writing
 * one file never share it), renamed to `file` once complete, so a file under the final name is always
 * whole; on any failure (a full disk, a closed pipe) the partial file is removed.
 * A failure of the file system is a `TRANSFER.FILE_UNWRITABLE` in French naming the file, worded by
 * the one table of causes below (`CAUSES`), which the command line also uses for failures no command worded.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describeStorageFailure, storageFailureKind } from '../sqlite/sqlite-failures';
import { TransferError } from './transfer-errors';

/** Writes one line (the `\n` is added), honouring back-pressure. */
export type LineSink = (line: string) => Promise<void>;

export function streamSink(stream: Writable): LineSink {
  let failure: unknown;
  // Without a listener, a write error (disk full, closed pipe) would crash the process.
  stream.on('error', (error) => (failure ??= error));
  return async (line) => {
    if (failure !== undefined) throw failure;
    if (!stream.write(`${line}\n`)) await once(stream, 'drain');
    if (failure !== undefined) throw failure;
  };
}

/**
 * Refuses, before anything is read or written, a path that cannot be the file written: a folder,
 * or a file whose folder does not exist. Call it before work that a refusal should not leave done
 * (sealing the log, reading it).
 */
export async function assertWritableFile(file: string): Promise<void> {
  const [target, parent] = await Promise.all([statOf(file), statOf(dirname(file))]);
  if (target?.isDirectory()) throw unwritable(`${file} : ${causeWhenWriting('EISDIR')}`);
  if (parent === undefined) throw unwritable(`${file} : ${causeWhenWriting('ENOENT')}`);
  if (!parent.isDirectory()) throw unwritable(`${file} : ${causeWhenWriting('ENOTDIR')}`);
}

/** Writes what `write` gives to `file`, whole or not at all (see the file's comment). */
export async function writeWholeFile<R>(file: string, write: (sink: LineSink) => Promise<R>): Promise<R> {
  await assertWritableFile(file);
  const partial = partialOf(file);
  // Opened before anything is read, so that an unwritable path fails at once.
  const handle = await open(partial, 'w').catch((error: unknown) => {
    throw fileSystemFailure(partial, error);
  });
  const stream = handle.createWriteStream({ encoding: 'utf8' });
  const sink = streamSink(stream);
  let result: R;
  try {
    result = await write(async (line) => {
      try {
        await sink(line);
      } catch (error) {
        throw fileSystemFailure(file, error);
      }
    });
    stream.end();
    await finished(stream).catch((error: unknown) => {
      throw fileSystemFailure(file, error);
    });
    await rename(partial, file).catch((error: unknown) => {
      throw fileSystemFailure(file, error);
    });
  } catch (error) {
    stream.destroy();
    await rm(partial, { force: true });
    throw error;
  }
  return result;
}

/**
 * Writes `content` (a report, a template, the record of the last seal) to `file` whole or not at
 * all, as {@link writeWholeFile}: through a partial file, on the disk before it is renamed; a file
 * already there is replaced only then, so a full disk or a power cut leaves it as it was, and no
 * empty or cut file under the final name.
 */
export async function writeWholeContent(file: string, content: string | Uint8Array): Promise<void> {
  await assertWritableFile(file);
  const partial = partialOf(file);
  try {
    const handle = await open(partial, 'w');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw fileSystemFailure(file, error);
  }
}

/** The temporary file `file` is written to before it is renamed: `FILE.<process>-<random>.partial`. */
function partialOf(file: string): string {
  return `${file}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
}

/** `TRANSFER.FILE_UNWRITABLE` for a failure of the file system while writing `file`, worded by {@link CAUSES}. */
function fileSystemFailure(file: string, error: unknown): TransferError {
  if (error instanceof TransferError) return error;
  return unwritable(`${file} : ${fileSystemCause(error, 'writing') ?? String((error as Error)?.message ?? error)}`);
}

/**
 * The one wording of file-system failures, by code: `any` whatever the operation, `writing` when
 * the path named is a file being written (its `ENOENT` can only be a missing folder).
 */
const CAUSES: Readonly<Record<string, { readonly any: string; readonly writing?: string }>> = {
  ENOENT: { any: 'fichier ou dossier introuvable', writing: 'son dossier n’existe pas' },
  ENOTDIR: { any: 'un fichier occupe la place d’un dossier' },
  EISDIR: { any: 'c’est un dossier, pas un fichier' },
  EPIPE: { any: 'la sortie a été fermée avant la fin' },
  EEXIST: { any: 'un fichier porte déjà ce nom' },
  EMFILE: { any: 'trop de fichiers ouverts' },
};

type CauseContext = 'any' | 'writing';

function wordingOf(code: keyof typeof CAUSES, context: CauseContext): string | undefined {
  const cause = CAUSES[code];
  return cause === undefined ? undefined : `${(context === 'writing' ? cause.writing : undefined) ?? cause.any} (${code})`;
}

/** A cause found before any system call failed (a check of the path), worded as the failure would be. */
function causeWhenWriting(code: 'ENOENT' | 'ENOTDIR' | 'EISDIR'): string {
  return wordingOf(code, 'writing')!;
}

/**
 * The cause of a failure of the file system (an error of Node carrying `code` and `syscall`), in
 * French with its code, e.g. `le disque est plein (ENOSPC)`; undefined for any other error.
 * `writing`: the error's path is a file being written.
 */
export function fileSystemCause(error: unknown, context: CauseContext = 'any'): string | undefined {
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  if (typeof code !== 'string' || typeof syscall !== 'string') return undefined;
  // A socket's or a name lookup's failure carries `syscall` too: it is not one of the file system.
  if (NETWORK_SYSCALLS.has(syscall)) return undefined;
  const known = wordingOf(code, context);
  if (known !== undefined) return known;
  const kind = storageFailureKind(error);
  return kind === undefined ? `erreur du système (${code})` : describeStorageFailure(kind, error);
}

/**
 * What the command line prints of a failure of the file system that no command worded itself:
 * `écriture impossible : /chemin : le disque est plein (ENOSPC)`; undefined for any other error.
 */
export function describeFileSystemFailure(error: unknown): string | undefined {
  const cause = fileSystemCause(error);
  if (cause === undefined) return undefined;
  const { syscall, path, dest } = error as { syscall: string; path?: unknown; dest?: unknown };
  // `open` serves reading and writing alike: it is worded as neither.
  const verb = syscall === 'open' ? 'ouverture impossible' : READS.has(syscall) ? 'lecture impossible' : WRITES.has(syscall) ? 'écriture impossible' : 'opération sur un fichier impossible';
  const where = typeof dest === 'string' ? dest : typeof path === 'string' ? path : undefined;
  return `${verb} : ${where === undefined ? '' : `${where} : `}${cause}`;
}

const READS = new Set(['read', 'stat', 'lstat', 'scandir', 'access']);
const NETWORK_SYSCALLS = new Set(['listen', 'bind', 'connect', 'accept', 'getaddrinfo', 'getnameinfo']);
const WRITES = new Set(['write', 'rename', 'mkdir', 'fsync', 'close', 'unlink', 'copyfile']);

function unwritable(detail: string): TransferError {
  return new TransferError('TRANSFER.FILE_UNWRITABLE', `fichier non écrit : ${detail}`);
}

async function statOf(path: string) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}
