import type { EventMetadata } from '@jalon/event-store';

/** An event as a projection sees it: what happened, when it took effect, who recorded it, where it sits in the log. */
export interface ProjectedEvent {
  readonly type: string;
  readonly version: number;
  readonly data: Readonly<Record<string, any>>;
  readonly metadata: EventMetadata;
  readonly streamId: string;
  readonly revision: number;
  readonly position: bigint;
}

/**
 * A projection keeps read-model documents up to date from the global log. It is pure: `evolve`
 * gets the current document (or null) and one event, and returns the new document (or null to
 * delete it). Documents are plain JSON (integers of cents, ISO dates), so they can be stored and
 * compared. `keysOf` names the documents an event changes (e.g. `antenna:montbeliard` and
 * `programme`), so the runner loads only those.
 */
export interface Projection<Doc = unknown> {
  /** Stable name, part of the stored read model: `budget`, `phases`… */
  readonly name: string;
  /** Bumped when `evolve` or the document shape changes: the new version is rebuilt beside the old one. */
  readonly version: number;
  /** Event types this projection reads; others only move its checkpoint. */
  readonly handles: readonly string[];
  keysOf(event: ProjectedEvent): readonly string[];
  evolve(doc: Doc | null, event: ProjectedEvent, key: string): Doc | null;
}

/** Read access to one projection's documents, whether live (stored) or replayed (in memory). */
export interface ReadModelView<Doc = unknown> {
  get(key: string): Doc | undefined;
  /** Every document whose key starts with `prefix`, ordered by key. */
  list(prefix: string): Doc[];
}

/** Log order of two positions kept in documents (decimal strings of bigints): the shorter is the smaller, then by text. */
export function comparePositions(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

export function projectionId(projection: Pick<Projection, 'name' | 'version'>): string {
  return `${projection.name}@${projection.version}`;
}

/** Helps TypeScript check a projection's document type. */
export function defineProjection<Doc>(projection: Projection<Doc>): Projection<Doc> {
  return projection;
}
