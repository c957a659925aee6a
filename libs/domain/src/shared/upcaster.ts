/**
 * Reads the data of one event type stored at schema version `from` as version `from + 1`
 * (docs/decisions/0011). Pure: what the older shape lacks comes from `history`, what the earlier
 * events of the same stream tell (the expenditure a reversal undoes, the release it cancels…).
 * The reading function (`events/event-reader.ts`) gathers that history only when
 * `needsHistory(data)` says the stored data lacks it, which a store with no old event never asks.
 */
export interface Upcaster<Type extends string, Old, New, History> {
  readonly type: Type;
  readonly from: number;
  /** Whether `data` lacks what only the stream's earlier events tell. When false, `upcast` ignores `history`. */
  needsHistory(data: Old): boolean;
  upcast(data: Old, history: History): New;
}

/**
 * A stored event that cannot be read at its type's current version: a newer version than this
 * code knows, or an old one whose stream lacks what the upcaster needs (a damaged or truncated
 * stream). Never a business rule: the store itself is in question.
 */
export class EventUpcastError extends Error {
  readonly code = 'EVENT.CANNOT_UPCAST';

  constructor(message: string) {
    super(message);
    this.name = 'EventUpcastError';
  }
}
