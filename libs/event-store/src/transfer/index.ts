/**
 * Moving a history between stores, on the event-store port only: export to a file, import from
 * a file, migrate from store to store, and the checksum both sides are compared with.
 */
export { canonicalJson } from './canonical-json';
export { canonicalEvent, HistoryChecksum, summarize, type HistoryEvent, type HistorySummary } from './history-checksum';
export {
  CHECKSUM_ALGORITHM,
  exportHistory,
  exportHistoryToFile,
  HISTORY_FORMAT,
  HISTORY_FORMAT_VERSION,
  importHistoryFile,
  readHistoryFile,
  verifyHistoryFile,
  type ExportOptions,
  type ExportReport,
  type HistoryFileEvent,
  type HistoryFileHeader,
  type HistoryFileTrailer,
  type ImportReport,
  type VerifiedHistoryFile,
} from './history-file';
export { migrateHistory } from './migrate-history';
export { assertWritableFile, describeFileSystemFailure, fileSystemCause, streamSink, writeWholeContent, writeWholeFile, type LineSink } from './output-file';
export { readHistory } from './read-history';
export { TransferError, type TransferErrorCode } from './transfer-errors';
export {
  appendSizeOf,
  assertSameHistory,
  MAX_BATCH,
  MAX_BATCH_BYTES,
  transferHistory,
  type TransferOptions,
  type TransferProgress,
  type TransferReport,
} from './transfer-history';
