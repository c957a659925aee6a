import { randomUUID } from 'node:crypto';
import type { EventMetadata, EventToAppend } from '@jalon/event-store';

/** A stream name no other test (or earlier run against a shared store) uses. */
export function uniqueStreamId(prefix = 'contract'): string {
  return `${prefix}-${randomUUID()}`;
}

export function testMetadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    actor: 'user-1',
    role: 'admin',
    correlationId: randomUUID(),
    causationId: randomUUID(),
    recordedAt: '2025-01-15T09:30:00.000Z',
    ...overrides,
  };
}

export function testEvent(overrides: Partial<EventToAppend> = {}): EventToAppend {
  return {
    id: randomUUID(),
    type: 'TestEventRecorded',
    version: 1,
    data: { n: 0 },
    metadata: testMetadata(),
    ...overrides,
  };
}

/** `count` events whose data carries their index (`{ n }`), in order. */
export function testEvents(count: number, type = 'TestEventRecorded'): EventToAppend[] {
  return Array.from({ length: count }, (_, n) => testEvent({ type, data: { n } }));
}
