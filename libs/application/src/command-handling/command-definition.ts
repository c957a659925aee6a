import { Decider, Message } from '@jalon/domain';
import { Role } from '../identity/roles';

/** Loads the current state of any stream, so a definition can hand another stream's view to its decider. */
export interface StateLoader {
  state<S>(decider: Decider<any, any, S>, streamId: string): Promise<S>;
  /**
   * The first event of `type` in the whole log, read at its current version, or undefined. Only
   * for what no stream can tell: a programme launched before the installation's registry existed
   * (docs/decisions/0061). It scans the log up to that event, and is not a look-up the append
   * guards (no stream revision stands for it).
   */
  firstOfType(type: string): Promise<Message | undefined>;
}

/**
 * Everything that differs from one command to another, as data: the input it accepts, who may
 * run it, which stream it decides on, what it must know of other streams, and its decider.
 * The one generic path (CommandExecutor) does the rest.
 */
export interface CommandDefinition<Input extends object = any, C extends Message = any, E extends Message = any, S = any, Ctx = any> {
  /** Stable name: used in routes, logs and the OpenAPI document. */
  readonly name: string;
  /** Short French description for the API documentation. */
  readonly summary: string;
  /**
   * class-validator DTO of the input (route parameters and body together): the one declaration of
   * the input. What reaches `streamId`, `loadContext` and `toCommand` is plain JSON data that
   * satisfies it (a copy, what an event stores), never an instance of the class.
   */
  readonly input: new () => Input;
  readonly roles: readonly Role[];
  readonly decider: Decider<C, E, S>;
  readonly streamId: (input: Input) => string;
  /** Look-ups of other streams (as views), loaded before `decide`. */
  readonly loadContext?: (input: Input, loader: StateLoader) => Promise<Ctx>;
  readonly toCommand: (input: Input, context: Ctx) => C;
}

/** Helps TypeScript infer a definition's type parameters from the object literal. */
export function defineCommand<Input extends object, C extends Message, E extends Message, S, Ctx = undefined>(
  definition: CommandDefinition<Input, C, E, S, Ctx>,
): CommandDefinition<Input, C, E, S, Ctx> {
  return definition;
}
