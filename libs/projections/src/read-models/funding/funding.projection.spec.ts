import type { ProjectedEvent } from '../../projection';
import { project, projected } from '../../testing/projection-specification';
import { AntennaFundingDoc, FundingAgreementDoc, fundingProjection, TrancheDoc } from './funding.projection';

// Given events, expected documents. Amounts in cents; € in comments.

const A = { agreementId: 'bdt', antennaId: 'montbeliard' };

const opened = (antennaId = 'montbeliard') =>
  projected('AntennaOpened', {
    antennaId,
    candidacyId: 'c',
    callId: 'ami-2',
    programmeId: 'p',
    name: 'Cnam Montbéliard',
    town: 'Montbéliard',
    territory: {},
    effectiveDate: '2021-03-01',
  });

const committed = (agreementId = 'bdt', antennaId = 'montbeliard') =>
  projected('FundingCommitted', {
    agreementId,
    antennaId,
    funder: 'Banque des Territoires',
    label: 'Enveloppe d’amorçage',
    amountCents: 10_000_000, // 100 000 €
    tranches: [
      { trancheId: 't1', label: 'Première tranche', amountCents: 4_000_000, dueOn: '2021-09-01', conditions: 'Signature' },
      { trancheId: 't2', amountCents: 6_000_000, dueOn: '2022-06-30' },
    ],
    effectiveDate: '2021-06-01',
  });

const released = (trancheId: string, amountCents: number, effectiveDate: string) =>
  projected('BudgetTrancheReleased', { ...A, trancheId, amountCents, effectiveDate });
const reversed = (trancheId: string, amountCents: number, reason: string, effectiveDate: string, releasedOn = effectiveDate) =>
  projected('TrancheReleaseReversed', { ...A, trancheId, amountCents, releasedOn, reason, effectiveDate });
const received = (trancheId: string, amountCents: number, bankReference: string, effectiveDate: string) =>
  projected('TrancheReceived', { ...A, trancheId, amountCents, bankReference, effectiveDate });
const spent = (expenditureId: string, amountCents: number, effectiveDate: string, fundingAgreementId?: string) =>
  projected('ExpenditureRecorded', {
    antennaId: 'montbeliard',
    expenditureId,
    category: 'premises',
    amountCents,
    description: 'Dépense',
    ...(fundingAgreementId === undefined ? {} : { fundingAgreementId }),
    effectiveDate,
  });
/** The domain's ExpenditureReversed names the agreement the expenditure was charged to (absent when none). */
const spendingReversed = (expenditureId: string, amountCents: number, effectiveDate: string, fundingAgreementId?: string) =>
  projected('ExpenditureReversed', {
    antennaId: 'montbeliard',
    expenditureId,
    amountCents,
    category: 'premises',
    expenditureDate: effectiveDate,
    ...(fundingAgreementId === undefined ? {} : { fundingAgreementId }),
    reason: 'Doublon',
    effectiveDate,
  });

const doc = (events: ProjectedEvent[]) => project(fundingProjection, events).get('antenna-funding:montbeliard') as AntennaFundingDoc;
const agreementOf = (events: ProjectedEvent[], agreementId = 'bdt') => doc(events).agreements.find((a) => a.agreementId === agreementId)!;

const PLANNED_T1: TrancheDoc = {
  trancheId: 't1',
  label: 'Première tranche',
  scheduledCents: 4_000_000,
  dueOn: '2021-09-01',
  conditions: 'Signature',
  state: 'planned',
  releasedCents: null,
  releasedOn: null,
  movements: [],
  receipt: null,
};
const PLANNED_T2: TrancheDoc = {
  trancheId: 't2',
  label: null,
  scheduledCents: 6_000_000,
  dueOn: '2022-06-30',
  conditions: null,
  state: 'planned',
  releasedCents: null,
  releasedOn: null,
  movements: [],
  receipt: null,
};
const COMMITTED: FundingAgreementDoc = {
  agreementId: 'bdt',
  antennaId: 'montbeliard',
  funder: 'Banque des Territoires',
  label: 'Enveloppe d’amorçage',
  committedCents: 10_000_000,
  committedOn: '2021-06-01',
  tranches: [PLANNED_T1, PLANNED_T2],
  releasedCents: 0,
  receivedCents: 0,
  spentCents: 0,
  remainingCommitmentCents: 10_000_000,
  closed: null,
};

describe('funding projection', () => {
  it('reads every event type it handles, and names them all in `handles`', () => {
    expect([...fundingProjection.handles].sort()).toEqual(
      [
        'AntennaOpened',
        'BudgetTrancheReleased',
        'ExpenditureRecorded',
        'ExpenditureReversed',
        'FundingAgreementClosed',
        'FundingCommitted',
        'FundingPublicDataRecorded',
        'TrancheReceived',
        'TrancheReleaseReversed',
      ].sort(),
    );
    expect(fundingProjection).toMatchObject({ name: 'funding', version: 1 });
  });

  it('FundingPublicDataRecorded: the agreement holds the latest public data (none before)', () => {
    const publicData = { funderSiret: '99900000100019', decisionReference: 'D-1', beneficiaryName: 'Cnam', beneficiarySiret: '99900000200017', object: 'Amorçage', nature: 'aide en numéraire', euNotified: false };
    expect(doc([opened(), committed()]).agreements[0]).not.toHaveProperty('publicData');
    const recorded = (decisionReference: string) =>
      projected('FundingPublicDataRecorded', { agreementId: COMMITTED.agreementId, antennaId: 'montbeliard', publicData: { ...publicData, decisionReference }, effectiveDate: '2021-06-01' });
    expect(doc([opened(), committed(), recorded('D-1'), recorded('D-2')]).agreements[0]!.publicData).toEqual({ ...publicData, decisionReference: 'D-2' });
  });

  it('one document per antenna: AntennaOpened names it, before any agreement', () => {
    expect(doc([opened()])).toEqual({ antennaId: 'montbeliard', antennaName: 'Cnam Montbéliard', town: 'Montbéliard', agreements: [], pendingSpentByAgreement: {} });
  });

  it('FundingCommitted: the agreement with its tranches planned in schedule order, nothing released, the whole commitment remaining', () => {
    expect(doc([opened(), committed()])).toEqual({
      antennaId: 'montbeliard',
      antennaName: 'Cnam Montbéliard',
      town: 'Montbéliard',
      agreements: [COMMITTED],
      pendingSpentByAgreement: {},
    });
  });

  it('BudgetTrancheReleased: the tranche is released (amount and date), the remaining commitment = committed − net released', () => {
    expect(agreementOf([committed(), released('t1', 4_000_000, '2021-09-15')])).toEqual({
      ...COMMITTED,
      tranches: [
        {
          ...PLANNED_T1,
          state: 'released',
          releasedCents: 4_000_000,
          releasedOn: '2021-09-15',
          movements: [{ kind: 'release', amountCents: 4_000_000, effectiveDate: '2021-09-15' }],
        },
        PLANNED_T2,
      ],
      releasedCents: 4_000_000,
      remainingCommitmentCents: 6_000_000,
    });
  });

  it('TrancheReceived: the receipt (amount, date, bank reference) is kept beside the release, even when the amounts differ', () => {
    expect(agreementOf([committed(), released('t1', 4_000_000, '2021-09-15'), received('t1', 3_999_000, 'VIR-1', '2021-09-28')])).toEqual({
      ...COMMITTED,
      tranches: [
        {
          ...PLANNED_T1,
          state: 'received',
          releasedCents: 4_000_000,
          releasedOn: '2021-09-15',
          movements: [{ kind: 'release', amountCents: 4_000_000, effectiveDate: '2021-09-15' }],
          receipt: { amountCents: 3_999_000, receivedOn: '2021-09-28', bankReference: 'VIR-1' },
        },
        PLANNED_T2,
      ],
      releasedCents: 4_000_000,
      receivedCents: 3_999_000,
      remainingCommitmentCents: 6_000_000,
    });
  });

  it('TrancheReleaseReversed: the tranche is planned again (state reversed), the release leaves the net released, and the reversal stays in its movements with its reason', () => {
    expect(agreementOf([committed(), released('t2', 6_000_000, '2023-07-03'), reversed('t2', 6_000_000, 'Condition non remplie', '2023-07-10')])).toEqual({
      ...COMMITTED,
      tranches: [
        PLANNED_T1,
        {
          ...PLANNED_T2,
          state: 'reversed',
          releasedCents: null,
          releasedOn: null,
          movements: [
            { kind: 'release', amountCents: 6_000_000, effectiveDate: '2023-07-03' },
            { kind: 'reversal', amountCents: 6_000_000, effectiveDate: '2023-07-10', reason: 'Condition non remplie' },
          ],
        },
      ],
      releasedCents: 0,
      remainingCommitmentCents: 10_000_000,
    });
  });

  it('a tranche released again after a reversal is released, with every release and reversal in order', () => {
    const agreement = agreementOf([
      committed(),
      released('t2', 6_000_000, '2023-07-03'),
      reversed('t2', 6_000_000, 'Condition non remplie', '2023-07-10'),
      released('t2', 6_000_000, '2023-09-04'),
    ]);
    expect(agreement.tranches[1]).toEqual({
      ...PLANNED_T2,
      state: 'released',
      releasedCents: 6_000_000,
      releasedOn: '2023-09-04',
      movements: [
        { kind: 'release', amountCents: 6_000_000, effectiveDate: '2023-07-03' },
        { kind: 'reversal', amountCents: 6_000_000, effectiveDate: '2023-07-10', reason: 'Condition non remplie' },
        { kind: 'release', amountCents: 6_000_000, effectiveDate: '2023-09-04' },
      ],
    });
    expect(agreement.releasedCents).toBe(6_000_000);
    expect(agreement.remainingCommitmentCents).toBe(4_000_000);
  });

  it('spentCents: expenditures charged to the agreement, less their reversals, which name the agreement themselves', () => {
    const result = doc([
      opened(),
      committed(),
      spent('amenagement', 1_850_000, '2021-10-15', 'bdt'), // 18 500 €
      spent('coordination', 3_200_000, '2021-12-31'), // not charged to an agreement: ignored
      spent('inauguration', 450_000, '2022-06-30', 'bdt'), // 4 500 €
      spent('doublon', 450_000, '2022-06-30', 'bdt'), // 4 500 €, then reversed
      spendingReversed('doublon', 450_000, '2022-07-08', 'bdt'),
      spendingReversed('coordination', 3_200_000, '2022-07-09'), // not charged: ignored
    ]);
    expect(result.agreements[0]!.spentCents).toBe(2_300_000); // 18 500 + 4 500 + 4 500 − 4 500 = 23 000 €
    expect(result.pendingSpentByAgreement).toEqual({});
  });

  it('nothing in the document grows with the number of expenditures', () => {
    const events = (count: number) => [
      opened(),
      committed(),
      ...Array.from({ length: count }, (_, i) => spent(`e${i}`, 1_000, '2021-10-01', 'bdt')),
      ...Array.from({ length: count }, (_, i) => spendingReversed(`e${i}`, 1_000, '2021-10-02', 'bdt')).filter((_, i) => i % 2 === 0),
    ];
    const size = (count: number) => JSON.stringify(doc(events(count))).length;
    expect(size(1_000) - size(10)).toBeLessThan(20);
    expect(agreementOf(events(1_000)).spentCents).toBe(500_000);
  });

  it('an expenditure not charged to an agreement does not even reach the funding documents', () => {
    expect(fundingProjection.keysOf(spent('coordination', 3_200_000, '2021-12-31'))).toEqual([]);
    expect(fundingProjection.keysOf(spent('amenagement', 1, '2021-12-31', 'bdt'))).toEqual(['antenna-funding:montbeliard']);
    expect(fundingProjection.keysOf(spendingReversed('coordination', 1, '2021-12-31'))).toEqual([]);
    expect(fundingProjection.keysOf(spendingReversed('amenagement', 1, '2021-12-31', 'bdt'))).toEqual(['antenna-funding:montbeliard']);
  });

  it('spending charged to two agreements of one antenna is counted against each', () => {
    const result = doc([
      committed('bdt'),
      committed('region'),
      spent('e1', 100_000, '2021-10-01', 'bdt'),
      spent('e2', 300_000, '2021-10-01', 'region'),
      spent('e3', 50_000, '2021-10-01', 'region'),
      spendingReversed('e3', 50_000, '2021-10-02', 'region'),
    ]);
    expect(result.agreements.map((a) => [a.agreementId, a.spentCents])).toEqual([
      ['bdt', 100_000],
      ['region', 300_000],
    ]);
  });

  it('spending recorded before its agreement reached the log is counted when the agreement is committed', () => {
    const events = [spent('e1', 100_000, '2021-05-01', 'bdt'), spent('e2', 30_000, '2021-05-02', 'bdt'), spendingReversed('e2', 30_000, '2021-05-03', 'bdt')];
    expect(doc(events).pendingSpentByAgreement).toEqual({ bdt: 100_000 });
    expect(agreementOf([...events, committed()]).spentCents).toBe(100_000);
    expect(doc([...events, committed()]).pendingSpentByAgreement).toEqual({});
  });

  it('FundingAgreementClosed: closed with its date and reason (null when none); what was never released stays unreleased', () => {
    const closedWithReason = agreementOf([committed(), released('t1', 4_000_000, '2021-09-15'), projected('FundingAgreementClosed', { ...A, reason: 'Fin du programme', effectiveDate: '2024-12-31' })]);
    expect(closedWithReason.closed).toEqual({ on: '2024-12-31', reason: 'Fin du programme' });
    expect(closedWithReason.remainingCommitmentCents).toBe(6_000_000);
    expect(agreementOf([committed(), projected('FundingAgreementClosed', { ...A, effectiveDate: '2024-12-31' })]).closed).toEqual({ on: '2024-12-31', reason: null });
  });

  it('events about an unknown agreement or tranche change nothing', () => {
    const before = doc([opened(), committed()]);
    expect(doc([opened(), committed(), projected('BudgetTrancheReleased', { ...A, agreementId: 'other', trancheId: 't1', amountCents: 1, effectiveDate: '2021-09-15' })])).toEqual(before);
    expect(doc([opened(), committed(), released('t9', 1, '2021-09-15')])).toEqual(before);
  });

  it('is pure: evolve returns a new document and leaves the one it was given untouched', () => {
    const before = doc([opened(), committed(), released('t1', 4_000_000, '2021-09-15'), spent('e1', 100, '2021-10-01', 'bdt')]);
    const snapshot = structuredClone(before);
    deepFreeze(before);
    const after = fundingProjection.evolve(before, reversed('t1', 4_000_000, 'Erreur', '2021-09-20'), 'antenna-funding:montbeliard')!;
    const after2 = fundingProjection.evolve(before, spendingReversed('e1', 100, '2021-10-02', 'bdt'), 'antenna-funding:montbeliard')!;
    expect(before).toEqual(snapshot);
    expect(after.agreements[0]!.releasedCents).toBe(0);
    expect(after2.agreements[0]!.spentCents).toBe(0);
    expect(JSON.parse(JSON.stringify(after))).toEqual(after);
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
