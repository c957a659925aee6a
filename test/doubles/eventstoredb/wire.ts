/**
 * TEST DOUBLE — protobuf messages of the EventStoreDB test double, built with the client's own
 * generated classes (`@eventstore/db-client/generated`) so that what goes on the wire is exactly
 * what the client decodes from a real server.
 */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as WellKnownEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import {
  AllStreamPosition,
  BadRequest,
  Empty,
  MaximumAppendSizeExceeded,
  StreamIdentifier,
  Timeout,
  UUID,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { ExpectedVersion, LoggedEvent, ProposedEvent, WriteOutcome } from './in-memory-log';

/** What the server answers (it answers no `idempotent_not_ready` write: it drops it). */
type AnsweredOutcome = Exclude<WriteOutcome, { readonly kind: 'idempotent_not_ready' }>;

export function streamIdentifier(streamId: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(new Uint8Array(Buffer.from(streamId, 'utf8')));
}

export function streamName(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

/** Ids travel as strings (the client asks for `uuid_option.string` and sends `UUID.string`). */
export function uuidString(uuid: UUID | undefined): string {
  if (!uuid || uuid.getValueCase() !== UUID.ValueCase.STRING) throw new Error('only string UUIDs are implemented');
  return uuid.getString();
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** EventStoreDB parses every event id into a Guid: anything else is refused. */
export function proposedEvent(message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): ProposedEvent {
  const id = uuidString(message.getId());
  if (!UUID_PATTERN.test(id)) throw new Error(`event id ${id} is not a UUID`);
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (type === undefined || contentType === undefined) throw new Error('required metadata property missing: type, content-type');
  return { id, type, contentType, data: message.getData_asU8(), customMetadata: message.getCustomMetadata_asU8() };
}

export function readEvent(event: LoggedEvent): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(event.id))
    .setStreamIdentifier(streamIdentifier(event.streamId))
    .setStreamRevision(event.revision.toString())
    // Stream reads carry the $all position too since EventStoreDB 22.6.
    .setCommitPosition(event.position.toString())
    .setPreparePosition(event.position.toString())
    .setData(event.data)
    .setCustomMetadata(event.customMetadata);
  recorded
    .getMetadataMap()
    .set('type', event.type)
    .set('content-type', event.contentType)
    .set('created', event.created.toString());
  const read = new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(event.position.toString());
  return new ReadResp().setEvent(read);
}

export function streamNotFound(streamId: string): ReadResp {
  return new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(streamId)));
}

export function confirmation(subscriptionId: string): ReadResp {
  return new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId));
}

export function caughtUp(): ReadResp {
  return new ReadResp().setCaughtUp(new ReadResp.CaughtUp());
}

export function checkpoint(position: bigint): ReadResp {
  const point = new ReadResp.Checkpoint().setCommitPosition(position.toString()).setPreparePosition(position.toString());
  return new ReadResp().setCheckpoint(point);
}

export function appendExpectedVersion(options: AppendReq.Options): ExpectedVersion {
  switch (options.getExpectedStreamRevisionCase()) {
    case AppendReq.Options.ExpectedStreamRevisionCase.REVISION:
      return { kind: 'revision', revision: BigInt(options.getRevision()) };
    case AppendReq.Options.ExpectedStreamRevisionCase.NO_STREAM:
      return { kind: 'no_stream' };
    case AppendReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
}

export function batchExpectedVersion(options: BatchAppendReq.Options): ExpectedVersion {
  switch (options.getExpectedStreamPositionCase()) {
    case BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_POSITION:
      return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
    case BatchAppendReq.Options.ExpectedStreamPositionCase.NO_STREAM:
      return { kind: 'no_stream' };
    case BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
}

/**
 * Unary `Append` answers a wrong expected version in the response body (not as a gRPC error),
 * with the current fields and, like the server, the legacy `*_20_6_0` ones (except the
 * ulong.MaxValue it puts in `expected_revision_20_6_0` for no_stream, which no client reads).
 */
export function appendResponse(outcome: AnsweredOutcome, expected: ExpectedVersion): AppendResp {
  if (outcome.kind === 'wrong_expected_version') {
    const wrong = new AppendResp.WrongExpectedVersion();
    if (outcome.currentRevision < 0n) wrong.setCurrentNoStream(new Empty()).setNoStream2060(new Empty());
    else wrong.setCurrentRevision(outcome.currentRevision.toString()).setCurrentRevision2060(Number(outcome.currentRevision));
    if (expected.kind === 'revision') {
      wrong.setExpectedRevision(expected.revision.toString()).setExpectedRevision2060(Number(expected.revision));
    } else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new Empty());
    else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new Empty()).setStreamExists2060(new Empty());
    else wrong.setExpectedAny(new Empty()).setAny2060(new Empty());
    return new AppendResp().setWrongExpectedVersion(wrong);
  }
  const success = new AppendResp.Success();
  if (outcome.currentRevision < 0n) success.setNoStream(new Empty());
  else success.setCurrentRevision(outcome.currentRevision.toString());
  if (outcome.position === undefined) success.setNoPosition(new Empty());
  else {
    success.setPosition(
      new AppendResp.Position().setCommitPosition(outcome.position.toString()).setPreparePosition(outcome.position.toString()),
    );
  }
  return new AppendResp().setSuccess(success);
}

/**
 * `BatchAppend` answers every failure in band, as a `google.rpc.Status` whose details pack the
 * EventStoreDB error (`event_store.client.WrongExpectedVersion` with code ALREADY_EXISTS…).
 */
export function batchAppendResponse(
  correlationId: UUID,
  streamId: string,
  outcome: AnsweredOutcome,
  expected: ExpectedVersion,
): BatchAppendResp {
  const response = new BatchAppendResp().setCorrelationId(correlationId).setStreamIdentifier(streamIdentifier(streamId));
  if (outcome.kind === 'wrong_expected_version') {
    const details = new WrongExpectedVersion();
    if (outcome.currentRevision < 0n) details.setCurrentNoStream(new WellKnownEmpty());
    else details.setCurrentStreamRevision(outcome.currentRevision.toString());
    if (expected.kind === 'revision') details.setExpectedStreamPosition(expected.revision.toString());
    else if (expected.kind === 'no_stream') details.setExpectedNoStream(new WellKnownEmpty());
    else if (expected.kind === 'stream_exists') details.setExpectedStreamExists(new WellKnownEmpty());
    else details.setExpectedAny(new WellKnownEmpty());
    return response.setError(
      errorStatus(Code.ALREADY_EXISTS, 'WrongExpectedVersion', details.serializeBinary(), 'event_store.client.WrongExpectedVersion'),
    );
  }
  const success = new BatchAppendResp.Success();
  if (outcome.currentRevision < 0n) success.setNoStream(new WellKnownEmpty());
  else success.setCurrentRevision(outcome.currentRevision.toString());
  if (outcome.position === undefined) success.setNoPosition(new WellKnownEmpty());
  else {
    success.setPosition(
      new AllStreamPosition().setCommitPosition(outcome.position.toString()).setPreparePosition(outcome.position.toString()),
    );
  }
  return response.setSuccess(success);
}

export function batchAppendBadRequest(correlationId: UUID, streamId: string, message: string): BatchAppendResp {
  const details = new BadRequest().setMessage(message).serializeBinary();
  return new BatchAppendResp()
    .setCorrelationId(correlationId)
    .setStreamIdentifier(streamIdentifier(streamId))
    .setError(errorStatus(Code.INVALID_ARGUMENT, 'BadRequest', details, 'event_store.client.BadRequest'));
}

function errorStatus(code: Code, message: string, details: Uint8Array, typeName: string): Status {
  const any = new Any();
  any.pack(details, typeName);
  return new Status().setCode(code).setMessage(message).setDetails(any);
}

/**
 * BatchAppend failures that EventStoreDB reports in band (`Google.Rpc.Status` in
 * `Streams.BatchAppend.cs`): the maximum append size, a write timeout, and a request the node did
 * not handle (not ready, too busy), which it packs as an empty message with no code.
 */
export function batchAppendMaximumAppendSizeExceeded(correlationId: UUID, streamId: string, maxAppendSize: number): BatchAppendResp {
  const details = new MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize).serializeBinary();
  return batchAppendError(
    correlationId,
    streamId,
    errorStatus(Code.INVALID_ARGUMENT, 'MaximumAppendSizeExceeded', details, 'event_store.client.MaximumAppendSizeExceeded'),
  );
}

export function batchAppendTimeout(correlationId: UUID, streamId: string): BatchAppendResp {
  const details = new Timeout().serializeBinary();
  return batchAppendError(correlationId, streamId, errorStatus(Code.DEADLINE_EXCEEDED, 'Timeout', details, 'event_store.client.Timeout'));
}

export function batchAppendNotHandled(correlationId: UUID, streamId: string, message: string): BatchAppendResp {
  const any = new Any();
  any.pack(new WellKnownEmpty().serializeBinary(), 'google.protobuf.Empty');
  return batchAppendError(correlationId, streamId, new Status().setMessage(message).setDetails(any));
}

function batchAppendError(correlationId: UUID, streamId: string, error: Status): BatchAppendResp {
  return new BatchAppendResp().setCorrelationId(correlationId).setStreamIdentifier(streamIdentifier(streamId)).setError(error);
}

/** A gRPC error status as EventStoreDB sends it (`RpcExceptions.cs`): code, detail, `exception` metadata. */
export type StatusError = Pick<ServiceError, 'code' | 'details'> & { metadata?: Metadata };

function withMetadata(entries: Record<string, string>): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return metadata;
}

/** `NotHandled(NotLeader)` with the leader's address: the client reconnects there. */
export function notLeader(host: string, port: number): StatusError {
  return {
    code: status.NOT_FOUND,
    details: 'Leader info available',
    metadata: withMetadata({ exception: 'not-leader', 'leader-endpoint-host': host, 'leader-endpoint-port': String(port) }),
  };
}

/** `NotHandled(NotReady)` on a unary call or a read. */
export function serverNotReady(): StatusError {
  return { code: status.UNAVAILABLE, details: 'Server Is Not Ready' };
}

/**
 * A unary append that timed out (the write may have happened, or may still): the request manager
 * of an append waits for no prepare, only for the commit, so its timeout is always the commit's.
 */
export function writeTimeout(): StatusError {
  return { code: status.ABORTED, details: 'Operation timed out: Commit phase timeout.' };
}

export function maximumAppendSizeExceeded(maxAppendSize: number): StatusError {
  return {
    code: status.INVALID_ARGUMENT,
    details: `Maximum Append Size of ${maxAppendSize} Exceeded.`,
    metadata: withMetadata({ exception: 'maximum-append-size-exceeded', 'maximum-append-size': String(maxAppendSize) }),
  };
}

/** A read of `$all` from a position that is not a record: the enumerator's unknown result. */
export function invalidPositionRead(): StatusError {
  return { code: status.UNKNOWN, details: 'Unexpected ReadAllResult: InvalidPosition' };
}

/** A subscription to `$all` whose catch-up starts at a position that is not a record. */
export function invalidPositionSubscription(): StatusError {
  return { code: status.INVALID_ARGUMENT, details: 'Trying to read from an invalid position.' };
}

/** A call cut under the client, as when its connection dies. */
export function connectionLost(): StatusError {
  return { code: status.UNAVAILABLE, details: 'connection dropped by the EventStoreDB test double' };
}
