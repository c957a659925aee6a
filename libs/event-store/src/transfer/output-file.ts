/**
 * Writing a line file whole or not at all: what `jalon export`, `export-audit` and `prove-extends` write
 * with `--out`. The lines go to `file.partial`, renamed to `file` once complete, so a file under the
 * final name is always whole; on any failure (a full disk, a closed pipe) the partial file is removed.
 * A failure of the file system is a `TRANSFER.FILE_UNWRITABLE` in French naming the file.
 */
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
  if (target?.isDirectory()) throw unwritable(`${file} est un dossier`);
  if (parent === undefined) throw unwritable(`${file} : son dossier n’existe pas (ENOENT)`);
  if (!parent.isDirectory()) throw unwritable(`${file} : son dossier n’existe pas (ENOTDIR)`);
}

/** Writes what `write` gives to `file`, whole or not at all (see the file's comment). */
export async function writeWholeFile<R>(file: string, write: (sink: LineSink) => Promise<R>): Promise<R> {
  await assertWritableFile(file);
  const partial = `${file}.partial`;
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

/** `TRANSFER.FILE_UNWRITABLE` for a failure of the file system while writing `file`. */
function fileSystemFailure(file: string, error: unknown): TransferError {
  if (error instanceof TransferError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return unwritable(`${file} : son dossier n’existe pas (${code})`);
  if (code === 'EISDIR') return unwritable(`${file} est un dossier`);
  return unwritable(`${file} : ${fileSystemCause(error) ?? String((error as Error)?.message ?? error)}`);
}

const CAUSES: Readonly<Record<string, string>> = {
  ENOENT: 'fichier ou dossier introuvable',
  ENOTDIR: 'un fichier occupe la place d’un dossier',
  EISDIR: 'c’est un dossier, pas un fichier',
  EPIPE: 'la sortie a été fermée avant la fin',
  EEXIST: 'un fichier porte déjà ce nom',
  EMFILE: 'trop de fichiers ouverts',
};

/**
 * The cause of a failure of the file system (an error of Node carrying `code` and `syscall`), in
 * French with its code, e.g. `le disque est plein (ENOSPC)`; undefined for any other error.
 */
export function fileSystemCause(error: unknown): string | undefined {
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  if (typeof code !== 'string' || typeof syscall !== 'string') return undefined;
  const known = CAUSES[code];
  if (known !== undefined) return `${known} (${code})`;
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
