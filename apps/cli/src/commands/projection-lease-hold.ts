import { JalonConfig, PROJECTION_STORAGE } from '@jalon/core';
import type { EventStore } from '@jalon/event-store';
import { formatInteger } from '@jalon/reporting';
import { holderGone, isProjectionLeaseStore, LeaseFence, newInstanceId, PROJECTIONS, ProjectionRunner, ProjectionStorage } from '@jalon/projections';
import { INestApplicationContext } from '@nestjs/common';

/** A command that rewrites the read models is refused while a live service holds the projection lease. */
export class ProjectionLeaseHeldError extends Error {
  constructor(
    readonly holder: string,
    readonly expiresAt: number,
  ) {
    super(
      `le service ${holder} tient le bail des projections (docs/decisions/0019) et les met à jour : ` +
        'arrêtez-le d’abord (son bail expire alors, ou est rendu à l’arrêt).',
    );
    this.name = 'ProjectionLeaseHeldError';
  }
}

/**
 * Runs `work` holding the projection lease (docs/decisions/0019), renewed while it runs and given
 * up at the end, so that no service applies events to the read models meanwhile: a service started
 * during `work` finds the lease held and serves what `work` commits. Refused (ProjectionLeaseHeldError,
 * nothing written) when another live instance holds it. A storage without a lease runs `work` as is.
 * `work` gets the fence to give its own writes (checked in their transaction), none without a lease,
 * and `holdFor(ms)`, which keeps the lease at least that long from now for a step that blocks this
 * process (the renewal cannot run meanwhile: a `VACUUM`); a holder gone on this machine is seen
 * gone at once whatever its expiry.
 */
export async function holdingProjectionLease<T>(
  app: INestApplicationContext,
  config: JalonConfig,
  work: (fence: LeaseFence | undefined, holdFor: (ms: number) => void) => Promise<T>,
): Promise<T> {
  const storage = app.get<ProjectionStorage>(PROJECTION_STORAGE);
  if (!isProjectionLeaseStore(storage)) return work(undefined, () => undefined);
  const holder = newInstanceId();
  const take = (ms = config.leaseExpiryMs) => storage.takeLease(holder, Math.max(ms, config.leaseExpiryMs), Date.now(), holderGone);
  const taken = take();
  if (taken.holder !== holder) throw new ProjectionLeaseHeldError(taken.holder, taken.expiresAt);
  let renewFailure: unknown;
  const renewal = setInterval(() => {
    try {
      take();
    } catch (error) {
      renewFailure ??= error;
    }
  }, config.leaseRenewMs);
  renewal.unref();
  try {
    return await work({ holder }, (ms) => void take(ms));
  } finally {
    clearInterval(renewal);
    try {
      storage.releaseLease(holder);
    } catch {
      // Not given up: it expires after JALON_LEASE_EXPIRY_MS, and a service then takes it.
    }
    if (renewFailure !== undefined) console.error(`Attention : le bail des projections n’a pas pu être renouvelé pendant l’opération (${String((renewFailure as Error).message ?? renewFailure)}).`);
  }
}

/** The read models of a running service did not reach the log's head in time: a command that reads them stops rather than read behind. */
export class ReadModelsBehindError extends Error {
  constructor(
    readonly holder: string,
    readonly head: bigint,
    readonly behind: readonly string[],
    readonly waitedMs: number,
  ) {
    super(
      `le service ${holder} tient le bail des projections et n’a pas mis à jour ${behind.join(', ')} jusqu’à la position ${formatInteger(Number(head))} du journal ` +
        `en ${formatInteger(Math.round(waitedMs / 1000))} s : voyez son /health (une projection arrêtée ou très en retard), puis relancez`,
    );
    this.name = 'ReadModelsBehindError';
  }
}

/** How long a command waits for a running service to commit the read models up to the log's head. */
export const SERVICE_CATCH_UP_WAIT_MS = 30_000;
const SERVICE_POLL_MS = 50;

/**
 * The read models caught up to the log's head before a command reads them (`jalon report`), never
 * written beside a running service (docs/decisions/0019): under the projection lease when no
 * service holds it (taken, renewed, given up, as `jalon replay` does), or else as that service
 * commits them, waited for up to `waitMs` (ReadModelsBehindError past it, nothing written).
 */
export async function readModelsCaughtUp(app: INestApplicationContext, config: JalonConfig, runner: ProjectionRunner, store: EventStore, waitMs = SERVICE_CATCH_UP_WAIT_MS): Promise<void> {
  try {
    await holdingProjectionLease(app, config, async () => {
      await runner.catchUp();
    });
  } catch (error) {
    if (!(error instanceof ProjectionLeaseHeldError)) throw error;
    const head = await store.headPosition();
    const names = [...new Set(PROJECTIONS.map((projection) => projection.name))];
    const started = Date.now();
    for (;;) {
      // Read again at each turn: what the service committed since, served as it committed it.
      await runner.followCommitted();
      const behind = names.filter((name) => runner.checkpoint(name) < head);
      if (behind.length === 0) return;
      if (Date.now() - started >= waitMs) throw new ReadModelsBehindError(error.holder, head, behind, Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, SERVICE_POLL_MS));
    }
  }
}
