import { Clock, CommandExecutor, IdGenerator, runCommand, uuidFromSeed } from '@jalon/application';
import {
  EventStore,
  EventStoreError,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  SqliteEventStore,
  StoredEvent,
  WrongExpectedRevisionError,
  type AppendResult,
  type Subscription,
} from '@jalon/event-store';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dateTimeOf } from '../lib/calendar';
import { secondsSince } from '../lib/measure';
import { GeneratorOptions, ProgrammeManifest, SyntheticProgramme } from './programme';

/**
 * Writes the synthetic programme into an embedded store.
 *
 * Every command goes through the real CommandExecutor (validation, look-ups of other streams,
 * the deciders, the executor's own event and metadata construction, with a simulated clock and
 * seeded ids), so every stored event is one the domain decided. The executor writes into
 * {@link BufferedStore}, which keeps a quarter's events in memory; at the end of each quarter they
 * are appended to the SQLite store with `store.append`, one batch per run of consecutive events of
 * the same stream (see the ordering in programme.ts). One durable transaction per command would
 * take about an hour for 1,000,000 events on a disk that syncs in 2 ms; the batches take minutes,
 * and the log holds exactly the events, in exactly the order, that the command path decided.
 */

/** Bump when the generator's output changes: seeded stores kept with `--data-dir` are then rebuilt. */
export const GENERATOR_VERSION = 2;

export interface SeedResult {
  readonly file: string;
  readonly events: number;
  readonly commands: number;
  /** Commands that decided nothing (a repeat): expected to be 0. */
  readonly unchanged: number;
  readonly appends: number;
  readonly seconds: number;
  readonly eventsByType: Readonly<Record<string, number>>;
  readonly streams: number;
  readonly bytes: number;
  readonly manifest: ProgrammeManifest;
  /** True when an existing seeded store was reused (`--data-dir`). */
  readonly reused: boolean;
}

interface SeedRecord extends Omit<SeedResult, 'reused'> {
  readonly generatorVersion: number;
  readonly domainFingerprint: string;
  readonly options: GeneratorOptions;
}

/**
 * A digest of what decides the events (the domain, the command catalogue): a store kept with
 * `--data-dir` is reused only while it is unchanged, since a store seeded under other rules (or
 * other event shapes) is not what the current code would write.
 */
export function domainFingerprint(): string {
  const root = join(__dirname, '..', '..', 'libs');
  const hash = createHash('sha256').update(`generator ${GENERATOR_VERSION}\n`);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) hash.update(path.slice(root.length)).update(readFileSync(path));
    }
  };
  walk(join(root, 'domain', 'src'));
  walk(join(root, 'application', 'src', 'commands'));
  walk(join(root, 'application', 'src', 'command-handling'));
  return hash.digest('hex').slice(0, 16);
}

/** Seeds `dir/jalon.sqlite`, or reuses it when `dir/seed.json` says it holds the same programme. */
export async function seedStore(dir: string, options: GeneratorOptions, log: (line: string) => void = () => undefined): Promise<SeedResult> {
  const file = join(dir, 'jalon.sqlite');
  const recordFile = join(dir, 'seed.json');
  const fingerprint = domainFingerprint();
  if (existsSync(recordFile) && existsSync(file)) {
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as SeedRecord;
    if (record.generatorVersion === GENERATOR_VERSION && record.domainFingerprint === fingerprint && JSON.stringify(record.options) === JSON.stringify(options)) {
      const { generatorVersion: _v, domainFingerprint: _f, options: _o, ...result } = record;
      return { ...result, reused: true };
    }
    log(`  ${dir} was seeded by another version of the domain or generator: seeding again`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(file), { recursive: true });
  const started = process.hrtime.bigint();
  const target = SqliteEventStore.open({ file });
  const buffer = new BufferedStore(target);
  const clock = new SimulatedClock();
  let idCount = 0;
  const ids: IdGenerator = { uuid: () => uuidFromSeed(`${options.seed}:${idCount++}`) };
  const executor = new CommandExecutor({ store: buffer, clock, ids, timeZone: 'Europe/Paris' });
  const programme = new SyntheticProgramme(options);
  let commands = 0;
  let unchanged = 0;
  let events = 0;
  try {
    for (const window of programme.windows()) {
      let second = 6 * 3600;
      for (const step of window.steps) {
        clock.set(dateTimeOf(window.recordedOn, second));
        second += 0.25;
        let result;
        try {
          // runCommand, as every entry point: an opening claims its antenna on the candidacy stream first, a commitment its agreement on the antenna's.
          result = await runCommand(executor, step.command, step.input, step.actor);
        } catch (error) {
          throw new Error(`the synthetic programme broke a rule: ${step.command} ${JSON.stringify(step.input)}: ${(error as Error).message}`, { cause: error });
        }
        commands++;
        if (!result.written) unchanged++;
      }
      await buffer.flush();
      // Counted where they are appended: a command may write on two streams (an antenna's opening claims its candidacy first, a commitment its antenna).
      events = buffer.eventCount;
      if (window.quarter % 4 === 3) log(`  seeded ${events.toLocaleString('en-US')} events (up to ${new Date(clock.now().getTime()).toISOString().slice(0, 10)})`);
    }
  } finally {
    await target.close();
  }
  const seconds = secondsSince(started);
  const { size } = statSync(file);
  const record: SeedRecord = {
    generatorVersion: GENERATOR_VERSION,
    domainFingerprint: fingerprint,
    options,
    file,
    events,
    commands,
    unchanged,
    appends: buffer.appends,
    seconds,
    eventsByType: buffer.eventsByType,
    streams: buffer.streamCount,
    bytes: size,
    manifest: programme.manifest,
  };
  writeFileSync(recordFile, JSON.stringify(record, null, 2));
  const { generatorVersion: _v, domainFingerprint: _f, options: _o, ...result } = record;
  return { ...result, reused: false };
}

class SimulatedClock implements Clock {
  private current = new Date(0);
  set(date: Date): void {
    this.current = date;
  }
  now(): Date {
    return this.current;
  }
}

/**
 * The executor's store while seeding: appends are checked (expected revision) and kept in memory
 * until {@link flush}; reads serve what is already in SQLite, then what is still buffered. The
 * seeder is its only writer and each append is applied when it is called, in that order: the
 * command path may decide behind an append in flight (docs/decisions/0059), and the streams a
 * decision read (`lookedUp`, 0058) cannot move under it, so they are not checked.
 */
export class BufferedStore implements EventStore {
  readonly appendsSettleInOrder = true;
  private readonly revisions = new Map<string, number>();
  private readonly flushed = new Map<string, number>();
  private readonly pendingByStream = new Map<string, StoredEvent[]>();
  private pending: StoredEvent[] = [];
  private position = 0n;
  appends = 0;
  readonly eventsByType: Record<string, number> = {};

  constructor(private readonly target: EventStore) {}

  /** Events appended so far. */
  get eventCount(): number {
    return Number(this.position);
  }

  get streamCount(): number {
    return this.revisions.size;
  }

  async append(streamId: string, events: readonly EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    if (events.length === 0) throw new EventStoreError('STREAM.EMPTY_BATCH', `refusing to append an empty batch to ${streamId}`);
    const last = this.revisions.get(streamId);
    const actual = last ?? 'no_stream';
    if (options.expectedRevision !== 'any' && options.expectedRevision !== actual) {
      throw new WrongExpectedRevisionError(streamId, options.expectedRevision, actual);
    }
    let revision = last ?? -1;
    const list = this.pendingByStream.get(streamId) ?? [];
    for (const event of events) {
      // A round trip through JSON, as the store does: what is read back is plain data.
      const stored: StoredEvent = { ...(JSON.parse(JSON.stringify(event)) as EventToAppend), streamId, revision: ++revision, position: ++this.position };
      list.push(stored);
      this.pending.push(stored);
      this.eventsByType[event.type] = (this.eventsByType[event.type] ?? 0) + 1;
    }
    this.pendingByStream.set(streamId, list);
    this.revisions.set(streamId, revision);
    return { nextExpectedRevision: revision, position: this.position, written: true };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncGenerator<StoredEvent> {
    if (options.direction === 'backwards' || options.maxCount !== undefined) throw new Error('the seeding buffer reads streams forwards only');
    const from = options.fromRevision ?? 0;
    const flushed = this.flushed.get(streamId);
    if (flushed !== undefined && from <= flushed) yield* this.target.readStream(streamId, { fromRevision: from });
    for (const event of this.pendingByStream.get(streamId) ?? []) if (event.revision >= from) yield event;
  }

  /** Appends what is buffered to the target, one batch per run of consecutive events of a stream. */
  async flush(): Promise<void> {
    let start = 0;
    while (start < this.pending.length) {
      const streamId = this.pending[start]!.streamId;
      let end = start + 1;
      while (end < this.pending.length && this.pending[end]!.streamId === streamId) end++;
      const run = this.pending.slice(start, end);
      const flushed = this.flushed.get(streamId);
      await this.target.append(
        streamId,
        run.map(({ id, type, version, data, metadata }) => ({ id, type, version, data, metadata })),
        { expectedRevision: flushed ?? 'no_stream' },
      );
      this.appends++;
      this.flushed.set(streamId, run[run.length - 1]!.revision);
      start = end;
    }
    this.pending = [];
    this.pendingByStream.clear();
  }

  /**
   * The first events of some types, as a launch's claim asks for the programme launched before the
   * installation's registry (docs/decisions/0061): what SQLite holds, then what is still buffered.
   */
  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent> {
    if (options.after !== undefined || options.effectiveUntil !== undefined || options.upTo !== undefined) throw new Error('the seeding buffer reads the log only by type');
    let left = options.maxCount ?? Number.POSITIVE_INFINITY;
    const types = options.types === undefined ? undefined : new Set(options.types);
    for await (const event of this.target.readAll(options)) {
      if (left-- <= 0) return;
      yield event;
    }
    for (const event of this.pending) {
      if (types !== undefined && !types.has(event.type)) continue;
      if (left-- <= 0) return;
      yield event;
    }
  }

  subscribeToAll(): Subscription {
    throw new Error('the seeding buffer does not subscribe');
  }

  async headPosition(): Promise<bigint> {
    return this.position;
  }

  storeId(): Promise<string> {
    throw new Error('the seeding buffer does not name a store');
  }

  eventAt(): Promise<undefined> {
    throw new Error('the seeding buffer does not read the log');
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
