import { EventStoreError } from '../event-store.port';

/**
 * Why a transfer was refused or failed. Messages are in French: the command line prints them as
 * they are (`Erreur TRANSFER.… : …`). A refusal always comes before anything is written.
 */
export type TransferErrorCode =
  /** The target holds events that are not the beginning of this history. */
  | 'TRANSFER.TARGET_NOT_EMPTY'
  /** Another process wrote to the target during the copy (a stream not at the revision the copy expected). */
  | 'TRANSFER.TARGET_CHANGED'
  /** The target cannot be a target: unknown kind, or the source itself. */
  | 'TRANSFER.TARGET_INVALID'
  /** The file is not a Jalon history (bad header, bad line, events out of order…). */
  | 'TRANSFER.FILE_INVALID'
  /** A file to write cannot be: a folder, a missing folder, a full disk… (nothing left under its name). */
  | 'TRANSFER.FILE_UNWRITABLE'
  /** The file ends before its trailer: an interrupted export, or a cut copy. */
  | 'TRANSFER.FILE_TRUNCATED'
  /** The file's events do not match its trailer's count or checksum. */
  | 'TRANSFER.FILE_CHECKSUM_MISMATCH'
  /** After the transfer, the two sides differ in count or checksum. */
  | 'TRANSFER.VERIFICATION_FAILED';

export class TransferError extends EventStoreError {
  constructor(
    override readonly code: TransferErrorCode,
    message: string,
  ) {
    super(code, message);
    this.name = 'TransferError';
  }
}
