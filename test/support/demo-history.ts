import { CommandExecutor, IdempotencyService, ReportService, timeOrderedIds, runCommand } from '@jalon/application';
import { EventStore, SqliteEventStore } from '@jalon/event-store';
import { ProjectedEvent, PROJECTIONS, ProjectionRunner, SqliteProjectionStorage } from '@jalon/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHistory } from '../../apps/cli/src/demo/load-history';
import { HistoryStep, MONTBELIARD_HISTORY } from '../../apps/cli/src/demo/montbeliard-history';

/**
 * Records the demo history through the real command path, with a clock that makes each step
 * recorded at 09:00 UTC on the day after it took effect (instead of "now"), so that known-at cuts
 * fall between facts as they would have in real life.
 */
export async function recordDemoHistory(store: EventStore, steps: readonly HistoryStep[] = MONTBELIARD_HISTORY): Promise<void> {
  let now = new Date('2019-01-01T09:00:00Z');
  const clock = { now: () => now };
  const executor = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
  const idempotency = new IdempotencyService(store);
  await loadHistory(
    steps,
    (step, keyed) => {
      now = dayAfter(step.input.effectiveDate as string);
      return runCommand(executor, step.command, step.input, step.actor, keyed);
    },
    idempotency,
  );
}

/** When a step taking effect on `date` is recorded by recordDemoHistory. */
export function dayAfter(date: string): Date {
  return new Date(Date.parse(`${date}T09:00:00Z`) + 86_400_000);
}

/** The demo history's events, in log order, as projections see them (idempotency keys travel in their metadata). */
export async function demoEvents(): Promise<ProjectedEvent[]> {
  const dir = mkdtempSync(join(tmpdir(), 'jalon-demo-'));
  const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
  try {
    await recordDemoHistory(store);
    const events: ProjectedEvent[] = [];
    for await (const event of store.readAll()) events.push(event);
    return events;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A history recorded through the command path into a temporary store, its read models caught up, read through the report service. */
export interface RecordedReports {
  readonly store: SqliteEventStore;
  readonly reports: ReportService;
  /** Closes the stores and removes the folder. */
  close(): Promise<void>;
}

/**
 * Records `steps` as {@link recordDemoHistory} does, into a store in a fresh temporary folder, brings
 * every projection up to date, and answers reports with `clock` as today (Europe/Paris): the set-up
 * of the specs that read one scenario across reports.
 */
export async function recordedReports(steps: readonly HistoryStep[], clock: { now(): Date }, prefix = 'jalon-reports-'): Promise<RecordedReports> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
  await recordDemoHistory(store, steps);
  const storage = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
  const runner = new ProjectionRunner(store, storage, PROJECTIONS);
  await runner.catchUp();
  return {
    store,
    reports: new ReportService(store, runner, clock, 'Europe/Paris'),
    async close() {
      storage.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
