import { Actor, CLI_ACTOR_ID, IdentityService } from '@jalon/application';
import { EVENT_STORE, JalonConfig, JalonCoreModule, JalonCoreOptions, JalonNestLogger } from '@jalon/core';
import { EventStore, EventStoreError, fileSystemCause, STORE_READ_ONLY, temporaryCopyFolder } from '@jalon/event-store';
import { ProjectionStorageError } from '@jalon/projections';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { accessSync, constants, copyFileSync, existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export interface CoreContext {
  readonly app: INestApplicationContext;
  readonly commandBus: CommandBus;
  readonly identity: IdentityService;
  readonly store: EventStore;
  /**
   * The data directory cannot be written (a backup on a read-only medium, see {@link withReadingCore}):
   * it is read as it is, and what would write there (a statement of expenditure seals the log) is refused.
   */
  readonly readOnly: boolean;
}

/** Runs `work` with the write side wired exactly as the API wires it (same module, same command bus). */
export async function withCore<T>(options: JalonCoreOptions, work: (context: CoreContext) => Promise<T>): Promise<T> {
  // A failing start (a store that cannot be opened) is thrown to main.ts, which prints it in French,
  // instead of Nest aborting the process after logging it with its stack trace.
  const app = await NestFactory.createApplicationContext(JalonCoreModule.forRoot(options), { logger: new JalonNestLogger(['error', 'warn']), abortOnError: false });
  try {
    return await work({ app, commandBus: app.get(CommandBus), identity: app.get(IdentityService), store: app.get<EventStore>(EVENT_STORE), readOnly: options.readOnlyStore ?? false });
  } finally {
    await app.close();
  }
}

/**
 * Runs `work` for a command that only reads (a report, `status`) on an existing store. On a data
 * directory that cannot be written (a backup on a read-only medium, a folder the user may not
 * write), nothing there is changed: the log is read as `verify` reads it, and the read models are
 * brought up to date in a copy in the system's temporary folder, removed afterwards (started from
 * the directory's own read models when there are some, so only the events after them are replayed;
 * removed at an interruption too: see `temporaryCopyFolder`).
 * A report that must write the log (a statement of expenditure seals it) is then refused, in French
 * (`context.readOnly`: see {@link statementNeedsWritableDataDir}).
 */
export async function withReadingCore<T>(config: JalonConfig, work: (context: CoreContext) => Promise<T>): Promise<T> {
  const readModels = join(config.dataDir, 'read-models.sqlite');
  const writable = [config.dataDir, ...(config.eventStore === 'sqlite' ? [join(config.dataDir, 'jalon.sqlite')] : []), readModels].every(
    (path) => !existsSync(path) || canWrite(path),
  );
  if (writable) return withCore({ config, existingStore: true }, work);
  const folder = temporaryCopyFolder();
  const copy = folder.path;
  try {
    for (const suffix of ['', '-wal']) copyReadModels(`${readModels}${suffix}`, join(copy, `read-models.sqlite${suffix}`));
    console.error(
      `Dossier de données en lecture seule (${config.dataDir}) : rien n’y est modifié ; le journal est lu tel quel, les projections sont mises à jour dans une copie temporaire (${copy}), effacée ensuite.`,
    );
    // Inline projections: a worker thread would open the store for writing.
    return await withCore({ config: { ...config, projections: 'inline' }, existingStore: true, readOnlyStore: true, readModelsFile: join(copy, 'read-models.sqlite') }, work);
  } finally {
    folder.remove();
  }
}

/**
 * Copies a file of the data directory's read models, when it is there, to be brought up to date in
 * the copy. One that cannot be copied (a folder in its place, no rights) is refused as read models
 * that cannot be read are (`READ_MODEL.STORAGE_FAILED`), naming the user's file, never the copy.
 */
function copyReadModels(file: string, copy: string): void {
  if (!existsSync(file)) return;
  const refused = (why: string) => new ProjectionStorageError(`les modèles de lecture ne peuvent pas être lus : ${why}. Rien n’a été écrit dans le dossier de données.`);
  if (statSync(file).isDirectory()) throw refused(`${file} est un dossier, pas un fichier`);
  try {
    copyFileSync(file, copy);
  } catch (error) {
    throw refused(`${file} ne peut pas être copié : ${fileSystemCause(error) ?? String(error)}`);
  }
}

/**
 * Why a statement of expenditure is refused on a data directory that cannot be written, whether it
 * holds a seal key or not: it is produced under a seal covering every event, which it writes when
 * the log is not sealed up to its end; the medium, not the key, is what is missing (`STORE.READ_ONLY`).
 */
export function statementNeedsWritableDataDir(config: JalonConfig): EventStoreError {
  return new EventStoreError(
    STORE_READ_ONLY,
    `un état des dépenses scelle le journal et demande donc un dossier de données où l’on peut écrire ; ${config.dataDir} ne peut pas être écrit (une sauvegarde sur un support en lecture seule ?) : rien n’a été écrit. Produisez l’état sur le dossier de données d’origine.`,
  );
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whoever runs the CLI on the server's machine administers it; the events name the system account. */
export function localAdministrator(): Actor {
  return { id: CLI_ACTOR_ID, name: `ligne de commande (${userInfo().username})`, role: 'admin' };
}

export type { JalonConfig };
