import { CommandExecutor, CommandResult, ExecuteOptions } from '../command-handling/command-executor';
import { Actor } from '../identity/roles';
import { timeOrderedIds, uuidFromSeed } from '../ports';
import { assignCandidacyAntenna } from './antenna.commands';
import { commandNamed } from './catalogue';

type MultiStreamCommand = (executor: CommandExecutor, input: unknown, actor: Actor, options: ExecuteOptions) => Promise<CommandResult>;

/**
 * Runs a command of the catalogue by name: what every entry point (HTTP, dashboard, CLI, demo)
 * sends. Most commands decide on one stream and go straight through the executor; the few whose
 * rule spans two streams run as steps, each through the same executor, each guarded by its own
 * stream's expected revision.
 */
export function runCommand(executor: CommandExecutor, name: string, input: unknown, actor: Actor, options: ExecuteOptions = {}): Promise<CommandResult> {
  const steps = Object.hasOwn(MULTI_STREAM, name) ? MULTI_STREAM[name] : undefined;
  return steps ? steps(executor, input, actor, options) : executor.execute(commandNamed(name), input, actor, options);
}

/**
 * One selected candidacy opens one antenna (docs/decisions/0012-one-antenna-per-candidacy.md):
 * the antenna is first claimed on the candidacy's stream, then opened on its own. If the second
 * step fails (a crash, a lost connection), the same command again completes the opening. A revision
 * pinned by the client (`If-Match`) is the antenna stream's, the route's stream.
 */
async function openAntenna(executor: CommandExecutor, input: unknown, actor: Actor, options: ExecuteOptions): Promise<CommandResult> {
  const { expectedRevision: _antennaRevision, eventIdSeed, ...shared } = options;
  // Both steps are one request: one correlation id, stable under a retry with the same seed.
  const correlationId = options.correlationId ?? (eventIdSeed ? uuidFromSeed(`${eventIdSeed}:correlation`) : timeOrderedIds.uuid());
  const claim = await executor.execute(assignCandidacyAntenna, input, actor, {
    ...shared,
    correlationId,
    ...(eventIdSeed ? { eventIdSeed: `${eventIdSeed}:claim` } : {}),
  });
  const opening = await executor.execute(commandNamed('OpenAntenna'), input, actor, { ...options, correlationId });
  // Only an antenna opened before claims existed has nothing left to open once claimed.
  if (!opening.written && claim.written) return { ...opening, written: true, position: claim.position };
  return opening;
}

const MULTI_STREAM: Readonly<Record<string, MultiStreamCommand>> = { OpenAntenna: openAntenna };
