/**
 * TEST DOUBLE of EventStoreDB, for tests only (see README.md): a gRPC server on 127.0.0.1 that
 * speaks the Streams and ServerFeatures services of EventStoreDB with the client's own generated
 * service definitions, over an in-memory log. It lets the EventStoreDB adapter be tested over
 * real gRPC where no EventStoreDB server can run; it is not an EventStoreDB.
 */
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { InMemoryLog } from './in-memory-log';
import { streamsService, type CallCounts, type LiveCall } from './streams-service';

export interface EventStoreDbTestDoubleOptions {
  /**
   * Advertise and serve `Streams.BatchAppend` (default true), as EventStoreDB does since 21.10:
   * the client then appends through it. False plays an older server: the client falls back to
   * the unary `Streams.Append`, and `BatchAppend` answers UNIMPLEMENTED.
   */
  readonly batchAppend?: boolean;
}

export interface EventStoreDbTestDouble {
  /** `esdb://127.0.0.1:PORT?tls=false` */
  readonly connectionString: string;
  /** Cuts every live streaming call (subscriptions, batch appends) and closes the HTTP/2 connections. */
  dropConnections(): Promise<void>;
  /** Calls served per Streams RPC (`Read`, `Append`, `BatchAppend`) and `Read/subscription`. */
  callsTo(rpc: string): number;
  /** Writes a `$`-typed event as EventStoreDB does on its own (statistics…), to test filtering. */
  appendSystemEvent(): Promise<void>;
  stop(): Promise<void>;
}

const STREAMS = 'event_store.client.streams.Streams';
const SERVER_VERSION = '0.0.0-jalon-test-double';
/** Stands for the node's statistics stream, which a real EventStoreDB writes to every 30 s. */
const STATS_STREAM = '$stats-127.0.0.1:2113';

export async function startEventStoreDbTestDouble(options: EventStoreDbTestDoubleOptions = {}): Promise<EventStoreDbTestDouble> {
  const batchAppend = options.batchAppend ?? true;
  const log = new InMemoryLog();
  seedSystemEvents(log);
  const liveCalls = new Set<LiveCall>();
  const counts: CallCounts = new Map();

  const server = new Server();
  server.addService(StreamsService, streamsService(log, liveCalls, batchAppend, counts));
  server.addService(ServerFeaturesService, {
    getSupportedMethods: (_call: ServerUnaryCall<Empty, SupportedMethods>, callback: sendUnaryData<SupportedMethods>) =>
      callback(null, supportedMethods(batchAppend)),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
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
    async appendSystemEvent() {
      log.appendSystemEvent(STATS_STREAM, '$statistics-collected', { 'proc-id': process.pid });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      liveCalls.clear();
      server.forceShutdown();
    },
  };
}

/** A fresh EventStoreDB already holds a few system events: reads of `$all` must skip them. */
function seedSystemEvents(log: InMemoryLog): void {
  log.appendSystemEvent('$$$stats-127.0.0.1:2113', '$metadata', { $maxAge: 86_400 });
  log.appendSystemEvent('$settings', '$settings', { $userStreamAcl: { $r: '$all' } });
  log.appendSystemEvent('$user-admin', '$user', { loginName: 'admin', fullName: 'Event Store Administrator' });
  log.appendSystemEvent(STATS_STREAM, '$statistics-collected', { 'proc-id': process.pid });
}

function supportedMethods(batchAppend: boolean): SupportedMethods {
  const method = (name: string): SupportedMethod => new SupportedMethod().setServiceName(STREAMS).setMethodName(name);
  const methods = [method('Read'), method('Append'), ...(batchAppend ? [method('BatchAppend')] : [])];
  return new SupportedMethods().setEventStoreServerVersion(SERVER_VERSION).setMethodsList(methods);
}
