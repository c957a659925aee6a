import { isIP } from 'node:net';
import { join, resolve } from 'node:path';

export type EventStoreKind = 'sqlite' | 'eventstoredb';

/** Where `jalon serve` runs its projections (docs/decisions/0030): a worker thread of its own, or the thread that serves requests. */
export type ProjectionsMode = 'thread' | 'inline';

export interface JalonConfig {
  /** Where the embedded store keeps its database file (`DATA_DIR`, default `./data`). */
  readonly dataDir: string;
  /** `EVENT_STORE`: `sqlite` (embedded, default) or `eventstoredb`. */
  readonly eventStore: EventStoreKind;
  /** `EVENTSTORE_URL`, e.g. `esdb://localhost:2113?tls=false` or `kurrentdb://…` (the same grammar), required with `eventstoredb`. */
  readonly eventStoreUrl?: string;
  readonly host: string;
  readonly port: number;
  /** Effective dates are local calendar dates in this time zone (`JALON_TIMEZONE`). */
  readonly timeZone: string;
  /** The running service seals the log after this many new events (`JALON_SEAL_EVERY_EVENTS`, default 1000). */
  readonly sealEveryEvents: number;
  /** …and at least this often while events arrive (`JALON_SEAL_INTERVAL_SECONDS`, default 300). */
  readonly sealIntervalSeconds: number;
  /** Several instances on one store: the holder of the projection lease renews it this often, and the others try to take it (`JALON_LEASE_RENEW_MS`, default 2000). */
  readonly leaseRenewMs: number;
  /** …and it expires after this long without renewal, when another instance takes it over (`JALON_LEASE_EXPIRY_MS`, default 10000, at least twice the renewal). */
  readonly leaseExpiryMs: number;
  /** Where supporting documents' bytes are kept (`JALON_DOCUMENTS_DIR`, default `$DATA_DIR/documents`): see {@link documentsDirOf}. */
  readonly documentsDir?: string;
  /** The largest document accepted, in bytes (`JALON_DOCUMENT_MAX_MIB` mebibytes, default 20). */
  readonly documentMaxBytes?: number;
  /**
   * `JALON_PROJECTIONS`: `thread` (a worker thread applies events and commits the read models) or
   * `inline` (the thread that serves requests does). Unset: `thread` when read models are a file,
   * `inline` when they are in memory (see {@link projectionsModeOf}).
   */
  readonly projections?: ProjectionsMode;
  /**
   * `JALON_PROJECTION_THREAD_NICE`: the projection thread's scheduling priority on Linux, as a nice
   * value from 0 (the serving thread's own) to 19; default 10, so that commands and queries go
   * first when the cores are busy (docs/decisions/0033).
   */
  readonly projectionThreadNice?: number;
  /**
   * `JALON_TRUST_PROXY`: the addresses (or ranges, `10.0.0.0/8`) of the reverse proxies in front of
   * the service, whose `X-Forwarded-For` names the client. Unset: the client is the connection's
   * address, and `X-Forwarded-For` is ignored (anyone could write it). The limit on failed
   * authentications counts per client: behind a proxy without this, every client shares the
   * proxy's count.
   */
  readonly trustProxy?: readonly string[];
}

/** The projection thread's nice value when none is configured (docs/decisions/0033). */
export const DEFAULT_PROJECTION_THREAD_NICE = 10;

/** Where projections run: in memory they cannot be shared with a thread, so `inline` whatever is asked. */
export function projectionsModeOf(config: Pick<JalonConfig, 'projections'>, readModelsFile: string): ProjectionsMode {
  return readModelsFile === ':memory:' ? 'inline' : (config.projections ?? 'thread');
}

/** The directory of supporting documents: back it up with the event store. */
export function documentsDirOf(config: Pick<JalonConfig, 'dataDir' | 'documentsDir'>): string {
  return config.documentsDir ?? join(config.dataDir, 'documents');
}

/** The largest supporting document accepted, in bytes. */
export function documentMaxBytesOf(config: Pick<JalonConfig, 'documentMaxBytes'>): number {
  return config.documentMaxBytes ?? 20 * 1024 * 1024;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
}

/** Reads the configuration from the environment, refusing anything it cannot honour. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<JalonConfig> = {}): JalonConfig {
  const eventStore = (env.EVENT_STORE ?? 'sqlite') as EventStoreKind;
  if (eventStore !== 'sqlite' && eventStore !== 'eventstoredb') {
    throw new ConfigError(`EVENT_STORE doit valoir « sqlite » (le magasin intégré) ou « eventstoredb » (un serveur EventStoreDB), pas « ${eventStore} »`);
  }
  const port = portOf(env.PORT === undefined || env.PORT === '' ? '3000' : env.PORT, 'PORT');
  const timeZone = env.JALON_TIMEZONE ?? 'Europe/Paris';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ConfigError(`JALON_TIMEZONE doit être un fuseau horaire connu (par exemple Europe/Paris, America/Cayenne), pas « ${timeZone} »`);
  }
  const sealEveryEvents = positiveInteger(env, 'JALON_SEAL_EVERY_EVENTS', 1000);
  const sealIntervalSeconds = positiveInteger(env, 'JALON_SEAL_INTERVAL_SECONDS', 300);
  const leaseRenewMs = positiveInteger(env, 'JALON_LEASE_RENEW_MS', 2_000);
  const leaseExpiryMs = positiveInteger(env, 'JALON_LEASE_EXPIRY_MS', 10_000);
  if (leaseExpiryMs < 2 * leaseRenewMs) {
    throw new ConfigError(`JALON_LEASE_EXPIRY_MS (${leaseExpiryMs}) doit valoir au moins le double de JALON_LEASE_RENEW_MS (${leaseRenewMs}), pour qu’un renouvellement en retard ne fasse pas perdre le bail`);
  }
  const projections = env.JALON_PROJECTIONS;
  if (projections !== undefined && projections !== '' && projections !== 'thread' && projections !== 'inline') {
    throw new ConfigError(`JALON_PROJECTIONS doit valoir « thread » (un fil d’exécution dédié aux projections) ou « inline » (le fil qui sert les requêtes), pas « ${projections} »`);
  }
  const nice = env.JALON_PROJECTION_THREAD_NICE;
  if (nice !== undefined && nice !== '' && !/^(1?[0-9])$/.test(nice)) {
    throw new ConfigError(`JALON_PROJECTION_THREAD_NICE doit être un entier de 0 (la priorité du fil qui sert les requêtes) à 19 (la plus basse), pas « ${nice} »`);
  }
  const trustProxy = trustedProxiesOf(env.JALON_TRUST_PROXY);
  // The dashboard's settings, judged here with the rest: a bad one is refused before anything is created.
  sessionMinutesOf(env);
  sessionKeyOf(env);
  if (env.EVENTSTORE_URL) eventStoreUrlOf(env.EVENTSTORE_URL);
  const config: JalonConfig = {
    dataDir: resolve(env.DATA_DIR ?? 'data'),
    eventStore,
    ...(env.EVENTSTORE_URL ? { eventStoreUrl: env.EVENTSTORE_URL } : {}),
    host: env.HOST ?? '127.0.0.1',
    port,
    timeZone,
    sealEveryEvents,
    sealIntervalSeconds,
    leaseRenewMs,
    leaseExpiryMs,
    ...(env.JALON_DOCUMENTS_DIR ? { documentsDir: resolve(env.JALON_DOCUMENTS_DIR) } : {}),
    ...(projections ? { projections: projections as ProjectionsMode } : {}),
    ...(nice ? { projectionThreadNice: Number(nice) } : {}),
    ...(trustProxy ? { trustProxy } : {}),
    ...(env.JALON_DOCUMENT_MAX_MIB ? { documentMaxBytes: positiveInteger(env, 'JALON_DOCUMENT_MAX_MIB', 20) * 1024 * 1024 } : {}),
    ...overrides,
  };
  if (config.eventStore === 'eventstoredb' && !config.eventStoreUrl) {
    throw new ConfigError('EVENT_STORE=eventstoredb demande EVENTSTORE_URL, l’adresse du serveur (par exemple esdb://localhost:2113?tls=false)');
  }
  return config;
}

/** A TCP port given as `setting` (`PORT`, `--port`): an integer from 0 (a port the system chooses) to 65535, written in digits. */
export function portOf(text: string, setting: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port > 65535) throw new ConfigError(`${setting} doit être un numéro de port TCP, un entier de 0 à 65535, pas « ${text} »`);
  return port;
}

/** `JALON_SESSION_MINUTES`: how long a dashboard session lasts without a request, 1 to 1440 minutes (30 by default). */
export function sessionMinutesOf(env: NodeJS.ProcessEnv): number {
  const text = env.JALON_SESSION_MINUTES ?? '30';
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > 1440) {
    throw new ConfigError(`JALON_SESSION_MINUTES doit être un nombre entier de minutes de 1 à 1440, pas « ${text} »`);
  }
  return Number(text);
}

/** The length of the key that seals dashboard cookies (libsodium's secretbox). */
export const SESSION_KEY_BYTES = 32;

/**
 * `JALON_SESSION_KEY`: the key that seals dashboard cookies, 32 bytes in base64, the same for every
 * instance; undefined when unset (the key of `$DATA_DIR/session-key` then).
 */
export function sessionKeyOf(env: NodeJS.ProcessEnv): Buffer | undefined {
  const given = env.JALON_SESSION_KEY;
  if (given === undefined) return undefined;
  const key = Buffer.from(given.trim(), 'base64');
  if (key.length !== SESSION_KEY_BYTES) {
    throw new ConfigError(`JALON_SESSION_KEY doit être une clé de ${SESSION_KEY_BYTES} octets écrite en base64 (par exemple \`openssl rand -base64 32\`), pas une valeur de ${key.length} octet(s)`);
  }
  return key;
}

/** The schemes of an EventStoreDB (or KurrentDB) connection string. */
const EVENTSTORE_SCHEMES = /^(?:esdb|esdb\+discover|kurrentdb|kurrentdb\+discover):\/\/[^\s/?#]+/;

/** `EVENTSTORE_URL`: a connection string of the client's grammar, by its scheme (the client judges the rest when it connects). */
function eventStoreUrlOf(text: string): string {
  if (!EVENTSTORE_SCHEMES.test(text)) {
    throw new ConfigError(
      `EVENTSTORE_URL doit être l’adresse d’un serveur EventStoreDB, commençant par esdb://, esdb+discover://, kurrentdb:// ou kurrentdb+discover:// (par exemple esdb://localhost:2113?tls=false), pas « ${text.slice(0, 200)} »`,
    );
  }
  return text;
}

/** `JALON_TRUST_PROXY`: addresses or CIDR ranges, separated by commas; unset or empty: none. */
function trustedProxiesOf(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address = '', bits, ...more] = entry.split('/');
    const family = isIP(address);
    const range = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (family === 0 || more.length > 0 || !range) {
      throw new ConfigError(`JALON_TRUST_PROXY doit lister, séparées par des virgules, les adresses IP des relais (reverse proxies) devant le service ou leurs plages (10.0.0.0/8), pas « ${entry} »`);
    }
  }
  return entries;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) throw new ConfigError(`${name} doit être un entier strictement positif, pas « ${text} »`);
  return value;
}
