/**
 * Child process for the idempotency crash test (run through ./register-ts.js).
 *
 *   keyed <file> <key>
 *     sends one programme launch under the Idempotency-Key `key` through the real command path (its
 *     two steps, docs/decisions/0061),
 *     prints the result as one JSON line once the append is durable, then waits to be killed: the
 *     parent SIGKILLs it before it could answer anyone or write anything else.
 */
import 'reflect-metadata';
import { writeSync } from 'node:fs';
import { CommandExecutor, IdempotencyService, runCommand, timeOrderedIds } from '../../libs/application/src';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite';
import { PROGRAMME_LAUNCH } from './programme-launch';

export const KEYED_ACTOR = { id: 'claire', name: 'Claire Martin', role: 'programme-manager' } as const;
export const KEYED_LAUNCH = { ...PROGRAMME_LAUNCH, programmeId: 'acdt' };

async function keyed(file: string, key: string): Promise<void> {
  const store = SqliteEventStore.open({ file });
  const executor = new CommandExecutor({ store, clock: { now: () => new Date() }, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
  const { result } = await new IdempotencyService(store).run(KEYED_ACTOR, key, { command: 'LaunchProgramme', input: KEYED_LAUNCH }, (options) =>
    runCommand(executor, 'LaunchProgramme', KEYED_LAUNCH, KEYED_ACTOR, options),
  );
  writeSync(1, `${JSON.stringify(result)}\n`);
  setInterval(() => undefined, 1_000);
}

if (require.main === module) {
  const [mode, file, key] = process.argv.slice(2);
  if (mode !== 'keyed' || !file || !key) {
    process.stderr.write('usage: keyed <file> <key>\n');
    process.exit(2);
  }
  void keyed(file, key);
}
