import 'reflect-metadata';
import { ReportService, systemClock } from '@jalon/application';
import { SqliteEventStore } from '@jalon/event-store';
import { PROJECTIONS, ProjectionRunner, SqliteProjectionStorage } from '@jalon/projections';
import { PerformanceObserver, performance } from 'node:perf_hooks';

const CUT_DATES = ['2019-09-30', '2020-06-30', '2021-03-31', '2021-12-31', '2022-09-30', '2023-06-30', '2024-03-31', '2024-12-31', '2025-09-30'];
const mode = process.argv[2] ?? 'asOf';
const rounds = Number(process.argv[3] ?? 12);
async function main() {
  const store = SqliteEventStore.open({ file: '/tmp/tt/jalon.sqlite' });
  const storage = SqliteProjectionStorage.open('/tmp/tt/read-models.sqlite');
  const runner = new ProjectionRunner(store, storage, PROJECTIONS);
  await runner.catchUp();
  await runner.timeTravelSnapshots()?.catchUp();
  const reports = new ReportService(store, runner, systemClock, 'Europe/Paris');
  const gcs: { start: number; dur: number; kind: number }[] = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) gcs.push({ start: e.startTime, dur: e.duration, kind: (e as any).detail?.kind ?? 0 }); }).observe({ entryTypes: ['gc'] });
  const tt = runner.timeTravelSnapshots()!;
  const times: { i: number; ms: number; gc: number; date: string; events: number; from: string }[] = [];
  for (let i = 0; i < rounds * 9; i++) {
    const date = CUT_DATES[i % 9]!;
    const cut = mode === 'asOf' ? { asOf: date } : { knownAt: `${date}T12:00:00Z` };
    const t0 = performance.now();
    const m = process.env.PRE ? await tt.modelsAtCut('budget', cut as any) : undefined;
    const t1 = performance.now();
    await reports.build({ kind: 'budget', ...(cut as any) });
    const t2 = performance.now();
    await new Promise((r) => setImmediate(r));
    const gc = gcs.filter((g) => g.start >= t1 && g.start < t2).reduce((s, g) => s + g.dur, 0);
    times.push({ i, ms: t2 - t1, ...(globalThis as any).TT, gc, date, events: m?.events ?? -1, from: String(m?.from), pre: t1 - t0 } as any);
  }
  const sorted = [...times].sort((a, b) => a.ms - b.ms);
  const p = (q: number) => sorted[Math.ceil(q * sorted.length) - 1]!.ms.toFixed(1);
  console.log(`p50 ${p(0.5)} p90 ${p(0.9)} p99 ${p(0.99)} max ${sorted[sorted.length - 1]!.ms.toFixed(1)}`);
  for (const t of sorted.slice(-8)) console.log(JSON.stringify(t));
  for (const d of CUT_DATES) { const xs = times.filter((t) => t.date === d); const avg = (f: string) => (xs.reduce((s, x: any) => s + x[f], 0) / xs.length).toFixed(1); console.log(d, 'docs', avg('docs'), 'model', avg('model'), 'fold', avg('fold'), 'all', avg('ms'), 'events', (xs[0] as any).events, 'ranges', (xs[0] as any).ranges); }
  for (const d of CUT_DATES) { const xs = times.filter((t) => t.date === d).map((t) => t.ms).sort((a, b) => a - b); console.log(d, xs.map((x) => x.toFixed(0)).join(' '), 'events', times.find((t) => t.date === d)!.events); }
  const big = gcs.filter((g) => g.dur > 20);
  console.log('gc >20ms', big.length, big.map((g) => `${g.kind}:${g.dur.toFixed(0)}`).join(' '));
  console.log('heap', (process.memoryUsage().heapUsed / 1e6).toFixed(0), 'MB');
}
void main();
