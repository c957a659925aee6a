import { EventUpcastError } from '../shared';
import { emptyStreamHistory, evolveStreamHistory, StreamHistory, upcastEvent, VersionedEvent } from '../events/upcasting';

/**
 * Given-When-Then for upcasting: `given(the stream's earlier events, as stored).when(one event as
 * stored).then(the event as read)`. The earlier events are themselves read as the reading function
 * reads them (each upcast with the history before it), then folded. Uses Jest's global `expect`;
 * only imported by `*.spec.ts` files.
 */
export function upcastingSpecification() {
  return {
    given(events: readonly VersionedEvent[]) {
      return {
        when(stored: VersionedEvent) {
          const run = () => {
            let history: StreamHistory = emptyStreamHistory();
            for (const event of events) history = evolveStreamHistory(history, upcastEvent(event, history));
            return upcastEvent(stored, history);
          };
          return {
            then(expected: VersionedEvent) {
              const before = JSON.stringify(stored);
              expect(run()).toEqual(expected);
              // The stored event is never changed: its hash covers it as it was written.
              expect(JSON.stringify(stored)).toBe(before);
            },
            thenCannotBeRead(message: RegExp) {
              let error: unknown;
              try {
                run();
              } catch (caught) {
                error = caught;
              }
              expect(error).toBeInstanceOf(EventUpcastError);
              expect((error as EventUpcastError).code).toBe('EVENT.CANNOT_UPCAST');
              expect((error as EventUpcastError).message).toMatch(message);
            },
          };
        },
      };
    },
  };
}
