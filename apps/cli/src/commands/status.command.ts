import { JalonConfig, PROJECTION_STORAGE } from '@jalon/core';
import { eventsAfter, ProjectionRunner, ProjectionStorage, ProjectionStorageError, SqliteProjectionStorage, SupersededReadModels } from '@jalon/projections';
import { INestApplicationContext } from '@nestjs/common';
import { Command } from 'commander';
import { withReadingCore } from '../core-context';
import { formatCount } from '@jalon/reporting';
import { holdsSuperseded, keptReadModels } from './compact.command';

/** What the read-model file keeps of projection versions this code no longer reads (a count by id: cheap), and how to give its space back. */
function supersededNote(app: INestApplicationContext): void {
  const storage = app.get<ProjectionStorage>(PROJECTION_STORAGE);
  if (!(storage instanceof SqliteProjectionStorage)) return;
  let found: SupersededReadModels;
  try {
    found = storage.superseded(keptReadModels(app));
  } catch (error) {
    if (error instanceof ProjectionStorageError) return;
    throw error;
  }
  if (!holdsSuperseded(found)) return;
  const parts = found.projections.map((projection) => `${projection.id} (${formatCount(projection.documents, 'document')})`);
  if (found.snapshots > 0) parts.push(formatCount(found.snapshots, 'instantané de voyage dans le temps', 'instantanés de voyage dans le temps') + ' d’autres versions');
  console.log(`Versions remplacées gardées dans read-models.sqlite : ${parts.join(', ')} ; jalon compact (service arrêté) rend leur place.`);
}

/** The read models' storage failure when their checkpoints cannot be read; undefined when they can. */
function unreadableReadModels(app: INestApplicationContext): ProjectionStorageError | undefined {
  try {
    app.get<ProjectionStorage>(PROJECTION_STORAGE).checkpoints();
    return undefined;
  } catch (error) {
    if (error instanceof ProjectionStorageError) return error;
    throw error;
  }
}

export function statusCommand(config: () => JalonConfig): Command {
  return new Command('status')
    .description('position et retard de chaque projection par rapport au journal')
    .action(async () => {
      await withReadingCore(config(), async ({ app, store }) => {
        const head = await store.headPosition();
        console.log(`Journal : position ${head} (${config().eventStore})`);
        // The read models' file is read first: one that cannot be (a folder in its place, a damaged
        // file) is said, not shown as projections at position 0 serving the reads.
        const unreadable = unreadableReadModels(app);
        if (unreadable) {
          console.error(`Projections : erreur ${unreadable.code} : ${unreadable.message}`);
          process.exitCode = 1;
          return;
        }
        for (const status of app.get(ProjectionRunner).status()) {
          const lag = await eventsAfter(store, BigInt(status.position));
          const state = status.serving ? 'sert les lectures' : status.caughtUp ? 'à jour' : 'en construction';
          console.log(`${status.id.padEnd(14)} position ${status.position.padStart(8)}  retard ${String(lag).padStart(6)} événement(s)  ${state}`);
        }
        supersededNote(app);
      });
    });
}
