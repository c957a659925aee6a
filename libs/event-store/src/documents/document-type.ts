import { DocumentError } from './document-error';
import { readZipDirectory } from './zip-directory';

/**
 * The types a supporting document may have, each with the extensions its name may end with. The
 * type is read from the content ({@link sniffMediaType}); the name's extension must agree with it.
 */
export const DOCUMENT_MEDIA_TYPES = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.oasis.opendocument.spreadsheet': ['ods'],
  'text/csv': ['csv'],
  'text/plain': ['txt'],
} as const satisfies Record<string, readonly string[]>;

export type DocumentMediaType = keyof typeof DOCUMENT_MEDIA_TYPES;
export const DOCUMENT_MEDIA_TYPE_LIST = Object.keys(DOCUMENT_MEDIA_TYPES) as DocumentMediaType[];

/** 20 MiB: a scanned convention or a year of bank statements, not a video. */
export const DEFAULT_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;

const ODS_MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';

/**
 * What the bytes are, from their content alone (magic bytes): a PDF starts with `%PDF-`, a PNG
 * and a JPEG with their signatures, an XLSX is a zip holding `[Content_Types].xml` and
 * `xl/workbook.xml`, an ODS a zip whose first entry `mimetype` says so; text is valid UTF-8 without
 * a NUL byte (CSV or plain text: only the name tells them apart). Undefined for anything else.
 */
export function sniffMediaType(bytes: Buffer): 'application/pdf' | 'image/png' | 'image/jpeg' | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' | 'application/vnd.oasis.opendocument.spreadsheet' | 'text' | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return spreadsheetInZip(bytes);
  return isUtf8Text(bytes) ? 'text' : undefined;
}

/**
 * Checks a document before it is stored: not empty, not over `maxBytes`, of an accepted type read
 * from its content, and named with an extension of that type. Returns the media type to record.
 * `nameField` is the input that gave the name (`fileName` for an upload, `name` for a download).
 */
export function checkDocument(bytes: Buffer, fileName: string, maxBytes: number, nameField = 'fileName'): DocumentMediaType {
  if (bytes.length > maxBytes) {
    throw new DocumentError('DOCUMENT.TOO_LARGE', `le fichier pèse ${bytes.length} octets : ${maxBytes} au plus (${mebibytes(maxBytes)})`, 'file', {
      sizeBytes: bytes.length,
      maxBytes,
    });
  }
  if (bytes.length === 0) throw new DocumentError('DOCUMENT.EMPTY', 'le fichier est vide', 'file');
  const sniffed = sniffMediaType(bytes);
  const extension = extensionOf(fileName);
  if (sniffed === undefined) {
    throw new DocumentError(
      'DOCUMENT.UNSUPPORTED_TYPE',
      `le contenu du fichier n’est ni un PDF, ni une image PNG ou JPEG, ni un classeur XLSX ou ODS, ni un texte UTF-8 (CSV, TXT)`,
      'file',
    );
  }
  const type: DocumentMediaType | undefined =
    sniffed === 'text' ? (extension === 'csv' ? 'text/csv' : extension === 'txt' ? 'text/plain' : undefined) : sniffed;
  const extensions: readonly string[] = type === undefined ? ['csv', 'txt'] : DOCUMENT_MEDIA_TYPES[type];
  if (type === undefined || extension === undefined || !extensions.includes(extension)) {
    throw new DocumentError(
      'DOCUMENT.NAME_MISMATCH',
      `le nom « ${fileName.slice(0, 100)} » ${extension === undefined ? 'n’a pas d’extension' : `finit par .${extension}`}, alors que son contenu est ${describe(sniffed)} : ` +
        `nommez-le en .${extensions.join(' ou .')}`,
      nameField,
      { sniffed: type ?? 'text' },
    );
  }
  return type;
}

/** The lower-case extension of a file name, if it has one. */
export function extensionOf(fileName: string): string | undefined {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(fileName);
  return match?.[1]?.toLowerCase();
}

function describe(sniffed: ReturnType<typeof sniffMediaType>): string {
  switch (sniffed) {
    case 'application/pdf':
      return 'un PDF';
    case 'image/png':
      return 'une image PNG';
    case 'image/jpeg':
      return 'une image JPEG';
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      return 'un classeur XLSX';
    case 'application/vnd.oasis.opendocument.spreadsheet':
      return 'un classeur ODS';
    default:
      return 'du texte (CSV ou TXT)';
  }
}

function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mio`;
}

function startsWith(bytes: Buffer, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte);
}

function isUtf8Text(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** An XLSX or an ODS, read from the zip's entries; undefined for any other zip. */
function spreadsheetInZip(bytes: Buffer): 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' | 'application/vnd.oasis.opendocument.spreadsheet' | undefined {
  if (bytes.length < 30) return undefined;
  // ODS (OpenDocument, part 3, 3.3): the first entry is `mimetype`, stored uncompressed, holding the type.
  const nameLength = bytes.readUInt16LE(26);
  const extraLength = bytes.readUInt16LE(28);
  if (bytes.length >= 30 + nameLength && bytes.toString('latin1', 30, 30 + nameLength) === 'mimetype') {
    const start = 30 + nameLength + extraLength;
    if (bytes.toString('latin1', start, start + ODS_MIMETYPE.length) === ODS_MIMETYPE) return ODS_MIMETYPE;
  }
  const names = zipEntryNames(bytes);
  if (names.has('[Content_Types].xml') && names.has('xl/workbook.xml')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return undefined;
}

/** The names in a zip's central directory (those read before any damage); empty when there is none. */
function zipEntryNames(bytes: Buffer): Set<string> {
  return new Set(readZipDirectory(bytes)?.entries.map((entry) => entry.name));
}
