import { Decider, DomainError } from '../shared';

/**
 * Given-When-Then for deciders: `given(past events).when(command).then(new events)`.
 * Uses Jest's global `expect`; only imported by `*.spec.ts` files.
 */
export function specificationFor<C, E, S>(decider: Decider<C, E, S>) {
  return {
    given(events: readonly E[]) {
      return {
        when(command: C) {
          const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
          return {
            then(expected: readonly E[]) {
              expect(run()).toEqual(expected);
            },
            /** The command is a repeat that changes nothing: no event, no error. */
            thenNothingHappens() {
              expect(run()).toEqual([]);
            },
            thenThrows(code: string, kind?: DomainError['kind']) {
              let error: unknown;
              try {
                run();
              } catch (caught) {
                error = caught;
              }
              expect(error).toBeInstanceOf(DomainError);
              expect((error as DomainError).code).toBe(code);
              if (kind) expect((error as DomainError).kind).toBe(kind);
            },
          };
        },
      };
    },
  };
}
