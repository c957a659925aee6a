import { inflateRawSync } from 'node:zlib';

/**
 * How much an XLSX workbook (a ZIP archive) may take once inflated, in all: far above any sheet of
 * an import (500 rows), far below what would exhaust the service's memory. A workbook of 1 MiB may
 * otherwise inflate to gigabytes (a "zip bomb"): read whole by ExcelJS, it blocked the event loop
 * for half a minute, then ended the process on a heap out of memory.
 */
export const MAX_XLSX_INFLATED_BYTES = 16 * 1024 * 1024;
/** No workbook an import reads holds more files than this. */
const MAX_ENTRIES = 1000;

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const ZIP64_EXTRA = 0x0001;
const STORED = 0;
const DEFLATED = 8;
const MARKER_32 = 0xffffffff;

export type InflationCheck = { readonly ok: true } | { readonly ok: false; readonly why: 'too-large' | 'unreadable' };

/**
 * Inflates every file of the archive as the ZIP reader will (each entry of the central directory,
 * its data after its local header), counting the bytes and stopping at `limit` in all: the sizes an
 * archive declares are not trusted, the inflater itself is bounded. The inflated bytes are dropped.
 */
export function checkZipInflation(bytes: Uint8Array, limit = MAX_XLSX_INFLATED_BYTES): InflationCheck {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const end = endOfCentralDirectory(data);
    if (end === undefined) return { ok: false, why: 'unreadable' };
    const count = data.readUInt16LE(end + 10);
    if (count > MAX_ENTRIES) return { ok: false, why: 'too-large' };
    let at = data.readUInt32LE(end + 16);
    let budget = limit;
    for (let index = 0; index < count; index++) {
      if (data.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY) return { ok: false, why: 'unreadable' };
      const method = data.readUInt16LE(at + 10);
      const nameLength = data.readUInt16LE(at + 28);
      const extraLength = data.readUInt16LE(at + 30);
      const commentLength = data.readUInt16LE(at + 32);
      const sizes = zip64Sizes(data, at, nameLength, extraLength);
      if (sizes === undefined) return { ok: false, why: 'unreadable' };
      const { compressedSize, localHeader } = sizes;
      if (data.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER) return { ok: false, why: 'unreadable' };
      const start = localHeader + 30 + data.readUInt16LE(localHeader + 26) + data.readUInt16LE(localHeader + 28);
      if (start + compressedSize > data.length) return { ok: false, why: 'unreadable' };
      const content = data.subarray(start, start + compressedSize);
      if (method === STORED) budget -= content.length;
      else if (method === DEFLATED) budget -= inflateRawSync(content, { maxOutputLength: Math.max(budget, 1) }).length;
      else return { ok: false, why: 'unreadable' };
      if (budget < 0) return { ok: false, why: 'too-large' };
      at += 46 + nameLength + extraLength + commentLength;
    }
    return { ok: true };
  } catch (error) {
    // Past the budget, the inflater stops with ERR_BUFFER_TOO_LARGE; anything else is a damaged archive.
    return { ok: false, why: (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : 'unreadable' };
  }
}

/** The end-of-central-directory record, searched from the end (it may be followed by a comment of up to 64 KiB). */
function endOfCentralDirectory(data: Buffer): number | undefined {
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--) {
    if (data.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  return undefined;
}

/** An entry's compressed size and local header offset, from its ZIP64 extra field when the 32-bit fields say so. */
function zip64Sizes(data: Buffer, at: number, nameLength: number, extraLength: number): { compressedSize: number; localHeader: number } | undefined {
  let compressedSize = data.readUInt32LE(at + 20);
  const uncompressedSize = data.readUInt32LE(at + 24);
  let localHeader = data.readUInt32LE(at + 42);
  if (compressedSize !== MARKER_32 && localHeader !== MARKER_32 && uncompressedSize !== MARKER_32) return { compressedSize, localHeader };
  for (let extra = at + 46 + nameLength; extra + 4 <= at + 46 + nameLength + extraLength; ) {
    const id = data.readUInt16LE(extra);
    const size = data.readUInt16LE(extra + 2);
    if (id === ZIP64_EXTRA) {
      // Only the fields whose 32-bit value is the marker are there, in this order.
      let field = extra + 4;
      const next = () => {
        const value = Number(data.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (uncompressedSize === MARKER_32) next();
      if (compressedSize === MARKER_32) compressedSize = next();
      if (localHeader === MARKER_32) localHeader = next();
      return { compressedSize, localHeader };
    }
    extra += 4 + size;
  }
  return undefined;
}
