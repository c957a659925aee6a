import { embeddedStoreFile, JalonConfig, openEventStore } from '@jalon/core';
import {
  EventStore,
  openEventStoreDb,
  isEventStoreDbConnectionString,
  migrateHistory,
  SqliteEventStore,
  TransferError,
} from '@jalon/event-store';
import { Command } from 'commander';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { printTransferReport, resumableTransfer } from './import.command';

/**
 * `jalon migrate --to <cible>`: copies the configured store's history into another store,
 * streaming, resumable after an interruption, verified at the end (counts and checksums).
 */
export function migrateCommand(config: () => JalonConfig): Command {
  return new Command('migrate')
    .description('copier tout l’historique de la base configurée vers une autre base (vide), puis comparer les deux')
    .requiredOption(
      '--to <cible>',
      'base cible : esdb://hôte:2113?tls=false, esdb+discover://…, kurrentdb://…, kurrentdb+discover://…, ' +
        'sqlite:<fichier .sqlite ou dossier de données> ou un fichier .sqlite',
    )
    .action(async (options: { to: string }) => {
      const base = config();
      // The history to copy must exist: a mistyped DATA_DIR is refused, not migrated as 0 events.
      const source = await openEventStore(base, { existing: true });
      try {
        const target = parseTarget(options.to);
        const sourceLabel = base.eventStore === 'sqlite' ? `sqlite:${embeddedStoreFile(base)}` : withoutCredentials(base.eventStoreUrl ?? '');
        if (sourceLabel === target.label) {
          throw new TransferError('TRANSFER.TARGET_INVALID', `la cible ${target.label} est la base source elle-même : migration refusée`);
        }
        console.log(`Migration de ${sourceLabel} vers ${target.label}`);
        const store = await target.open();
        try {
          const report = await resumableTransfer('Migration', undefined, (onProgress) => migrateHistory(source, store, { onProgress }));
          printTransferReport(report, 'Migration');
        } finally {
          await store.close();
        }
      } finally {
        await source.close();
      }
    });
}

interface Target {
  /** For messages: never carries credentials. */
  readonly label: string;
  /** An EventStoreDB target is asked its version first: one too old is refused before anything is written. */
  open(): EventStore | Promise<EventStore>;
}

/**
 * `esdb://…`, `esdb+discover://…`, `kurrentdb://…` or `kurrentdb+discover://…`: EventStoreDB (or
 * KurrentDB, its name from 25.0 on). `sqlite:<path>` or a path ending in `.sqlite`:
 * the embedded store; `<path>` is its database file when it ends in `.sqlite` or is an existing
 * file, and otherwise a data directory (like DATA_DIR) holding `jalon.sqlite`.
 */
export function parseTarget(to: string): Target {
  if (isEventStoreDbConnectionString(to)) {
    return { label: withoutCredentials(to), open: () => openEventStoreDb(to) };
  }
  let path: string | undefined;
  if (/^sqlite:/i.test(to)) path = to.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  else if (/\.sqlite$/i.test(to)) path = to;
  if (!path) {
    throw new TransferError(
      'TRANSFER.TARGET_INVALID',
      `cible inconnue : « ${to} » (attendu : esdb://…, esdb+discover://…, kurrentdb://…, kurrentdb+discover://…, sqlite:<fichier> ou un fichier .sqlite)`,
    );
  }
  let file = resolve(path);
  if (!/\.sqlite$/i.test(file) && !isFile(file)) file = join(file, 'jalon.sqlite');
  return { label: `sqlite:${file}`, open: () => SqliteEventStore.open({ file }) };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function withoutCredentials(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/]*@/i, '$1');
}
