import { ReportService } from '@jalon/application';
import { EventStore, connectEventStoreDb, SqliteEventStore, StoredEvent } from '@jalon/event-store';
import {
  ANTENNA_SUBJECT_PROJECTIONS,
  EventCut,
  PROJECTIONS,
  ProjectionRunner,
  replayInMemory,
  REPORT_BUILDERS,
  REPORT_PROJECTION,
  REPORT_READ_MODELS,
  SqliteProjectionStorage,
} from '@jalon/projections';
import { REPORT_KINDS, ReportKind } from '@jalon/reporting';
import { todayIn } from '@jalon/domain';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedStore } from '../../bench/generator/seed';
import { startEventStoreDbTestDouble } from '../doubles/eventstoredb/eventstoredb-test-double';
import { recordDemoHistory } from '../support/demo-history';

/**
 * Time travel's exactness (docs/decisions/0024): whatever path a cut report takes (the antenna's
 * own streams, or the whole log), it equals, byte for byte in its JSON, the report built from a
 * replay of the whole log to that cut. Checked on the demo history and on a seeded synthetic
 * programme (effective dates out of log order, corrections, several agreements per antenna), at a
 * sample of cuts: before the first event, at, just before and just after sampled events' effective
 * dates and recorded instants, after the last event, and both cuts combined.
 */

const TIME_ZONE = 'Europe/Paris';
// The service's today lies after every cut the specs sample (a cut in the future is refused).
const TODAY = new Date('2101-01-01T10:00:00Z');
const clock = { now: () => TODAY };

interface Subject {
  readonly store: EventStore;
  readonly storage: SqliteProjectionStorage;
  readonly runner: ProjectionRunner;
  readonly reports: ReportService;
  readonly events: StoredEvent[];
  readonly antennas: string[];
}

async function subjectOf(dir: string, store: EventStore): Promise<Subject> {
  const storage = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
  const runner = new ProjectionRunner(store, storage, PROJECTIONS);
  await runner.catchUp();
  const events: StoredEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  const antennas = [...new Set(events.filter((event) => event.type === 'AntennaOpened').map((event) => String(event.data.antennaId)))].sort();
  return { store, storage, runner, reports: new ReportService(store, runner, clock, TIME_ZONE), events, antennas };
}

/** A report or the error it was refused with, as JSON: what a caller sees. */
async function outcome(build: () => unknown): Promise<string> {
  try {
    return JSON.stringify({ report: await build() });
  } catch (error) {
    const { name, message, code } = error as Error & { code?: string };
    return JSON.stringify({ error: { name, code, message } });
  }
}

function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
function instantPlus(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString();
}

/** Cuts around a sample of events (every `step`-th, plus the first and last), and outside the history. */
function cutsOf(events: readonly StoredEvent[], samples: number): EventCut[] {
  const dated = events.filter((event) => typeof event.data.effectiveDate === 'string');
  const step = Math.max(1, Math.floor(dated.length / samples));
  const picked = dated.filter((_, index) => index % step === 0 || index === dated.length - 1);
  const dates = [...new Set(picked.map((event) => String(event.data.effectiveDate)))].sort();
  const instants = picked.map((event) => event.metadata.recordedAt);
  const cuts: EventCut[] = [{ asOf: '1990-01-01' }, { asOf: '2100-12-31' }, { knownAt: '1990-01-01T00:00:00.000Z' }, { knownAt: '2100-12-31T00:00:00.000Z' }];
  dates.forEach((date, index) => {
    cuts.push({ asOf: date });
    if (index % 2 === 0) cuts.push({ asOf: dayBefore(date) }, { asOf: dayAfter(date) });
  });
  instants.forEach((instant, index) => {
    cuts.push({ knownAt: instant });
    if (index % 2 === 1) cuts.push({ knownAt: instantPlus(instant, -1) }, { knownAt: instantPlus(instant, 1) });
  });
  // Both cuts: a late effective date seen from an early instant, and the other way round.
  for (let index = 0; index < Math.min(dates.length, instants.length); index += 3) {
    cuts.push({ asOf: dates[dates.length - 1 - index]!, knownAt: instants[index]! }, { asOf: dates[index]!, knownAt: instants[instants.length - 1 - index]! });
  }
  return cuts;
}

/** The reference: the report built from a replay of the whole log to the cut. */
async function referenceReports(subject: Subject, cut: EventCut, kinds: readonly ReportKind[], antennaIds: readonly (string | undefined)[]): Promise<Map<string, string>> {
  const referenceDate = cut.asOf ?? todayIn(cut.knownAt ? new Date(cut.knownAt) : TODAY, TIME_ZONE);
  const byProjection = new Map<string, Awaited<ReturnType<typeof replayInMemory>>>();
  const found = new Map<string, string>();
  for (const kind of kinds) {
    const names = REPORT_READ_MODELS[kind];
    const name = names.join('+');
    if (!byProjection.has(name)) byProjection.set(name, await replayInMemory(subject.store, PROJECTIONS.filter((projection) => names.includes(projection.name)), cut));
    const models = byProjection.get(name)!;
    for (const antennaId of antennaIds) {
      found.set(`${kind}/${antennaId ?? '*'}`, await outcome(() => REPORT_BUILDERS[kind](models, { ...(antennaId ? { antennaId } : {}), ...cut, referenceDate })));
    }
  }
  return found;
}

/**
 * Compares every served report with the reference; returns how many were compared and the options
 * of every whole-log read (`readAll`) the served reports made.
 */
async function expectCutReportsEqualFullReplay(
  subject: Subject,
  cuts: readonly EventCut[],
  kinds: readonly ReportKind[],
  antennaIds: readonly (string | undefined)[],
): Promise<{ compared: number; logReads: unknown[] }> {
  let compared = 0;
  const logReads: unknown[] = [];
  for (const cut of cuts) {
    const reference = await referenceReports(subject, cut, kinds, antennaIds);
    const readAll = jest.spyOn(subject.store, 'readAll');
    try {
      for (const kind of kinds) {
        for (const antennaId of antennaIds) {
          const served = await outcome(() => subject.reports.build({ kind, ...(antennaId ? { antennaId } : {}), ...cut }));
          const expected = reference.get(`${kind}/${antennaId ?? '*'}`);
          if (served !== expected) throw new Error(`${kind} report ${antennaId ?? 'programme'} at ${JSON.stringify(cut)} differs from a full replay:\n${served}\n---\n${expected}`);
          compared++;
        }
      }
      logReads.push(...readAll.mock.calls.map(([options]) => options));
    } finally {
      readAll.mockRestore();
    }
  }
  return { compared, logReads };
}

const SUBJECT_KINDS = REPORT_KINDS.filter((kind) => REPORT_READ_MODELS[kind].every((name) => ANTENNA_SUBJECT_PROJECTIONS.has(name)));

describe.each([
  [
    'demo history',
    false,
    (events: readonly StoredEvent[]) => cutsOf(events, 4),
    async (dir: string) => {
      const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
      await recordDemoHistory(store);
      return { store };
    },
  ],
  [
    'demo history on EventStoreDB (its test double)',
    false,
    // Every third cut: each stream read is a call to the double.
    (events: readonly StoredEvent[]) => cutsOf(events, 2).filter((_, index) => index % 3 === 0),
    async () => {
      const double = await startEventStoreDbTestDouble();
      const store = connectEventStoreDb(double.connectionString);
      await recordDemoHistory(store);
      return { store, stop: () => double.stop() };
    },
  ],
  [
    'seeded synthetic programme',
    true,
    (events: readonly StoredEvent[]) => cutsOf(events, 4),
    async (dir: string) => {
      const seeded = await seedStore(join(dir, 'seed'), { events: 900, antennas: 3, seed: 'time-travel' });
      return { store: SqliteEventStore.open({ file: seeded.file }) };
    },
  ],
] as const)('time travel on the %s', (_name, outOfOrder, sampleCuts, open) => {
  let dir: string;
  let subject: Subject;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-time-travel-'));
    const opened: { store: EventStore; stop?: () => Promise<void> } = await open(dir);
    stop = opened.stop;
    subject = await subjectOf(dir, opened.store);
  }, 60_000);
  afterAll(async () => {
    subject?.storage.close();
    await subject?.store.close();
    await stop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has what the checks below need: an antenna with funding agreements (and, synthetic, effective dates out of log order)', () => {
    expect(subject.antennas.length).toBeGreaterThan(0);
    expect(subject.events.some((event) => event.type === 'FundingCommitted')).toBe(true);
    const dates = subject.events.map((event) => event.data.effectiveDate).filter((date): date is string => typeof date === 'string');
    expect(dates.some((date, index) => index > 0 && date < dates[index - 1]!)).toBe(outOfOrder);
  });

  it('rule: an antenna report at any cut, built from the antenna’s own streams, equals the report of a full replay to that cut (every kind that takes that path)', async () => {
    const antennaIds = [...subject.antennas.slice(0, 2), 'antenne-inconnue'];
    const { compared, logReads } = await expectCutReportsEqualFullReplay(subject, sampleCuts(subject.events), SUBJECT_KINDS, antennaIds);
    expect(compared).toBeGreaterThan(50);
    // The whole log was never replayed for these reports: only the tail of funding commitments after the live checkpoint was read.
    expect(logReads.length).toBeGreaterThan(0);
    for (const options of logReads) expect(options).toEqual({ after: expect.any(BigInt), types: ['FundingCommitted'] });
  }, 60_000);

  it('the comparison above catches a subject replay that misses one of the antenna’s streams (its funding agreements’)', async () => {
    const funded = String(subject.events.find((event) => event.type === 'FundingCommitted')!.data.antennaId);
    const blind = new Proxy(subject.store, {
      get(target, property) {
        if (property === 'readStream') {
          return (streamId: string, options?: Parameters<EventStore['readStream']>[1]) =>
            streamId.startsWith('funding-') ? (async function* () {})() : target.readStream(streamId, options);
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const reports = new ReportService(blind, subject.runner, clock, TIME_ZONE);
    await expect(expectCutReportsEqualFullReplay({ ...subject, reports }, [{ asOf: '2100-12-31' }], ['funding'], [funded])).rejects.toThrow(/differs from a full replay/);
  });

  it('rule: programme-wide cut reports, and the antenna reports that keep the full replay (history), equal a full replay to the cut', async () => {
    const middle = subject.events[Math.floor(subject.events.length / 2)]!;
    const cuts: EventCut[] = [
      { asOf: '1990-01-01' },
      { asOf: String(middle.data.effectiveDate) },
      { knownAt: middle.metadata.recordedAt },
      { asOf: String(middle.data.effectiveDate), knownAt: subject.events[subject.events.length - 1]!.metadata.recordedAt },
      { knownAt: '2100-12-31T00:00:00.000Z' },
    ];
    const otherKinds = REPORT_KINDS.filter((kind) => !SUBJECT_KINDS.includes(kind));
    await expectCutReportsEqualFullReplay(subject, cuts, REPORT_KINDS, [undefined]);
    // The key figures are the programme's alone: an antenna is refused (test/http/ignored-input.http.spec.ts).
    await expectCutReportsEqualFullReplay(subject, cuts, otherKinds.filter((kind) => kind !== 'kpis'), [subject.antennas[0]]);
  }, 60_000);

  it('rule: the audit trail at any cut (an antenna’s, the programme’s), read from the live read model through the cut, equals the trail of a full replay to that cut', async () => {
    const antennaIds = [...subject.antennas.slice(0, 2), 'antenne-inconnue', undefined];
    const cuts = sampleCuts(subject.events);
    expect(cuts.length).toBeGreaterThan(5);
    const { compared, logReads } = await expectCutReportsEqualFullReplay(subject, cuts, ['history'], antennaIds);
    expect(compared).toBe(cuts.length * antennaIds.length);
    // The log was never replayed for them: only its tail after the live checkpoint was read (to see that none of it lies inside the cut).
    const checkpoint = BigInt(subject.runner.version(REPORT_PROJECTION.history).split(':').pop()!);
    const historyTypes = PROJECTIONS.find((projection) => projection.name === REPORT_PROJECTION.history)!.handles;
    expect(logReads.length).toBe(compared);
    for (const options of logReads) expect(options).toEqual({ after: checkpoint, types: [...historyTypes] });
  }, 60_000);

  it('rule: an agreement committed after the live read model’s checkpoint is still in the antenna’s cut reports', async () => {
    const antennaId = subject.antennas[0]!;
    const agreementId = `tardive-${antennaId}`.slice(0, 60);
    const opened = subject.events.find((event) => event.type === 'AntennaOpened' && event.data.antennaId === antennaId)!;
    const effectiveDate = String(opened.data.effectiveDate);
    await subject.store.append(
      `funding-${agreementId}`,
      [
        {
          id: crypto.randomUUID(),
          type: 'FundingCommitted',
          version: 2,
          data: {
            agreementId,
            antennaId,
            funder: 'Région (engagement tardif)',
            label: 'Convention enregistrée après le point de reprise',
            amountCents: 1_234_500,
            tranches: [{ trancheId: 't1', amountCents: 1_234_500, dueOn: effectiveDate }],
            effectiveDate,
          },
          metadata: { actor: 'test', role: 'finance', correlationId: 'c', causationId: 'c', recordedAt: '2026-06-01T09:00:00.000Z' },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    // The runner has not caught up: the live funding document does not hold the agreement yet.
    const report = await subject.reports.build({ kind: 'funding', antennaId, asOf: '2100-12-31' });
    expect(JSON.stringify(report)).toContain(agreementId);
    const events = [...subject.events];
    for await (const event of subject.store.readAll({ after: events[events.length - 1]!.position })) events.push(event);
    const cuts = [{ asOf: '2100-12-31' }, { asOf: effectiveDate }, { knownAt: '2026-06-01T09:00:00.000Z' }, { knownAt: '2026-06-01T08:59:59.999Z' }];
    await expectCutReportsEqualFullReplay({ ...subject, events }, cuts, SUBJECT_KINDS, [antennaId]);
    // The audit trail too: an event the live history has not applied yet, inside the cut, sends it to the full replay.
    await expectCutReportsEqualFullReplay({ ...subject, events }, cuts, ['history'], [antennaId, undefined]);
  }, 60_000);
});
