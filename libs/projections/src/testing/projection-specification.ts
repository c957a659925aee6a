import { ProjectedEvent, Projection } from '../projection';
import { InMemoryReadModel } from '../runner/in-memory-read-model';

let position = 0n;

/** A ProjectedEvent for specs: only type and data matter, the rest gets plausible defaults. */
export function projected(
  type: string,
  data: Record<string, unknown>,
  overrides: Partial<Omit<ProjectedEvent, 'type' | 'data'>> & { recordedAt?: string; actor?: string; role?: string; reason?: string } = {},
): ProjectedEvent {
  const { recordedAt, actor, role, reason, ...rest } = overrides;
  position += 1n;
  return {
    type,
    version: 1,
    data,
    streamId: 'spec-stream',
    revision: 0,
    position,
    metadata: {
      actor: actor ?? 'claire',
      actorName: 'Claire Martin',
      role: role ?? 'programme-manager',
      correlationId: 'c',
      causationId: 'c',
      recordedAt: recordedAt ?? '2026-01-15T10:00:00.000Z',
      ...(reason ? { reason } : {}),
    },
    ...rest,
  };
}

/** Given events, the read model a projection builds from them (in log order). */
export function project<Doc>(projection: Projection<Doc>, events: readonly ProjectedEvent[]): InMemoryReadModel<Doc> {
  const model = new InMemoryReadModel(projection);
  for (const event of events) model.apply(event);
  return model;
}
