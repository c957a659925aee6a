import { PROJECTIONS, ProjectionRunner, SqliteProjectionStorage } from '@jalon/projections';
import { Logger } from '@nestjs/common';
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_PROJECTION_THREAD_NICE } from '../config';
import { openEventStore } from '../open-event-store';
import { lowerThisThread } from './thread-priority';
import { handsOverCheckpoints, signalsAppends } from '@jalon/event-store';
import { FromProjectionWorker, ProjectionWorkerData, REPORT_EVERY_MS, ToProjectionWorker, WORKER_CHECKPOINT_MS } from './projection-thread-protocol';

/**
 * The projection thread of `jalon serve` (docs/decisions/0030): the same ProjectionRunner as
 * inline, with the lease, on connections of its own to the store and the read models. It applies
 * events, commits, builds the time-travel snapshots as the lease holder, and reports its state to
 * the serving thread, whose `/health` and queries use it. Anything it throws ends the thread; the
 * serving thread then takes the projections over.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('projection-worker runs as a worker thread of jalon serve');
  const data = workerData as ProjectionWorkerData;
  // Commands and queries first when the cores are busy (docs/decisions/0033): the read side catches up with what is left.
  const priority = lowerThisThread(data.config.projectionThreadNice ?? DEFAULT_PROJECTION_THREAD_NICE);
  const store = await openEventStore(data.config, { livePollMs: data.livePollMs });
  const storage = SqliteProjectionStorage.open(data.readModelsFile);
  const { leaseRenewMs: renewMs, leaseExpiryMs: expiryMs } = data.config;
  const runner = new ProjectionRunner(store, storage, PROJECTIONS, { ...data.runner, lease: { store: storage, holder: data.holder, renewMs, expiryMs } });
  const post = (message: FromProjectionWorker) => port.postMessage(message);
  runner.onLeadership(() => post({ type: 'leadership' }));
  // Read models that did not come from this store are rebuilt: said where operators look, as inline (LiveReadModels).
  const logger = new Logger('Projections');
  if (priority.reason) logger.warn(priority.reason);
  runner.onSourceMismatch((mismatch) => logger.warn(`[${mismatch.code}] ${mismatch.reason}`));

  let sent = '';
  const report = () => {
    const current = {
      projections: runner.status(),
      log: runner.logFailure(),
      lease: runner.leaseStatus(),
      timeTravel: runner.timeTravelSnapshots()?.status(),
      checkpoint: handsOverCheckpoints(store) ? store.checkpointFailure() : undefined,
      priority,
    };
    const seen = JSON.stringify(current, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    if (seen === sent) return;
    sent = seen;
    post({ type: 'report', report: current });
  };
  const reporting = setInterval(report, REPORT_EVERY_MS);
  // The embedded store's checkpoints, off the serving thread (docs/decisions/0032): copying the log
  // back and syncing the file no longer stalls a command; a failure goes in the report.
  const checkpoints = handsOverCheckpoints(store) ? setInterval(() => store.checkpoint(), WORKER_CHECKPOINT_MS) : undefined;

  let stopping: Promise<void> | undefined;
  port.on('message', (message: ToProjectionWorker) => {
    if (message.type === 'snapshot-unreadable') return runner.timeTravelSnapshots()?.foundUnreadable(message.reason, message.position);
    if (message.type === 'appended') return signalsAppends(store) ? store.appendedElsewhere() : undefined;
    stopping ??= (async () => {
      clearInterval(reporting);
      clearInterval(checkpoints);
      // Commits what it applied, then gives the lease up (ProjectionRunner.stop).
      await runner.stop();
      storage.close();
      await store.close();
      process.exit(0);
    })();
  });
  await runner.start();
  report();
}

void main().catch((error: unknown) => {
  // Ends the thread with this error: the serving thread reports it and takes the projections over.
  setImmediate(() => {
    throw error;
  });
});
