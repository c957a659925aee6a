import { SYSTEM_ACTOR } from '@jalon/application';
import { streamIdOf, todayIn } from '@jalon/domain';
import { assignedPositions, embeddedStoreDamage, type EventStore, type SealWriterOptions, type SealKey, type VerifyLogOptions } from '@jalon/event-store';
import { join } from 'node:path';
import { JalonConfig } from '../config';
import { embeddedStoreFile, readCopyOf } from '../open-event-store';
import { removedSeals } from './seal-witness';

/** The stream of the log's seals (docs/decisions/0011). */
export const SEAL_STREAM_ID = streamIdOf('integrity', 'seals');

/** The service's private signing key: created on first start, mode 0600, never served. */
export function sealKeyFile(config: Pick<JalonConfig, 'dataDir'>): string {
  return join(config.dataDir, 'seal-key.pem');
}

/**
 * How the configured store is verified: positions are dense, their counter kept, and its file's
 * indexes checked, only in the embedded store. The counter is read where `store` reads the events: a store opened read-only on a
 * read-only medium may read a copy of its file (`readCopyOf`).
 */
export function verificationOptions(
  config: JalonConfig,
  store?: EventStore,
): Pick<VerifyLogOptions, 'sealStreamId' | 'densePositions' | 'assignedPositions' | 'storeDamage' | 'removedSeals'> {
  // The last seal written from this data directory must still be in the log (docs/decisions/0056).
  const removed = store ? { removedSeals: () => removedSeals(config, store, SEAL_STREAM_ID) } : {};
  if (config.eventStore !== 'sqlite') return { sealStreamId: SEAL_STREAM_ID, densePositions: false, ...removed };
  const file = (store && readCopyOf(store)) ?? embeddedStoreFile(config);
  return { sealStreamId: SEAL_STREAM_ID, densePositions: true, assignedPositions: () => assignedPositions(file), storeDamage: () => embeddedStoreDamage(file), ...removed };
}

/** What the service writes a seal with: its key, now, and itself as the actor. */
export function sealWriterOptions(config: JalonConfig, key: SealKey, now: Date): SealWriterOptions {
  return {
    sealStreamId: SEAL_STREAM_ID,
    key,
    now,
    effectiveDate: todayIn(now, config.timeZone),
    metadata: { actor: SYSTEM_ACTOR.id, actorName: SYSTEM_ACTOR.name, role: SYSTEM_ACTOR.role, correlationId: `seal-${now.toISOString()}`, causationId: `seal-${now.toISOString()}` },
  };
}
