import { CommandExecutor, commandNamed, LogWatch, timeOrderedIds, systemClock } from '@jalon/application';
import { WrongExpectedRevisionError } from '@jalon/event-store';
import { BENCH_FINANCE } from '../generator/programme';
import { BenchContext } from '../lib/context';
import { openCore } from '../lib/core';
import { measureConcurrentRate, measureLatency, measureRate, median } from '../lib/measure';
import { checked, info } from '../lib/report';
import { warmStateCache } from '../lib/warm';
import { ExpenditureInputs } from '../lib/workload';

/**
 * The command path in process: RunCommand on Nest's command bus → the one handler →
 * CommandExecutor (validate, authorise, load with the state cache, look up the antenna, decide,
 * append with the expected revision), on a copy of the seeded store. RecordExpenditure on antennas drawn at
 * random; with 16 in flight, each of the 16 loops has its own antennas (no two commands race for
 * one stream). The executor's state cache is warmed first (every open antenna's antenna and budget
 * streams folded), as in a service that has been running for a while; the time that takes is
 * reported as the cold-start cost.
 */
export async function commandPathSection(ctx: BenchContext): Promise<void> {
  const seeded = await ctx.writableCopy(ctx.options.events);
  const antennas = seeded.openAntennaIds;
  const core = await openCore(seeded.dir);
  const inputs = new ExpenditureInputs(`${ctx.options.seed}:command-path`);
  let conflicts = 0;
  const send = async (antennaIds: readonly string[]) => {
    try {
      await core.send('RecordExpenditure', inputs.next(inputs.pickAntenna(antennaIds)));
    } catch (error) {
      // Only when loops share a stream (fewer than 16 antennas): the executor gave up after its retries.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      conflicts++;
    }
  };
  try {
    ctx.log(`Command path: warming the state cache (${antennas.length} antennas)`);
    const warm = await warmStateCache(core.executor, antennas);
    ctx.log(`Command path: 1 command in flight (${antennas.length} open antennas)`);
    const one = await measureRate(ctx.profile, async () => {
      await send(antennas);
      return 1;
    });
    const latency = await measureLatency(ctx.profile, () => send(antennas));

    ctx.log('Command path: 16 commands in flight');
    const partitions = Array.from({ length: 16 }, (_, w) => {
      const own = antennas.filter((_, i) => i % 16 === w);
      return own.length > 0 ? own : [antennas[w % antennas.length]!];
    });
    const sixteen = await measureConcurrentRate(ctx.profile, 16, (worker) => send(partitions[worker]!));

    // One stream under load: 64 commands in flight on one antenna's budget stream, queued in the
    // process (none may fail), against 64 in flight on 64 different antennas.
    ctx.log('Command path: 64 commands in flight on one stream, then on 64 streams');
    const failuresBefore = conflicts;
    const oneStream = await measureConcurrentRate(ctx.profile, 64, () => send([antennas[0]!]));
    const oneStreamFailures = conflicts - failuresBefore;
    const spread = Array.from({ length: 64 }, (_, w) => antennas[w % antennas.length]!);
    const manyStreams = await measureConcurrentRate(ctx.profile, 64, (worker) => send([spread[worker]!]));

    // What the hash chain costs: the same commands through two executors that differ only by it,
    // each as the service runs its own (following the log, its state cache warmed), each on its own
    // half of the antennas (neither makes the other's cached states stale), then with the halves
    // swapped between them. They take turns in short windows (with, without, without, with, …) and
    // the figure is the median of the ratios of neighbouring windows: on a shared machine the load moves within seconds, and measured one
    // after the other the two came out anywhere from half to twice each other's rate, while the
    // chain costs about 16 µs a command.
    ctx.log('Command path: 16 in flight with and without the hash chain, in turns');
    const watch = core.app.get(LogWatch);
    const record = commandNamed('RecordExpenditure');
    const halves = [0, 1].map((half) => {
      const own = antennas.filter((_, i) => i % 2 === half);
      const mine = own.length > 0 ? own : antennas;
      return Array.from({ length: 16 }, (_, w) => {
        const loop = mine.filter((_, i) => i % 16 === w);
        return loop.length > 0 ? loop : [mine[w % mine.length]!];
      });
    });
    const window = { ...ctx.profile, warmupMs: Math.min(ctx.profile.warmupMs, 200), windowMs: Math.max(50, Math.round(ctx.profile.windowMs / 6)), repetitions: 1 };
    const turns: { with: number[]; without: number[] } = { with: [], without: [] };
    const pairRatios: number[] = [];
    const pairsPerRound = Math.max(2, ctx.profile.repetitions);
    // Two rounds: the chained executor on the first half of the antennas, then on the second. Two
    // executors on the same half measured 96 to 98 % of each other: the halves differ by a few per
    // cent either way, which the swap cancels out of the median instead of charging it to the chain.
    for (const chainedHalf of [0, 1]) {
      const executors = new Map<boolean, CommandExecutor>();
      for (const hashChain of [true, false]) {
        const executor = new CommandExecutor({ store: core.store, clock: systemClock, ids: timeOrderedIds, timeZone: 'Europe/Paris', hashChain, watch });
        const half = hashChain ? chainedHalf : 1 - chainedHalf;
        await warmStateCache(executor, antennas.filter((_, i) => i % 2 === half));
        executors.set(hashChain, executor);
      }
      const direct = (hashChain: boolean, worker: number) =>
        executors
          .get(hashChain)!
          .execute(record, inputs.next(inputs.pickAntenna(halves[hashChain ? chainedHalf : 1 - chainedHalf]![worker]!)), BENCH_FINANCE)
          .catch((error: unknown) => {
            if (!(error instanceof WrongExpectedRevisionError)) throw error;
          });
      for (let pair = 0; pair < pairsPerRound; pair++) {
        const order = pair % 2 === 0 ? [true, false] : [false, true];
        const rates = new Map<boolean, number>();
        for (const hashChain of order) rates.set(hashChain, (await measureConcurrentRate(window, 16, (worker) => direct(hashChain, worker))).perSecond);
        turns.with.push(rates.get(true)!);
        turns.without.push(rates.get(false)!);
        pairRatios.push((100 * rates.get(true)!) / rates.get(false)!);
      }
    }
    const withChain = { perSecond: median(turns.with), samples: turns.with };
    const withoutChain = { perSecond: median(turns.without), samples: turns.without };

    const raw = ctx.shared.rawSingleAppendPerSecond;
    const shared = antennas.length < 16 ? `fewer than 16 antennas: some loops share a stream and retry (${conflicts} commands gave up)` : '';
    ctx.add(
      info('command path', `cold start: fold ${warm.streams} antenna and budget streams into the cache`, warm.seconds, 's', 'what a restarted service pays before its commands are fast'),
      info('command path', `state cache: heap held by those ${warm.streams} folded streams`, warm.heapBytes / 2 ** 20, 'MiB', 'used heap after a full collection, against before the warm-up'),
      info('command path', '1 in flight', one.perSecond, 'commands/s'),
      info('command path', '1 in flight, latency p50', latency.p50Ms, 'ms'),
      info('command path', '1 in flight, latency p99', latency.p99Ms, 'ms'),
      checked('command path', '1 in flight / raw single-event append', raw ? (100 * one.perSecond) / raw : null, '%', { atLeast: 60 }),
      info('command path', '16 in flight', sixteen.perSecond, 'commands/s', shared || undefined),
      checked('command path', '16 in flight / raw single-event append', raw ? sixteen.perSecond / raw : null, 'x', { atLeast: 2 }),
      info('command path', '64 in flight on one stream', oneStream.perSecond, 'commands/s', `${oneStreamFailures} refused (must be 0)`),
      info('command path', '64 in flight on 64 streams', manyStreams.perSecond, 'commands/s'),
      checked('command path', '64 in flight: one stream / 64 streams', (100 * oneStream.perSecond) / manyStreams.perSecond, '%', { atLeast: 50 }),
      checked('command path', 'one stream under load: commands refused', oneStreamFailures, 'commands', { below: 1 }),
      info('command path', '16 in flight, with the hash chain', withChain.perSecond, 'commands/s'),
      info('command path', '16 in flight, without the hash chain', withoutChain.perSecond, 'commands/s'),
      checked('command path', 'with / without the hash chain', median(pairRatios), '%', { atLeast: 90 }, 'median of the ratios of neighbouring windows'),
    );
    ctx.data.commandPath = { store: { events: seeded.events, antennas: antennas.length }, warmUp: warm, oneInFlight: one, latency, sixteenInFlight: sixteen, conflicts, oneStream, manyStreams, oneStreamFailures, withChain, withoutChain, hashChainPairRatios: pairRatios };
  } finally {
    await core.close();
  }
}
