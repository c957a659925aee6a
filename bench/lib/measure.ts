/** Timing helpers: monotonic clock, medians and percentiles, timed throughput windows, latency samples. */

export function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export function millisecondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (p in 0–100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export interface Profile {
  /** Untimed run before the timed repetitions. */
  readonly warmupMs: number;
  /** Length of one timed repetition of a throughput measurement. */
  readonly windowMs: number;
  readonly repetitions: number;
  /** Time budget of one latency measurement, and its sample counts. */
  readonly latencyBudgetMs: number;
  readonly minSamples: number;
  readonly maxSamples: number;
  /** HTTP load: seconds per repetition. */
  readonly httpSeconds: number;
}

export const FULL_PROFILE: Profile = {
  warmupMs: 1_000,
  windowMs: 3_000,
  repetitions: 5,
  latencyBudgetMs: 3_000,
  minSamples: 50,
  maxSamples: 1_000,
  httpSeconds: 5,
};

/** For the smoke test: every measurement runs, briefly. */
export const QUICK_PROFILE: Profile = {
  warmupMs: 100,
  windowMs: 250,
  repetitions: 2,
  latencyBudgetMs: 200,
  minSamples: 5,
  maxSamples: 50,
  httpSeconds: 1,
};

export interface RateResult {
  /** Median over the repetitions, operations per second. */
  readonly perSecond: number;
  readonly samples: readonly number[];
}

/**
 * Runs `batch` (which performs some operations and returns how many) again and again for a
 * warm-up, then for `repetitions` windows; the rate of each window is operations / elapsed.
 */
export async function measureRate(profile: Profile, batch: () => Promise<number>): Promise<RateResult> {
  const warmupEnd = process.hrtime.bigint() + BigInt(profile.warmupMs) * 1_000_000n;
  while (process.hrtime.bigint() < warmupEnd) await batch();
  const samples: number[] = [];
  for (let r = 0; r < profile.repetitions; r++) {
    const started = process.hrtime.bigint();
    const end = started + BigInt(profile.windowMs) * 1_000_000n;
    let done = 0;
    while (process.hrtime.bigint() < end) done += await batch();
    samples.push(done / secondsSince(started));
  }
  return { perSecond: median(samples), samples };
}

/** `workers` concurrent loops of `operation` until the window closes; returns operations per second. */
export async function measureConcurrentRate(profile: Profile, workers: number, operation: (worker: number) => Promise<unknown>): Promise<RateResult> {
  const run = async (ms: number): Promise<number> => {
    const started = process.hrtime.bigint();
    const end = started + BigInt(ms) * 1_000_000n;
    let done = 0;
    await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        while (process.hrtime.bigint() < end) {
          await operation(worker);
          done++;
        }
      }),
    );
    return done / secondsSince(started);
  };
  await run(profile.warmupMs);
  const samples: number[] = [];
  for (let r = 0; r < profile.repetitions; r++) samples.push(await run(profile.windowMs));
  return { perSecond: median(samples), samples };
}

export interface LatencyResult {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly samples: number;
}

/**
 * Calls `operation` (after a few untimed calls) until the time budget or the sample cap; latencies in ms.
 * `prepare`, when given, runs untimed before each call (e.g. a write whose first reading is measured).
 */
export async function measureLatency(
  profile: Profile,
  operation: (i: number) => Promise<unknown> | unknown,
  warmup = 3,
  prepare?: (i: number) => Promise<unknown> | unknown,
): Promise<LatencyResult> {
  for (let i = 0; i < warmup; i++) await operation(i);
  const latencies: number[] = [];
  const budgetEnd = process.hrtime.bigint() + BigInt(profile.latencyBudgetMs) * 1_000_000n;
  for (let i = 0; latencies.length < profile.maxSamples && (latencies.length < profile.minSamples || process.hrtime.bigint() < budgetEnd); i++) {
    if (prepare) await prepare(warmup + i);
    const started = process.hrtime.bigint();
    await operation(warmup + i);
    latencies.push(millisecondsSince(started));
  }
  return { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: Math.max(...latencies), samples: latencies.length };
}
