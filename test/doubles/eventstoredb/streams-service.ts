/**
 * TEST DOUBLE — the `event_store.client.streams.Streams` gRPC service of the EventStoreDB test
 * double (see README.md): Read (stream, `$all`, `$all` subscription), Append, BatchAppend, with
 * the server's maximum append size and the failures a test can inject into appends.
 * Delete and Tombstone answer UNIMPLEMENTED: the adapter never deletes.
 */
import { randomUUID } from 'node:crypto';
import {
  status,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { UUID } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { appendSizeOf, InvalidPositionError, type InMemoryLog, type LoggedEvent, type ProposedEvent, type StreamFrom } from './in-memory-log';
import {
  appendExpectedVersion,
  appendResponse,
  batchAppendBadRequest,
  batchAppendMaximumAppendSizeExceeded,
  batchAppendNotHandled,
  batchAppendResponse,
  batchAppendTimeout,
  batchExpectedVersion,
  caughtUp,
  checkpoint,
  confirmation,
  connectionLost,
  invalidPositionRead,
  invalidPositionSubscription,
  maximumAppendSizeExceeded,
  notLeader,
  proposedEvent,
  readEvent,
  serverNotReady,
  streamName,
  streamNotFound,
  uuidString,
  writeTimeout,
  type StatusError,
} from './wire';

/** A streaming call that `dropConnections()` can cut. */
export interface LiveCall {
  drop(): Promise<void>;
}

/** EventStoreDB's default filter search window when the client sends `count` (no `max`). */
const DEFAULT_SEARCH_WINDOW = 32;
/** Longest wait for a cut call to flush its status; only reached if the client vanished. */
const DROP_FLUSH_MS = 1_000;

type Options = ReadReq.Options;
const { StreamOptionCase, CountOptionCase, FilterOptionCase, ReadDirection } = ReadReq.Options;

/**
 * Which RPCs were called, and how often: lets tests see which path the client took. Keys are
 * RPC names, plus `Read/subscription` for the Read calls that are `$all` subscriptions.
 */
export type CallCounts = Map<string, number>;

/**
 * A failure injected into the next append (unary or one batch of BatchAppend), answered as
 * EventStoreDB answers it:
 * - `not-leader`: this node is a follower (`NotHandled(NotLeader)` with the leader's address,
 *   here the double's own); nothing written. BatchAppend ends its whole call with it.
 * - `not-ready`: `NotHandled(NotReady)` ("Server Is Not Ready"), as during an election; nothing written.
 * - `timeout-before-commit`: a write timeout; nothing written (the request expired before the
 *   storage writer took it, or the leader lost it).
 * - `timeout-after-commit`: the batch is written, then the write timeout is answered.
 * - `timeout-not-replicated`: the batch is written on the leader's log but not yet replicated, and
 *   the write timeout is answered (the cluster did not acknowledge it within `CommitTimeoutMs`).
 *   Reads and subscriptions do not show it until the double's `replicate()` (or the next write
 *   that is replicated); meanwhile the same ids sent again are dropped by the server
 *   (`IdempotentNotReady`), which answers the write timeout again, and another batch expecting a
 *   revision before it is a wrong expected version whose current revision reads do not show yet.
 * - `unavailable-after-commit`: the batch is written, then the call is cut (UNAVAILABLE).
 *
 * Every write timeout is answered as EventStoreDB 24.10 and KurrentDB 25 answer an append's
 * (`WriteEvents` waits for no prepare, only for the commit): "Commit phase timeout.".
 */
export type AppendFault =
  | 'not-leader'
  | 'not-ready'
  | 'timeout-before-commit'
  | 'timeout-after-commit'
  | 'timeout-not-replicated'
  | 'unavailable-after-commit';

export interface StreamsServiceOptions {
  readonly log: InMemoryLog;
  readonly liveCalls: Set<LiveCall>;
  readonly batchAppend: boolean;
  readonly counts: CallCounts;
  /** Bytes, counted as EventStoreDB does (`appendSizeOf`): larger appends are refused. */
  readonly maxAppendSize: number;
  /** Consumed one per append, in order. */
  readonly faults: AppendFault[];
  /** What a `not-leader` answer names as the leader. */
  readonly leader: { readonly host: string; readonly port: number };
}

export function streamsService(options: StreamsServiceOptions): UntypedServiceImplementation {
  const { log, liveCalls, batchAppend, counts } = options;
  const count = (rpc: string): void => void counts.set(rpc, (counts.get(rpc) ?? 0) + 1);
  return {
    read: (call: ServerWritableStream<ReadReq, ReadResp>) => {
      count('Read');
      read(log, liveCalls, counts, call);
    },
    append: (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>) => {
      count('Append');
      append(options, call, callback);
    },
    batchAppend: (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => {
      count('BatchAppend');
      if (batchAppend) batchAppendCall(options, call);
      else call.emit('error', { code: status.UNIMPLEMENTED, details: 'BatchAppend is switched off in this test double' });
    },
    delete: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => unimplemented(callback, 'Delete'),
    tombstone: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) =>
      unimplemented(callback, 'Tombstone'),
  };
}

function unimplemented(callback: sendUnaryData<unknown>, rpc: string): void {
  callback({ code: status.UNIMPLEMENTED, details: `${rpc} is not implemented by the EventStoreDB test double` });
}

function refuse(call: ServerWritableStream<ReadReq, ReadResp>, code: status, details: string): void {
  call.emit('error', { code, details });
}

function read(log: InMemoryLog, liveCalls: Set<LiveCall>, counts: CallCounts, call: ServerWritableStream<ReadReq, ReadResp>): void {
  const options = call.request.getOptions();
  if (!options) return refuse(call, status.INVALID_ARGUMENT, 'ReadReq.options is required');
  if (options.getUuidOption()?.getContentCase() !== ReadReq.Options.UUIDOption.ContentCase.STRING) {
    return refuse(call, status.UNIMPLEMENTED, 'only uuid_option.string is implemented by the test double');
  }
  const subscription = options.getCountOptionCase() === CountOptionCase.SUBSCRIPTION;
  const filtered = options.getFilterOptionCase() === FilterOptionCase.FILTER;
  const direction = options.getReadDirection() === ReadDirection.BACKWARDS ? 'backwards' : 'forwards';

  if (options.getStreamOptionCase() === StreamOptionCase.STREAM) {
    if (subscription || filtered) return refuse(call, status.UNIMPLEMENTED, 'stream subscriptions are not implemented');
    const stream = options.getStream()!;
    const streamId = streamName(stream.getStreamIdentifier());
    const from: StreamFrom = stream.hasRevision() ? BigInt(stream.getRevision()) : stream.hasEnd() ? 'end' : 'start';
    const events = log.readStream(streamId, from, direction, BigInt(options.getCount()));
    if (events === undefined) call.write(streamNotFound(streamId));
    else for (const event of events) call.write(readEvent(event));
    call.end();
    return;
  }

  const all = options.getAll();
  if (!all) return refuse(call, status.INVALID_ARGUMENT, 'ReadReq.options needs stream or all');
  const from: StreamFrom = all.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : all.hasEnd() ? 'end' : 'start';
  if (subscription) {
    counts.set('Read/subscription', (counts.get('Read/subscription') ?? 0) + 1);
    return subscribeToAll(log, liveCalls, call, options, from);
  }
  if (filtered) return refuse(call, status.UNIMPLEMENTED, 'filtered reads of $all are not implemented');
  let events: LoggedEvent[];
  try {
    events = log.readAll(from, direction, BigInt(options.getCount()));
  } catch (error) {
    if (error instanceof InvalidPositionError) return void call.emit('error', invalidPositionRead());
    throw error;
  }
  for (const event of events) call.write(readEvent(event));
  call.end();
}

/**
 * Confirmation, catch-up strictly after the start position, CaughtUp, then live events. The
 * catch-up and the live registration happen in one synchronous step, so no append can slip
 * between them. Filtered subscriptions send a checkpoint every `multiplier × window` events
 * considered (filtered out or not), with the position of the last one, like EventStoreDB.
 */
function subscribeToAll(
  log: InMemoryLog,
  liveCalls: Set<LiveCall>,
  call: ServerWritableStream<ReadReq, ReadResp>,
  options: Options,
  from: StreamFrom,
): void {
  const filterOptions = options.getFilterOptionCase() === FilterOptionCase.FILTER ? options.getFilter() : undefined;
  let accepts: (event: LoggedEvent) => boolean;
  try {
    accepts = eventFilter(filterOptions);
  } catch (error) {
    return refuse(call, status.INVALID_ARGUMENT, (error as Error).message);
  }
  const window = filterOptions?.hasMax() ? filterOptions.getMax() : DEFAULT_SEARCH_WINDOW;
  const checkpointEvery = filterOptions ? Math.max(1, filterOptions.getCheckpointintervalmultiplier()) * window : 0;
  let considered = 0;

  const deliver = (event: LoggedEvent): void => {
    if (call.cancelled || call.writableEnded) return;
    if (accepts(event)) call.write(readEvent(event));
    considered += 1;
    if (checkpointEvery > 0 && considered >= checkpointEvery) {
      considered = 0;
      call.write(checkpoint(event.position));
    }
  };

  call.write(confirmation(randomUUID()));
  let past: LoggedEvent[] = [];
  try {
    if (from !== 'end') past = log.eventsAfter(from === 'start' ? undefined : from);
  } catch (error) {
    // EventStoreDB confirms the subscription, then its catch-up read fails.
    if (error instanceof InvalidPositionError) return void call.emit('error', invalidPositionSubscription());
    throw error;
  }
  for (const event of past) deliver(event);
  call.write(caughtUp());
  const stopListening = log.onAppended(deliver);

  const live: LiveCall = {
    drop: () => {
      forget();
      return cut(call);
    },
  };
  const forget = (): void => {
    stopListening();
    liveCalls.delete(live);
  };
  liveCalls.add(live);
  call.on('cancelled', forget);
  call.on('close', forget);
}

/** Event-type or stream-name filter, by regex or prefixes; none means everything. */
function eventFilter(filter: ReadReq.Options.FilterOptions | undefined): (event: LoggedEvent) => boolean {
  if (!filter) return () => true;
  const byType = filter.getFilterCase() === ReadReq.Options.FilterOptions.FilterCase.EVENT_TYPE;
  const expression = byType ? filter.getEventType() : filter.getStreamIdentifier();
  if (!expression) throw new Error('filter expression is required');
  const field = (event: LoggedEvent): string => (byType ? event.type : event.streamId);
  const regex = expression.getRegex();
  if (regex) {
    const pattern = new RegExp(regex);
    return (event) => pattern.test(field(event));
  }
  const prefixes = expression.getPrefixList();
  return (event) => prefixes.some((prefix) => field(event).startsWith(prefix));
}

/**
 * Unary `Append`: options, then events, each counted against the maximum append size as it
 * arrives (EventStoreDB refuses as soon as the total passes it, before writing anything).
 */
function append(
  options: StreamsServiceOptions,
  call: ServerReadableStream<AppendReq, AppendResp>,
  callback: sendUnaryData<AppendResp>,
): void {
  const { log, maxAppendSize } = options;
  let appendOptions: AppendReq.Options | undefined;
  const proposed: ProposedEvent[] = [];
  let size = 0;
  let malformed: string | undefined;
  let answered = false;
  const answer = (error: StatusError | null, response?: AppendResp): void => {
    if (answered) return;
    answered = true;
    if (error) callback(error);
    else callback(null, response);
  };
  call.on('data', (request: AppendReq) => {
    if (answered) return;
    try {
      if (request.hasOptions()) appendOptions = request.getOptions();
      else if (request.hasProposedMessage()) {
        const event = proposedEvent(request.getProposedMessage()!);
        size += appendSizeOf(event);
        if (size > maxAppendSize) return answer(maximumAppendSizeExceeded(maxAppendSize));
        proposed.push(event);
      }
    } catch (error) {
      malformed ??= (error as Error).message;
    }
  });
  call.on('end', () => {
    if (answered) return;
    if (!appendOptions) return answer({ code: status.INVALID_ARGUMENT, details: 'the first AppendReq must carry the options' });
    if (malformed) return answer({ code: status.INVALID_ARGUMENT, details: malformed });
    const expected = appendExpectedVersion(appendOptions);
    const fault = options.faults.shift();
    if (fault === 'not-leader') return answer(notLeader(options.leader.host, options.leader.port));
    if (fault === 'not-ready') return answer(serverNotReady());
    if (fault === 'timeout-before-commit') return answer(writeTimeout());
    const outcome = log.append(streamName(appendOptions.getStreamIdentifier()), expected, proposed, { replicated: fault !== 'timeout-not-replicated' });
    if (fault === 'timeout-after-commit' || fault === 'timeout-not-replicated') return answer(writeTimeout());
    if (fault === 'unavailable-after-commit') return answer(connectionLost());
    // The server drops the write and its request manager times out (see `AppendFault`).
    if (outcome.kind === 'idempotent_not_ready') return answer(writeTimeout());
    answer(null, appendResponse(outcome, expected));
  });
  // A client that goes away mid-append simply leaves nothing written.
  call.on('error', () => undefined);
}

interface PendingBatch {
  readonly correlationId: UUID;
  readonly streamId: string;
  readonly options: BatchAppendReq.Options;
  readonly events: ProposedEvent[];
  size: number;
  malformed?: string;
}

/**
 * One long-lived bidirectional call per client connection: requests are grouped by correlation
 * id until `is_final`, then written atomically, and every outcome (failures included) comes back
 * as a response on the same call, never as a gRPC error status — except `NotLeader`, which
 * EventStoreDB throws from its response callback and so ends the whole call with that status.
 * A batch that passes the maximum append size is answered at once and forgotten: its later
 * requests are ignored, as the server does.
 */
function batchAppendCall(service: StreamsServiceOptions, call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
  const { log, liveCalls, maxAppendSize, faults, leader } = service;
  const pending = new Map<string, PendingBatch>();
  const live: LiveCall = {
    drop: () => {
      liveCalls.delete(live);
      return cut(call);
    },
  };
  liveCalls.add(live);

  call.on('data', (request: BatchAppendReq) => {
    const correlationId = request.getCorrelationId();
    if (!correlationId) return;
    let key: string;
    try {
      key = uuidString(correlationId);
    } catch {
      return;
    }
    const options = request.getOptions();
    if (options) {
      pending.set(key, { correlationId, streamId: streamName(options.getStreamIdentifier()), options, events: [], size: 0 });
    }
    const batch = pending.get(key);
    if (!batch) return;
    try {
      for (const message of request.getProposedMessagesList()) {
        const event = proposedEvent(message);
        batch.size += appendSizeOf(event);
        batch.events.push(event);
      }
    } catch (error) {
      batch.malformed ??= (error as Error).message;
    }
    if (batch.size > maxAppendSize) {
      pending.delete(key);
      call.write(batchAppendMaximumAppendSizeExceeded(batch.correlationId, batch.streamId, maxAppendSize));
      return;
    }
    if (!request.getIsFinal()) return;
    pending.delete(key);
    if (batch.malformed) {
      call.write(batchAppendBadRequest(batch.correlationId, batch.streamId, batch.malformed));
      return;
    }
    const expected = batchExpectedVersion(batch.options);
    const fault = faults.shift();
    if (fault === 'not-leader') {
      liveCalls.delete(live);
      void cut(call, notLeader(leader.host, leader.port));
      return;
    }
    if (fault === 'not-ready') return void call.write(batchAppendNotHandled(batch.correlationId, batch.streamId, 'Server Is Not Ready'));
    if (fault === 'timeout-before-commit') return void call.write(batchAppendTimeout(batch.correlationId, batch.streamId));
    const outcome = log.append(batch.streamId, expected, batch.events, { replicated: fault !== 'timeout-not-replicated' });
    if (fault === 'timeout-after-commit' || fault === 'timeout-not-replicated' || outcome.kind === 'idempotent_not_ready') {
      return void call.write(batchAppendTimeout(batch.correlationId, batch.streamId));
    }
    if (fault === 'unavailable-after-commit') {
      liveCalls.delete(live);
      void cut(call);
      return;
    }
    call.write(batchAppendResponse(batch.correlationId, batch.streamId, outcome, expected));
  });
  call.on('end', () => {
    liveCalls.delete(live);
    if (!call.writableEnded) call.end();
  });
  call.on('cancelled', () => liveCalls.delete(live));
  call.on('close', () => liveCalls.delete(live));
}

/** Ends a call with `error` (by default UNAVAILABLE, as a client sees a connection that died under it). */
function cut(
  call: ServerWritableStream<ReadReq, ReadResp> | ServerDuplexStream<BatchAppendReq, BatchAppendResp>,
  error: StatusError = connectionLost(),
): Promise<void> {
  if (call.cancelled || call.writableFinished) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, DROP_FLUSH_MS);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    call.once('finish', done);
    call.once('close', done);
    call.emit('error', error);
  });
}
