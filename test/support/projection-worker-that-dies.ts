import { existsSync } from 'node:fs';
import '../../libs/core/src/projection-thread/projection-worker';

/**
 * The projection thread's entry for tests only (JalonCoreOptions.projectionWorkerEntry): the real
 * worker, which throws, ending its thread, as soon as the file named by
 * JALON_TEST_PROJECTION_WORKER_DIES_ON exists (at its start, or later when the test creates it).
 */
const trigger = process.env.JALON_TEST_PROJECTION_WORKER_DIES_ON;

function dieWhenAsked(): void {
  if (trigger && existsSync(trigger)) throw new Error('panne provoquée par le test dans le fil des projections');
}

dieWhenAsked();
setInterval(dieWhenAsked, 20).unref();
