import { EventStoreError } from '../event-store.port';

/**
 * Why a transfer was refused or failed. Messages are in French: the command line prints them as
 * they are (`Erreur TRANSFER.… : …`). A refusal always comes before anything is written.
 */
export type TransferErrorCode =
  /** The target holds events that are not the beginning of this history. */
  | 'TRANSFER.TARGET_NOT_EMPTY'
  /** The target cannot be a target: unknown kind, or the source itself. */
  | 'TRANSFER.TARGET_INVALID'
  /** The file is not a Jalon history (bad header, bad line, events out of order…). */
  | 'TRANSFER.FILE_INVALID'
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
