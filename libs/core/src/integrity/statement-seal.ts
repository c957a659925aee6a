import { IntegrityError, type EventStore, type LogSealedData, type StoredEvent } from '@jalon/event-store';
import type { ProjectionRunner, StatementSeal } from '@jalon/projections';
import { REPORT_PROJECTION } from '@jalon/projections';

/** How long a statement waits for its read model to reach the seal it is produced under. */
const WAIT_FOR_LEDGER_MS = 5_000;

/**
 * The seal a statement of expenditure is produced under (issue 14): the latest seal, written first
 * if events are not covered yet (`sealedLatest`: the running service's, or the CLI's verify-then-seal),
 * with the global position of the last event it covers, read from the store. When a live read model
 * will build the statement, waits (bounded) for it to have applied every sealed event, so that the
 * statement lists every fact the seal covers.
 */
export async function sealForStatement(
  store: EventStore,
  sealedLatest: () => Promise<StoredEvent>,
  runner?: Pick<ProjectionRunner, 'waitForPosition'>,
): Promise<StatementSeal> {
  const seal = await sealedLatest();
  const data = seal.data as unknown as LogSealedData;
  let last: StoredEvent | undefined;
  for await (const event of store.readStream(data.lastEvent.streamId, { fromRevision: data.lastEvent.revision, maxCount: 1 })) last = event;
  if (!last || last.id !== data.lastEvent.id) {
    throw new IntegrityError('INTEGRITY.SEAL_NOT_FOUND', `le dernier événement du sceau (${data.lastEvent.streamId}, révision ${data.lastEvent.revision}) n’est pas dans le journal`);
  }
  if (runner) await runner.waitForPosition(last.position, WAIT_FOR_LEDGER_MS, [REPORT_PROJECTION['etat-depenses']]);
  return { treeSize: data.treeSize, rootHash: data.rootHash, sealedAt: data.sealedAt, keyId: data.keyId, lastPosition: last.position.toString() };
}
