import { TimeTravelSnapshots } from '@jalon/projections';
import type { ProjectionThread } from '../projection-thread/projection-thread';
import { ComponentHealth, HealthIndicator } from './health-registry';

/**
 * `timeTravel` in `/health`: the whole-programme time-travel snapshots kept beside the read models
 * (docs/decisions/0028): how many, up to which position, whether some are being built, the last
 * fault (with when it was mended). Degraded while a fault is not mended: a snapshot found unreadable (reports at a past date then replay
 * the log until it is built again), or snapshots that cannot be built. Never a wrong figure: a
 * cut a snapshot cannot serve is replayed from the log. With a projection thread (docs/decisions/0030),
 * the status is its worker's, which builds them: a snapshot this thread finds unreadable as it
 * serves a cut is passed on to it, which reports it until it has built it again.
 */
export function timeTravelIndicator(runner: { timeTravelSnapshots(): TimeTravelSnapshots | undefined }, thread?: Pick<ProjectionThread, 'timeTravelStatus'>): HealthIndicator {
  return {
    name: 'timeTravel',
    check(): ComponentHealth {
      const snapshots = runner.timeTravelSnapshots();
      if (!snapshots) return { status: 'ok', snapshots: 0, kept: false };
      const { fault, ...status } = thread?.timeTravelStatus() ?? snapshots.status();
      if (!fault || fault.mendedAt) return { status: 'ok', ...status, ...(fault ? { fault } : {}) };
      return { status: 'degraded', reason: `${fault.reason} (depuis ${fault.since})`, ...status, fault };
    },
  };
}
