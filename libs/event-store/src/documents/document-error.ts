/** Stable codes of what the document store and its checks refuse (their French wording: libs/application/src/error-messages.ts). */
export type DocumentErrorCode =
  | 'DOCUMENT.TOO_LARGE'
  | 'DOCUMENT.EMPTY'
  | 'DOCUMENT.UNSUPPORTED_TYPE'
  | 'DOCUMENT.NAME_MISMATCH'
  | 'DOCUMENT.NOT_FOUND'
  | 'DOCUMENT.ALTERED'
  | 'DOCUMENT.STORE_UNAVAILABLE';

/**
 * A document refused (too large, empty, of a type not accepted, named against its content), not
 * found, found altered, or a document directory that cannot be written or read now. `message` is
 * French: it names the rule and is shown to the user. `field` names the input at fault, when one is.
 */
export class DocumentError extends Error {
  constructor(
    readonly code: DocumentErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DocumentError';
  }
}
