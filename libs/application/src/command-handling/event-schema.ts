/**
 * Schema version of each event type's data. A type not listed is at version 1. When the shape
 * of an event's data changes, its version goes up here and readers upcast older versions.
 */
const SCHEMA_VERSIONS: Readonly<Record<string, number>> = {};

export function schemaVersionOf(type: string): number {
  return SCHEMA_VERSIONS[type] ?? 1;
}
