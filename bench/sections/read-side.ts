import { CommandExecutor, timeOrderedIds, ReportService, runCommand, systemClock } from '@jalon/application';
import { SqliteEventStore } from '@jalon/event-store';
import { DEFAULT_HISTORY_PAGE_SIZE, PROJECTIONS, ProjectionRunner, SqliteProjectionStorage } from '@jalon/projections';
import { REPORT_KINDS } from '@jalon/reporting';
import Database from 'better-sqlite3';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_FINANCE } from '../generator/programme';
import { BENCH_ROOT, ChildRun, COMPILED_CLI, runChild } from '../lib/child';
import { BenchContext } from '../lib/context';
import { LatencyResult, measureLatency } from '../lib/measure';
import { checked, info } from '../lib/report';
import { expenditureEvent, ExpenditureInputs } from '../lib/workload';

const MiB = 2 ** 20;
const AS_OF = '2023-06-30';

interface ReplayOutcome {
  readonly total: number;
  readonly events: number;
  readonly seconds: number;
  readonly finished: boolean;
  /** Why it did not finish: stopped at the time limit, or the child's last words. */
  readonly stoppedBecause?: string;
  /** Peak resident memory of the child (VmHWM) when it finished; the largest seen when it was stopped. */
  readonly peakRssBytes: number | null;
  /** The whole-programme time-travel snapshots `jalon replay` builds after the rebuild: how many, in how long (compiled CLI only). */
  readonly snapshots?: { readonly count: number; readonly seconds: number };
}

/**
 * `jalon replay` in a child process, read models written beside the store: the compiled CLI
 * (dist/, built by `npm run bench`), so that the peak memory is Jalon's alone; without a build,
 * the same code through the TypeScript loader (whose compiler then counts in the memory).
 * While it runs, its progress (the projections' committed checkpoint) and peak memory (VmHWM)
 * are sampled, so that a replay stopped at the time limit still says how far it got.
 */
async function replay(ctx: BenchContext, size: number): Promise<ReplayOutcome> {
  const seeded = await ctx.seeded(size);
  const readModels = join(seeded.dir, 'read-models.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${readModels}${suffix}`, { force: true });
  const compiled = existsSync(COMPILED_CLI);
  ctx.log(
    `Replay: every projection over ${seeded.events.toLocaleString('en-US')} events (${compiled ? 'jalon replay, compiled' : 'TypeScript child: run npm run build for the compiled CLI'}, stopped after ${ctx.options.replayTimeoutSeconds} s)`,
  );
  let peak = 0;
  let applied = 0;
  const onTick = (pid: number) => {
    peak = Math.max(peak, peakRssOf(pid));
    applied = Math.max(applied, committedPosition(readModels));
  };
  const run = compiled
    ? await runChild('', ['--require', join(BENCH_ROOT, 'children', 'report-rss.js'), COMPILED_CLI, 'replay'], ctx.options.replayTimeoutSeconds, {
        env: { DATA_DIR: seeded.dir },
        compiled: true,
        onTick,
      })
    : await runChild('children/read-side.ts', ['replay', seeded.dir], ctx.options.replayTimeoutSeconds, { onTick });
  let outcome: ReplayOutcome;
  if (compiled && run.result) {
    // As the command line writes numbers, in French: « 1 000 743 événements rejoués en 95,73 s » (thousands apart, a decimal comma).
    const said = /(\d[\d \u202f\u00a0]*) événements rejoués en (\d[\d \u202f\u00a0]*,\d+) s/.exec(String(run.result.output));
    if (!said) throw new Error(`jalon replay said something unexpected:\n${String(run.result.output)}`);
    const exit = run.messages.find((m) => m.type === 'exit');
    const numberOf = (french: string) => Number(french.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.'));
    // Then « 200 instantané(s) de voyage dans le temps construit(s) en 95,12 s »: part of the command, timed apart.
    const built = /(\d[\d \u202f\u00a0]*) instantané\(s\) de voyage dans le temps construit\(s\) en (\d[\d \u202f\u00a0]*,\d+) s/.exec(String(run.result.output));
    outcome = {
      total: seeded.events,
      events: numberOf(said[1]!),
      seconds: numberOf(said[2]!),
      finished: true,
      peakRssBytes: (exit?.maxRssBytes as number | undefined) ?? (peak || null),
      ...(built ? { snapshots: { count: numberOf(built[1]!), seconds: numberOf(built[2]!) } } : {}),
    };
  } else {
    outcome = outcomeOf(seeded.events, run);
    if (!outcome.finished) outcome = { ...outcome, events: Math.max(outcome.events, applied), peakRssBytes: Math.max(outcome.peakRssBytes ?? 0, peak) || null };
  }
  if (outcome.finished) ctx.shared.replayed.add(size);
  return outcome;
}

/** Peak resident memory of a running process (Linux: VmHWM), 0 when unknown. */
function peakRssOf(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The position every projection has committed (positions of a seeded store count its events), 0 while unknown. */
function committedPosition(file: string): number {
  if (!existsSync(file)) return 0;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT COUNT(*) AS n, MIN(CAST(position AS INTEGER)) AS p FROM checkpoints').get() as { n: number; p: number | null };
    return row.n >= PROJECTIONS.length ? Number(row.p ?? 0) : 0;
  } catch {
    return 0;
  } finally {
    db?.close();
  }
}

function outcomeOf(total: number, run: ChildRun): ReplayOutcome {
  const { result, messages, seconds: wallSeconds } = run;
  if (result) {
    return { total, events: result.events as number, seconds: result.seconds as number, finished: true, peakRssBytes: result.maxRssBytes as number };
  }
  const progress = messages.filter((m) => m.type === 'progress');
  const last = progress[progress.length - 1];
  const lastWords = run.output.trim().split('\n').filter((line) => /error|heap|memory/i.test(line)).pop() ?? run.output.trim().split('\n').pop() ?? '';
  return {
    total,
    events: (last?.events as number | undefined) ?? 0,
    seconds: wallSeconds,
    finished: false,
    stoppedBecause: run.timedOut ? 'time limit' : `the child process failed: ${lastWords.slice(0, 200)}`,
    peakRssBytes: progress.length ? Math.max(...progress.map((m) => m.rssBytes as number)) : null,
  };
}

function unfinishedNote(outcome: ReplayOutcome, what: string): string {
  const why = outcome.stoppedBecause === 'time limit' ? `stopped after ${Math.round(outcome.seconds)} s` : `${outcome.stoppedBecause} after ${Math.round(outcome.seconds)} s`;
  return `${why}, ${outcome.events.toLocaleString('en-US')} of ${outcome.total.toLocaleString('en-US')} events ${what}`;
}

/**
 * What any rebuild producing these read models must at least do, measured on the ones `jalon replay`
 * just wrote: every document committed once through the read-model storage (its serialisation and
 * SQLite writes, 10,000 documents a commit) into a fresh file beside the store; no event read, no
 * projection run. Only the commits are timed (the documents are read back and parsed between them,
 * which a rebuild does not do). Its rate, counted in the store's events, bounds the replay's.
 */
function writeOnceFloor(readModels: string, events: number): { seconds: number; documents: number; bytes: number; rate: number } {
  const target = `${readModels}.floor`;
  const remove = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  };
  remove();
  const source = new Database(readModels, { readonly: true, fileMustExist: true });
  const storage = SqliteProjectionStorage.open(target);
  try {
    // Only the commits are timed: reading and parsing the documents back is the measurement's own work, which a rebuild does not do.
    let committing = 0n;
    const positions = new Map<string, bigint>();
    let batch: { id: string; docs: Map<string, unknown> } | undefined;
    let documents = 0;
    let bytes = 0;
    const flush = () => {
      if (!batch || batch.docs.size === 0) return;
      const expectedPosition = positions.get(batch.id) ?? 0n;
      const started = process.hrtime.bigint();
      storage.commit([{ id: batch.id, expectedPosition, position: expectedPosition + 1n, caughtUp: false, docs: batch.docs, building: true }]);
      committing += process.hrtime.bigint() - started;
      positions.set(batch.id, expectedPosition + 1n);
      batch = undefined;
    };
    const rows = source.prepare('SELECT projection, key, doc FROM documents ORDER BY projection, key').raw(true);
    for (const [projection, key, doc] of rows.iterate() as IterableIterator<[string, string, string]>) {
      if (batch && (batch.id !== projection || batch.docs.size === 10_000)) flush();
      batch ??= { id: projection, docs: new Map() };
      batch.docs.set(key, JSON.parse(doc));
      documents += 1;
      bytes += doc.length;
    }
    flush();
    const seconds = Number(committing) / 1e9;
    return { seconds, documents, bytes, rate: events / seconds };
  } finally {
    storage.close();
    source.close();
    remove();
  }
}

/**
 * The other side of what a rebuild must do: every projection folded over the whole log as `jalon
 * replay` reads it (the store read, events upcast), its documents kept in memory (as time travel
 * keeps them), nothing serialised or written. Timed in a child process from its first read to its
 * last event; its rate bounds the replay's as the floor above does, whatever the storage.
 */
async function inMemory(ctx: BenchContext, size: number): Promise<{ rate: number | null; note: string }> {
  const seeded = await ctx.seeded(size);
  const run = await runChild('children/read-side.ts', ['in-memory', seeded.dir], ctx.options.replayTimeoutSeconds);
  if (!run.result) return { rate: null, note: run.timedOut ? `stopped after ${Math.round(run.seconds)} s` : `the child process failed: ${run.output.trim().split('\n').pop() ?? ''}` };
  const events = run.result.events as number;
  const seconds = run.result.seconds as number;
  const peak = run.result.maxRssBytes as number;
  return { rate: events / seconds, note: `${seconds.toFixed(1)} s, peak memory ${Math.round(peak / MiB).toLocaleString('en-US')} MiB` };
}

export async function replaySection(ctx: BenchContext): Promise<void> {
  const outcomes: Record<string, ReplayOutcome> = {};
  for (const size of ctx.replaySizes()) {
    const outcome = await replay(ctx, size);
    outcomes[String(outcome.total)] = outcome;
    const label = `${outcome.total.toLocaleString('en-US')} events`;
    const rate = outcome.events > 0 ? outcome.events / outcome.seconds : null;
    const unfinished = outcome.finished ? undefined : `${unfinishedNote(outcome, 'applied')}; the rate is that of the part replayed`;
    const raw = ctx.shared.rawReadPerSecond.get(size);
    const memory = outcome.peakRssBytes === null ? null : outcome.peakRssBytes / MiB;
    ctx.add(
      info('replay', `jalon replay, all projections (${label})`, rate, 'events/s', unfinished),
      checked('replay', `replay / raw read-and-parse (${label})`, rate !== null && raw ? (100 * rate) / raw : null, '%', { atLeast: 50 }),
      size >= 1_000_000
        ? checked('replay', `peak memory (${label})`, memory, 'MiB', { below: 1024 }, outcome.finished ? undefined : 'largest RSS seen before the replay was stopped')
        : info('replay', `peak memory (${label})`, memory, 'MiB', outcome.finished ? undefined : 'largest RSS seen before the replay was stopped'),
    );
    if (outcome.snapshots) {
      // The rate above is the rebuild's, as the command prints it; what the whole command takes, its time-travel snapshots included, is said too.
      const { count, seconds } = outcome.snapshots;
      ctx.add(
        info('replay', `time-travel snapshots built after the rebuild (${label})`, seconds, 's', `${count.toLocaleString('en-US')} snapshots as the command counts them, built from the log once the read models are`),
        info('replay', `jalon replay, whole command: rebuild + snapshots (${label})`, outcome.events / (outcome.seconds + seconds), 'events/s', `${(outcome.seconds + seconds).toFixed(1)} s in all`),
      );
    }
    if (!outcome.finished) continue;
    ctx.log(`Replay: the read models just built, written once (${label}, no projection run)`);
    const floor = writeOnceFloor(join((await ctx.seeded(size)).dir, 'read-models.sqlite'), outcome.total);
    const what = `${floor.documents.toLocaleString('en-US')} documents, ${Math.round(floor.bytes / MiB).toLocaleString('en-US')} MiB of JSON, in ${floor.seconds.toFixed(1)} s`;
    ctx.add(
      info('replay', `floor: the read models written once, no projection run (${label})`, floor.rate, 'events/s', what),
      info('replay', `floor / raw read-and-parse (${label})`, raw ? (100 * floor.rate) / raw : null, '%', 'the best replay / raw ratio these read models allow'),
    );
    ctx.log(`Replay: every projection in memory (${label}, nothing stored)`);
    const computed = await inMemory(ctx, size);
    ctx.add(
      info('replay', `floor: the projections run in memory, nothing stored (${label})`, computed.rate, 'events/s', computed.note),
      info('replay', `projections in memory / raw read-and-parse (${label})`, computed.rate !== null && raw ? (100 * computed.rate) / raw : null, '%', 'the best replay / raw ratio these projections allow'),
    );
  }
  ctx.data.replay = outcomes;
}

/** Effective dates and recorded instants spread over the synthetic history (2019–2025), for time-travel cuts. */
const CUT_DATES = ['2019-09-30', '2020-06-30', '2021-03-31', '2021-12-31', '2022-09-30', '2023-06-30', '2024-03-31', '2024-12-31', '2025-09-30'];
const CUT_INSTANTS = CUT_DATES.map((date) => `${date}T12:00:00Z`);

/** The fewest samples whose p99 (nearest rank) is not their slowest one. */
const TAIL_SAMPLES = 101;

/**
 * Time travel on the live read models' store (docs/decisions/0024): as-of and known-at reports for
 * one antenna (built from its own streams) and for the whole programme (from the nearest snapshot,
 * docs/decisions/0028), and the dashboard's antenna page « État au » (its four reports), each at
 * cuts spread over the history. The slow rows (the whole programme, the page) are warmed up once.
 */
async function timeTravelQueries(
  ctx: BenchContext,
  reports: ReportService,
  manifest: readonly { readonly antennaId: string; readonly openedOn: string }[],
  at: string,
  queries: Record<string, unknown>,
): Promise<void> {
  const antennaKinds = ['budget', 'funding', 'phases'] as const;
  // Each antenna at the cuts a year or more after its opening (an antenna not open yet at the cut is refused).
  const cutsOf = (openedOn: string) => CUT_DATES.map((date, index) => ({ date, instant: CUT_INSTANTS[index]! })).filter(({ date }) => date >= nextYear(openedOn));
  const subjects = manifest.map(({ antennaId, openedOn }) => ({ antennaId, cuts: cutsOf(openedOn) })).filter(({ cuts }) => cuts.length > 0);
  const subjectOf = (i: number) => {
    const { antennaId, cuts } = subjects[(i * 7) % subjects.length]!;
    return { antennaId, ...cuts[i % cuts.length]! };
  };
  const rows: { key: string; what: string; query: (i: number) => Promise<unknown>; slow?: boolean; antenna?: boolean }[] = [
    {
      antenna: true,
      key: 'as-of/antenna',
      what: 'as-of report, one antenna (budget, funding, phases in turn)',
      query: (i) => reports.build({ kind: antennaKinds[i % 3]!, antennaId: subjectOf(i).antennaId, asOf: subjectOf(i).date }),
    },
    {
      antenna: true,
      key: 'known-at/antenna',
      what: 'known-at report, one antenna (budget, funding, phases in turn)',
      query: (i) => reports.build({ kind: antennaKinds[i % 3]!, antennaId: subjectOf(i).antennaId, knownAt: subjectOf(i).instant }),
    },
    {
      antenna: true,
      key: 'as-of/antenna-page',
      what: 'dashboard antenna page « État au » (phases, budget, funding, history reports)',
      query: async (i) => {
        const { antennaId, date } = subjectOf(i);
        for (const kind of ['phases', 'budget', 'funding', 'history'] as const) await reports.build({ kind, antennaId, asOf: date });
      },
      slow: true,
    },
    { key: 'as-of/programme', what: 'as-of budget report, whole programme', query: (i) => reports.build({ kind: 'budget', asOf: CUT_DATES[i % CUT_DATES.length]! }), slow: true },
    { key: 'known-at/programme', what: 'known-at budget report, whole programme', query: (i) => reports.build({ kind: 'budget', knownAt: CUT_INSTANTS[i % CUT_INSTANTS.length]! }), slow: true },
  ];
  for (const row of rows) {
    if (row.antenna && subjects.length === 0) {
      ctx.add(info('queries', row.what, null, 'ms', 'no antenna opened a year before the last cut'));
      continue;
    }
    ctx.log(`Queries: ${row.what}`);
    // A slow row gets the samples its p99 needs (at least 101: with fewer, the p99 is the slowest
    // sample), whatever its time budget; the quick profile caps them at its maximum.
    const profile = row.slow ? { ...ctx.profile, minSamples: Math.min(ctx.profile.maxSamples, TAIL_SAMPLES) } : ctx.profile;
    const latency = await measureLatency(profile, row.query, row.slow ? 1 : 3);
    queries[`time-travel/${row.key}`] = latency;
    ctx.add(info('queries', `${row.what}, p50 (${at})`, latency.p50Ms, 'ms'), checked('queries', `${row.what}, p99 (${at})`, latency.p99Ms, 'ms', { below: 250 }));
  }
}

interface AgreementOfStore {
  readonly antennaId: string;
  readonly agreementId: string;
  readonly committedOn: string;
  readonly publicData?: unknown;
}

/** Every funding agreement of the read models, antenna by antenna, as the funding read model lists them. */
function fundingAgreements(runner: ProjectionRunner): AgreementOfStore[] {
  const docs = runner.view<{ readonly agreements?: readonly AgreementOfStore[] }>('funding').list('antenna-funding:');
  return docs.flatMap((doc) => doc.agreements ?? []);
}

/**
 * The public data of every agreement that has none (the national « subventions » format refuses an
 * agreement without it), recorded as finance staff would: RecordFundingPublicData through the
 * command path, on the timed store's copy, untimed (a closed antenna's agreements too: the one
 * command a closed antenna accepts, docs/decisions/0035); then the read models catch up.
 */
async function recordPublicData(ctx: BenchContext, store: SqliteEventStore, runner: ProjectionRunner, agreements: readonly AgreementOfStore[]): Promise<void> {
  const missing = agreements.filter((agreement) => agreement.publicData === undefined);
  if (missing.length === 0) return;
  const executor = new CommandExecutor({ store, clock: systemClock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
  for (const { antennaId, agreementId, committedOn } of missing) {
    const publicData = {
      funderSiret: '99900000100019',
      decisionReference: `DEC-${agreementId}`.slice(0, 64),
      beneficiaryName: 'Conservatoire national des arts et métiers',
      beneficiarySiret: '99900000200017',
      object: `Financement de l’antenne ${antennaId}`.slice(0, 256),
      nature: 'aide en numéraire',
      euNotified: false,
    };
    await runCommand(executor, 'RecordFundingPublicData', { antennaId, agreementId, publicData, effectiveDate: committedOn }, BENCH_FINANCE);
  }
  ctx.log(`Queries: public data of ${missing.length.toLocaleString('en-US')} funding agreements recorded (untimed), for the subventions export`);
  await runner.catchUp();
}

/** Expenditures appended, and commits, by {@link writtenWhileFollowing}. */
const FOLLOWED_COMMITS = 60;
const EVENTS_PER_FOLLOWED_COMMIT = 34;

/**
 * What following the log writes to the read models: expenditures appended as the command path
 * records them (one per command, on antennas drawn at random), the read models catching up after
 * every 34 of them (what a commit every 20 ms gathers at 1,700 commands/s), through a second runner
 * on the same read models whose storage counts the documents and the JSON it commits. A size, not a
 * time: the projection thread's share of the HTTP section's commands is mostly this writing.
 */
async function writtenWhileFollowing(ctx: BenchContext, store: SqliteEventStore, readModelsFile: string, antennas: readonly string[], at: string): Promise<Record<string, number>> {
  const storage = SqliteProjectionStorage.open(readModelsFile);
  let documents = 0;
  let bytes = 0;
  const counting = new Proxy(storage, {
    get(target, property) {
      if (property === 'commit') {
        return (...args: Parameters<SqliteProjectionStorage['commit']>) => {
          for (const commit of args[0]) {
            for (const doc of commit.docs.values()) {
              documents += 1;
              if (doc !== null) bytes += Buffer.byteLength(JSON.stringify(doc));
            }
          }
          target.commit(...args);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  try {
    const runner = new ProjectionRunner(store, counting, PROJECTIONS);
    await runner.catchUp();
    documents = 0;
    bytes = 0;
    const inputs = new ExpenditureInputs(`${ctx.options.seed}:following`);
    for (let commit = 0; commit < FOLLOWED_COMMITS; commit++) {
      for (let i = 0; i < EVENTS_PER_FOLLOWED_COMMIT; i++) {
        const antennaId = inputs.pickAntenna(antennas);
        await store.append(`budget-${antennaId}`, [expenditureEvent(inputs, antennaId)], { expectedRevision: 'any' });
      }
      await runner.catchUp();
    }
  } finally {
    storage.close();
  }
  const events = FOLLOWED_COMMITS * EVENTS_PER_FOLLOWED_COMMIT;
  const what = `read models written following the log, per recorded expenditure (commits of ${EVENTS_PER_FOLLOWED_COMMIT}; ${at})`;
  ctx.add(info('queries', `${what}: JSON`, bytes / events, 'bytes'), info('queries', `${what}: documents`, documents / events, 'documents'));
  return { events, documents, bytes };
}

function nextYear(date: string): string {
  return `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;
}

/**
 * Report queries on the read models of the largest store whose replay finished (built by the
 * replay section, or here if it did not run): each report kind for the whole programme and for one
 * antenna, as `GET /api/reports/:kind` computes it (ReportService.build on the live read models),
 * then time travel on the same store (see timeTravelQueries).
 * Then an as-of report on the full-size store, in a child process (it replays the log in memory).
 */
export async function queriesSection(ctx: BenchContext): Promise<void> {
  let size = [...ctx.replaySizes()].sort((a, b) => b - a).find((s) => ctx.shared.replayed.has(s));
  if (size === undefined) {
    const smallest = Math.min(...ctx.replaySizes());
    if ((await replay(ctx, smallest)).finished) size = smallest;
  }
  const queries: Record<string, unknown> = {};
  if (size !== undefined) {
    // A copy: the first-query-after-a-write rows append to the store, which stays as seeded for
    // the other sections (the integrity section verifies its chain) and the next run (--data-dir).
    const seeded = await ctx.writableCopy(size);
    const at = `${seeded.antennas.toLocaleString('en-US')} antennas, ${seeded.events.toLocaleString('en-US')} events`;
    const store = SqliteEventStore.open({ file: seeded.file });
    const storage = SqliteProjectionStorage.open(join(seeded.dir, 'read-models.sqlite'));
    const runner = new ProjectionRunner(store, storage, PROJECTIONS);
    // As the service does at start: the read models are checked against this store (and are
    // already caught up by the replay section) before they serve anything.
    await runner.catchUp();
    // Whole-programme time-travel snapshots (docs/decisions/0028): `jalon replay` builds them; built here up to the head otherwise.
    const snapshotsStarted = Date.now();
    await runner.timeTravelSnapshots()?.catchUp();
    ctx.log(`Queries: time-travel snapshots up to the head in ${Date.now() - snapshotsStarted} ms (${JSON.stringify(runner.timeTravelSnapshots()?.status())})`);
    const reports = new ReportService(store, runner, systemClock, 'Europe/Paris');
    const antennas = seeded.openAntennaIds;
    // The audit trail is read a page at a time, as the dashboard reads it.
    const programmeQuery = (kind: string) => (kind === 'history' ? { kind, page: 1, pageSize: DEFAULT_HISTORY_PAGE_SIZE } : { kind });
    const inputs = new ExpenditureInputs(`${ctx.options.seed}:queries`);
    const writeOne = async (antennaId: string) => {
      const funding = runner.view<{ agreements?: readonly { agreementId: string }[] }>('funding').get(`antenna-funding:${antennaId}`);
      const agreementId = funding?.agreements?.[0]?.agreementId;
      const event = expenditureEvent(inputs, antennaId);
      await store.append(`budget-${antennaId}`, [agreementId ? { ...event, data: { ...event.data, fundingAgreementId: agreementId } } : event], { expectedRevision: 'any' });
      await runner.catchUp();
    };
    try {
      // What the statement and the subventions export need, as a user gives it: an agreement of the
      // antenna, picked from the funding read model, and each agreement's public data (recorded once).
      const agreements = fundingAgreements(runner);
      await recordPublicData(ctx, store, runner, agreements);
      const statementSubjects = [...new Map(agreements.map((agreement) => [agreement.antennaId, agreement])).values()];
      const antennaQuery = (kind: string, i: number) => {
        if (kind !== 'etat-depenses') return { ...programmeQuery(kind), antennaId: antennas[i % antennas.length] };
        const { antennaId, agreementId } = statementSubjects[i % statementSubjects.length]!;
        return { kind, antennaId, agreementId };
      };
      for (const kind of REPORT_KINDS) {
        // The statement of expenditure is one agreement's, of one antenna: there is no whole-programme one.
        for (const scope of kind === 'etat-depenses' ? (['antenna'] as const) : (['programme', 'antenna'] as const)) {
          const query = (i: number) => reports.build(scope === 'programme' ? programmeQuery(kind) : antennaQuery(kind, i));
          ctx.log(`Queries: ${kind} report, ${scope}`);
          let latency: LatencyResult | null = null;
          try {
            latency = await measureLatency(ctx.profile, query);
          } catch (error) {
            // e.g. the history report exists per antenna only.
            queries[`${kind}/${scope}`] = { notApplicable: (error as Error).message };
            ctx.add(info('queries', `${kind} report, ${scope === 'programme' ? 'whole programme' : 'one antenna'}`, null, 'ms', `not applicable: ${(error as Error).message}`));
            continue;
          }
          queries[`${kind}/${scope}`] = latency;
          const what = `${kind} report, ${scope === 'programme' ? 'whole programme' : 'one antenna'}`;
          ctx.add(info('queries', `${what}, p50 (${at})`, latency.p50Ms, 'ms'), checked('queries', `${what}, p99 (${at})`, latency.p99Ms, 'ms', { below: 5 }));
          if (scope === 'programme') {
            // The first query after a write: before each timed query (untimed), one expenditure is
            // appended to an antenna, charged to one of its agreements when it has one, and the read
            // models catch up; the report then reads the documents that write changed for the first time.
            const rebuilt = await measureLatency(ctx.profile, () => reports.build(programmeQuery(kind)), 3, (i) => writeOne(antennas[i % antennas.length]!));
            queries[`${kind}/${scope}/rebuilt`] = rebuilt;
            ctx.add(
              info('queries', `${what}, first query after a write, p50 (${at})`, rebuilt.p50Ms, 'ms'),
              checked('queries', `${what}, first query after a write, p99 (${at})`, rebuilt.p99Ms, 'ms', { below: 5 }),
            );
          }
        }
      }
      // A filtered page of the whole programme's audit trail (the dashboard's « Journal d’audit »
      // filter form): one kind of fact, one actor, a year of effective dates; then the first query after a write.
      const filters: readonly (readonly [string, Record<string, string>])[] = [
        ['one kind of fact', { eventType: 'TrancheReceived' }],
        ['one actor', { actor: BENCH_FINANCE.id }],
        ['a year of effective dates', { from: '2023-01-01', to: '2023-12-31' }],
      ];
      for (const [named, filter] of filters) {
        const what = `history report, whole programme, filtered by ${named}`;
        ctx.log(`Queries: ${what}`);
        const query = () => reports.build({ ...programmeQuery('history'), ...filter });
        const latency = await measureLatency(ctx.profile, query);
        const rebuilt = await measureLatency(ctx.profile, query, 3, (i) => writeOne(antennas[i % antennas.length]!));
        queries[`history/programme/${named}`] = latency;
        queries[`history/programme/${named}/rebuilt`] = rebuilt;
        ctx.add(
          info('queries', `${what}, p50 (${at})`, latency.p50Ms, 'ms'),
          checked('queries', `${what}, p99 (${at})`, latency.p99Ms, 'ms', { below: 5 }),
          info('queries', `${what}, first query after a write, p50 (${at})`, rebuilt.p50Ms, 'ms'),
          checked('queries', `${what}, first query after a write, p99 (${at})`, rebuilt.p99Ms, 'ms', { below: 5 }),
        );
      }
      // The rows above appended one command per sample (about 10,000 events). A running service's
      // projections build the time-travel marks and snapshots in the background as the log grows
      // (a tail under 500 events); this process runs no projection loop, so they are built here,
      // as the service would have them, before time travel is measured.
      const tailStarted = Date.now();
      await runner.timeTravelSnapshots()?.catchUp();
      ctx.log(`Queries: time-travel snapshots up to the head again in ${Date.now() - tailStarted} ms (${JSON.stringify(runner.timeTravelSnapshots()?.status())})`);
      await timeTravelQueries(ctx, reports, seeded.seed.manifest.antennas, at, queries);
      queries.following = await writtenWhileFollowing(ctx, store, join(seeded.dir, 'read-models.sqlite'), antennas, at);
    } finally {
      storage.close();
      await store.close();
    }
  } else {
    ctx.add(info('queries', 'report queries', null, 'ms', 'no replay finished within the time limit: no read models to query'));
  }

  const full = await ctx.seeded(ctx.options.events);
  ctx.log(`Queries: as-of budget report (${AS_OF}) over ${full.events.toLocaleString('en-US')} events (child process, stopped after ${ctx.options.asOfTimeoutSeconds} s)`);
  const run = await runChild('children/read-side.ts', ['as-of', full.dir, 'budget', AS_OF], ctx.options.asOfTimeoutSeconds);
  const asOf = outcomeOf(full.events, run);
  ctx.add(
    checked(
      'queries',
      `as-of budget report (${full.events.toLocaleString('en-US')} events)`,
      asOf.finished ? asOf.seconds : null,
      's',
      { below: 5 },
      asOf.finished ? undefined : unfinishedNote(asOf, 'replayed'),
    ),
  );
  ctx.data.queries = { readModelsOf: size, latencies: queries, asOf: { date: AS_OF, ...asOf } };
}
