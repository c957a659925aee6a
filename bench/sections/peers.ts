import { CommandExecutor, timeOrderedIds, runCommand, systemClock } from '@jalon/application';
import { budgetDecider, BudgetState, Decider, streamIdOf } from '@jalon/domain';
import { EventToAppend, SqliteEventStore, StoredEvent } from '@jalon/event-store';
import { defineProjection, InMemoryReadModel, ProjectedEvent, ProjectionRunner, SqliteProjectionStorage } from '@jalon/projections';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_FINANCE } from '../generator/programme';
import { BENCH_ROOT } from '../lib/child';
import { BenchContext } from '../lib/context';
import { median, RateResult, secondsSince } from '../lib/measure';
import { startLocalPostgres } from '../lib/postgres';
import { checked, info, Unit } from '../lib/report';
import { ExpenditureInputs, expenditureEvent } from '../lib/workload';

/**
 * Jalon beside Emmett, the event-sourcing library a TypeScript team would otherwise pick, on two
 * of its stores: SQLite (embedded, like Jalon's) and PostgreSQL (what a team with a database server
 * would pick). The same workloads with the same sizes, measured in the same run, workload by
 * workload, the timed windows of the sides interleaved (see sideBySide), each side through its own
 * public API:
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
 *   stores its checkpoint in the peer's database; pulling with batches of 1,000 and no pause, its
 *   fastest setting).
 *
 * Emmett lives in bench/peers with its own package.json (`npm run bench:peers` installs it); it is
 * loaded by path so that Jalon's own type check and install never depend on it. PostgreSQL is
 * Debian's, in a private cluster started for the run and removed after it (bench/lib/postgres.ts);
 * when it cannot be installed or started, its rows are « n/a » with the reason. Every store syncs
 * to disk on commit (SQLite's default `synchronous = FULL`, Jalon sets FULL explicitly; PostgreSQL's
 * defaults `fsync = on`, `synchronous_commit = on`).
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
}
interface EmmettProcessorOptions {
  processorId: string;
  startFrom: 'BEGINNING';
  stopAfter: (event: EmmettReadEvent) => boolean;
  eachMessage: (event: EmmettReadEvent) => void | Promise<void>;
}
interface EmmettConsumer {
  start(): Promise<void>;
  close(): Promise<void>;
}
interface EmmettSqliteConnection {
  close(): void;
}
interface EmmettSqliteModule {
  sqliteConnection(options: { fileName: string }): EmmettSqliteConnection;
  getSQLiteEventStore(options: { fileName: string; connectionOptions?: { singleton: true; connection: EmmettSqliteConnection } }): EmmettEventStore & {
    consumer(options: { pulling?: { batchSize?: number; pullingFrequencyInMs?: number } }): EmmettConsumer & { processor(options: EmmettProcessorOptions): unknown };
  };
}
interface EmmettPostgresModule {
  getPostgreSQLEventStore(connectionString: string): EmmettEventStore & { close(): Promise<void> };
  postgreSQLEventStoreConsumer(options: {
    connectionString: string;
    pulling?: { batchSize?: number; pullingFrequencyInMs?: number };
  }): EmmettConsumer & { reactor(options: EmmettProcessorOptions): unknown };
}
interface EmmettModule {
  CommandHandler<S>(options: { evolve: (state: S, event: EmmettReadEvent) => S; initialState: () => S }): (
    store: EmmettEventStore,
    id: string,
    handle: (state: S) => EmmettEvent[],
  ) => Promise<unknown>;
}

/** One Emmett store, as the workloads use it. */
interface Peer {
  /** e.g. `Emmett 0.42.4 (SQLite)`. */
  readonly name: string;
  /** Set when the peer cannot run at all (not installed, server not started). */
  unavailable?: string;
  /** Whether that reason was shown already (it is noted once). */
  reported?: boolean;
  /** Set when the peer failed in the current workload (its figure is « n/a » with this reason). */
  failed?: string;
  readonly store?: EmmettEventStore;
  /** An empty store for the projection's events, and a rebuild over it from the beginning. */
  readonly projection?: () => { store: EmmettEventStore; rebuild: Rebuild };
  readonly close?: () => Promise<void>;
}

/** Runs a processor from the beginning until `stopAfter`; returns the seconds its consumer ran (not its setup or close). */
type Rebuild = (processorId: string, options: Omit<EmmettProcessorOptions, 'processorId' | 'startFrom'>) => Promise<number>;
type PeerResults = Record<string, RateResult | null>;
type Compare = (workload: string, unit: Unit, jalon: RateResult, peers: PeerResults) => void;

const PULLING = { batchSize: 1_000, pullingFrequencyInMs: 0 };

function versionOf(module: string): string {
  return (JSON.parse(readFileSync(join(EMMETT, module, 'package.json'), 'utf8')) as { version: string }).version;
}

function load<T>(module: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(EMMETT, module)) as T;
}

/**
 * Emmett's SQLite store with one connection for the run (its `singleton` connection option): with
 * its default, a new connection per operation, 0.42.4 fails now and then under the append workload
 * (« SQLITE_BUSY: cannot commit transaction - SQL statements in progress »), and one connection is
 * also its faster setting.
 */
function sqlitePeer(dir: string): Peer {
  const sqlite = load<EmmettSqliteModule>('emmett-sqlite');
  const connections: EmmettSqliteConnection[] = [];
  const open = (file: string) => {
    const fileName = join(dir, file);
    const connection = sqlite.sqliteConnection({ fileName });
    connections.push(connection);
    return sqlite.getSQLiteEventStore({ fileName, connectionOptions: { singleton: true, connection } });
  };
  return {
    name: `Emmett ${versionOf('emmett-sqlite')} (SQLite)`,
    store: open('emmett.sqlite'),
    close: async () => {
      for (const connection of connections) connection.close();
    },
    projection: () => {
      const store = open('emmett-projection.sqlite');
      return {
        store,
        rebuild: async (processorId, options) => {
          const consumer = store.consumer({ pulling: PULLING });
          consumer.processor({ processorId, startFrom: 'BEGINNING', ...options });
          try {
            const started = process.hrtime.bigint();
            await consumer.start();
            return secondsSince(started);
          } finally {
            await consumer.close();
          }
        },
      };
    },
  };
}

async function postgresPeer(ctx: BenchContext): Promise<Peer> {
  if (!existsSync(join(EMMETT, 'emmett-postgresql', 'package.json'))) {
    return { name: 'Emmett (PostgreSQL)', unavailable: 'emmett-postgresql not installed: run `npm run bench:peers`' };
  }
  const name = `Emmett ${versionOf('emmett-postgresql')} (PostgreSQL)`;
  ctx.log('Peers: starting a private PostgreSQL');
  const started = await startLocalPostgres(ctx.log);
  if (!started.ok) return { name, unavailable: started.reason };
  const { server } = started;
  const stores: { close(): Promise<void> }[] = [];
  try {
    const postgres = load<EmmettPostgresModule>('emmett-postgresql');
    const open = (database: string) => {
      const connectionString = server.createDatabase(database);
      const store = postgres.getPostgreSQLEventStore(connectionString);
      stores.push(store);
      return { connectionString, store };
    };
    ctx.log(`Peers: ${server.version}`);
    return {
      name: `Emmett ${versionOf('emmett-postgresql')} (${server.version})`,
      store: open('emmett').store,
      projection: () => {
        const { connectionString, store } = open('emmett_projection');
        return {
          store,
          rebuild: async (processorId, options) => {
            const consumer = postgres.postgreSQLEventStoreConsumer({ connectionString, pulling: PULLING });
            consumer.reactor({ processorId, startFrom: 'BEGINNING', ...options });
            try {
              const started = process.hrtime.bigint();
              await consumer.start();
              return secondsSince(started);
            } finally {
              await consumer.close();
            }
          },
        };
      },
      close: async () => {
        try {
          for (const store of stores) await store.close().catch(() => undefined);
        } finally {
          server.stop();
        }
      },
    };
  } catch (error) {
    server.stop();
    return { name, unavailable: (error as Error).message.split('\n')[0] };
  }
}

/**
 * Runs a peer's side of a workload (setup or measurement); a failure makes the peer's figure of this
 * workload « n/a » with the reason (later steps of the workload are skipped), never fails the section.
 */
async function onPeer<T>(ctx: BenchContext, peer: Peer, work: (store: EmmettEventStore) => Promise<T>): Promise<T | null> {
  if (peer.unavailable || peer.failed || !peer.store) return null;
  try {
    return await work(peer.store);
  } catch (error) {
    peer.failed = `failed: ${(error as Error).message.split('\n')[0]}`;
    ctx.log(`Peers: ${peer.name} ${peer.failed}`);
    return null;
  }
}

/**
 * Measures Jalon and each peer on one workload, their timed windows interleaved (Jalon, peer 1,
 * peer 2, Jalon, …) rather than one side after the other, so that a change of load on a shared
 * machine weighs on every side alike. Each window is `profile.windowMs` long, as in measureRate.
 * A peer that fails gets « n/a » with the reason; Jalon failing fails the section.
 */
async function sideBySide(
  ctx: BenchContext,
  peers: readonly Peer[],
  jalon: () => Promise<number>,
  peerBatch: (store: EmmettEventStore) => () => Promise<number>,
): Promise<{ jalon: RateResult; byPeer: PeerResults }> {
  const sides: { peer?: Peer; batch: () => Promise<number>; samples: number[] }[] = [{ batch: jalon, samples: [] }];
  for (const peer of peers) {
    if (!peer.unavailable && !peer.failed && peer.store) sides.push({ peer, batch: peerBatch(peer.store), samples: [] });
  }
  const window = async (side: (typeof sides)[number], ms: number, record: boolean) => {
    if (side.peer?.failed) return;
    try {
      const started = process.hrtime.bigint();
      const end = started + BigInt(ms) * 1_000_000n;
      let done = 0;
      while (process.hrtime.bigint() < end) done += await side.batch();
      if (record) side.samples.push(done / secondsSince(started));
    } catch (error) {
      if (!side.peer) throw error;
      side.peer.failed = `failed: ${(error as Error).message.split('\n')[0]}`;
      ctx.log(`Peers: ${side.peer.name} ${side.peer.failed}`);
    }
  };
  for (const side of sides) await window(side, ctx.profile.warmupMs, false);
  for (let r = 0; r < ctx.profile.repetitions; r++) {
    for (const side of sides) await window(side, ctx.profile.windowMs, true);
  }
  const rateOf = (samples: readonly number[]): RateResult => ({ perSecond: median(samples), samples });
  const byPeer: PeerResults = {};
  for (const side of sides.slice(1)) byPeer[side.peer!.name] = side.peer!.failed || side.samples.length === 0 ? null : rateOf(side.samples);
  return { jalon: rateOf(sides[0]!.samples), byPeer };
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
  const core = load<EmmettModule>('emmett');
  const dir = ctx.tempDir('peers');
  const peers: Peer[] = [sqlitePeer(dir)];
  const jalonStore = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
  const inputs = new ExpenditureInputs(`${ctx.options.seed}:peers`);
  const results: Record<string, { unit: Unit; jalon: RateResult; peers: PeerResults }> = {};
  const compare: Compare = (workload, unit, jalon, byPeer) => {
    results[workload] = { unit, jalon, peers: byPeer };
    ctx.add(info('peers', `${workload}: Jalon`, jalon.perSecond, unit));
    for (const peer of peers) {
      const other = byPeer[peer.name] ?? null;
      const note = other !== null ? undefined : (peer.failed ?? (peer.reported ? undefined : peer.unavailable));
      if (peer.unavailable) peer.reported = true;
      peer.failed = undefined;
      ctx.add(
        info('peers', `${workload}: ${peer.name}`, other?.perSecond ?? null, unit, note),
        checked('peers', `${workload}: Jalon / ${peer.name}`, other ? jalon.perSecond / other.perSecond : null, 'x', { atLeast: 1 }),
      );
    }
  };

  try {
    peers.push(await postgresPeer(ctx));

    // Append, one event per transaction, then batches of 100.
    for (const size of [1, 100]) {
      ctx.log(`Peers: append, ${size === 1 ? 'one event per transaction' : 'batches of 100'}`);
      let n = 0;
      const jalonVersions = new Map<string, number>();
      const { jalon, byPeer } = await sideBySide(
        ctx,
        peers,
        async () => {
          const streamId = `budget-peer-${size}-${n++ % 100}`;
          const result = await jalonStore.append(streamId, Array.from({ length: size }, () => expenditureEvent(inputs, streamId)), {
            expectedRevision: jalonVersions.get(streamId) ?? 'no_stream',
          });
          jalonVersions.set(streamId, result.nextExpectedRevision);
          return size;
        },
        (store) => {
          const versions = new Map<string, bigint>();
          return async () => {
            const streamId = `budget-peer-${size}-${n++ % 100}`;
            const expected = versions.get(streamId);
            const events = Array.from({ length: size }, () => toEmmett(expenditureEvent(inputs, streamId)));
            const result = await store.appendToStream(streamId, events, expected === undefined ? {} : { expectedStreamVersion: expected });
            versions.set(streamId, result.nextExpectedStreamVersion);
            return size;
          };
        },
      );
      compare(size === 1 ? 'append, 1 event per transaction' : 'append, batches of 100', size === 1 ? 'tx/s' : 'events/s', jalon, byPeer);
    }

    // Aggregate: fold a 1,000-event stream from a cold start.
    ctx.log('Peers: aggregate a 1,000-event stream');
    const aggregateStreams = Array.from({ length: 4 }, (_, i) => `budget-aggregate-${i}`);
    for (const streamId of aggregateStreams) {
      const events = Array.from({ length: 1_000 }, () => expenditureEvent(inputs, streamId));
      await jalonStore.append(streamId, events, { expectedRevision: 'no_stream' });
      for (const peer of peers) await onPeer(ctx, peer, (store) => store.appendToStream(streamId, events.map(toEmmett)));
    }
    let a = 0;
    const aggregate = await sideBySide(
      ctx,
      peers,
      async () => {
        const executor = new CommandExecutor({ store: jalonStore, clock: systemClock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
        await executor.load(sumOfAmounts, aggregateStreams[a++ % aggregateStreams.length]!);
        return 1;
      },
      (store) => async () => {
        await store.aggregateStream(aggregateStreams[a++ % aggregateStreams.length]!, { evolve: (sum: number, event) => sumOfAmounts.evolve(sum, event), initialState: () => 0 });
        return 1;
      },
    );
    compare('aggregate a 1,000-event stream', 'ops/s', aggregate.jalon, aggregate.byPeer);

    // Command: load → decide → append RecordExpenditure with the budget decider.
    ctx.log('Peers: command (load, decide, append), 1 in flight');
    await commandWorkload(ctx, core, peers, jalonStore, inputs, compare);

    // Projection: rebuild the same read model over the same events.
    ctx.log('Peers: projection rebuild');
    await projectionWorkload(ctx, peers, dir, compare);
  } finally {
    await jalonStore.close();
    for (const peer of peers) await peer.close?.();
  }
  ctx.data.peers = { peers: peers.map((peer) => ({ name: peer.name, ...(peer.unavailable ? { unavailable: peer.unavailable } : {}) })), workloads: results };
}

function toEmmett(event: EventToAppend): EmmettEvent {
  return { type: event.type, data: event.data as Record<string, unknown>, metadata: { ...event.metadata } };
}

async function commandWorkload(ctx: BenchContext, core: EmmettModule, peers: readonly Peer[], jalonStore: SqliteEventStore, inputs: ExpenditureInputs, compare: Compare): Promise<void> {
  const executor = new CommandExecutor({ store: jalonStore, clock: systemClock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
  const run = (command: string, input: Record<string, unknown>) => runCommand(executor, command, input, { ...BENCH_FINANCE, role: 'admin' });
  await run('LaunchProgramme', { programmeId: 'programme-pairs', name: 'Pairs', operator: 'Cnam', targets: { antennaCount: 20, targetDate: '2025-12-31' }, effectiveDate: '2020-01-02' });
  await run('OpenCallForApplications', { callId: 'ami-pairs', programmeId: 'programme-pairs', title: 'Appel', number: 1, opensOn: '2020-01-06', closesOn: '2020-03-31', criteria: ['Partenariat'], effectiveDate: '2020-01-06' });
  const antennaIds = Array.from({ length: 20 }, (_, i) => `pair-${i}`);
  const forecast = { lines: [{ year: 2026, category: 'staff', amountCents: 10_000_000 }], effectiveDate: '2020-05-04' };
  const context = (antennaId: string) => ({ antenna: { antennaId, status: 'active' as const, openedOn: '2020-05-04' } });
  const evolve = (state: BudgetState, event: { type: string; data: unknown }) => budgetDecider.evolve(state, event as never);
  const handle = core.CommandHandler<BudgetState>({ evolve, initialState: budgetDecider.initialState });
  const decideWith = (antennaId: string, type: 'SetBudgetForecast' | 'RecordExpenditure', data: Record<string, unknown>) => (state: BudgetState) =>
    budgetDecider.decide({ type, data: { antennaId, ...data }, context: context(antennaId) } as never, state).map((e) => ({ type: e.type, data: e.data as unknown as Record<string, unknown> }));

  for (const antennaId of antennaIds) {
    const candidacyId = `ami-pairs--${antennaId}`;
    await run('SubmitCandidacy', { callId: 'ami-pairs', territory: { id: antennaId, name: antennaId, kind: 'commune', region: 'Bretagne', actionCoeurDeVille: true }, partners: [], trainingNeeds: ['Numérique'], effectiveDate: '2020-02-03' });
    await run('SelectCandidacy', { candidacyId, criteria: ['Partenariat'], effectiveDate: '2020-04-15' });
    await run('OpenAntenna', { antennaId, candidacyId, name: antennaId, town: 'Morlaix', effectiveDate: '2020-05-04' });
    await run('SetBudgetForecast', { antennaId, ...forecast });
    // 100 events in each stream before measuring, on every side.
    const prefix: EventToAppend[] = [];
    let state = (await executor.load(budgetDecider, streamIdOf('budget', antennaId))).state;
    for (let i = 0; i < 99; i++) {
      const [event] = decideWith(antennaId, 'RecordExpenditure', inputs.next(antennaId))(state);
      state = budgetDecider.evolve(state, event as never);
      prefix.push({ ...expenditureEvent(inputs, antennaId), data: event!.data });
    }
    await jalonStore.append(streamIdOf('budget', antennaId), prefix, { expectedRevision: 0 });
    for (const peer of peers) {
      await onPeer(ctx, peer, async (store) => {
        await handle(store, streamIdOf('budget', antennaId), decideWith(antennaId, 'SetBudgetForecast', forecast));
        await store.appendToStream(streamIdOf('budget', antennaId), prefix.map(toEmmett), { expectedStreamVersion: 1n });
      });
    }
  }
  let c = 0;
  const { jalon, byPeer } = await sideBySide(
    ctx,
    peers,
    async () => {
      await run('RecordExpenditure', inputs.next(antennaIds[c++ % antennaIds.length]!));
      return 1;
    },
    (store) => async () => {
      const antennaId = antennaIds[c++ % antennaIds.length]!;
      const { antennaId: _a, ...data } = inputs.next(antennaId);
      await handle(store, streamIdOf('budget', antennaId), decideWith(antennaId, 'RecordExpenditure', data));
      return 1;
    },
  );
  compare('command (load, decide, append), 1 in flight', 'commands/s', jalon, byPeer);
}

async function projectionWorkload(ctx: BenchContext, peers: readonly Peer[], dir: string, compare: Compare): Promise<void> {
  const seeded = await ctx.seeded(Math.min(...ctx.replaySizes()));
  const source = SqliteEventStore.open({ file: seeded.file });
  try {
    // Each peer gets the same events in the same order, 1,000 per append (stream names are not used by the projection).
    const targets = new Map<Peer, { rebuild: Rebuild; last: bigint }>();
    for (const peer of peers) {
      await onPeer(ctx, peer, async () => {
        const { store, rebuild } = peer.projection!();
        let chunk: StoredEvent[] = [];
        let chunks = 0;
        let last = 0n;
        const flush = async () => {
          if (chunk.length === 0) return;
          const result = await store.appendToStream(
            `bench-chunk-${chunks++}`,
            chunk.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata: { ...e.metadata, jalonStreamId: e.streamId, jalonRevision: e.revision } })),
          );
          last = result.lastEventGlobalPosition;
          chunk = [];
        };
        for await (const event of source.readAll()) {
          chunk.push(event);
          if (chunk.length === 1_000) await flush();
        }
        await flush();
        targets.set(peer, { rebuild, last });
      });
    }

    const repetitions = ctx.options.quick ? 1 : 3;
    const jalonRates: number[] = [];
    const peerRates = new Map<Peer, number[]>(peers.map((peer) => [peer, []]));
    for (let r = 0; r < repetitions; r++) {
      const storage = SqliteProjectionStorage.open(join(dir, `jalon-projection-${r}.sqlite`));
      const runner = new ProjectionRunner(source, storage, [antennaTotals]);
      const { events, seconds } = await runner.rebuild();
      storage.close();
      jalonRates.push(events / seconds);

      for (const peer of peers) {
        const target = targets.get(peer);
        if (!target) continue;
        await onPeer(ctx, peer, async () => {
          const model = new InMemoryReadModel(antennaTotals);
          let applied = 0;
          const seconds = await target.rebuild(`bench-antenna-totals-${r}`, {
            stopAfter: (event) => event.metadata.globalPosition >= target.last,
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
          peerRates.get(peer)!.push(applied / seconds);
        });
      }
    }
    const rateOf = (values: readonly number[]): RateResult => ({ perSecond: median(values), samples: values });
    const byPeer: PeerResults = {};
    for (const peer of peers) {
      const rates = peerRates.get(peer)!;
      byPeer[peer.name] = peer.unavailable || peer.failed || rates.length === 0 ? null : rateOf(rates);
    }
    compare(`projection rebuild (${seeded.events.toLocaleString('en-US')} events)`, 'events/s', rateOf(jalonRates), byPeer);
  } finally {
    await source.close();
  }
}
