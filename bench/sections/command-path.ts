import { WrongExpectedRevisionError } from '@jalon/event-store';
import { BenchContext } from '../lib/context';
import { openCore } from '../lib/core';
import { measureConcurrentRate, measureLatency, measureRate } from '../lib/measure';
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

    const raw = ctx.shared.rawSingleAppendPerSecond;
    const shared = antennas.length < 16 ? `fewer than 16 antennas: some loops share a stream and retry (${conflicts} commands gave up)` : '';
    ctx.add(
      info('command path', `cold start: fold ${warm.streams} antenna and budget streams into the cache`, warm.seconds, 's', 'what a restarted service pays before its commands are fast'),
      info('command path', '1 in flight', one.perSecond, 'commands/s'),
      info('command path', '1 in flight, latency p50', latency.p50Ms, 'ms'),
      info('command path', '1 in flight, latency p99', latency.p99Ms, 'ms'),
      checked('command path', '1 in flight / raw single-event append', raw ? (100 * one.perSecond) / raw : null, '%', { atLeast: 60 }),
      info('command path', '16 in flight', sixteen.perSecond, 'commands/s', shared || undefined),
      checked('command path', '16 in flight / raw single-event append', raw ? sixteen.perSecond / raw : null, 'x', { atLeast: 2 }),
    );
    ctx.data.commandPath = { store: { events: seeded.events, antennas: antennas.length }, warmUp: warm, oneInFlight: one, latency, sixteenInFlight: sixteen, conflicts };
  } finally {
    await core.close();
  }
}
