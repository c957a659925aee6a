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
