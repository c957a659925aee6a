import { readZipDirectory } from '@jalon/event-store';
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

const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

export type InflationCheck = { readonly ok: true } | { readonly ok: false; readonly why: 'too-large' | 'unreadable' };

/**
 * Inflates every file of the archive as the ZIP reader will (each entry of the central directory,
 * its data after its local header), counting the bytes and stopping at `limit` in all: the sizes an
 * archive declares are not trusted, the inflater itself is bounded. The inflated bytes are dropped.
 */
export function checkZipInflation(bytes: Uint8Array, limit = MAX_XLSX_INFLATED_BYTES): InflationCheck {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const directory = readZipDirectory(data);
    if (directory === undefined) return { ok: false, why: 'unreadable' };
    if (directory.declared > MAX_ENTRIES) return { ok: false, why: 'too-large' };
    if (!directory.complete) return { ok: false, why: 'unreadable' };
    let budget = limit;
    for (const { method, compressedSize, localHeader } of directory.entries) {
      if (compressedSize === undefined || localHeader === undefined) return { ok: false, why: 'unreadable' };
      if (data.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER) return { ok: false, why: 'unreadable' };
      const start = localHeader + 30 + data.readUInt16LE(localHeader + 26) + data.readUInt16LE(localHeader + 28);
      if (start + compressedSize > data.length) return { ok: false, why: 'unreadable' };
      const content = data.subarray(start, start + compressedSize);
      if (method === STORED) budget -= content.length;
      else if (method === DEFLATED) budget -= inflateRawSync(content, { maxOutputLength: Math.max(budget, 1) }).length;
      else return { ok: false, why: 'unreadable' };
      if (budget < 0) return { ok: false, why: 'too-large' };
    }
    return { ok: true };
  } catch (error) {
    // Past the budget, the inflater stops with ERR_BUFFER_TOO_LARGE; anything else is a damaged archive.
    return { ok: false, why: (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : 'unreadable' };
  }
}
