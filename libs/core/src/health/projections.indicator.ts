import { EventStore } from '@jalon/event-store';
import { eventsAfter, ProjectionLeaseStatus, ProjectionRunner, SkippedEvent } from '@jalon/projections';
import type { ProjectionThread } from '../projection-thread/projection-thread';
import { ComponentHealth, HealthIndicator } from './health-registry';

/**
 * `projections` in `/health`: each projection version's position, lag (events not yet applied),
 * whether it serves queries, and, when stopped, why, since when and when it tries again; the
 * unreadable events it passed over; `lease`, this instance's part in the projection lease (leader
 * or follower, the holder, until when). Degraded as soon as one is stopped or incomplete, one that
 * serves is still built from the first event (its reports wait for it), the log
 * cannot be followed, or the lease cannot be taken or has expired with no instance to take it.
 * With a projection thread (docs/decisions/0030): `thread`, whether it runs (degraded once it
 * stopped by a fault: the serving thread then runs the projections); `lease` is its worker's while
 * it runs; the list is the serving thread's runner's, which knows from the worker's reports what
 * the worker stopped.
 */
export function projectionsIndicator(runner: ProjectionRunner, store: EventStore, thread?: Pick<ProjectionThread, 'health' | 'leaseStatus'>): HealthIndicator {
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
        // Serving and never caught up: built from the first event with nothing earlier to serve, it answers no query yet.
        else if (status.serving && !status.caughtUp && !failure) {
          reasons.push(`${status.id} est construite depuis le premier événement (position ${status.position}) : ses rapports ne sont pas servis avant qu’elle ait rattrapé le journal`);
        }
        list.push({
          ...rest,
          lag,
          ...(failure ? { error: failure.reason, since: failure.since, attempts: failure.attempts, nextRetryAt: failure.nextRetryAt } : {}),
          skippedEvents: skipped.map((event) => ({ ...event, position: event.position.toString() })),
        });
      }
      const lease = thread?.leaseStatus() ?? runner.leaseStatus();
      if (lease) reasons.push(...leaseProblems(lease));
      const threadHealth = thread?.health();
      // Stopped by a fault (a reason); stopped with the service, it has none.
      if (threadHealth?.state === 'stopped' && threadHealth.reason) reasons.push(threadHealth.reason);
      return {
        status: reasons.length === 0 ? 'ok' : 'degraded',
        ...(reasons.length === 0 ? {} : { reason: reasons.join(' ; ') }),
        ...(threadHealth ? { thread: threadHealth } : {}),
        ...(lease ? { lease } : {}),
        list,
      };
    },
  };
}

/**
 * What an operator must know of the lease: this instance cannot read or take it, or, as a follower,
 * sees it expired (its holder stopped renewing it: no instance applies events until one takes it).
 */
function leaseProblems(lease: ProjectionLeaseStatus): string[] {
  const problems: string[] = [];
  if (lease.error) problems.push(`le bail des projections ne peut être ni lu ni pris par cette instance depuis ${lease.error.since} : ${lease.error.reason}`);
  if (lease.expired) {
    problems.push(
      lease.holder === null
        ? 'aucune instance ne détient le bail des projections : aucune n’applique les événements pour l’instant'
        : `le bail des projections détenu par ${lease.holder} a expiré le ${lease.expiresAt} sans être renouvelé : aucune instance n’applique les événements pour l’instant ` +
            `(cette instance essaie de le reprendre toutes les ${lease.renewEveryMs} ms)`,
    );
  }
  return problems;
}

function describeSkipped(event: SkippedEvent): string {
  return `flux ${event.streamId} en révision ${event.revision} (position ${event.position})`;
}
