import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { WriteFailureLog, type StoreWriteHealth } from '../store-health';
import { DocumentError } from './document-error';

const SHA256 = /^[0-9a-f]{64}$/;

export function isSha256(value: unknown): value is string {
  return typeof value === 'string' && SHA256.test(value);
}

/** What became of a `put`. */
export interface StoredDocument {
  readonly sha256: string;
  readonly sizeBytes: number;
  /** False when the same bytes were stored already (nothing written). */
  readonly written: boolean;
}

/** A file of the documents directory, as {@link DocumentStore.list} finds it. */
export interface ListedDocumentFile {
  readonly path: string;
  readonly sizeBytes: number;
  /** Set for a document stored where `put` leaves it: the SHA-256 it is named by. */
  readonly sha256?: string;
}

/** What a stored file is, against the hash it is named by. */
export type DocumentFileState =
  | { readonly state: 'ok'; readonly sizeBytes: number }
  | { readonly state: 'missing' }
  | { readonly state: 'altered'; readonly actualSha256: string; readonly sizeBytes: number }
  | { readonly state: 'unreadable'; readonly reason: string };

/**
 * The bytes of supporting documents, content-addressed: each file is named by the SHA-256 of its
 * content, in two levels of shard directories (`ab/cd/abcd…`), under one directory (by default
 * `$DATA_DIR/documents`; back it up with the event store). A file is written once, atomically (a
 * temporary file in the same directory, fsync, rename, fsync of the directory), and never
 * replaced by other bytes: the same bytes again write nothing. It knows nothing of the domain.
 *
 * The bytes are stored before the event that names them is appended, and only once the command
 * that attaches them is accepted (docs/decisions/0043): an event whose file is missing is what
 * `jalon verify` reports. Nothing here deletes a file.
 */
export class DocumentStore {
  private readonly failures = new WriteFailureLog();
  private lastProbe = 0;
  /** Where the last write failed: the probe writes there (a full disk fails anywhere, a broken shard directory only there). */
  private failedDirectory: string | undefined;

  constructor(
    readonly directory: string,
    /** How often, at most, `writeHealth` tries a write of its own while writes fail. */
    private readonly probeIntervalMs = 1000,
  ) {}

  /** Where the file of `sha256` lives (whether or not it exists). */
  pathOf(sha256: string): string {
    if (!isSha256(sha256)) throw new DocumentError('DOCUMENT.NOT_FOUND', `« ${String(sha256).slice(0, 80)} » n’est pas une empreinte SHA-256 (64 chiffres hexadécimaux en minuscules)`, 'sha256');
    return join(this.directory, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Stores `bytes` under their SHA-256, unless a file holding exactly them is there already. */
  async put(bytes: Buffer): Promise<StoredDocument> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha256);
    const existing = await this.check(sha256).catch(() => undefined);
    if (existing?.state === 'ok') {
      this.failures.succeeded();
      return { sha256, sizeBytes: bytes.length, written: false };
    }
    // Missing, or altered since (then the right bytes are put back, atomically: the name's content never changes).
    const temporary = join(dirname(target), `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(dirname(target), { recursive: true });
      const handle = await open(temporary, 'wx', 0o640);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, target);
      await syncDirectory(dirname(target));
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      this.failedDirectory = dirname(target);
      throw this.unavailable(error, 'écrire');
    }
    this.failures.succeeded();
    this.failedDirectory = undefined;
    return { sha256, sizeBytes: bytes.length, written: true };
  }

  /** The bytes of `sha256`, checked against it before they are given: an altered file is never served. */
  async read(sha256: string): Promise<Buffer> {
    const path = this.pathOf(sha256);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if (isMissing(error)) throw new DocumentError('DOCUMENT.NOT_FOUND', `aucun fichier ne porte l’empreinte ${sha256} dans le dossier des justificatifs`, 'sha256');
      throw this.unavailable(error, 'lire', false);
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) {
      throw new DocumentError(
        'DOCUMENT.ALTERED',
        `le fichier ${sha256} a été modifié depuis qu’il a été joint : son contenu a pour empreinte ${actual}`,
        'sha256',
        { sha256, actualSha256: actual },
      );
    }
    return bytes;
  }

  /** Whether the file of `sha256` is there and still holds the bytes it is named by (read in full, streaming). */
  async check(sha256: string): Promise<DocumentFileState> {
    const path = this.pathOf(sha256);
    try {
      const info = await stat(path);
      if (!info.isFile()) return { state: 'unreadable', reason: 'ce n’est pas un fichier' };
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
      const actual = hash.digest('hex');
      return actual === sha256 ? { state: 'ok', sizeBytes: info.size } : { state: 'altered', actualSha256: actual, sizeBytes: info.size };
    } catch (error) {
      if (isMissing(error)) return { state: 'missing' };
      return { state: 'unreadable', reason: (error as Error).message };
    }
  }

  /**
   * Every file under the directory, listed (not read): a document where {@link put} leaves it (named
   * by its SHA-256 in its two shard directories: `sha256` set), anything else as it is (a temporary
   * file a stop during a `put` left, a file put there by hand). Nothing when the directory does not
   * exist; a directory that cannot be listed throws.
   */
  async *list(): AsyncGenerator<ListedDocumentFile> {
    try {
      await stat(this.directory);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    // Depth first: a folder's files in name order, then its folders in name order (a stack, the next one on top).
    const folders = [this.directory];
    for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
      const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const below: string[] = [];
      for (const entry of entries) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) {
          below.push(path);
          continue;
        }
        const sizeBytes = entry.isFile() ? (await stat(path)).size : 0;
        const named = entry.isFile() && isSha256(entry.name) && relative(this.directory, path) === [entry.name.slice(0, 2), entry.name.slice(2, 4), entry.name].join(sep);
        yield named ? { path, sizeBytes, sha256: entry.name } : { path, sizeBytes };
      }
      folders.push(...below.reverse());
    }
  }

  /**
   * Whether documents can be written now: the last write's outcome, and a harmless write of its own
   * (a file written, synced and removed): while the last write failed, at most once a second, so
   * that the directory is seen to recover without waiting for a user's upload; otherwise at most
   * every {@link HEALTHY_PROBE_MS}, the first time included, so that a directory that cannot be
   * written (a full disk, a file in its place) is said before an upload fails on it.
   */
  async writeHealth(): Promise<StoreWriteHealth> {
    const since = Date.now() - this.lastProbe;
    if ((this.failures.failure && since >= this.probeIntervalMs) || since >= HEALTHY_PROBE_MS) {
      this.lastProbe = Date.now();
      // Where the last write failed; else the directory, or, before the first upload made it, the folder it goes in.
      const directory = this.failedDirectory ?? (await existingFolderOf(this.directory));
      const probe = join(directory, `.probe.${randomBytes(6).toString('hex')}.tmp`);
      try {
        if (this.failedDirectory) await mkdir(directory, { recursive: true });
        const handle = await open(probe, 'wx', 0o640);
        try {
          await handle.writeFile('probe');
          await handle.sync();
        } finally {
          await handle.close();
        }
        await unlink(probe);
        this.failures.succeeded();
        this.failedDirectory = undefined;
      } catch (error) {
        await unlink(probe).catch(() => undefined);
        this.failures.failed({ code: 'DOCUMENT.STORE_UNAVAILABLE', message: describeFault(error) });
      }
    }
    return this.failures.health();
  }

  private unavailable(error: unknown, verb: string, recordFailure = true): DocumentError {
    const reason = describeFault(error);
    if (recordFailure) this.failures.failed({ code: 'DOCUMENT.STORE_UNAVAILABLE', message: reason });
    return new DocumentError('DOCUMENT.STORE_UNAVAILABLE', `impossible d’${verb} dans le dossier des justificatifs ${this.directory} : ${reason}`);
  }
}

/** How often, at most, `writeHealth` tries a write of its own while writes succeed (or none was made yet). */
const HEALTHY_PROBE_MS = 30_000;

/**
 * `directory` if it exists, else its nearest existing ancestor (where the first upload creates it):
 * created by no probe. A file in the way is returned too: the probe's write there fails, naming it.
 */
async function existingFolderOf(directory: string): Promise<string> {
  for (let folder = directory; ; folder = dirname(folder)) {
    try {
      await stat(folder);
      return folder;
    } catch {
      if (dirname(folder) === folder) return folder;
    }
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The cause in French when it is a known one, with the system's code. */
function describeFault(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const known: Record<string, string> = {
    ENOSPC: 'disque plein',
    EDQUOT: 'quota de disque dépassé',
    EROFS: 'disque en lecture seule',
    EACCES: 'accès refusé',
    EPERM: 'opération non permise',
    EISDIR: 'un dossier occupe la place du fichier',
    ENOTDIR: 'un fichier occupe la place d’un dossier',
    EEXIST: 'un fichier occupe la place d’un dossier',
    EIO: 'erreur d’entrée-sortie',
  };
  const text = code && known[code] ? known[code] : (error as Error)?.message ?? String(error);
  return code ? `${text} (${code})` : text;
}

/** Makes a rename durable: the directory entry itself is flushed (not every file system allows it). */
async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw error;
  } finally {
    await handle?.close();
  }
}
