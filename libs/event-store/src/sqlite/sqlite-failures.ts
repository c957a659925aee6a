import { statSync } from 'node:fs';
/**
 * What a failing SQLite file (or the file system under it) means, for the embedded store and the
 * read models: which failures are the storage's (and pass), which leave a connection unusable,
 * and how to say so in French.
 */

/** Storage trouble, as opposed to a constraint or a bug. */
export type StorageFailureKind = 'full' | 'read-only' | 'busy' | 'cannot-open' | 'io' | 'corrupt';

const FILE_SYSTEM_CODES: Readonly<Record<string, StorageFailureKind>> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read-only',
  EACCES: 'read-only',
  EPERM: 'read-only',
  ENOENT: 'cannot-open',
  ENOTDIR: 'cannot-open',
  EISDIR: 'cannot-open',
  EIO: 'io',
};

/** The kind of storage trouble a SQLite or file-system error reports, or undefined when it is none. */
export function storageFailureKind(error: unknown): StorageFailureKind | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (!code.startsWith('SQLITE_')) return FILE_SYSTEM_CODES[code];
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_READONLY')) return 'read-only';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH' || code === 'SQLITE_NOTADB') return 'cannot-open';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  if (code.startsWith('SQLITE_CORRUPT')) return 'corrupt';
  return undefined;
}

/**
 * Whether the connection must be closed and opened again: after an I/O error, a file opened
 * read-only (SQLite falls back to it silently) or a file that moved, the same connection would
 * keep failing once the cause is gone. A full disk or a busy lock leave it usable.
 */
export function needsNewConnection(kind: StorageFailureKind): boolean {
  return kind !== 'full' && kind !== 'busy';
}

/**
 * Whether a failure raised by COMMIT leaves the transaction's outcome unknown: with a full disk,
 * a read-only file or a lock, nothing reached the log; after an I/O error (a failed fsync) the
 * commit record may be on disk.
 */
export function commitOutcomeUnknown(kind: StorageFailureKind): boolean {
  return kind !== 'full' && kind !== 'read-only' && kind !== 'busy';
}

const WHY: Readonly<Record<StorageFailureKind, string>> = {
  full: 'le disque est plein',
  'read-only': 'le fichier ou son dossier est en lecture seule',
  busy: 'la base est verrouillée par un autre processus',
  'cannot-open': 'le fichier ne peut pas être ouvert (supprimé, déplacé, remplacé par un dossier ou sans droits)',
  io: 'erreur d’entrée-sortie du disque',
  corrupt: 'le fichier est endommagé',
};

/** `le disque est plein (SQLITE_FULL)`: the cause, in French, and the error's own code. */
export function describeStorageFailure(kind: StorageFailureKind, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return `${WHY[kind]}${typeof code === 'string' ? ` (${code})` : ''}`;
}

/** Which file a connection opened: SQLite goes on writing to a file deleted or replaced under it, and loses it all. */
export interface FileIdentity {
  readonly device: number;
  readonly inode: number;
}

export function fileIdentityOf(file: string): FileIdentity {
  const { dev, ino } = statSync(file);
  return { device: dev, inode: ino };
}

/** Whether the path still names the file a connection opened (not deleted, moved or replaced by a directory). */
export function isSameFile(file: string, opened: FileIdentity): boolean {
  try {
    const now = statSync(file);
    return now.isFile() && now.ino === opened.inode && now.dev === opened.device;
  } catch {
    return false;
  }
}
