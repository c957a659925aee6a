import { CommandResult, IdempotencyService, KeyedExecution, canonicalJson } from '@jalon/application';
import { createHash } from 'node:crypto';
import { HistoryStep } from './montbeliard-history';

export interface LoadReport {
  readonly commands: number;
  readonly eventsWritten: number;
  /** Steps already recorded by an earlier run (answered from their idempotency record). */
  readonly alreadyRecorded: number;
}

/**
 * Sends each step through the command path exactly as the API does (the CLI sends on the command bus), each under an idempotency key
 * derived from its content: a second run finds every step already recorded and writes nothing,
 * and a run that stopped half-way resumes where it stopped.
 */
export async function loadHistory(
  steps: readonly HistoryStep[],
  send: (step: HistoryStep, keyed: KeyedExecution) => Promise<CommandResult>,
  idempotency: IdempotencyService,
): Promise<LoadReport> {
  let eventsWritten = 0;
  let alreadyRecorded = 0;
  for (const step of steps) {
    const key = `demo-${createHash('sha256').update(`${step.command}\n${canonicalJson(step.input)}`).digest('hex').slice(0, 32)}`;
    const { result, replayed } = await idempotency.run(step.actor, key, { command: step.command, input: step.input }, (keyed) =>
      send(step, keyed),
    );
    if (replayed) alreadyRecorded++;
    else eventsWritten += result.written ? result.events.length : 0;
  }
  return { commands: steps.length, eventsWritten, alreadyRecorded };
}
