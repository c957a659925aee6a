/**
 * TEST DOUBLE of EventStoreDB, for tests only (see README.md): a gRPC server on 127.0.0.1 that
 * speaks the Streams and ServerFeatures services of EventStoreDB with the client's own generated
 * service definitions, over an in-memory log. It lets the EventStoreDB adapter be tested over
 * real gRPC where no EventStoreDB server can run; it is not an EventStoreDB.
 */
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { InMemoryLog } from './in-memory-log';
import { streamsService, type AppendFault, type CallCounts, type LiveCall } from './streams-service';

export type { AppendFault } from './streams-service';

export interface EventStoreDbTestDoubleOptions {
  /**
   * Advertise and serve `Streams.BatchAppend` (default true), as EventStoreDB does since 21.10:
   * the client then appends through it. False plays an older server: the client falls back to
   * the unary `Streams.Append`, and `BatchAppend` answers UNIMPLEMENTED.
   */
  readonly batchAppend?: boolean;
  /**
   * The server's `MaxAppendSize` in bytes (default 1 048 576, EventStoreDB 24.10's and KurrentDB
   * 25.0's default), counted as the server counts it: data + metadata + 2 × type length per event.
   */
  readonly maxAppendSize?: number;
  /** Bound of the committed-events cache `any` appends are deduplicated against (default 8 MiB, as the server's). */
  readonly committedEventsCacheBytes?: number;
  /** What ServerFeatures reports as the server's version (default `24.10.0`). */
  readonly serverVersion?: string;
  /** The port to listen on (default: any free one): a double started again on a stopped one's port plays a server back in reach. */
  readonly port?: number;
}

/** An event EventStoreDB writes on its own; the default is a node statistics event. */
export interface SystemEvent {
  /** Default `$stats-127.0.0.1:2113`. */
  readonly streamId?: string;
  /** Default `$statsCollected`. Types need not start with `$` (`SubscriptionCheckpoint`, `Result`). */
  readonly type?: string;
  readonly data?: unknown;
}

export interface EventStoreDbTestDouble {
  /** `esdb://127.0.0.1:PORT?tls=false` */
  readonly connectionString: string;
  /** Cuts every live streaming call (subscriptions, batch appends) and closes the HTTP/2 connections. */
  dropConnections(): Promise<void>;
  /** Calls served per Streams RPC (`Read`, `Append`, `BatchAppend`) and `Read/subscription`. */
  callsTo(rpc: string): number;
  /**
   * Writes an event as EventStoreDB does on its own, to test filtering: by default a
   * `$statsCollected` event in the node's `$stats-…` stream (written by a server run with
   * `WriteStatsToDb`); any stream and type otherwise, e.g. a persistent subscription's checkpoint.
   */
  appendSystemEvent(event?: SystemEvent): Promise<void>;
  /**
   * The next appends (unary, or one batch of BatchAppend each) fail as given, in order; see
   * {@link AppendFault}. `not-leader` names the double itself as the leader.
   */
  injectAppendFaults(...faults: AppendFault[]): void;
  /** Injected faults not yet consumed by an append. */
  pendingAppendFaults(): number;
  /**
   * The cluster catches up: every batch written but not yet replicated (`timeout-not-replicated`)
   * is committed, in log order; reads and subscriptions show it, and its ids sent again are a
   * success that writes nothing. A later write that is replicated does the same first.
   */
  replicate(): Promise<void>;
  /** Batches written on the leader but not yet replicated. */
  unreplicatedBatches(): number;
  /**
   * Stores an event exactly as given, bypassing the client: data (and metadata) that are not JSON
   * although announced as such, as another writer or a damaged log could leave them. Appended at
   * the end of the stream; returns its revision and position.
   */
  appendRawEvent(streamId: string, event: RawEvent): Promise<{ revision: bigint; position: bigint }>;
  stop(): Promise<void>;
}

export interface RawEvent {
  readonly type: string;
  readonly data: string | Uint8Array;
  /** Default `application/json`: what the client then tries to parse. */
  readonly contentType?: string;
  readonly metadata?: string | Uint8Array;
}

const STREAMS = 'event_store.client.streams.Streams';
const SERVER_VERSION = '24.10.0';
/**
 * The node's statistics stream: EventStoreDB writes a `$statsCollected` event there every
 * `StatsPeriodSec` (30 s) only when run with `WriteStatsToDb` (statistics go to its log file otherwise).
 */
const STATS_STREAM = '$stats-127.0.0.1:2113';
/** EventStoreDB 24.10's and KurrentDB 25.0's default `MaxAppendSize` (KurrentDB 25.1 raised it to 256 MiB). */
const DEFAULT_MAX_APPEND_SIZE = 1_048_576;

export async function startEventStoreDbTestDouble(options: EventStoreDbTestDoubleOptions = {}): Promise<EventStoreDbTestDouble> {
  const batchAppend = options.batchAppend ?? true;
  const log = new InMemoryLog({ committedEventsCacheBytes: options.committedEventsCacheBytes });
  seedSystemEvents(log);
  const liveCalls = new Set<LiveCall>();
  const counts: CallCounts = new Map();
  const faults: AppendFault[] = [];
  // A follower names the leader; this double names itself (the port is known once bound).
  const leader = { host: '127.0.0.1', port: 0 };

  const server = new Server();
  server.addService(
    StreamsService,
    streamsService({ log, liveCalls, batchAppend, counts, maxAppendSize: options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE, faults, leader }),
  );
  server.addService(ServerFeaturesService, {
    getSupportedMethods: (_call: ServerUnaryCall<Empty, SupportedMethods>, callback: sendUnaryData<SupportedMethods>) =>
      callback(null, supportedMethods(batchAppend, options.serverVersion ?? SERVER_VERSION)),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  leader.port = port;
  const address = `127.0.0.1:${port}`;
  let stopped = false;

  return {
    connectionString: `esdb://${address}?tls=false`,
    async dropConnections() {
      const calls = [...liveCalls];
      liveCalls.clear();
      await Promise.all(calls.map((call) => call.drop()));
      // Then the connections themselves: GOAWAY, and a cancel for whatever is still open.
      server.drain(address, 0);
    },
    callsTo(rpc) {
      return counts.get(rpc) ?? 0;
    },
    async appendSystemEvent(event = {}) {
      log.appendSystemEvent(event.streamId ?? STATS_STREAM, event.type ?? '$statsCollected', event.data ?? { 'proc-id': process.pid });
    },
    injectAppendFaults(...injected) {
      faults.push(...injected);
    },
    pendingAppendFaults() {
      return faults.length;
    },
    async replicate() {
      log.replicate();
    },
    unreplicatedBatches() {
      return log.unreplicatedBatches();
    },
    async appendRawEvent(streamId, event) {
      const bytes = (value: string | Uint8Array | undefined) => (typeof value === 'string' ? new TextEncoder().encode(value) : (value ?? new Uint8Array()));
      const outcome = log.append(streamId, { kind: 'any' }, [
        { id: randomUUID(), type: event.type, contentType: event.contentType ?? 'application/json', data: bytes(event.data), customMetadata: bytes(event.metadata) },
      ]);
      if (outcome.kind !== 'written' || outcome.position === undefined) throw new Error(`the raw event was not written (${outcome.kind})`);
      return { revision: outcome.currentRevision, position: outcome.position };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      liveCalls.clear();
      server.forceShutdown();
    },
  };
}

/**
 * A used EventStoreDB holds events of its own that reads of `$all` must skip: `$`-typed ones, and
 * events of `$` streams whose type has no `$` — a persistent subscription's checkpoint as written
 * before 24.10 (`SubscriptionCheckpoint`; `$SubscriptionCheckpoint` since) and a user
 * projection's `Result` (`PersistentSubscriptionCheckpointWriter.cs`, `ResultEventEmitter.cs`).
 */
function seedSystemEvents(log: InMemoryLog): void {
  log.appendSystemEvent('$$$stats-127.0.0.1:2113', '$metadata', { $maxAge: 86_400 });
  log.appendSystemEvent('$settings', '$settings', { $userStreamAcl: { $r: '$all' } });
  log.appendSystemEvent('$user-admin', '$user', { loginName: 'admin', fullName: 'Event Store Administrator' });
  log.appendSystemEvent(STATS_STREAM, '$statsCollected', { 'proc-id': process.pid });
  log.appendSystemEvent('$persistentsubscription-$all::reporting-checkpoint', 'SubscriptionCheckpoint', 'C:1536/P:1536');
  log.appendSystemEvent('$projections-antenna-count-result', 'Result', { antennas: 0 });
}

function supportedMethods(batchAppend: boolean, serverVersion: string): SupportedMethods {
  const method = (name: string): SupportedMethod => new SupportedMethod().setServiceName(STREAMS).setMethodName(name);
  const methods = [method('Read'), method('Append'), ...(batchAppend ? [method('BatchAppend')] : [])];
  return new SupportedMethods().setEventStoreServerVersion(serverVersion).setMethodsList(methods);
}
