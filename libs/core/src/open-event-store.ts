import { EventStore, EventStoreDbEventStore, SqliteEventStore } from '@jalon/event-store';
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
 * Opens the store the configuration names; nothing else in Jalon knows which store it runs on.
 * `livePollMs`: how often the embedded store's live subscriptions look for events appended by
 * another connection (the projection thread's store, whose appends come from the serving thread).
 */
export async function openEventStore(config: JalonConfig, options: { readonly livePollMs?: number } = {}): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite':
      return SqliteEventStore.open({ file: embeddedStoreFile(config), ...(options.livePollMs === undefined ? {} : { livePollMs: options.livePollMs }) });
    case 'eventstoredb':
      // loadConfig refuses `eventstoredb` without a URL. A server older than 22.6 is refused here,
      // with a French message; one out of reach is checked on first use.
      return EventStoreDbEventStore.open(config.eventStoreUrl as string);
  }
}
