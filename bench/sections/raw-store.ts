import { SqliteEventStore } from '@jalon/event-store';
import { join } from 'node:path';
import { BenchContext } from '../lib/context';
import { measureRate, median, secondsSince } from '../lib/measure';
import { info } from '../lib/report';
import { ExpenditureInputs, expenditureEvent } from '../lib/workload';

/**
 * The embedded store alone, through its port (SqliteEventStore): the machine's limits for this
 * store, which the command path and the replay are compared with.
 * - durable append of one event per transaction (each one synced to disk: synchronous = FULL);
 * - durable append of batches of 100 events;
 * - reading the whole log and parsing every event (readAll), on each seeded store.
 */
export async function rawStoreSection(ctx: BenchContext): Promise<void> {
  const dir = ctx.tempDir('raw');
  const store = SqliteEventStore.open({ file: join(dir, 'raw.sqlite') });
  const inputs = new ExpenditureInputs(ctx.options.seed);
  const revisions = new Map<string, number>();
  const appendTo = async (streamId: string, count: number) => {
    const events = Array.from({ length: count }, () => expenditureEvent(inputs, streamId.slice('budget-'.length)));
    const result = await store.append(streamId, events, { expectedRevision: revisions.get(streamId) ?? 'no_stream' });
    revisions.set(streamId, result.nextExpectedRevision);
    return count;
  };
  try {
    ctx.log('Raw store: durable single-event appends');
    let n = 0;
    const single = await measureRate(ctx.profile, () => appendTo(`budget-raw-${n++ % 100}`, 1));
    ctx.shared.rawSingleAppendPerSecond = single.perSecond;
    ctx.log('Raw store: durable appends of batches of 100');
    const batch = await measureRate(ctx.profile, () => appendTo(`budget-raw-batch-${n++ % 100}`, 100));
    ctx.add(
      info('raw store', 'durable append, 1 event per transaction', single.perSecond, 'tx/s'),
      info('raw store', 'durable append, batches of 100 events', batch.perSecond, 'events/s'),
    );
    ctx.data.raw = { singleAppend: single, batchAppend: batch, read: {} as Record<string, unknown> };
  } finally {
    await store.close();
  }

  for (const size of ctx.replaySizes()) {
    const seeded = await ctx.seeded(size);
    ctx.log(`Raw store: read and parse the whole log (${seeded.events.toLocaleString('en-US')} events)`);
    const reader = SqliteEventStore.open({ file: seeded.file });
    const rates: number[] = [];
    let counted = 0;
    try {
      for (let r = 0; r < (ctx.options.quick ? 1 : 3); r++) {
        const started = process.hrtime.bigint();
        let count = 0;
        for await (const event of reader.readAll()) if (event.data) count++;
        rates.push(count / secondsSince(started));
        counted = count;
      }
    } finally {
      await reader.close();
    }
    ctx.shared.rawReadPerSecond.set(size, median(rates));
    (ctx.data.raw as { read: Record<string, unknown> }).read[String(seeded.events)] = { perSecond: median(rates), samples: rates };
    ctx.add(info('raw store', `read + parse the whole log (${seeded.events.toLocaleString('en-US')} events)`, median(rates), 'events/s'));
    if (counted !== seeded.events) throw new Error(`${seeded.file} holds ${counted} events, not the ${seeded.events} seeded: remove it from --data-dir`);
  }
}
