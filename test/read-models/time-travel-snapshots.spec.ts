import { ReportService } from '@jalon/application';
import { timeTravelIndicator } from '@jalon/core';
import { BUDGET_CATEGORIES, todayIn } from '@jalon/domain';
import { EventStore, ReadAllOptions, SqliteEventStore, StoredEvent } from '@jalon/event-store';
import {
  EventCut,
  PROJECTIONS,
  ProjectionRunner,
  replayInMemory,
  REPORT_BUILDERS,
  REPORT_READ_MODELS,
  SnapshotMeta,
  SqliteProjectionStorage,
  TimeTravelSnapshots,
} from '@jalon/projections';
import { REPORT_KINDS, ReportKind } from '@jalon/reporting';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedStore } from '../../bench/generator/seed';
import { recordDemoHistory } from '../support/demo-history';

/**
 * Whole-programme time travel from snapshots (docs/decisions/0028): every programme report whose
 * projection keeps snapshots, at a sample of cuts (before the first snapshot, exactly at and around
 * each snapshot's latest effective date and recorded instant, in the open tail after the last one,
 * both cuts combined, and after events appended past the last snapshot, inside and outside the
 * cut), equals byte for byte in its JSON the report of a replay of the whole log to the cut; it is
 * served by the snapshots (never by that replay), and reads less than the log; a damaged snapshot
 * is not used (the report still equals the replay), is reported in `/health`, and is built again.
 */

const TIME_ZONE = 'Europe/Paris';
// The service's today lies after every cut the specs sample (a cut in the future is refused).
const TODAY = new Date('2101-01-01T10:00:00Z');
const clock = { now: () => TODAY };

interface Subject {
  readonly dir: string;
  readonly store: EventStore;
  readonly storage: SqliteProjectionStorage;
  readonly runner: ProjectionRunner;
  readonly snapshots: TimeTravelSnapshots;
  readonly reports: ReportService;
  events: StoredEvent[];
  readonly antennas: string[];
}

async function outcome(build: () => unknown): Promise<string> {
  try {
    return JSON.stringify({ report: await build() });
  } catch (error) {
    const { name, message, code } = error as Error & { code?: string };
    return JSON.stringify({ error: { name, code, message } });
  }
}

const day = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const instant = (ms: number) => new Date(ms).toISOString();

/** Cuts at and around each snapshot's latest effective date and recorded instant, before the first event, after the last, and a sample of events'. */
function cutsOf(events: readonly StoredEvent[], metas: readonly SnapshotMeta[]): EventCut[] {
  const cuts: EventCut[] = [{ asOf: '1990-01-01' }, { knownAt: '1990-01-01T00:00:00.000Z' }, { asOf: '2100-12-31' }, { knownAt: '2100-12-31T00:00:00.000Z' }];
  // Every snapshot with documents, and a few of the marks between them.
  for (const meta of metas.filter((meta, index) => meta.full || index % 7 === 0)) {
    if (meta.maxEffective !== null) cuts.push({ asOf: meta.maxEffective }, { asOf: day(meta.maxEffective, -1) }, { asOf: day(meta.maxEffective, 1) });
    if (meta.maxRecordedAt !== null) cuts.push({ knownAt: instant(meta.maxRecordedAt) }, { knownAt: instant(meta.maxRecordedAt - 1) }, { knownAt: instant(meta.maxRecordedAt + 1) });
  }
  const dated = events.filter((event) => typeof event.data.effectiveDate === 'string');
  const step = Math.max(1, Math.floor(dated.length / 6));
  const picked = dated.filter((_, index) => index % step === 0 || index === dated.length - 1);
  for (const event of picked) cuts.push({ asOf: String(event.data.effectiveDate) }, { knownAt: event.metadata.recordedAt });
  // Both cuts: a late effective date seen from an early instant, and the other way round.
  for (let index = 0; index < picked.length; index += 2) {
    const other = picked[picked.length - 1 - index]!;
    cuts.push({ asOf: String(other.data.effectiveDate), knownAt: picked[index]!.metadata.recordedAt }, { asOf: String(picked[index]!.data.effectiveDate), knownAt: other.metadata.recordedAt });
  }
  return cuts;
}

/**
 * Every served report equals the report of a full replay to the cut; returns how many were compared,
 * how many cuts the snapshots served, and every log read (`readAll`) the served reports made.
 */
async function expectEqualToFullReplay(subject: Subject, cuts: readonly EventCut[], kinds: readonly ReportKind[]): Promise<{ compared: number; served: number; reads: ReadAllOptions[] }> {
  let compared = 0;
  let served = 0;
  const reads: ReadAllOptions[] = [];
  for (const cut of cuts) {
    const referenceDate = cut.asOf ?? todayIn(cut.knownAt ? new Date(cut.knownAt) : TODAY, TIME_ZONE);
    const replayed = new Map<string, Awaited<ReturnType<typeof replayInMemory>>>();
    for (const kind of kinds) {
      const readAll = jest.spyOn(subject.store, 'readAll');
      const modelsAtCut = jest.spyOn(subject.snapshots, 'modelsAtCut');
      let got: string;
      try {
        got = await outcome(() => subject.reports.build({ kind, ...cut }));
        reads.push(...readAll.mock.calls.map(([options]) => options ?? {}));
        // A report reading several read models (the échéancier: funding and phases) asks for each: served when every one was.
        const models = await Promise.all(modelsAtCut.mock.results.map((result) => result.value));
        if (models.length > 0 && models.every((found) => found !== undefined)) served++;
      } finally {
        readAll.mockRestore();
        modelsAtCut.mockRestore();
      }
      const names = REPORT_READ_MODELS[kind];
      const name = names.join('+');
      if (!replayed.has(name)) replayed.set(name, await replayInMemory(subject.store, PROJECTIONS.filter((projection) => names.includes(projection.name)), cut));
      const expected = await outcome(() => REPORT_BUILDERS[kind](replayed.get(name)!, { ...cut, referenceDate }));
      if (got !== expected) throw new Error(`${kind} report at ${JSON.stringify(cut)} differs from a full replay:\n${got}\n---\n${expected}`);
      compared++;
    }
  }
  return { compared, served, reads };
}

async function allEvents(store: EventStore): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

function expenditure(antennaId: string, effectiveDate: string, recordedAt: string) {
  return {
    id: randomUUID(),
    type: 'ExpenditureRecorded',
    version: 1,
    data: { antennaId, expenditureId: `apres-instantane-${randomUUID().slice(0, 8)}`, category: BUDGET_CATEGORIES[0], amountCents: 123_456, description: 'Dépense enregistrée après le dernier instantané', effectiveDate },
    metadata: { actor: 'test', role: 'finance', correlationId: 'c', causationId: 'c', recordedAt },
  };
}

describe.each([
  [
    'demo history',
    5,
    async (dir: string) => {
      const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
      await recordDemoHistory(store);
      return store;
    },
  ],
  [
    'seeded synthetic programme (effective dates out of log order)',
    60,
    async (dir: string) => {
      const seeded = await seedStore(join(dir, 'seed'), { events: 900, antennas: 3, seed: 'time-travel-snapshots' });
      return SqliteEventStore.open({ file: seeded.file });
    },
  ],
] as const)('whole-programme time travel from snapshots on the %s', (_name, every, open) => {
  let subject: Subject;
  /** Report kinds whose projection keeps snapshots. */
  let kinds: ReportKind[];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jalon-time-travel-snapshots-'));
    const store = await open(dir);
    const storage = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
    const runner = new ProjectionRunner(store, storage, PROJECTIONS, { snapshotEveryEvents: every });
    await runner.catchUp();
    const snapshots = runner.timeTravelSnapshots()!;
    await snapshots.catchUp();
    const events = await allEvents(store);
    const antennas = [...new Set(events.filter((event) => event.type === 'AntennaOpened').map((event) => String(event.data.antennaId)))].sort();
    subject = { dir, store, storage, runner, snapshots, reports: new ReportService(store, runner, clock, TIME_ZONE), events, antennas };
    kinds = REPORT_KINDS.filter((kind) => REPORT_READ_MODELS[kind].every((name) => snapshots.serves(name)));
  }, 60_000);
  afterAll(async () => {
    await subject?.runner.stop();
    subject?.storage.close();
    await subject?.store.close();
    if (subject) rmSync(subject.dir, { recursive: true, force: true });
  });

  it('has what the checks below need: several snapshots, programme reports of every snapshot projection', () => {
    expect(subject.snapshots.status()).toMatchObject({ everyEvents: every });
    expect(subject.storage.timeTravelSnapshots().metas().length).toBeGreaterThanOrEqual(3);
    expect(kinds).toEqual(expect.arrayContaining(['budget', 'funding', 'phases', 'kpis', 'echeancier', 'subventions']));
  });

  it('rule: every programme report at every sampled cut, served from the snapshots, equals the report of a full replay to that cut', async () => {
    const metas = subject.storage.timeTravelSnapshots().metas();
    const cuts = cutsOf(subject.events, metas);
    const { compared, served, reads } = await expectEqualToFullReplay(subject, cuts, kinds);
    expect(compared).toBe(cuts.length * kinds.length);
    // Served by the snapshots every time: the whole-log replay (a read from the first event, with no position) never ran.
    expect(served).toBe(compared);
    for (const options of reads) expect(options.after).toEqual(expect.any(BigInt));
  }, 120_000);

  it('rule: a cut served by a snapshot reads only the events after it (fewer than the log), none before; it starts from the last mark it holds whole, whose changes it adds to the snapshot before', async () => {
    const metas = subject.storage.timeTravelSnapshots().metas();
    // Every mark keeps its changes; the last of them (or the last snapshot) is where a cut after every event starts.
    expect(metas.filter((meta) => !meta.full && !meta.changes)).toEqual([]);
    const last = metas[metas.length - 1]!;
    const budgetTypes = new Set(PROJECTIONS.find((projection) => projection.name === 'budget')!.handles);
    const logged = subject.events.filter((event) => budgetTypes.has(event.type)).length;
    const readAll = jest.spyOn(subject.store, 'readAll');
    try {
      const tail = await subject.snapshots.modelsAtCut('budget', { knownAt: '2100-12-31T00:00:00.000Z' });
      expect(tail?.from).toBe(last.position);
      expect(tail!.events).toBeLessThan(logged);
      for (const [options] of readAll.mock.calls) expect(options!.after! >= last.position).toBe(true);
      const fulls = metas.filter((meta) => meta.full);
      const middle = fulls[Math.floor(fulls.length / 2)]!;
      const atMiddle = await subject.snapshots.modelsAtCut('budget', { knownAt: instant(middle.maxRecordedAt!) });
      expect(atMiddle!.from >= middle.position).toBe(true);
      // At a mark's own latest instant, when the next one holds a later one: from that mark, not from the snapshot before it.
      const index = metas.findIndex((meta, at) => !meta.full && at + 1 < metas.length && metas[at + 1]!.minRecordedAt! > meta.maxRecordedAt!);
      expect(index).toBeGreaterThanOrEqual(0);
      const atMark = await subject.snapshots.modelsAtCut('budget', { knownAt: instant(metas[index]!.maxRecordedAt!) });
      expect(atMark!.from).toBe(metas[index]!.position);
    } finally {
      readAll.mockRestore();
    }
  });

  it('rule: a damaged snapshot is not used: the report equals a full replay, /health says so, and the snapshot is built again', async () => {
    const metas = subject.storage.timeTravelSnapshots().metas();
    // A snapshot the cut at its own latest date and instant picks: the next one holds a later date or instant.
    const index = metas.findIndex((meta, at) => meta.full && at >= Math.floor(metas.length / 2) && at + 1 < metas.length && (metas[at + 1]!.maxRecordedAt! > meta.maxRecordedAt! || metas[at + 1]!.maxEffective! > meta.maxEffective!));
    const damaged = metas[index]!;
    const budget = PROJECTIONS.find((projection) => projection.name === 'budget')!;
    const db = new Database(join(subject.dir, 'read-models.sqlite'));
    try {
      db.prepare('UPDATE time_travel_snapshot_docs SET docs = ? WHERE position = ? AND projection = ?').run(Buffer.from('pas un instantané'), String(damaged.position), `budget@${budget.version}`);
    } finally {
      db.close();
    }
    const cut = { asOf: damaged.maxEffective!, knownAt: instant(damaged.maxRecordedAt!) };
    const unreadable = `l’instantané de budget@${budget.version} à la position ${damaged.position} est illisible`;

    // Another instance (not the holder of the lease, which alone writes snapshots): not used, reported, left as it is.
    const follower = new TimeTravelSnapshots(subject.store, subject.storage.timeTravelSnapshots(), PROJECTIONS, { everyEvents: every, mayBuild: () => false });
    // Passed on to their builder when it runs on another thread (docs/decisions/0030).
    const passedOn: [string, bigint][] = [];
    follower.onUnreadable((reason, position) => passedOn.push([reason, position]));
    expect(await follower.modelsAtCut('budget', cut)).toBeUndefined();
    expect(passedOn).toEqual([[expect.stringContaining(unreadable), damaged.position]]);
    const degraded = await timeTravelIndicator({ timeTravelSnapshots: () => follower }).check();
    expect(degraded).toMatchObject({ status: 'degraded', reason: expect.stringContaining(unreadable) });

    // The holder (a service started on this file): the report equals a full replay; the snapshot is forgotten and built again.
    const runner = new ProjectionRunner(subject.store, subject.storage, PROJECTIONS, { snapshotEveryEvents: every });
    const holder = { ...subject, runner, snapshots: runner.timeTravelSnapshots()!, reports: new ReportService(subject.store, runner, clock, TIME_ZONE) };
    const { compared, served } = await expectEqualToFullReplay(holder, [cut], ['budget']);
    expect({ compared, served }).toEqual({ compared: 1, served: 0 });
    expect(holder.snapshots.status().fault?.reason).toContain(unreadable);
    await holder.snapshots.catchUp();
    expect(holder.snapshots.status().fault?.mendedAt).toEqual(expect.any(String));
    expect(await timeTravelIndicator(runner).check()).toMatchObject({ status: 'ok', fault: { reason: expect.stringContaining(unreadable) } });
    expect(subject.storage.timeTravelSnapshots().metas().length).toBeGreaterThanOrEqual(metas.length - 1);
    const again = await expectEqualToFullReplay(holder, cutsOf(subject.events, subject.storage.timeTravelSnapshots().metas()).slice(0, 12), ['budget']);
    expect(again.served).toBe(again.compared);
  }, 60_000);

  it('rule: events appended after the last snapshot, inside and outside the cut, are counted exactly; and after a snapshot is built past them', async () => {
    const antennaId = subject.antennas[0]!;
    const opened = subject.events.find((event) => event.type === 'AntennaOpened' && event.data.antennaId === antennaId)!;
    const early = day(String(opened.data.effectiveDate), 30);
    // An expenditure back-dated far into the past, recorded late; another dated on the day it is recorded.
    await subject.store.append(`budget-${antennaId}`, [expenditure(antennaId, early, '2026-06-01T09:00:00.000Z'), expenditure(antennaId, '2026-06-01', '2026-06-01T09:30:00.000Z')], {
      expectedRevision: 'any',
    });
    subject.events = await allEvents(subject.store);
    const cuts: EventCut[] = [
      { asOf: early },
      { asOf: day(early, -1) },
      { asOf: '2026-06-01' },
      { asOf: '2026-05-31' },
      { knownAt: '2026-06-01T09:00:00.000Z' },
      { knownAt: '2026-06-01T08:59:59.999Z' },
      { knownAt: '2026-06-01T09:30:00.000Z' },
      { asOf: early, knownAt: '2026-06-01T09:00:00.000Z' },
      { asOf: early, knownAt: '2026-06-01T08:59:59.999Z' },
    ];
    const before = await expectEqualToFullReplay(subject, cuts, kinds);
    expect(before.served).toBe(before.compared);
    // The snapshots go past them: a new one at the head (built on demand), the same equality.
    const last = subject.storage.timeTravelSnapshots().metas().pop()!;
    await subject.snapshots.catchUp();
    await subject.store.append(`budget-${antennaId}`, Array.from({ length: every }, (_, index) => expenditure(antennaId, day(early, index % 7), '2026-06-02T09:00:00.000Z')), { expectedRevision: 'any' });
    await subject.snapshots.catchUp();
    subject.events = await allEvents(subject.store);
    expect(subject.storage.timeTravelSnapshots().metas().pop()!.position > last.position).toBe(true);
    const after = await expectEqualToFullReplay(subject, [...cuts, { asOf: day(early, 3) }, { knownAt: '2026-06-02T09:00:00.000Z' }], kinds);
    expect(after.served).toBe(after.compared);
  }, 120_000);

  it('rule: as the log grows, a mark is built in the background once a mark’s worth of events arrived (a tenth of a snapshot’s), so that a known-at cut, which reads every event after the last mark, reads few', async () => {
    await subject.snapshots.catchUp();
    const before = subject.storage.timeTravelSnapshots().metas().pop()!.position;
    const markEvery = Math.max(1, Math.floor(every / 10));
    expect(markEvery).toBeLessThan(every);
    const antennaId = subject.antennas[0]!;
    const opened = subject.events.find((event) => event.type === 'AntennaOpened' && event.data.antennaId === antennaId)!;
    await subject.store.append(`budget-${antennaId}`, Array.from({ length: markEvery }, () => expenditure(antennaId, day(String(opened.data.effectiveDate), 30), '2026-06-03T09:00:00.000Z')), { expectedRevision: 'any' });
    subject.events = await allEvents(subject.store);
    const head = await subject.store.headPosition();
    subject.snapshots.nudge(head);
    for (let waited = 0; subject.snapshots.status().building && waited < 10_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    const after = subject.storage.timeTravelSnapshots().metas().pop()!.position;
    expect(after > before).toBe(true);
    expect(head - after).toBeLessThan(BigInt(markEvery));
  });

  it('rule: a service following the log builds the missing snapshots in the background (as the holder of the projections)', async () => {
    subject.storage.timeTravelSnapshots().drop();
    const service = new ProjectionRunner(subject.store, subject.storage, PROJECTIONS, { snapshotEveryEvents: every, flushIntervalMs: 5 });
    await service.start();
    try {
      for (let waited = 0; subject.storage.timeTravelSnapshots().metas().filter((meta) => meta.full).length < 3 && waited < 30_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(subject.storage.timeTravelSnapshots().metas().filter((meta) => meta.full).length).toBeGreaterThanOrEqual(3);
    } finally {
      await service.stop();
    }
    const served = await expectEqualToFullReplay(subject, [{ knownAt: subject.events[Math.floor(subject.events.length / 2)]!.metadata.recordedAt }], ['budget']);
    expect(served.served).toBe(served.compared);
  }, 60_000);

  it('rule: snapshots are derived data: rebuilding the read models forgets them, and they are built again from the log', async () => {
    await subject.runner.rebuild();
    expect(subject.storage.timeTravelSnapshots().metas()).toEqual([]);
    // Meanwhile a cut still equals a full replay (read from the first event, kept documents only).
    const meanwhile = await expectEqualToFullReplay(subject, [{ asOf: '2100-12-31' }, { knownAt: subject.events[Math.floor(subject.events.length / 2)]!.metadata.recordedAt }], ['budget', 'kpis']);
    expect(meanwhile.served).toBe(meanwhile.compared);
    await subject.snapshots.catchUp();
    expect(subject.storage.timeTravelSnapshots().metas().length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
