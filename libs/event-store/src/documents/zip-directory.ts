/**
 * The central directory of a ZIP archive (XLSX and ODS workbooks are ZIPs): where each file lies
 * and how it is stored, read from the end-of-central-directory record. One reader for the archive's
 * structure, used to tell what a document is (its entries' names) and to bound what an import
 * inflates (its entries' data): the sizes an archive declares are read here, trusted by neither.
 */

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const ZIP64_EXTRA = 0x0001;
const MARKER_32 = 0xffffffff;

export interface ZipDirectoryEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  /** Where its compressed data and local header lie (from its ZIP64 extra field when the 32-bit fields say so); undefined when they cannot be read. */
  readonly compressedSize?: number;
  readonly localHeader?: number;
}

export interface ZipDirectory {
  /** How many entries the end record declares. */
  readonly declared: number;
  /** The entries read, in directory order, up to the first that could not be. */
  readonly entries: readonly ZipDirectoryEntry[];
  /** False when an entry could not be read (a damaged or truncated directory): `entries` holds those before it. */
  readonly complete: boolean;
}

/** The archive's central directory; undefined when it has no end record (not a ZIP). */
export function readZipDirectory(bytes: Buffer): ZipDirectory | undefined {
  const end = endOfCentralDirectory(bytes);
  if (end === undefined) return undefined;
  const declared = bytes.readUInt16LE(end + 10);
  const entries: ZipDirectoryEntry[] = [];
  let at = bytes.readUInt32LE(end + 16);
  for (let i = 0; i < declared; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY) return { declared, entries, complete: false };
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    entries.push({ name, method: bytes.readUInt16LE(at + 10), ...zip64Sizes(bytes, at, nameLength, extraLength) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return { declared, entries, complete: true };
}

/** The end-of-central-directory record, searched from the end (it is 22 bytes, followed by a comment of at most 65,535). */
function endOfCentralDirectory(bytes: Buffer): number | undefined {
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (bytes.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  return undefined;
}

/** An entry's compressed size and local header offset, from its ZIP64 extra field when the 32-bit fields say so; nothing when that field is missing or cut short. */
function zip64Sizes(bytes: Buffer, at: number, nameLength: number, extraLength: number): { compressedSize: number; localHeader: number } | Record<string, never> {
  let compressedSize = bytes.readUInt32LE(at + 20);
  const uncompressedSize = bytes.readUInt32LE(at + 24);
  let localHeader = bytes.readUInt32LE(at + 42);
  if (compressedSize !== MARKER_32 && localHeader !== MARKER_32 && uncompressedSize !== MARKER_32) return { compressedSize, localHeader };
  const last = Math.min(at + 46 + nameLength + extraLength, bytes.length);
  for (let extra = at + 46 + nameLength; extra + 4 <= last; ) {
    const id = bytes.readUInt16LE(extra);
    const size = bytes.readUInt16LE(extra + 2);
    if (id === ZIP64_EXTRA) {
      // Only the fields whose 32-bit value is the marker are there, in this order.
      let field = extra + 4;
      const next = (): number | undefined => {
        if (field + 8 > bytes.length) return undefined;
        const value = Number(bytes.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (uncompressedSize === MARKER_32 && next() === undefined) return {};
      if (compressedSize === MARKER_32) compressedSize = next() ?? -1;
      if (localHeader === MARKER_32) localHeader = next() ?? -1;
      return compressedSize < 0 || localHeader < 0 ? {} : { compressedSize, localHeader };
    }
    extra += 4 + size;
  }
  return {};
}
