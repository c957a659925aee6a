import type { EventStore } from '../event-store.port';
import { readHistory } from './read-history';
import { transferHistory, type TransferOptions, type TransferReport } from './transfer-history';

/**
 * Copies the source store's history (as it stands when the migration starts) into the target,
 * streaming from one to the other, resumable, and verified at the end (see `transferHistory`).
 */
export function migrateHistory(source: EventStore, target: EventStore, options: TransferOptions = {}): Promise<TransferReport> {
  return transferHistory(readHistory(source), target, options);
}
