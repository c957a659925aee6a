/**
 * Copies a history into a target store, event for event, keeping ids, streams, revisions and
 * global order; the core of `jalon import` and `jalon migrate`, on the port only.
 *
 * - The target must be empty, or hold exactly a beginning of this history (same events in the
 *   same order): the copy then resumes after it. That is what makes an interrupted import or
 *   migration resumable without duplicates. Anything else is refused before anything is written.
 * - Events are appended in source order, consecutive events of one stream in atomic batches of
 *   at most 500 events and 512 KiB (half of EventStoreDB's default maximum append size), each
 *   batch expecting the revision just before its first event (`no_stream` for revision 0), so the
 *   target reproduces every revision exactly, or the append fails.
 * - The source is read once, lazily: no whole-history buffering.
 * - At the end the target is read again and its count and checksum compared with the source's.
 */
import { EventStoreError, WrongExpectedRevisionError, type AppendResult, type EventStore, type EventToAppend, type ExpectedRevision } from '../event-store.port';
import { canonicalEvent, HistoryChecksum, summarize, type HistoryEvent, type HistorySummary } from './history-checksum';
import { readHistory } from './read-history';
import { TransferError } from './transfer-errors';

/** Largest batch appended at once (consecutive events of one stream). */
export const MAX_BATCH = 500;

/**
 * Largest batch appended at once, in bytes as {@link appendSizeOf} counts them: half of the
 * 1 MiB that EventStoreDB 24.10 and KurrentDB 25.0 accept by default in one append
 * (`MaxAppendSize`), leaving room for what the estimate cannot see. An event larger than this
 * goes alone in its batch.
 */
export const MAX_BATCH_BYTES = 512 * 1024;

/**
 * What one event weighs against EventStoreDB's maximum append size, which counts each event's
 * data and metadata bytes and twice its type's length (`Event.SizeOnDisk`). Estimated from the
 * port's JSON, plus room for the names the EventStoreDB adapter gives metadata fields
 * (`$correlationId`, `schemaVersion`…): the same for every store, so a transfer cuts its batches
 * alike whatever the target.
 */
export function appendSizeOf(event: Pick<EventToAppend, 'type' | 'data' | 'metadata'>): number {
  const METADATA_NAMES_ALLOWANCE = 64;
  return (
    Buffer.byteLength(JSON.stringify(event.data)) +
    Buffer.byteLength(JSON.stringify(event.metadata)) +
    event.type.length * 2 +
    METADATA_NAMES_ALLOWANCE
  );
}

export interface TransferProgress {
  /** `compare`: reading the target's events that are already there; `copy`: appending. */
  readonly phase: 'compare' | 'copy';
  /** Source events read so far. */
  readonly read: number;
  /** Of those, events the target already held (the prefix of an earlier, interrupted run). */
  readonly alreadyPresent: number;
  /** Events appended by this run. */
  readonly written: number;
  readonly elapsedMs: number;
}

export interface TransferOptions {
  /** Called after each appended batch, and every 1 000 events compared. */
  readonly onProgress?: (progress: TransferProgress) => void;
  /** Events per batch at most ({@link MAX_BATCH} by default). */
  readonly maxBatch?: number;
  /** Bytes per batch at most, as {@link appendSizeOf} counts them ({@link MAX_BATCH_BYTES} by default). */
  readonly maxBatchBytes?: number;
}

export interface TransferReport {
  readonly source: HistorySummary;
  readonly target: HistorySummary;
  /** Events found already in the target (resumed run), not written again. */
  readonly alreadyPresent: number;
  readonly written: number;
  readonly elapsedMs: number;
}

export async function transferHistory(
  source: AsyncIterable<HistoryEvent>,
  target: EventStore,
  options: TransferOptions = {},
): Promise<TransferReport> {
  const started = Date.now();
  const maxBatch = options.maxBatch ?? MAX_BATCH;
  const maxBatchBytes = options.maxBatchBytes ?? MAX_BATCH_BYTES;
  const sourceSum = new HistoryChecksum();
  const events = source[Symbol.asyncIterator]();
  let alreadyPresent = 0;
  let written = 0;
  const progress = (phase: TransferProgress['phase']) =>
    options.onProgress?.({ phase, read: sourceSum.count, alreadyPresent, written, elapsedMs: Date.now() - started });

  try {
    // 1. What the target holds must be the beginning of the source, event for event.
    const existing = readHistory(target);
    try {
      for await (const held of existing) {
        const next = await events.next();
        const position = alreadyPresent + 1;
        if (next.done) {
          throw notThisHistory(
            `elle contient plus d’événements que l’historique à importer (${sourceSum.count} événement(s) en commun, ` +
              `puis ${held.streamId}@${held.revision})`,
          );
        }
        const expected = sourceSum.add(next.value);
        if (canonicalEvent(held) !== expected) {
          throw notThisHistory(
            `son événement n° ${position} (${held.streamId}@${held.revision}, ${held.id}) ` +
              `n’est pas celui de l’historique (${next.value.streamId}@${next.value.revision}, ${next.value.id})`,
          );
        }
        alreadyPresent = position;
        if (alreadyPresent % 1_000 === 0) progress('compare');
      }
    } finally {
      await existing.return(undefined);
    }
    if (alreadyPresent > 0) progress('compare');

    // 2. The rest of the source, appended in order, one stream run at a time.
    let batch: HistoryEvent[] = [];
    let batchBytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await appendBatch(target, batch);
      written += batch.length;
      batch = [];
      batchBytes = 0;
      progress('copy');
    };
    for (;;) {
      const next = await events.next();
      if (next.done) break;
      const event = next.value;
      sourceSum.add(event);
      const first = batch[0];
      const size = appendSizeOf(event);
      // A long run of one stream becomes several batches, each expecting the revision before it.
      if (first !== undefined && (first.streamId !== event.streamId || batch.length >= maxBatch || batchBytes + size > maxBatchBytes)) {
        await flush();
      }
      batch.push(event);
      batchBytes += size;
    }
    await flush();
  } finally {
    await events.return?.(undefined);
  }

  // 3. Both sides, compared as wholes.
  const sourceSummary = sourceSum.summary();
  const targetSummary = await summarize(readHistory(target));
  const report: TransferReport = {
    source: sourceSummary,
    target: targetSummary,
    alreadyPresent,
    written,
    elapsedMs: Date.now() - started,
  };
  assertSameHistory(sourceSummary, targetSummary);
  return report;
}

/** Throws `TRANSFER.VERIFICATION_FAILED` unless both summaries are equal. */
export function assertSameHistory(source: HistorySummary, target: HistorySummary): void {
  if (source.count !== target.count || source.checksum !== target.checksum) {
    throw new TransferError(
      'TRANSFER.VERIFICATION_FAILED',
      `vérification échouée : la source a ${source.count} événement(s) (empreinte ${source.checksum}), ` +
        `la cible ${target.count} (empreinte ${target.checksum})`,
    );
  }
}

async function appendBatch(target: EventStore, batch: readonly HistoryEvent[]): Promise<AppendResult> {
  const first = batch[0]!;
  batch.forEach((event, i) => {
    if (event.revision !== first.revision + i) {
      throw new TransferError(
        'TRANSFER.FILE_INVALID',
        `les révisions du flux ${first.streamId} ne se suivent pas (${first.revision + i} attendue, ${event.revision} trouvée)`,
      );
    }
  });
  const expectedRevision: ExpectedRevision = first.revision === 0 ? 'no_stream' : first.revision - 1;
  const toAppend: EventToAppend[] = batch.map(({ id, type, version, data, metadata }) => ({ id, type, version, data, metadata }));
  const last = batch[batch.length - 1]!;
  const result = await target.append(first.streamId, toAppend, { expectedRevision }).catch((error: unknown) => {
    throw inTransferWords(error, first, last);
  });
  if (result.nextExpectedRevision !== last.revision) {
    throw new TransferError(
      'TRANSFER.VERIFICATION_FAILED',
      `le flux ${first.streamId} est à la révision ${result.nextExpectedRevision} dans la cible après l’ajout, pas à ${last.revision}`,
    );
  }
  return result;
}

/**
 * The target's refusals a copy can meet, in its own French words (the store's are worded for
 * developers): another writer on the target, or a history giving one id to two events. Any other
 * error passes as it is (`STORE.UNAVAILABLE`, `STREAM.APPEND_TOO_LARGE` are already worded).
 */
function inTransferWords(error: unknown, first: HistoryEvent, last: HistoryEvent): unknown {
  const revisions = first.revision === last.revision ? `révision ${first.revision}` : `révisions ${first.revision} à ${last.revision}`;
  if (error instanceof WrongExpectedRevisionError) {
    const expected = error.expected === 'no_stream' ? 'l’attendait vide' : `l’attendait à la révision ${String(error.expected)}`;
    const actual = error.actual === 'no_stream' ? 'est vide' : `y est à la révision ${error.actual}`;
    return new TransferError(
      'TRANSFER.TARGET_CHANGED',
      `la base cible a changé pendant la copie : le flux ${error.streamId} ${actual}, la copie ${expected} ; ` +
        'un autre processus y écrit (arrêtez-le), puis relancez la même commande',
    );
  }
  if (error instanceof EventStoreError && error.code === 'STREAM.DUPLICATE_EVENT_ID') {
    return new TransferError(
      'TRANSFER.FILE_INVALID',
      `historique altéré : un événement du flux ${first.streamId} (${revisions}) porte l’identifiant d’un événement déjà enregistré dans la base cible ` +
        '(deux événements d’un historique n’ont jamais le même identifiant) : copie arrêtée',
    );
  }
  return error;
}

function notThisHistory(detail: string): TransferError {
  return new TransferError(
    'TRANSFER.TARGET_NOT_EMPTY',
    `la base cible n’est pas vide et ne commence pas par cet historique : import refusé (${detail}). ` +
      'Importez dans une base vide, ou reprenez un import interrompu avec le même historique.',
  );
}
