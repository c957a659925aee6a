/**
 * Child process for the embedded store's durability tests (run through ./register-ts.js).
 *
 *   append <file> <streamId> <count> <batchSize> <close|kill>
 *     appends `count` events in batches with expected revision `any`, prints one JSON line
 *     { events, results } (positions as strings), then closes the store and exits, or SIGKILLs
 *     itself: what was acknowledged must survive either way.
 *   crash <file> <streamId> <count>
 *     prints "appending" and appends one batch of `count` events, prints "appended", then waits to
 *     be killed: the parent SIGKILLs it as soon as it reads "appending".
 *   hold <file> <ms>
 *     opens the file with a plain connection, takes its write lock (BEGIN IMMEDIATE), prints
 *     "locked", and lets it go after `ms` milliseconds: another process creating the same file.
 */
import { writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite';
import type { AppendResult, EventToAppend } from '../../libs/event-store/src/event-store.port';
import { testEvent, testMetadata } from './events';

function eventNumber(n: number): EventToAppend {
  return testEvent({
    type: 'ChildEventRecorded',
    version: 2,
    data: { n, title: 'Au cœur des territoires', amount: '786 000,00 €', pid: process.pid, padding: 'x'.repeat(200) },
    metadata: testMetadata({ actorName: 'Élodie', reason: `batch event ${n}` }),
  });
}

async function append(file: string, streamId: string, count: number, batchSize: number, exit: string): Promise<void> {
  const store = SqliteEventStore.open({ file });
  const events: EventToAppend[] = [];
  const results: AppendResult[] = [];
  for (let start = 0; start < count; start += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, count - start) }, (_, i) => eventNumber(start + i));
    results.push(await store.append(streamId, batch, { expectedRevision: 'any' }));
    events.push(...batch);
  }
  const line = JSON.stringify({ events, results }, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  writeSync(1, `${line}\n`);
  if (exit === 'kill') process.kill(process.pid, 'SIGKILL');
  await store.close();
}

async function crash(file: string, streamId: string, count: number): Promise<void> {
  const store = SqliteEventStore.open({ file });
  const batch = Array.from({ length: count }, (_, i) => eventNumber(i));
  // Synchronous write: the append below blocks the event loop until it commits.
  writeSync(1, 'appending\n');
  await store.append(streamId, batch, { expectedRevision: 'no_stream' });
  writeSync(1, 'appended\n');
  setInterval(() => undefined, 1_000);
}

async function hold(file: string, ms: number): Promise<void> {
  const db = new Database(file);
  db.exec('BEGIN IMMEDIATE');
  writeSync(1, 'locked\n');
  await new Promise((resolve) => setTimeout(resolve, ms));
  db.exec('ROLLBACK');
  db.close();
}

const [mode, file, streamId, count, ...rest] = process.argv.slice(2);
const run =
  mode === 'append'
    ? append(file!, streamId!, Number(count), Number(rest[0]), rest[1] ?? 'close')
    : mode === 'crash'
      ? crash(file!, streamId!, Number(count))
      : mode === 'hold'
        ? hold(file!, Number(streamId))
        : Promise.reject(new Error(`unknown mode ${String(mode)}`));
run.catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
