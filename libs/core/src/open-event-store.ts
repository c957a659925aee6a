import { EventStore, openEventStoreDb, SqliteEventStore } from '@jalon/event-store';
import { join } from 'node:path';
import { JalonConfig } from './config';

/** The embedded store's database file: one file under DATA_DIR. */
export function embeddedStoreFile(config: Pick<JalonConfig, 'dataDir'>): string {
  return join(config.dataDir, 'jalon.sqlite');
}

/**
 * Refuses at once, in French and naming it, a data directory the embedded store cannot write to
 * (read-only mount, no rights): called before a service starts, so that it does not start and fail
 * every write, nor end in a stack trace.
 */
export function assertDataDirWritable(config: Pick<JalonConfig, 'dataDir' | 'eventStore'>): void {
  if (config.eventStore === 'sqlite') SqliteEventStore.assertWritable(embeddedStoreFile(config));
}

/**
 * Refuses, in French and naming the file, an embedded store that `openEventStore` could not open,
 * creating nothing: one that does not exist when it must (`STORE.NOT_FOUND`, see `existing`
 * below), a file that cannot be opened (`STORE.UNAVAILABLE`: a folder in its place, not a SQLite
 * database). `JalonCoreModule.forRoot` calls it before any provider is built.
 */
export function assertStoreOpens(config: Pick<JalonConfig, 'dataDir' | 'eventStore'>, options: Pick<OpenEventStoreOptions, 'existing'> = {}): void {
  if (config.eventStore === 'sqlite') SqliteEventStore.assertOpens(embeddedStoreFile(config), { existing: options.existing ?? false });
}

export interface OpenEventStoreOptions {
  /**
   * How often the embedded store's live subscriptions look for events appended by another
   * connection (the projection thread's store, whose appends come from the serving thread).
   */
  readonly livePollMs?: number;
  /**
   * The store must already exist: every command that only reads the log (verify, status, events,
   * reports, exports…) says so. A mistyped DATA_DIR is then refused (`STORE.NOT_FOUND`, naming the
   * file looked for) with nothing created, instead of read as a new, empty history. Commands that
   * write (serve, demo, users add, import…) create the embedded store on first use. An EventStoreDB
   * server holds its own store: nothing to check here.
   */
  readonly existing?: boolean;
  /**
   * Only reads the embedded store, changing nothing of its file (implies `existing`): `jalon verify`,
   * so that an audit of a backup never alters it, on a read-only medium too (see
   * `SqliteEventStoreOptions.readOnly`). An EventStoreDB server is read as it is.
   */
  readonly readOnly?: boolean;
}

/**
 * Where a store opened `readOnly` reads its events when it could not read them in place: a copy of
 * the embedded store's file in the temporary folder (see `SqliteEventStore.readFromCopy`); undefined
 * for a store read in place, or on a server.
 */
export function readCopyOf(store: EventStore): string | undefined {
  return store instanceof SqliteEventStore ? store.readFromCopy : undefined;
}

/** Opens the store the configuration names; nothing else in Jalon knows which store it runs on. */
export async function openEventStore(config: JalonConfig, options: OpenEventStoreOptions = {}): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite':
      return SqliteEventStore.open({
        file: embeddedStoreFile(config),
        ...(options.livePollMs === undefined ? {} : { livePollMs: options.livePollMs }),
        ...(options.existing ? { existing: true } : {}),
        ...(options.readOnly ? { readOnly: true } : {}),
      });
    case 'eventstoredb':
      // loadConfig refuses `eventstoredb` without a URL. A server older than 22.6 is refused here,
      // with a French message; one out of reach is checked on first use.
      return openEventStoreDb(config.eventStoreUrl as string);
  }
}
