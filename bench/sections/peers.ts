import { CommandExecutor, randomIds, runCommand, systemClock } from '@jalon/application';
import { budgetDecider, BudgetState, Decider, streamIdOf } from '@jalon/domain';
import { EventToAppend, SqliteEventStore, StoredEvent } from '@jalon/event-store';
import { defineProjection, InMemoryReadModel, ProjectedEvent, ProjectionRunner, SqliteProjectionStorage } from '@jalon/projections';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_FINANCE } from '../generator/programme';
import { BENCH_ROOT } from '../lib/child';
import { BenchContext } from '../lib/context';
import { measureRate, RateResult, secondsSince } from '../lib/measure';
import { checked, info, Unit } from '../lib/report';
import { ExpenditureInputs, expenditureEvent } from '../lib/workload';

/**
 * Jalon beside Emmett (its SQLite event store), the event-sourcing library a TypeScript team would
 * otherwise pick, on the same workloads, measured in the same run (Jalon, then Emmett, workload by
 * workload), each side through its own public API:
 *
 * - append, one event per transaction, and batches of 100: SqliteEventStore.append / appendToStream;
 * - aggregate: fold a 1,000-event stream from a cold start (a new CommandExecutor's `load` /
 *   `aggregateStream`), with the same light fold (sum of amounts), so that the store's read path is
 *   what is compared;
 * - command: load → decide → append of RecordExpenditure with the same budget decider, on 20
 *   streams of 100+ events in turn (CommandExecutor.execute with its state cache / Emmett's
 *   CommandHandler, which reads the stream every time; Emmett gets the antenna view as a constant,
 *   Jalon looks it up);
 * - projection: rebuild the same per-antenna totals read model over the same events (Jalon's
 *   ProjectionRunner with its SQLite read-model storage / an Emmett consumer with a processor, which
 *   stores its checkpoint in SQLite; pulling with batches of 1,000 and no pause, its fastest setting).
 *
 * Emmett lives in bench/peers with its own package.json (`npm run bench:peers` installs it); it is
 * loaded by path so that Jalon's own type check and install never depend on it. Both stores sync
 * to disk on commit (SQLite's default `synchronous = FULL`; Jalon sets FULL explicitly).
 */

const PEERS_DIR = join(BENCH_ROOT, 'peers');
const EMMETT = join(PEERS_DIR, 'node_modules', '@event-driven-io');

export function peersInstalled(): boolean {
  return existsSync(join(EMMETT, 'emmett-sqlite', 'package.json')) && existsSync(join(EMMETT, 'emmett', 'package.json'));
}

// The part of Emmett's API used here (its types are not imported: it is not a dependency of Jalon).
interface EmmettEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata?: Record<string, unknown>;
}
interface EmmettReadEvent extends EmmettEvent {
  readonly metadata: { readonly streamName: string; readonly streamPosition: bigint; readonly globalPosition: bigint } & Record<string, unknown>;
}
interface EmmettEventStore {
  appendToStream(streamName: string, events: EmmettEvent[], options?: { expectedStreamVersion?: bigint }): Promise<{ nextExpectedStreamVersion: bigint; lastEventGlobalPosition: bigint }>;
  aggregateStream<S>(streamName: string, options: { evolve: (state: S, event: EmmettReadEvent) => S; initialState: () => S }): Promise<{ state: S; currentStreamVersion: bigint }>;
  consumer(options: { pulling?: { batchSize?: number; pullingFrequencyInMs?: number } }): EmmettConsumer;
}
interface EmmettConsumer {
  processor(options: {
    processorId: string;
    startFrom: 'BEGINNING';
    stopAfter: (event: EmmettReadEvent) => boolean;
    eachMessage: (event: EmmettReadEvent) => void | Promise<void>;
  }): unknown;
  start(): Promise<void>;
  close(): Promise<void>;
}
interface EmmettSqliteModule {
  getSQLiteEventStore(options: { fileName: string }): EmmettEventStore;
}
interface EmmettModule {
  CommandHandler<S>(options: { evolve: (state: S, event: EmmettReadEvent) => S; initialState: () => S }): (
    store: EmmettEventStore,
    id: string,
    handle: (state: S) => EmmettEvent[],
  ) => Promise<unknown>;
}

interface Peer {
  readonly sqlite: EmmettSqliteModule;
  readonly core: EmmettModule;
  readonly version: string;
}

function loadPeer(): Peer {
  const version = (JSON.parse(readFileSync(join(EMMETT, 'emmett-sqlite', 'package.json'), 'utf8')) as { version: string }).version;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { sqlite: require(join(EMMETT, 'emmett-sqlite')) as EmmettSqliteModule, core: require(join(EMMETT, 'emmett')) as EmmettModule, version };
}

/** The read model both sides rebuild: per antenna, the events seen and the money spent net of reversals. */
interface AntennaTotals {
  readonly events: number;
  readonly spentCents: number;
}
const antennaTotals = defineProjection<AntennaTotals>({
  name: 'bench-antenna-totals',
  version: 1,
  handles: ['ExpenditureRecorded', 'ExpenditureReversed', 'BudgetTrancheReleased', 'TrancheReceived', 'LearnersReported'],
  keysOf: (event) => (typeof event.data.antennaId === 'string' ? [`antenna:${event.data.antennaId}`] : []),
  evolve: (doc, event) => {
    const amount = typeof event.data.amountCents === 'number' ? event.data.amountCents : 0;
    const spent = event.type === 'ExpenditureRecorded' ? amount : event.type === 'ExpenditureReversed' ? -amount : 0;
    return { events: (doc?.events ?? 0) + 1, spentCents: (doc?.spentCents ?? 0) + spent };
  },
});

/** The light fold of the aggregate workload. */
const sumOfAmounts: Decider<unknown, { type: string; data: unknown }, number> = {
  decide: () => [],
  evolve: (sum, event) => sum + Number((event.data as { amountCents?: number }).amountCents ?? 0),
  initialState: () => 0,
};

export async function peersSection(ctx: BenchContext): Promise<void> {
  if (!peersInstalled()) {
    ctx.add(info('peers', 'Emmett (SQLite)', null, 'x', 'not installed: run `npm run bench:peers`'));
    return;
  }
  const peer = loadPeer();
  const emmett = `Emmett ${peer.version}`;
  const dir = ctx.tempDir('peers');
  const jalonStore = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
  const emmettStore = peer.sqlite.getSQLiteEventStore({ fileName: join(dir, 'emmett.sqlite') });
  const inputs = new ExpenditureInputs(`${ctx.options.seed}:peers`);
  const results: Record<string, { jalon: RateResult; peer: RateResult; unit: Unit }> = {};
  const compare = (workload: string, unit: Unit, jalon: RateResult, other: RateResult) => {
    results[workload] = { jalon, peer: other, unit };
    ctx.add(
      info('peers', `${workload}: Jalon`, jalon.perSecond, unit),
      info('peers', `${workload}: ${emmett}`, other.perSecond, unit),
      checked('peers', `${workload}: Jalon / ${emmett}`, jalon.perSecond / other.perSecond, 'x', { atLeast: 1 }),
    );
  };

  try {
    // Append, one event per transaction, then batches of 100.
    for (const size of [1, 100]) {
      ctx.log(`Peers: append, ${size === 1 ? 'one event per transaction' : 'batches of 100'}`);
      const jalonVersions = new Map<string, number>();
      const emmettVersions = new Map<string, bigint>();
      let n = 0;
      const jalon = await measureRate(ctx.profile, async () => {
        const streamId = `budget-peer-${size}-${n++ % 100}`;
        const result = await jalonStore.append(streamId, Array.from({ length: size }, () => expenditureEvent(inputs, streamId)), {
          expectedRevision: jalonVersions.get(streamId) ?? 'no_stream',
        });
        jalonVersions.set(streamId, result.nextExpectedRevision);
        return size;
      });
      const other = await measureRate(ctx.profile, async () => {
        const streamId = `budget-peer-${size}-${n++ % 100}`;
        const expected = emmettVersions.get(streamId);
        const result = await emmettStore.appendToStream(streamId, Array.from({ length: size }, () => toEmmett(expenditureEvent(inputs, streamId))), expected === undefined ? {} : { expectedStreamVersion: expected });
        emmettVersions.set(streamId, result.nextExpectedStreamVersion);
        return size;
      });
      compare(size === 1 ? 'append, 1 event per transaction' : 'append, batches of 100', size === 1 ? 'tx/s' : 'events/s', jalon, other);
    }

    // Aggregate: fold a 1,000-event stream from a cold start.
    ctx.log('Peers: aggregate a 1,000-event stream');
    const aggregateStreams = Array.from({ length: 4 }, (_, i) => `budget-aggregate-${i}`);
    for (const streamId of aggregateStreams) {
      const events = Array.from({ length: 1_000 }, () => expenditureEvent(inputs, streamId));
      await jalonStore.append(streamId, events, { expectedRevision: 'no_stream' });
      await emmettStore.appendToStream(streamId, events.map(toEmmett));
    }
    let a = 0;
    const jalonAggregate = await measureRate(ctx.profile, async () => {
      const executor = new CommandExecutor({ store: jalonStore, clock: systemClock, ids: randomIds, timeZone: 'Europe/Paris' });
      await executor.load(sumOfAmounts, aggregateStreams[a++ % aggregateStreams.length]!);
      return 1;
    });
    const emmettAggregate = await measureRate(ctx.profile, async () => {
      await emmettStore.aggregateStream(aggregateStreams[a++ % aggregateStreams.length]!, { evolve: (sum: number, event) => sumOfAmounts.evolve(sum, event), initialState: () => 0 });
      return 1;
    });
    compare('aggregate a 1,000-event stream', 'ops/s', jalonAggregate, emmettAggregate);

    // Command: load → decide → append RecordExpenditure with the budget decider.
    ctx.log('Peers: command (load, decide, append), 1 in flight');
    await commandWorkload(ctx, peer, jalonStore, emmettStore, inputs, compare);

    // Projection: rebuild the same read model over the same events.
    ctx.log('Peers: projection rebuild');
    await projectionWorkload(ctx, peer, dir, compare);
  } finally {
    await jalonStore.close();
  }
  ctx.data.peers = { peer: emmett, workloads: results };
}

function toEmmett(event: EventToAppend): EmmettEvent {
  return { type: event.type, data: event.data as Record<string, unknown>, metadata: { ...event.metadata } };
}

async function commandWorkload(
  ctx: BenchContext,
  peer: Peer,
  jalonStore: SqliteEventStore,
  emmettStore: EmmettEventStore,
  inputs: ExpenditureInputs,
  compare: (workload: string, unit: Unit, jalon: RateResult, other: RateResult) => void,
): Promise<void> {
  const executor = new CommandExecutor({ store: jalonStore, clock: systemClock, ids: randomIds, timeZone: 'Europe/Paris' });
  const run = (command: string, input: Record<string, unknown>) => runCommand(executor, command, input, { ...BENCH_FINANCE, role: 'admin' });
  await run('LaunchProgramme', { programmeId: 'programme-pairs', name: 'Pairs', operator: 'Cnam', targets: { antennaCount: 20, targetDate: '2025-12-31' }, effectiveDate: '2020-01-02' });
  await run('OpenCallForApplications', { callId: 'ami-pairs', programmeId: 'programme-pairs', title: 'Appel', number: 1, opensOn: '2020-01-06', closesOn: '2020-03-31', criteria: ['Partenariat'], effectiveDate: '2020-01-06' });
  const antennaIds = Array.from({ length: 20 }, (_, i) => `pair-${i}`);
  const forecast = { lines: [{ year: 2026, category: 'staff', amountCents: 10_000_000 }], effectiveDate: '2020-05-04' };
  const context = (antennaId: string) => ({ antenna: { antennaId, status: 'active' as const, openedOn: '2020-05-04' } });
  const evolve = (state: BudgetState, event: { type: string; data: unknown }) => budgetDecider.evolve(state, event as never);
  const handle = peer.core.CommandHandler<BudgetState>({ evolve, initialState: budgetDecider.initialState });
  const decideWith = (antennaId: string, type: 'SetBudgetForecast' | 'RecordExpenditure', data: Record<string, unknown>) => (state: BudgetState) =>
    budgetDecider.decide({ type, data: { antennaId, ...data }, context: context(antennaId) } as never, state).map((e) => ({ type: e.type, data: e.data as unknown as Record<string, unknown> }));

  for (const antennaId of antennaIds) {
    const candidacyId = `ami-pairs--${antennaId}`;
    await run('SubmitCandidacy', { callId: 'ami-pairs', territory: { id: antennaId, name: antennaId, kind: 'commune', region: 'Bretagne', actionCoeurDeVille: true }, partners: [], trainingNeeds: ['Numérique'], effectiveDate: '2020-02-03' });
    await run('SelectCandidacy', { candidacyId, criteria: ['Partenariat'], effectiveDate: '2020-04-15' });
    await run('OpenAntenna', { antennaId, candidacyId, name: antennaId, town: 'Morlaix', effectiveDate: '2020-05-04' });
    await run('SetBudgetForecast', { antennaId, ...forecast });
    await handle(emmettStore, streamIdOf('budget', antennaId), decideWith(antennaId, 'SetBudgetForecast', forecast));
    // 100 events in each stream before measuring, on both sides.
    const prefix: EventToAppend[] = [];
    let state = (await executor.load(budgetDecider, streamIdOf('budget', antennaId))).state;
    for (let i = 0; i < 99; i++) {
      const [event] = decideWith(antennaId, 'RecordExpenditure', inputs.next(antennaId))(state);
      state = budgetDecider.evolve(state, event as never);
      prefix.push({ ...expenditureEvent(inputs, antennaId), data: event!.data });
    }
    await jalonStore.append(streamIdOf('budget', antennaId), prefix, { expectedRevision: 0 });
    await emmettStore.appendToStream(streamIdOf('budget', antennaId), prefix.map(toEmmett), { expectedStreamVersion: 1n });
  }
  let c = 0;
  const jalon = await measureRate(ctx.profile, async () => {
    await run('RecordExpenditure', inputs.next(antennaIds[c++ % antennaIds.length]!));
    return 1;
  });
  const other = await measureRate(ctx.profile, async () => {
    const antennaId = antennaIds[c++ % antennaIds.length]!;
    const { antennaId: _a, ...data } = inputs.next(antennaId);
    await handle(emmettStore, streamIdOf('budget', antennaId), decideWith(antennaId, 'RecordExpenditure', data));
    return 1;
  });
  compare('command (load, decide, append), 1 in flight', 'commands/s', jalon, other);
}

async function projectionWorkload(
  ctx: BenchContext,
  peer: Peer,
  dir: string,
  compare: (workload: string, unit: Unit, jalon: RateResult, other: RateResult) => void,
): Promise<void> {
  const seeded = await ctx.seeded(Math.min(...ctx.replaySizes()));
  const source = SqliteEventStore.open({ file: seeded.file });
  // Emmett gets the same events in the same order, 1,000 per append (stream names are not used by the projection).
  const emmettStore = peer.sqlite.getSQLiteEventStore({ fileName: join(dir, 'emmett-projection.sqlite') });
  let chunk: StoredEvent[] = [];
  let chunks = 0;
  let last = 0n;
  const flush = async () => {
    if (chunk.length === 0) return;
    const result = await emmettStore.appendToStream(
      `bench-chunk-${chunks++}`,
      chunk.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata: { ...e.metadata, jalonStreamId: e.streamId, jalonRevision: e.revision } })),
    );
    last = result.lastEventGlobalPosition;
    chunk = [];
  };
  try {
    for await (const event of source.readAll()) {
      chunk.push(event);
      if (chunk.length === 1_000) await flush();
    }
    await flush();

    const repetitions = ctx.options.quick ? 1 : 3;
    const jalonRates: number[] = [];
    const emmettRates: number[] = [];
    for (let r = 0; r < repetitions; r++) {
      const storage = SqliteProjectionStorage.open(join(dir, `jalon-projection-${r}.sqlite`));
      const runner = new ProjectionRunner(source, storage, [antennaTotals]);
      const { events, seconds } = await runner.rebuild();
      storage.close();
      jalonRates.push(events / seconds);

      const model = new InMemoryReadModel(antennaTotals);
      const consumer = emmettStore.consumer({ pulling: { batchSize: 1_000, pullingFrequencyInMs: 0 } });
      let applied = 0;
      consumer.processor({
        processorId: `bench-antenna-totals-${r}`,
        startFrom: 'BEGINNING',
        stopAfter: (event) => event.metadata.globalPosition >= last,
        eachMessage: (event) => {
          applied++;
          model.apply({
            type: event.type,
            version: 1,
            data: event.data,
            metadata: event.metadata as unknown as ProjectedEvent['metadata'],
            streamId: String(event.metadata.jalonStreamId),
            revision: Number(event.metadata.jalonRevision),
            position: event.metadata.globalPosition,
          });
        },
      });
      const started = process.hrtime.bigint();
      await consumer.start();
      emmettRates.push(applied / secondsSince(started));
      await consumer.close();
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    compare(
      `projection rebuild (${seeded.events.toLocaleString('en-US')} events)`,
      'events/s',
      { perSecond: median(jalonRates), samples: jalonRates },
      { perSecond: median(emmettRates), samples: emmettRates },
    );
  } finally {
    await source.close();
  }
}
