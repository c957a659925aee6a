/**
 * Which servers the EventStoreDB adapter talks to: the connection-string schemes it accepts and
 * the oldest server version it works with.
 */
import type { EventStoreDBClient } from '@eventstore/db-client';
import { EventStoreError } from '../event-store.port';

/**
 * Stream reads carry each event's `$all` position from EventStoreDB 22.6 on (server commit
 * "Populate $all positions if possible when doing stream reads", first released in 22.6.0); the
 * adapter needs them for `readStream` and for the tail it reads before every append.
 */
export const MINIMUM_SERVER_VERSION = '22.6';

/**
 * KurrentDB (EventStoreDB from 25.0 on) names its connection strings `kurrentdb://` and
 * `kurrentdb+discover://`; their grammar is the `esdb://` one (KurrentDB's own clients parse both
 * alike). `@eventstore/db-client` knows only `esdb`, so the scheme is renamed before parsing.
 */
export function clientConnectionString(connectionString: string): string {
  return connectionString.replace(/^kurrentdb(\+discover)?:\/\//i, (_scheme, discover: string | undefined) => `esdb${discover ?? ''}://`);
}

/** `esdb://`, `esdb+discover://`, `kurrentdb://` or `kurrentdb+discover://`. */
export function isEventStoreDbConnectionString(value: string): boolean {
  return /^(esdb|kurrentdb)(\+discover)?:\/\//i.test(value);
}

/**
 * The version the server reports through ServerFeatures. The client keeps it (fetched once per
 * connection, with the methods the server supports) behind a getter its typings mark protected.
 * Servers without ServerFeatures report `unknown`.
 */
export async function serverVersionOf(client: EventStoreDBClient): Promise<string> {
  const features = (await Reflect.get(client, 'capabilities', client)) as { readonly serverVersion?: unknown } | undefined;
  return typeof features?.serverVersion === 'string' ? features.serverVersion : 'unknown';
}

/** Refuses, with a French message, a server older than {@link MINIMUM_SERVER_VERSION}. */
export function assertSupportedServerVersion(version: string): void {
  const [minimumMajor, minimumMinor] = MINIMUM_SERVER_VERSION.split('.').map(Number) as [number, number];
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (match && (Number(match[1]) > minimumMajor || (Number(match[1]) === minimumMajor && Number(match[2]) >= minimumMinor))) return;
  const which = match ? `la version ${version} d’EventStoreDB` : `un serveur EventStoreDB qui ne donne pas sa version (« ${version} »)`;
  throw new EventStoreError(
    'EVENT_STORE.UNSUPPORTED_SERVER',
    `Jalon ne fonctionne pas avec ${which} : il lui faut EventStoreDB ${MINIMUM_SERVER_VERSION} ou plus récent ` +
      '(24.10 LTS ou KurrentDB 25 conseillés), dont les lectures de flux donnent la position des événements dans $all. ' +
      'Mettez le serveur à jour.',
  );
}
