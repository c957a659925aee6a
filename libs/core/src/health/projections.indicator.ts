import { EventStore } from '@jalon/event-store';
import { eventsAfter, ProjectionRunner, SkippedEvent } from '@jalon/projections';
import { ComponentHealth, HealthIndicator } from './health-registry';

/**
 * `projections` in `/health`: each projection version's position, lag (events not yet applied),
 * whether it serves queries, and, when stopped, why, since when and when it tries again; the
 * unreadable events it passed over. Degraded as soon as one is stopped or incomplete, or the log
 * cannot be followed.
 */
export function projectionsIndicator(runner: ProjectionRunner, store: EventStore): HealthIndicator {
  return {
    name: 'projections',
    async check(): Promise<ComponentHealth> {
      const reasons: string[] = [];
      const logFailure = runner.logFailure();
      if (logFailure) reasons.push(`${logFailure.reason} (depuis ${logFailure.since}, nouvel essai à ${logFailure.nextRetryAt})`);
      const list = [];
      for (const status of runner.status()) {
        let lag: number | string | null;
        try {
          lag = await eventsAfter(store, BigInt(status.position));
        } catch {
          lag = null;
        }
        const { failure, skipped, ...rest } = status;
        if (failure) reasons.push(`${status.id} arrêtée depuis ${failure.since} : ${failure.reason} (nouvel essai à ${failure.nextRetryAt})`);
        if (skipped.length > 0) reasons.push(`${status.id} a dû ignorer ${skipped.length} événement(s) illisible(s) : ${skipped.map(describeSkipped).join(', ')}`);
        if (status.state === 'rebuilding') {
          reasons.push(status.rebuiltBecause ? `[${status.rebuiltBecause.code}] ${status.rebuiltBecause.reason}` : `${status.id} est reconstruite depuis le premier événement`);
        }
        list.push({
          ...rest,
          lag,
          ...(failure ? { error: failure.reason, since: failure.since, attempts: failure.attempts, nextRetryAt: failure.nextRetryAt } : {}),
          skippedEvents: skipped.map((event) => ({ ...event, position: event.position.toString() })),
        });
      }
      return { status: reasons.length === 0 ? 'ok' : 'degraded', ...(reasons.length === 0 ? {} : { reason: reasons.join(' ; ') }), list };
    },
  };
}

function describeSkipped(event: SkippedEvent): string {
  return `flux ${event.streamId} en révision ${event.revision} (position ${event.position})`;
}
