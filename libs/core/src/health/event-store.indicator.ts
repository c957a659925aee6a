import { EventStore, reportsWriteHealth } from '@jalon/event-store';
import { EventStoreKind } from '../config';
import { ComponentHealth, HealthIndicator } from './health-registry';

/**
 * `eventStore` in `/health`: which store, its head position, and whether writes go through (with
 * the last write error while they do not). Degraded when it cannot be read or written.
 */
export function eventStoreIndicator(store: EventStore, kind: EventStoreKind): HealthIndicator {
  return {
    name: 'eventStore',
    async check(): Promise<ComponentHealth> {
      const reasons: string[] = [];
      let headPosition: string | null = null;
      try {
        headPosition = (await store.headPosition()).toString();
      } catch (error) {
        reasons.push(`lecture impossible : ${(error as Error).message}`);
      }
      const write = reportsWriteHealth(store) ? await store.writeHealth() : { writable: true };
      if (write.lastWriteError) reasons.push(`écriture impossible depuis ${write.lastWriteError.since} : ${write.lastWriteError.message}`);
      const checkpoint = 'lastCheckpointError' in write ? write.lastCheckpointError : undefined;
      if (checkpoint) reasons.push(`report du journal impossible depuis ${checkpoint.since} : ${checkpoint.message}`);
      return {
        status: reasons.length === 0 ? 'ok' : 'degraded',
        ...(reasons.length === 0 ? {} : { reason: reasons.join(' ; ') }),
        kind,
        headPosition,
        writable: write.writable,
        ...(write.lastWriteError ? { lastWriteError: write.lastWriteError } : {}),
        ...(checkpoint ? { lastCheckpointError: checkpoint } : {}),
      };
    },
  };
}
