import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError, type EventMetadata, type EventStore, type StoredEvent } from '../event-store.port';
import { chainEvents, tipOf, type ChainTip } from './event-hash';
import { IntegrityError } from './integrity-error';
import { sealEvent, type SealKey } from './seal';
import type { LogVerifier } from './verify-log';

export interface SealWriterOptions {
  readonly sealStreamId: string;
  readonly key: SealKey;
  readonly now: Date;
  /** The local date of `now` in the service's time zone. */
  readonly effectiveDate: string;
  /** Who seals (the service itself); `hash` and `previousHash` are the chain's. */
  readonly metadata: Omit<EventMetadata, 'hash' | 'previousHash' | 'recordedAt'>;
}

/**
 * Seals what the verifier has read: the root over every event it accepted, signed, appended to the
 * seals' stream at the end of its chain (expecting exactly the stream's tip). Refuses a log that
 * did not verify: a seal vouches for what it covers. Returns the stored seal, or undefined for an
 * empty log.
 */
export async function appendSeal(store: EventStore, verifier: LogVerifier, options: SealWriterOptions): Promise<StoredEvent | undefined> {
  if (!verifier.ok) {
    throw new IntegrityError('INTEGRITY.LOG_NOT_VERIFIED', 'le journal ne se vérifie pas : aucun sceau n’est posé sur un journal altéré (lancez jalon verify)');
  }
  const basis = verifier.sealBasis();
  if (!basis) return undefined;
  const sealedAt = options.now.toISOString();
  const data = options.key.sign({ ...basis, sealedAt }, options.effectiveDate);
  const id = randomUUID();
  const event = sealEvent(id, data, { ...options.metadata, recordedAt: sealedAt });
  let tip: ChainTip | undefined = verifier.tip(options.sealStreamId);
  for (let attempt = 1; ; attempt++) {
    const [chained] = chainEvents(options.sealStreamId, tip, [event]);
    try {
      const result = await store.append(options.sealStreamId, [chained!], { expectedRevision: tip?.revision ?? 'no_stream' });
      return { ...chained!, streamId: options.sealStreamId, revision: result.nextExpectedRevision, position: result.position };
    } catch (error) {
      // Another process sealed meanwhile: chain onto its seal.
      if (!(error instanceof WrongExpectedRevisionError) || attempt === 3) throw error;
      tip = await streamTip(store, options.sealStreamId);
    }
  }
}

async function streamTip(store: EventStore, streamId: string): Promise<ChainTip | undefined> {
  for await (const event of store.readStream(streamId, { direction: 'backwards', maxCount: 1 })) return tipOf(event);
  return undefined;
}

/** The latest seal event of the log, if any. */
export async function latestSeal(store: EventStore, sealStreamId: string): Promise<StoredEvent | undefined> {
  for await (const event of store.readStream(sealStreamId, { direction: 'backwards', maxCount: 1 })) return event;
  return undefined;
}

/** The seal of the given tree size (the latest such), if any. */
export async function sealOfSize(store: EventStore, sealStreamId: string, treeSize: number): Promise<StoredEvent | undefined> {
  for await (const event of store.readStream(sealStreamId, { direction: 'backwards' })) {
    if ((event.data as { treeSize?: unknown }).treeSize === treeSize) return event;
  }
  return undefined;
}
