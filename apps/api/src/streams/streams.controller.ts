import { Actor, ForbiddenError, InputValidationError, mayReadStream, shownData, StreamNotFoundError } from '@jalon/application';
import { EVENT_STORE } from '@jalon/core';
import { collect, EventStore, StoredEvent } from '@jalon/event-store';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../auth/auth';
import { routeQuery } from '../http/route-query';

const MAX_COUNT = 1000;

/** An event as the API shows it: positions are decimal strings (JSON has no 64-bit integers); no token hash. */
export function eventView(event: StoredEvent) {
  return {
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position.toString(),
    type: event.type,
    version: event.version,
    data: shownData(event.data),
    metadata: event.metadata,
  };
}

/**
 * Audit reads of the raw history: every role reads the programme's streams; users and idempotency
 * records (`identity-*`, `idempotency-*`) are for administrators only, and token hashes are never shown.
 */
@ApiBearerAuth()
@ApiTags('flux')
@Controller('api/streams')
export class StreamsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get(':streamId/events')
  @ApiOperation({ summary: 'Les événements d’un flux (ex. antenna-montbeliard), dans l’ordre' })
  @ApiQuery({ name: 'direction', required: false, enum: ['forwards', 'backwards'] })
  @ApiQuery({ name: 'fromRevision', required: false, type: Number })
  @ApiQuery({ name: 'maxCount', required: false, type: Number, description: `au plus ${MAX_COUNT}` })
  async events(
    @Param('streamId') streamId: string,
    @Query() query: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    if (!mayReadStream(actor.role, streamId)) throw new ForbiddenError(actor.role, `de lire le flux ${streamId}`);
    const { direction = 'forwards', fromRevision, maxCount } = routeQuery(query, ['direction', 'fromRevision', 'maxCount'], 'la lecture d’un flux');
    const violations = [];
    if (direction !== 'forwards' && direction !== 'backwards') {
      violations.push({ field: 'direction', rule: 'isIn', message: 'direction doit valoir forwards ou backwards' });
    }
    // Digits only: `Number` would also read `1e3`, `0x10` and an empty value (as 0).
    const digits = (value: string | undefined) => (value === undefined ? undefined : typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN);
    const from = digits(fromRevision);
    if (from !== undefined && !(Number.isSafeInteger(from) && from >= 0)) {
      violations.push({ field: 'fromRevision', rule: 'isRevision', message: 'fromRevision doit être un entier positif ou nul' });
    }
    const count = digits(maxCount) ?? MAX_COUNT;
    if (!(Number.isSafeInteger(count) && count >= 1 && count <= MAX_COUNT)) {
      violations.push({ field: 'maxCount', rule: 'isCount', message: `maxCount doit être un entier de 1 à ${MAX_COUNT}` });
    }
    if (violations.length > 0) throw new InputValidationError(violations);

    const events: ReturnType<typeof eventView>[] = [];
    const options = { direction: direction as 'forwards' | 'backwards', maxCount: count, ...(from === undefined ? {} : { fromRevision: from }) };
    for await (const event of this.store.readStream(streamId, options)) events.push(eventView(event));
    // Nothing read: past the end of a stream, or no such stream (the store reads both as empty).
    if (events.length === 0 && (await collect(this.store.readStream(streamId, { maxCount: 1 }))).length === 0) throw new StreamNotFoundError(streamId);
    return { streamId, events };
  }
}
