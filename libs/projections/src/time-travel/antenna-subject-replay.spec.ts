import { EventToAppend, SqliteEventStore } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadModelView } from '../projection';
import { AntennaFundingDoc, fundingAntennaKey } from '../read-models/funding/funding.projection';
import { antennaSubjectStreams, LiveFundingAgreements, replaysByAntennaSubject } from './antenna-subject-replay';

const metadata = { actor: 'test', role: 'finance', correlationId: 'c', causationId: 'c', recordedAt: '2024-01-02T09:00:00.000Z' };
const committed = (agreementId: string, antennaId: string): EventToAppend => ({
  id: crypto.randomUUID(),
  type: 'FundingCommitted',
  version: 2,
  data: { agreementId, antennaId, funder: 'Région', label: agreementId, amountCents: 100, tranches: [{ trancheId: 't1', amountCents: 100, dueOn: '2024-06-01' }], effectiveDate: '2024-01-01' },
  metadata,
});

/** A live funding read model that holds `agreements` for montbeliard, committed at `checkpoint`. */
function live(agreements: string[], checkpoint: bigint, options: { unavailable?: boolean; movesWhileRead?: boolean } = {}): LiveFundingAgreements {
  let reads = 0;
  return {
    unavailability: () => (options.unavailable ? { kind: 'rebuilding' } : undefined),
    version: () => `funding@1:${options.movesWhileRead ? checkpoint + BigInt(reads++) : checkpoint}`,
    checkpoint: () => checkpoint,
    view: <Doc>() =>
      ({
        get: (key: string) => (key === fundingAntennaKey('montbeliard') ? ({ antennaId: 'montbeliard', agreements: agreements.map((agreementId) => ({ agreementId })) } as unknown as AntennaFundingDoc) : undefined),
        list: () => [],
      }) as unknown as ReadModelView<Doc>,
  };
}

describe('an antenna’s streams for time travel', () => {
  let dir: string;
  let store: SqliteEventStore;
  let checkpoint: bigint;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-subject-'));
    store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
    checkpoint = (await store.append('funding-bdt-montbeliard', [committed('bdt-montbeliard', 'montbeliard')], { expectedRevision: 'no_stream' })).position;
    // After the live checkpoint: one for montbeliard, one for another antenna.
    await store.append('funding-region-montbeliard', [committed('region-montbeliard', 'montbeliard')], { expectedRevision: 'no_stream' });
    await store.append('funding-region-belfort', [committed('region-belfort', 'belfort')], { expectedRevision: 'no_stream' });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are its antenna and budget streams and the stream of each agreement: those the live read model holds and those committed after its checkpoint', async () => {
    expect(await antennaSubjectStreams(store, live(['bdt-montbeliard'], checkpoint), 'montbeliard')).toEqual([
      'antenna-montbeliard',
      'budget-montbeliard',
      'funding-bdt-montbeliard',
      'funding-region-montbeliard',
    ]);
  });

  it('rule: unknown when the live funding read model cannot answer (the report then replays the whole log)', async () => {
    expect(await antennaSubjectStreams(store, live(['bdt-montbeliard'], checkpoint, { unavailable: true }), 'montbeliard')).toBeUndefined();
  });

  it('rule: unknown when the live funding read model moved while it was read (its document and checkpoint may not match)', async () => {
    expect(await antennaSubjectStreams(store, live(['bdt-montbeliard'], checkpoint, { movesWhileRead: true }), 'montbeliard')).toBeUndefined();
  });

  it('rule: only the projections whose antenna documents depend on the antenna’s events alone take this path, and only for one antenna', () => {
    expect(['budget', 'funding', 'phases', 'agreement-ledger'].every((name) => replaysByAntennaSubject(name, 'montbeliard'))).toBe(true);
    expect(replaysByAntennaSubject('history', 'montbeliard')).toBe(false);
    expect(replaysByAntennaSubject('kpis', 'montbeliard')).toBe(false);
    expect(replaysByAntennaSubject('budget', undefined)).toBe(false);
  });
});
