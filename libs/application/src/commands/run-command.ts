import { DomainError, VersionedEventType } from '@jalon/domain';
import { CommandDefinition } from '../command-handling/command-definition';
import { CommandExecutor, CommandResult, ExecuteOptions } from '../command-handling/command-executor';
import { ForbiddenError } from '../errors';
import { Actor } from '../identity/roles';
import { timeOrderedIds, uuidFromSeed } from '../ports';
import { assignCandidacyAntenna } from './antenna.commands';
import { registerCallCandidacy } from './candidacy.commands';
import { commandNamed } from './catalogue';
import { attachFundingAgreement } from './funding.commands';
import { claimProgramme } from './programme.commands';

/**
 * Runs a command of the catalogue by name: what every entry point (HTTP, dashboard, CLI, demo)
 * sends. Most commands decide on one stream and go straight through the executor; the few whose
 * rule spans two streams run as steps, each through the same executor, each guarded by its own
 * stream's expected revision.
 */
export function runCommand(executor: CommandExecutor, name: string, input: unknown, actor: Actor, options: ExecuteOptions = {}): Promise<CommandResult> {
  const steps = Object.hasOwn(CLAIMED_FIRST, name) ? CLAIMED_FIRST[name] : undefined;
  return steps ? claimThenRun(executor, steps, name, input, actor, options) : executor.execute(commandNamed(name), input, actor, options);
}

/**
 * Commands whose rule spans two streams, run as two steps (decision 0012): first a claim on the
 * stream that must know of the fact (the candidacy knows its antenna, the antenna its funding
 * agreements), guarded by that stream's expected revision, then the command itself on its own
 * stream, whose decider checks that the claim is there. The claim takes the command's own input. If
 * the second step fails (a crash, a lost connection), the same command again completes it: the
 * same claim again is a no-op. `fact`: the event the command itself records, which a refusal the
 * claim gives for the command's own date names (see {@link namingTheFact}).
 */
const CLAIMED_FIRST: Readonly<Record<string, { readonly claim: CommandDefinition; readonly fact: VersionedEventType }>> = {
  // One selected candidacy opens one antenna (0012).
  OpenAntenna: { claim: assignCandidacyAntenna, fact: 'AntennaOpened' },
  // A call knows the candidacies it received, and closes after them (0062).
  SubmitCandidacy: { claim: registerCallCandidacy, fact: 'CandidacySubmitted' },
  // An antenna knows its funding agreements, so that its closing follows their facts (0060).
  CommitFunding: { claim: attachFundingAgreement, fact: 'FundingCommitted' },
  // An installation follows one programme (0061).
  LaunchProgramme: { claim: claimProgramme, fact: 'ProgrammeLaunched' },
};

async function claimThenRun(
  executor: CommandExecutor,
  steps: (typeof CLAIMED_FIRST)[string],
  name: string,
  input: unknown,
  actor: Actor,
  options: ExecuteOptions,
): Promise<CommandResult> {
  // The command the user sent is the one they may not run: never its first step, which they do not know.
  const command = commandNamed(name);
  if (!command.roles.includes(actor.role)) throw new ForbiddenError(actor.role, `la commande ${name}`);
  // A revision pinned by the client (`If-Match`) is the route's stream's: the second step's,
  // checked before the first step writes anything.
  await executor.assertPinHolds(command, input, options);
  const { expectedRevision: _routeRevision, eventIdSeed, ...shared } = options;
  // Both steps are one request: one correlation id, stable under a retry with the same seed.
  const correlationId = options.correlationId ?? (eventIdSeed ? uuidFromSeed(`${eventIdSeed}:correlation`) : timeOrderedIds.uuid());
  const claim = await executor
    .execute(steps.claim, input, actor, {
      ...shared,
      correlationId,
      ...(eventIdSeed ? { eventIdSeed: `${eventIdSeed}:claim` } : {}),
    })
    .catch((error: unknown) => {
      throw namingTheFact(error, steps.fact);
    });
  const result = await executor.execute(command, input, actor, { ...options, correlationId });
  // One request, one answer: what both steps wrote, the claim's events first. The position is the
  // last one written (the claim's alone when a fact recorded before its claim existed has nothing
  // left to record once claimed); the revision, for If-Match, is the command's own stream's.
  return {
    ...result,
    written: result.written || claim.written,
    position: result.written ? result.position : claim.written ? claim.position : result.position,
    events: [...claim.events, ...result.events],
  };
}

/**
 * The claim takes the command's own date, and is decided first: a date after today is refused
 * there (EVENT.EFFECTIVE_DATE_IN_FUTURE), before the fact is decided. The refusal names the fact
 * the user sent (`details.eventType`), never the claim, a step they do not know; nothing was written.
 */
function namingTheFact(error: unknown, fact: VersionedEventType): unknown {
  if (!(error instanceof DomainError) || error.code !== 'EVENT.EFFECTIVE_DATE_IN_FUTURE') return error;
  return new DomainError(error.code, error.kind, error.message, { ...error.details, eventType: fact });
}
