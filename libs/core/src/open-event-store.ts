import { EventStore, EventStoreDbEventStore, SqliteEventStore } from '@jalon/event-store';
import { join } from 'node:path';
import { JalonConfig } from './config';

/** The embedded store's database file: one file under DATA_DIR. */
export function embeddedStoreFile(config: Pick<JalonConfig, 'dataDir'>): string {
  return join(config.dataDir, 'jalon.sqlite');
}

/** Opens the store the configuration names; nothing else in Jalon knows which store it runs on. */
export async function openEventStore(config: JalonConfig): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite':
      return SqliteEventStore.open({ file: embeddedStoreFile(config) });
    case 'eventstoredb':
      // loadConfig refuses `eventstoredb` without a URL.
      return EventStoreDbEventStore.connect(config.eventStoreUrl as string);
  }
}
