import { EventStoreError } from '../event-store.port';

/**
 * Why a seal, an audit export or a proof could not be made. Messages are in French: the command
 * line prints them as they are (`Erreur INTEGRITY.… : …`).
 */
export type IntegrityErrorCode =
  /** The log does not verify: nothing is sealed or proved over it (run `jalon verify`). */
  | 'INTEGRITY.LOG_NOT_VERIFIED'
  /** The log no longer gives the root of a seal it holds. */
  | 'INTEGRITY.LOG_CHANGED'
  /** No seal to prove anything under (an empty log). */
  | 'INTEGRITY.NO_SEAL'
  /** The seal asked for is not in the log, or is not a valid seal. */
  | 'INTEGRITY.SEAL_NOT_FOUND'
  /** The subject of an audit export does not exist. */
  | 'INTEGRITY.SUBJECT_NOT_FOUND'
  /** The seal key file cannot be read (a folder in its place, no rights, not a key) or created: named, nothing sealed. */
  | 'INTEGRITY.SEAL_KEY_UNREADABLE';

export class IntegrityError extends EventStoreError {
  constructor(
    override readonly code: IntegrityErrorCode,
    message: string,
  ) {
    super(code, message);
    this.name = 'IntegrityError';
  }
}
