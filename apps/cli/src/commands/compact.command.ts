import { JalonConfig, PROJECTION_STORAGE } from '@jalon/core';
import { storageFailureKind } from '@jalon/event-store';
import {
  KeptReadModels,
  LeaseFence,
  PROJECTIONS,
  projectionId,
  ProjectionLeaseLostError,
  ProjectionRunner,
  ProjectionStorage,
  ProjectionStorageError,
  SqliteProjectionStorage,
  SupersededReadModels,
} from '@jalon/projections';
import { formatCount, formatFileSize, formatInteger } from '@jalon/reporting';
import { INestApplicationContext } from '@nestjs/common';
import { Command } from 'commander';
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { withCore } from '../core-context';
import { holdingProjectionLease, ProjectionLeaseHeldError } from './projection-lease-hold';

/** What this code reads of the read-model file: the projection versions it lists, and the versions its time-travel snapshots are built with. */
export function keptReadModels(app: INestApplicationContext): KeptReadModels {
  return { projections: PROJECTIONS.map(projectionId), snapshots: app.get(ProjectionRunner).timeTravelSnapshots()?.projectionSet() ?? '' };
}

/** Whether the file holds anything superseded. */
export function holdsSuperseded(found: SupersededReadModels): boolean {
  return found.projections.length > 0 || found.snapshots > 0 || found.snapshotDocuments > 0;
}

/**
 * Gives back the space of superseded read models (decisions 0010 and 0029): every projection
 * version this code no longer lists keeps its documents in `read-models.sqlite` for ever, and the
 * move to the rowid table left the file at twice its size. Holding the projection lease (refused,
 * nothing written, while a running service holds it), it removes in one transaction what this code
 * does not read, then rewrites the file without its free pages (`VACUUM`).
 */
export function compactCommand(config: () => JalonConfig): Command {
  return new Command('compact')
    .description(
      'supprimer les modèles de lecture des versions de projections remplacées et rendre leur place sur le disque ' +
        '(refusé tant qu’un service en marche tient le bail des projections : arrêtez-le d’abord)',
    )
    .action(async () => {
      await withCore({ config: config(), existingStore: true }, async ({ app }) => {
        const storage = app.get<ProjectionStorage>(PROJECTION_STORAGE);
        if (!(storage instanceof SqliteProjectionStorage)) {
          console.log('Rien à compacter : les modèles de lecture ne sont pas gardés dans un fichier.');
          return;
        }
        const file = join(config().dataDir, 'read-models.sqlite');
        try {
          await holdingProjectionLease(app, config(), async (fence, holdFor) => compact(storage, file, keptReadModels(app), fence, holdFor));
        } catch (error) {
          if (!(error instanceof ProjectionLeaseHeldError)) throw error;
          console.error(`Compactage refusé : ${error.message}`);
          process.exitCode = 1;
        }
      });
    });
}

/**
 * The slowest a `VACUUM` is presumed to rewrite the file (10 MiB/s, a slow disk; 1.4 GiB took 12 s
 * here): the lease is held that long over it, since its renewal cannot run while it blocks.
 */
const VACUUM_BYTES_PER_SECOND = 10 * 1024 * 1024;

/** How long the lease is held over a `VACUUM` of `bytes`: the renewal is blocked until it ends. */
export function vacuumLeaseMs(bytes: number): number {
  return Math.ceil((bytes / VACUUM_BYTES_PER_SECOND) * 1000);
}

function compact(storage: SqliteProjectionStorage, file: string, kept: KeptReadModels, fence: LeaseFence | undefined, holdFor: (ms: number) => void): void {
  const name = basename(file);
  const before = onDiskBytes(file);
  let removed: SupersededReadModels;
  try {
    removed = storage.removeSuperseded(kept, fence);
  } catch (error) {
    if (!(error instanceof ProjectionStorageError || error instanceof ProjectionLeaseLostError)) throw error;
    console.error(`Compactage impossible : ${error.message} ; rien n’a été supprimé.`);
    process.exitCode = 1;
    return;
  }
  const free = storage.freeBytes();
  if (!holdsSuperseded(removed) && free === 0) {
    console.log(`Rien à compacter : ${name} (${formatFileSize(before)}) ne contient ni version de projection remplacée, ni instantané d’une autre version, ni place libre.`);
    return;
  }
  if (holdsSuperseded(removed)) {
    console.log(`Supprimé de ${name} (versions de projections que cette version de Jalon ne lit plus) :`);
    for (const projection of removed.projections) {
      const parts = [formatCount(projection.documents, 'document')];
      if (projection.checkpoint) parts.push('son point de reprise');
      if (projection.skipped > 0) parts.push(formatCount(projection.skipped, 'événement ignoré', 'événements ignorés'));
      console.log(`  - ${projection.id} : ${parts.join(', ')}`);
    }
    if (removed.snapshots > 0 || removed.snapshotDocuments > 0) {
      console.log(`  - instantanés de voyage dans le temps d’autres versions : ${formatInteger(removed.snapshots)}`);
    }
  } else {
    console.log(`Aucune version de projection remplacée à supprimer ; ${formatFileSize(free)} de place libre à rendre.`);
  }
  try {
    // No renewal while VACUUM blocks this process: a service started meanwhile must find the lease alive, not take it and wait on the file's lock.
    holdFor(vacuumLeaseMs(onDiskBytes(file)));
    storage.vacuum();
  } catch (error) {
    if (!(error instanceof ProjectionStorageError)) throw error;
    console.error(
      `Compactage inachevé : ${error.message}. ` +
        (holdsSuperseded(removed) ? 'Les suppressions ci-dessus sont validées et conservées ; ' : '') +
        'le fichier n’a pas été réduit et les modèles de lecture sont intacts (VACUUM n’écrit rien quand il échoue). ' +
        (storageFailureKind(error.cause) === 'full'
          ? `VACUUM a besoin d’environ ${formatFileSize(before)} d’espace libre (la taille du fichier) à côté de ${name} ` +
            'et dans le dossier temporaire de SQLite (SQLITE_TMPDIR, sinon TMPDIR, /var/tmp ou /tmp) : libérez-en, puis relancez jalon compact.'
          : 'Relancez jalon compact une fois la cause levée.'),
    );
    process.exitCode = 1;
    return;
  }
  const after = onDiskBytes(file);
  console.log(`Taille de ${name} : ${formatFileSize(before)} avant, ${formatFileSize(after)} après (${formatFileSize(Math.max(0, before - after))} rendus).`);
}

/** The file and its write-ahead log, as they take space on the disk. */
function onDiskBytes(file: string): number {
  return [file, `${file}-wal`].reduce((total, path) => {
    try {
      return total + statSync(path).size;
    } catch {
      return total;
    }
  }, 0);
}
