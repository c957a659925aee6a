import { DomainError } from './domain-error';

/**
 * A decider (Jérémie Chassaing): `decide` turns a command and the current state into the events
 * that record what happened; `evolve` folds one event into the state. Both are pure: time, ids
 * and look-ups of other streams arrive inside the command's data.
 *
 * A command that changes nothing returns `[]` (idempotence); only a broken rule throws a
 * {@link DomainError}.
 */
export interface Decider<Command, Event, State> {
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

/** The shape every domain event and command shares: a stable type string and its data. */
export interface Message<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export function fold<E, S>(decider: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>, events: Iterable<E>): S {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

/** Exhaustiveness check for `switch` statements over unions: adding a case without handling it fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

/**
 * Several commands of one stream decided as one decision (a spreadsheet of expenditures): each is
 * decided on the state the previous ones left, and their events are appended together or not at
 * all. `field` names the list in the input (`expenditures`), so that a refusal names its item.
 */
export interface CommandBatch<C> extends Message<'CommandBatch', { readonly field: string; readonly commands: readonly C[] }> {}

/** A command of a batch that was refused, by its place in the batch. */
export interface BatchRefusal {
  readonly index: number;
  readonly error: DomainError;
}

/**
 * Decides each command in order on the state the previous accepted ones left; a refused command
 * leaves the state as it was and the others are still decided, so that every refusal is known at
 * once (a dry run lists them all). `check` judges each command's events too (e.g. not in the future).
 */
export function decideEach<C, E, S>(
  decider: Decider<C, E, S>,
  commands: readonly C[],
  state: S,
  check: (events: readonly E[]) => void = () => undefined,
): { readonly events: E[]; readonly decided: readonly (readonly E[])[]; readonly refusals: BatchRefusal[]; readonly state: S } {
  const events: E[] = [];
  const decided: (readonly E[])[] = [];
  const refusals: BatchRefusal[] = [];
  let current = state;
  commands.forEach((command, index) => {
    try {
      const own = decider.decide(command, current);
      check(own);
      current = own.reduce(decider.evolve, current);
      events.push(...own);
      decided.push(own);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refusals.push({ index, error });
      decided.push([]);
    }
  });
  return { events, decided, refusals, state: current };
}

/**
 * The decider of a {@link CommandBatch} of `decider`'s commands: all their events, or the first
 * refusal, its `field` prefixed with the item's place (`expenditures[3].amountCents`).
 */
export function batchDecider<C, E, S>(decider: Decider<C, E, S>): Decider<CommandBatch<C>, E, S> {
  return {
    decide: (batch, state) => {
      const { events, refusals } = decideEach(decider, batch.data.commands, state);
      const first = refusals[0];
      if (first === undefined) return events;
      const { error, index } = first;
      const item = `${batch.data.field}[${index}]`;
      const field = typeof error.details.field === 'string' ? `${item}.${error.details.field}` : item;
      throw new DomainError(error.code, error.kind, `${item}: ${error.message}`, { ...error.details, field, index });
    },
    evolve: decider.evolve,
    initialState: decider.initialState,
  };
}
