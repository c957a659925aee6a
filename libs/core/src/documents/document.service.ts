import { createHash } from 'node:crypto';
import { Actor, ATTACH_DOCUMENT_COMMANDS, commandNamed, InputValidationError } from '@jalon/application';
import { checkDocument, DocumentError, DocumentStore, isSha256 } from '@jalon/event-store';
import { ComponentHealth, HealthIndicator } from '../health/health-registry';

/** Enough to show a fault in /health; a whole directory gone unreadable (each hash asked for failing) does not grow the list further. */
const MAX_UNREADABLE_LISTED = 100;

/** What an attachment records of a stored file. */
export interface StoredFile {
  readonly sha256: string;
  readonly fileName: string;
  readonly sizeBytes: number;
  readonly mediaType: string;
}

/** An upload checked and hashed, its bytes not stored yet: stored only once the command that attaches it is accepted. */
export interface CheckedUpload {
  /** What the attach command states of the file (its input's `sha256`, `fileName`, `sizeBytes`, `mediaType`). */
  readonly file: StoredFile;
  readonly bytes: Buffer;
}

/**
 * Supporting documents for every entry point (docs/decisions/0017, 0043): checks an upload (size,
 * type read from the content, name's extension) and stores its bytes once the command that
 * attaches it is accepted, before its event is appended; makes sure that any attach command,
 * however it arrives, names a file that is stored (or uploaded with it) with the size and type it
 * says; serves a file only once its hash checks out, and remembers the files found altered so
 * that `/health` says so until they are restored.
 */
export class DocumentService {
  private readonly altered = new Map<string, string>();
  /** Files that could not be read when asked for (a directory in their place, an I/O error): since when, and why. */
  private readonly unreadable = new Map<string, { readonly since: string; readonly reason: string }>();

  constructor(
    readonly store: DocumentStore,
    readonly maxBytes: number,
  ) {}

  /**
   * Checks an upload (size, type read from the content, the name's extension) and hashes it,
   * writing nothing: its bytes travel with the attach command (`RunCommand`'s `upload`) and are
   * stored only once that command is decided without refusal (`storeUpload`).
   */
  checkUpload(bytes: Buffer, fileName: string): CheckedUpload {
    const mediaType = checkDocument(bytes, fileName, this.maxBytes);
    return { file: { sha256: createHash('sha256').update(bytes).digest('hex'), fileName, sizeBytes: bytes.length, mediaType }, bytes };
  }

  /** Stores a checked upload's bytes (nothing when the same bytes are stored already; the right bytes over an altered file). */
  async storeUpload(upload: CheckedUpload): Promise<void> {
    const stored = await this.store.put(upload.bytes);
    this.altered.delete(stored.sha256);
    this.unreadable.delete(stored.sha256);
  }

  /** The bytes of a stored document, checked against their hash. */
  async read(sha256: string): Promise<Buffer> {
    try {
      const bytes = await this.store.read(sha256);
      this.altered.delete(sha256);
      this.unreadable.delete(sha256);
      return bytes;
    } catch (error) {
      if (error instanceof DocumentError && error.code === 'DOCUMENT.ALTERED') this.altered.set(sha256, new Date().toISOString());
      // A file the store holds but cannot read is a fault of that file: /health names it until it reads again.
      if (error instanceof DocumentError && error.code === 'DOCUMENT.STORE_UNAVAILABLE' && !this.unreadable.has(sha256) && this.unreadable.size < MAX_UNREADABLE_LISTED) {
        this.unreadable.set(sha256, { since: new Date().toISOString(), reason: error.message });
      }
      throw error;
    }
  }

  /**
   * A name offered for a download (`field`: the input that gave it) agrees with the content, as the
   * name of an upload must: a text is never saved as `.html` or `.bat`, a PDF as `.exe`. Throws
   * `DOCUMENT.NAME_MISMATCH` naming `field` otherwise.
   */
  checkOfferedName(bytes: Buffer, name: string, field: string): void {
    checkDocument(bytes, name, Number.MAX_SAFE_INTEGER, field);
  }

  /**
   * Before an attach command runs (whoever sends it: the upload, the JSON route, the CLI): the file
   * it names is stored, intact, or is the `upload` sent with it (stored once the command is
   * accepted), with the size it states, and its content is of the type it states under the name it
   * gives. An event never names bytes the store does not hold.
   */
  async assertAttachable(command: string, input: unknown, actor: Actor, upload?: CheckedUpload): Promise<void> {
    if (!(ATTACH_DOCUMENT_COMMANDS as readonly string[]).includes(command)) return;
    // The command path refuses the role, and the input's shape, with its own errors.
    if (!commandNamed(command).roles.includes(actor.role)) return;
    const { sha256, fileName, sizeBytes, mediaType } = (input ?? {}) as Partial<Record<keyof StoredFile, unknown>>;
    if (!isSha256(sha256) || typeof fileName !== 'string') return;
    const bytes = upload?.file.sha256 === sha256 ? upload.bytes : await this.read(sha256);
    const sniffed = checkDocument(bytes, fileName, Number.MAX_SAFE_INTEGER);
    const violations = [
      ...(sizeBytes === bytes.length ? [] : [{ field: 'sizeBytes', rule: 'storedSize', message: `sizeBytes doit valoir la taille du fichier déposé : ${bytes.length} octets` }]),
      ...(mediaType === sniffed ? [] : [{ field: 'mediaType', rule: 'storedType', message: `mediaType doit être le type lu dans le contenu du fichier déposé : ${sniffed}` }]),
    ];
    if (violations.length > 0) throw new InputValidationError(violations);
  }

  /** `documents` in `/health`: whether the directory can be written, and the files found altered since they were attached, or unreadable. */
  indicator(): HealthIndicator {
    return {
      name: 'documents',
      check: async (): Promise<ComponentHealth> => {
        const write = await this.store.writeHealth();
        for (const sha256 of [...this.altered.keys()]) {
          if ((await this.store.check(sha256)).state === 'ok') this.altered.delete(sha256);
        }
        for (const sha256 of [...this.unreadable.keys()]) {
          if ((await this.store.check(sha256)).state === 'ok') this.unreadable.delete(sha256);
        }
        const reasons: string[] = [];
        if (write.lastWriteError) reasons.push(`écriture impossible depuis ${write.lastWriteError.since} : ${write.lastWriteError.message}`);
        if (this.altered.size > 0) {
          reasons.push(`${this.altered.size} fichier(s) justificatif(s) modifié(s) depuis leur dépôt (${[...this.altered.keys()].map((sha) => sha.slice(0, 12)).join(', ')}…) : restaurez-les depuis une sauvegarde, et lancez jalon verify`);
        }
        if (this.unreadable.size > 0) {
          reasons.push(`${this.unreadable.size} fichier(s) justificatif(s) illisible(s) (${[...this.unreadable.keys()].map((sha) => sha.slice(0, 12)).join(', ')}…) : restaurez-les depuis une sauvegarde, et lancez jalon verify`);
        }
        return {
          status: reasons.length === 0 ? 'ok' : 'degraded',
          ...(reasons.length === 0 ? {} : { reason: reasons.join(' ; ') }),
          directory: this.store.directory,
          maxBytes: this.maxBytes,
          writable: write.writable,
          ...(write.lastWriteError ? { lastWriteError: write.lastWriteError } : {}),
          ...(this.altered.size > 0 ? { altered: [...this.altered].map(([sha256, since]) => ({ sha256, since })) } : {}),
          ...(this.unreadable.size > 0 ? { unreadable: [...this.unreadable].map(([sha256, fault]) => ({ sha256, ...fault })) } : {}),
        };
      },
    };
  }
}
