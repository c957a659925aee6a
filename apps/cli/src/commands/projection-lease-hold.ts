import { JalonConfig, PROJECTION_STORAGE } from '@jalon/core';
import { holderGone, isProjectionLeaseStore, LeaseFence, newInstanceId, ProjectionStorage } from '@jalon/projections';
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
 * `work` gets the fence to give its own writes (checked in their transaction), none without a lease.
 */
export async function holdingProjectionLease<T>(app: INestApplicationContext, config: JalonConfig, work: (fence: LeaseFence | undefined) => Promise<T>): Promise<T> {
  const storage = app.get<ProjectionStorage>(PROJECTION_STORAGE);
  if (!isProjectionLeaseStore(storage)) return work(undefined);
  const holder = newInstanceId();
  const take = () => storage.takeLease(holder, config.leaseExpiryMs, Date.now(), holderGone);
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
    return await work({ holder });
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
