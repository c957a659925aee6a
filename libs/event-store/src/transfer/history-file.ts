/**
 * A history as a file: NDJSON (one JSON document per line, UTF-8, `\n` line ends).
 *
 *   line 1      header  {"format":"jalon-events","version":1,"checksumAlgorithm":"sha256/canonical-json/v1","exportedAt":"…","source":"…"}
 *   lines 2…n+1 events  {"globalOrder":1,"position":"…","streamId":"…","revision":0,"id":"…","type":"…","version":1,"data":{…},"metadata":{…}}
 *   last line   trailer {"count":n,"checksum":"<sha256 hex>"}
 *
 * `globalOrder` is the event's 1-based rank in the source's global order; `position` is the
 * source store's own position (a decimal string; informational, since positions differ from one
 * store to another). The trailer's checksum is the history checksum (`history-checksum.ts`), so
 * a truncated, edited or reordered file is refused before anything is imported.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { EventStore, StoredEvent } from '../event-store.port';
import { HistoryChecksum, type HistoryEvent, type HistorySummary } from './history-checksum';
import { writeWholeFile, type LineSink } from './output-file';
import { readHistory } from './read-history';
import { TransferError } from './transfer-errors';
import { assertSameHistory, transferHistory, type TransferOptions, type TransferReport } from './transfer-history';

export const HISTORY_FORMAT = 'jalon-events';
export const HISTORY_FORMAT_VERSION = 1;
export const CHECKSUM_ALGORITHM = 'sha256/canonical-json/v1';

export interface HistoryFileHeader {
  readonly format: typeof HISTORY_FORMAT;
  readonly version: typeof HISTORY_FORMAT_VERSION;
  readonly checksumAlgorithm: typeof CHECKSUM_ALGORITHM;
  readonly exportedAt: string;
  /** What was exported, e.g. `sqlite` or `eventstoredb` (never credentials). */
  readonly source?: string;
}

export interface HistoryFileEvent extends HistoryEvent {
  readonly globalOrder: number;
  readonly position: string;
}

export type HistoryFileTrailer = HistorySummary;

export interface ExportOptions {
  readonly source?: string;
  /** Called every 1 000 events. */
  readonly onProgress?: (exported: number) => void;
  readonly now?: () => Date;
}

export interface ExportReport extends HistorySummary {
  readonly header: HistoryFileHeader;
}

/** Writes the store's whole history (as it stands when the export starts) to `sink`. */
export async function exportHistory(store: EventStore, sink: LineSink, options: ExportOptions = {}): Promise<ExportReport> {
  const header: HistoryFileHeader = {
    format: HISTORY_FORMAT,
    version: HISTORY_FORMAT_VERSION,
    checksumAlgorithm: CHECKSUM_ALGORITHM,
    exportedAt: (options.now?.() ?? new Date()).toISOString(),
    ...(options.source === undefined ? {} : { source: options.source }),
  };
  await sink(JSON.stringify(header));
  const checksum = new HistoryChecksum();
  for await (const event of readHistory(store)) {
    checksum.add(event);
    await sink(JSON.stringify(toFileEvent(event, checksum.count)));
    if (checksum.count % 1_000 === 0) options.onProgress?.(checksum.count);
  }
  const trailer: HistoryFileTrailer = checksum.summary();
  await sink(JSON.stringify(trailer));
  return { header, ...trailer };
}

/**
 * Exports to `file`, written first to a partial file beside it and renamed once complete, so that a file
 * under the final name is always a whole export (`writeWholeFile`: a folder or a missing folder is
 * refused before the store is read, a failing disk is a `TRANSFER.FILE_UNWRITABLE` naming the file).
 */
export function exportHistoryToFile(store: EventStore, file: string, options: ExportOptions = {}): Promise<ExportReport> {
  return writeWholeFile(file, (sink) => exportHistory(store, sink, options));
}

export interface VerifiedHistoryFile extends HistorySummary {
  readonly header: HistoryFileHeader;
}

/**
 * Reads a history file's events, in order, checking as it goes: the header, each line's shape,
 * `globalOrder` 1, 2, 3…, each stream's revisions 0, 1, 2…, and at the end the trailer's count
 * and checksum. Anything wrong throws a `TransferError`; events already yielded before a bad
 * trailer came from a file that turned out to be wrong, so read the whole file once first
 * (`verifyHistoryFile`) before acting on its events.
 */
export async function* readHistoryFile(file: string, onHeader?: (header: HistoryFileHeader) => void): AsyncGenerator<HistoryFileEvent> {
  await assertReadable(file);
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  const checksum = new HistoryChecksum();
  const revisions = new Map<string, number>();
  let lineNumber = 0;
  let header: HistoryFileHeader | undefined;
  let trailer: HistoryFileTrailer | undefined;
  /** A line that is not JSON: the last line of a cut file, unless another line follows. */
  let unparsable: number | undefined;
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (unparsable !== undefined) throw invalid(unparsable, 'ce n’est pas du JSON');
      if (trailer !== undefined) {
        if (line.trim() === '') continue;
        throw invalid(lineNumber, 'une ligne suit la ligne de fin');
      }
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        unparsable = lineNumber;
        continue;
      }
      if (header === undefined) {
        header = parseHeader(value, lineNumber);
        onHeader?.(header);
        continue;
      }
      if (isRecord(value) && 'globalOrder' in value) {
        const event = parseFileEvent(value, lineNumber);
        if (event.globalOrder !== checksum.count + 1) {
          throw invalid(lineNumber, `rang global ${event.globalOrder} au lieu de ${checksum.count + 1}`);
        }
        const expectedRevision = (revisions.get(event.streamId) ?? -1) + 1;
        if (event.revision !== expectedRevision) {
          throw invalid(lineNumber, `révision ${event.revision} du flux ${event.streamId} au lieu de ${expectedRevision}`);
        }
        revisions.set(event.streamId, event.revision);
        checksum.add(event);
        yield event;
        continue;
      }
      trailer = parseTrailer(value, lineNumber);
    }
  } finally {
    lines.close();
  }
  if (header === undefined) throw invalid(1, unparsable === undefined ? 'le fichier est vide' : 'ce n’est pas du JSON');
  if (unparsable !== undefined) {
    throw new TransferError(
      'TRANSFER.FILE_TRUNCATED',
      `fichier d’historique tronqué : ${file}, ligne ${unparsable} incomplète (export interrompu ou copie coupée) : import refusé`,
    );
  }
  if (trailer === undefined) {
    throw new TransferError(
      'TRANSFER.FILE_TRUNCATED',
      `fichier d’historique tronqué : ${file} n’a pas de ligne de fin (${checksum.count} événement(s) lus) : import refusé`,
    );
  }
  const actual = checksum.summary();
  if (actual.count !== trailer.count || actual.checksum !== trailer.checksum) {
    throw new TransferError(
      'TRANSFER.FILE_CHECKSUM_MISMATCH',
      `fichier d’historique altéré : ${file} annonce ${trailer.count} événement(s) d’empreinte ${trailer.checksum}, ` +
        `il en contient ${actual.count} d’empreinte ${actual.checksum} : import refusé`,
    );
  }
}

/** Reads the whole file once and checks it (see `readHistoryFile`); nothing is kept in memory. */
export async function verifyHistoryFile(file: string): Promise<VerifiedHistoryFile> {
  let header: HistoryFileHeader | undefined;
  const checksum = new HistoryChecksum();
  for await (const event of readHistoryFile(file, (h) => (header = h))) checksum.add(event);
  return { header: header!, ...checksum.summary() };
}

export interface ImportReport extends TransferReport {
  readonly file: VerifiedHistoryFile;
}

/**
 * Imports a history file into `target`: the file is checked whole first (nothing is written from
 * a truncated or altered file), then copied by `transferHistory` (empty target, or resumption of
 * an interrupted import of the same file), and the target ends up with the file's count and
 * checksum, or this throws.
 */
export async function importHistoryFile(file: string, target: EventStore, options: TransferOptions = {}): Promise<ImportReport> {
  const verified = await verifyHistoryFile(file);
  const report = await transferHistory(readHistoryFile(file), target, options);
  assertSameHistory(verified, report.target);
  return { ...report, file: verified };
}

function toFileEvent(event: StoredEvent, globalOrder: number): HistoryFileEvent {
  return {
    globalOrder,
    position: event.position.toString(),
    streamId: event.streamId,
    revision: event.revision,
    id: event.id,
    type: event.type,
    version: event.version,
    data: event.data,
    metadata: event.metadata,
  };
}

function parseHeader(value: unknown, line: number): HistoryFileHeader {
  if (!isRecord(value) || value.format !== HISTORY_FORMAT) {
    throw invalid(line, `ce n’est pas un export Jalon (en-tête "format":"${HISTORY_FORMAT}" attendu)`);
  }
  if (value.version !== HISTORY_FORMAT_VERSION) {
    throw invalid(line, `version ${String(value.version)} du format non prise en charge (version ${HISTORY_FORMAT_VERSION} attendue)`);
  }
  if (value.checksumAlgorithm !== CHECKSUM_ALGORITHM) {
    throw invalid(line, `empreinte "${String(value.checksumAlgorithm)}" non prise en charge ("${CHECKSUM_ALGORITHM}" attendue)`);
  }
  return value as unknown as HistoryFileHeader;
}

function parseFileEvent(value: Record<string, unknown>, line: number): HistoryFileEvent {
  const { globalOrder, position, streamId, revision, id, type, version, data, metadata } = value;
  const problems: string[] = [];
  if (!isNonNegativeInteger(globalOrder)) problems.push('globalOrder');
  if (typeof position !== 'string' || !/^\d+$/.test(position)) problems.push('position');
  if (!isNonEmptyString(streamId)) problems.push('streamId');
  if (!isNonNegativeInteger(revision)) problems.push('revision');
  if (!isNonEmptyString(id)) problems.push('id');
  if (!isNonEmptyString(type)) problems.push('type');
  if (!Number.isSafeInteger(version)) problems.push('version');
  if (!isRecord(data)) problems.push('data');
  if (!isRecord(metadata)) problems.push('metadata');
  if (problems.length > 0) throw invalid(line, `événement mal formé (${problems.join(', ')})`);
  return value as unknown as HistoryFileEvent;
}

function parseTrailer(value: unknown, line: number): HistoryFileTrailer {
  if (!isRecord(value) || !isNonNegativeInteger(value.count) || typeof value.checksum !== 'string' || !/^[0-9a-f]{64}$/.test(value.checksum)) {
    throw invalid(line, 'ni un événement ni la ligne de fin {"count":…,"checksum":…}');
  }
  return { count: value.count, checksum: value.checksum };
}

async function assertReadable(file: string): Promise<void> {
  try {
    // A folder opens, and fails only when read (EISDIR): refused here with the rest.
    if ((await stat(file)).isDirectory()) throw new TransferError('TRANSFER.FILE_INVALID', `fichier d’historique illisible : ${file} est un dossier`);
    await (await open(file, 'r')).close();
  } catch (error) {
    if (error instanceof TransferError) throw error;
    const code = (error as { code?: string }).code ?? String(error);
    throw new TransferError('TRANSFER.FILE_INVALID', `fichier d’historique illisible : ${file} (${code})`);
  }
}

function invalid(line: number, detail: string): TransferError {
  return new TransferError('TRANSFER.FILE_INVALID', `fichier d’historique invalide, ligne ${line} : ${detail} : import refusé`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
