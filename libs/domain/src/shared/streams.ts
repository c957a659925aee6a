/**
 * Stream names come from here and nowhere else: `<category>-<id>`. A category is part of the
 * stored history, so these strings never change.
 */
export const STREAM_CATEGORIES = [
  'programme',
  'call',
  'candidacy',
  'antenna',
  'budget',
  'funding',
  // Kept by the application beside the domain's streams: users and idempotency records.
  'identity',
  'idempotency',
  // The log's signed seals (docs/decisions/0011).
  'integrity',
  // Facts of the installation as a whole: the one programme it follows (docs/decisions/0061).
  'installation',
] as const;
export type StreamCategory = (typeof STREAM_CATEGORIES)[number];

export function streamIdOf(category: StreamCategory, id: string): string {
  return `${category}-${id}`;
}

/** Splits a stream name back into category and id, or returns undefined for a foreign stream. */
export function parseStreamId(streamId: string): { category: StreamCategory; id: string } | undefined {
  const dash = streamId.indexOf('-');
  if (dash < 0) return undefined;
  const category = streamId.slice(0, dash) as StreamCategory;
  if (!STREAM_CATEGORIES.includes(category)) return undefined;
  return { category, id: streamId.slice(dash + 1) };
}
