import { Actor, CommandExecutor, commandNamed, timeOrderedIds, runCommand, systemClock } from '@jalon/application';
import { budgetDecider, BudgetState, schemaVersionOf, streamIdOf } from '@jalon/domain';
import { EventStore, EventToAppend } from '@jalon/event-store';
import { randomUUID } from 'node:crypto';
import { BENCH_FINANCE, BENCH_PROGRAMME_MANAGER } from '../generator/programme';
import { BenchContext } from '../lib/context';
import { openCore } from '../lib/core';
import { median } from '../lib/measure';
import { checked, info } from '../lib/report';
import { ExpenditureInputs } from '../lib/workload';

const SIZES = [10, 100, 1_000, 10_000] as const;
const STREAMS_PER_SIZE = 4;
/** Commands per stream with a cached state: enough samples for a median to resolve 20 % on a noisy machine. */
const COMMANDS_PER_STREAM = 40;

/**
 * The cost of one command (RecordExpenditure on the command bus) on a budget stream of 10, 100,
 * 1,000 and 10,000 events, several streams per length.
 *
 * - "cached": the executor has folded the stream before (its StateCache holds the state), which is
 *   the steady state of a running service; the command reads no old event. The commands go round
 *   the sizes in turn (one on each size, then again), so that the machine's noise falls on every
 *   size alike; the figure is the median.
 * - "cold": a new executor (empty cache, as after a restart): the command folds the whole stream.
 *
 * Fixture: the programme, call, candidacies, antennas and budget forecasts go through the
 * executor; the expenditures that make each stream long are decided by the budget decider itself
 * (budgetDecider.decide on the stream's forecast state) and appended with `store.append` in
 * batches of 1,000, because deciding them one command at a time on a 10,000-event stream is
 * exactly the cost being measured, 10,000 times over.
 */
export async function streamLengthSection(ctx: BenchContext): Promise<void> {
  // The smoke run (--quick) stops at 1,000 events: one fold of a 10,000-event stream alone outlasts it.
  const sizes = ctx.options.quick ? SIZES.filter((size) => size <= 1_000) : [...SIZES];
  const perSize = ctx.options.quick ? 2 : STREAMS_PER_SIZE;
  const commandsPerStream = ctx.options.quick ? 2 : COMMANDS_PER_STREAM;
  const dir = ctx.tempDir('stream');
  const core = await openCore(dir);
  const run = (command: string, input: Record<string, unknown>, actor: Actor) => runCommand(core.executor, command, input, actor);
  const inputs = new ExpenditureInputs(`${ctx.options.seed}:stream-length`);
  try {
    ctx.log('Stream length: building budget streams of 10 to 10,000 events');
    await run('LaunchProgramme', {
      programmeId: 'programme-banc',
      name: 'Programme du banc d’essai',
      operator: 'Cnam',
      targets: { antennaCount: 100, targetDate: '2025-12-31' },
      effectiveDate: '2020-01-02',
    }, BENCH_PROGRAMME_MANAGER);
    await run('OpenCallForApplications', {
      callId: 'ami-banc',
      programmeId: 'programme-banc',
      title: 'Appel du banc d’essai',
      number: 1,
      opensOn: '2020-01-06',
      closesOn: '2020-03-31',
      criteria: ['Dynamique partenariale'],
      effectiveDate: '2020-01-06',
    }, BENCH_PROGRAMME_MANAGER);

    const streams = new Map<number, string[]>();
    for (const size of sizes) {
      const antennaIds: string[] = [];
      for (let k = 0; k < perSize; k++) {
        const antennaId = `longueur-${size}-${k}`;
        antennaIds.push(antennaId);
        const candidacyId = `ami-banc--${antennaId}`;
        await run('SubmitCandidacy', {
          callId: 'ami-banc',
          territory: { id: antennaId, name: `Territoire ${antennaId}`, kind: 'commune', region: 'Grand Est', actionCoeurDeVille: true },
          partners: [{ name: 'Cnam Grand Est', kind: 'academic' }],
          trainingNeeds: ['Reconversion'],
          effectiveDate: '2020-02-03',
        }, BENCH_PROGRAMME_MANAGER);
        await run('SelectCandidacy', { candidacyId, criteria: ['Dynamique partenariale'], effectiveDate: '2020-04-15' }, BENCH_PROGRAMME_MANAGER);
        await run('OpenAntenna', { antennaId, candidacyId, name: `Antenne ${antennaId}`, town: 'Épinal', effectiveDate: '2020-05-04' }, BENCH_PROGRAMME_MANAGER);
        await run('SetBudgetForecast', {
          antennaId,
          lines: [2020, 2021, 2022, 2023].map((year) => ({ year, category: 'staff', amountCents: 5_000_000 })),
          effectiveDate: '2020-05-04',
        }, BENCH_FINANCE);
        await fill(core.store, antennaId, size - 1, inputs, (await core.executor.load(budgetDecider, streamIdOf('budget', antennaId))).state);
      }
      streams.set(size, antennaIds);
    }

    ctx.log('Stream length: one command at a time on each size in turn (cached), then on a new executor (cold)');
    for (const size of sizes) for (const antennaId of streams.get(size)!) await core.executor.load(budgetDecider, streamIdOf('budget', antennaId));
    const warmSamples = new Map<number, number[]>(sizes.map((size) => [size, []]));
    for (let round = 0; round < perSize * commandsPerStream; round++) {
      for (const size of sizes) {
        const antennaIds = streams.get(size)!;
        const started = process.hrtime.bigint();
        await core.send('RecordExpenditure', inputs.next(antennaIds[round % antennaIds.length]!));
        warmSamples.get(size)!.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    const cold = new Map<number, number>();
    for (const size of sizes) {
      const coldSamples: number[] = [];
      for (const antennaId of streams.get(size)!) {
        const fresh = new CommandExecutor({ store: core.store, clock: systemClock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
        const started = process.hrtime.bigint();
        await fresh.execute(commandNamed('RecordExpenditure'), inputs.next(antennaId), BENCH_FINANCE);
        coldSamples.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      cold.set(size, median(coldSamples));
    }
    const warm = new Map(sizes.map((size) => [size, median(warmSamples.get(size)!)]));

    for (const size of sizes) ctx.add(info('stream length', `1 command, stream of ${size.toLocaleString('en-US')} events (cached state)`, warm.get(size)!, 'ms'));
    const values = [...warm.values()];
    ctx.add(
      checked(
        'stream length',
        `cached: slowest / fastest, ${sizes[0]!.toLocaleString('en-US')} to ${sizes[sizes.length - 1]!.toLocaleString('en-US')} events`,
        Math.max(...values) / Math.min(...values),
        'x',
        { below: 1.2 },
        'target: flat within 20 % from 10 to 10,000 events',
      ),
    );
    for (const size of sizes) ctx.add(info('stream length', `1 command, stream of ${size.toLocaleString('en-US')} events (cold: new executor)`, cold.get(size)!, 'ms'));
    ctx.data.streamLength = { streamsPerSize: perSize, commandsPerStream, cachedMedianMs: Object.fromEntries(warm), coldMedianMs: Object.fromEntries(cold) };
  } finally {
    await core.close();
  }
}

/** Appends `count` expenditures decided by the budget decider on the stream's forecast state, 1,000 per batch. */
async function fill(
  store: EventStore,
  antennaId: string,
  count: number,
  inputs: ExpenditureInputs,
  forecast: BudgetState,
): Promise<void> {
  const streamId = streamIdOf('budget', antennaId);
  const context = { antenna: { antennaId, status: 'active' as const, openedOn: '2020-05-04' } };
  let revision = 0;
  for (let done = 0; done < count; ) {
    const batch: EventToAppend[] = [];
    for (; batch.length < 1_000 && done < count; done++) {
      const input = { ...inputs.next(antennaId), effectiveDate: '2021-06-15' } as never;
      // Each id is new, so deciding on the forecast state alone gives what the full state would.
      const [event] = budgetDecider.decide({ type: 'RecordExpenditure', data: input, context }, forecast);
      const commandId = randomUUID();
      batch.push({
        id: randomUUID(),
        type: event!.type,
        version: schemaVersionOf(event!.type),
        data: event!.data as unknown as Record<string, unknown>,
        metadata: { actor: BENCH_FINANCE.id, actorName: BENCH_FINANCE.name, role: BENCH_FINANCE.role, correlationId: commandId, causationId: commandId, recordedAt: new Date().toISOString() },
      });
    }
    if (batch.length === 0) break;
    const result = await store.append(streamId, batch, { expectedRevision: revision });
    revision = result.nextExpectedRevision;
  }
}
