import { upcastingSpecification } from '../testing/upcasting-specification';
import { fundingCommittedV1, trancheReleaseReversedV1 } from './funding.upcasters';

const spec = upcastingSpecification();

const ids = { agreementId: 'bdt-amorcage', antennaId: 'montbeliard' };
const v1 = (type: string, data: Record<string, unknown>) => ({ type, version: 1, data });
const v2 = (type: string, data: Record<string, unknown>) => ({ type, version: 2, data });

const committed = v1('FundingCommitted', {
  ...ids,
  funder: 'Banque des Territoires',
  label: 'Enveloppe d’amorçage',
  amountCents: 10_000_000,
  tranches: [
    { trancheId: 'tranche-1', amountCents: 4_000_000, dueOn: '2021-09-01' },
    { trancheId: 'tranche-3', amountCents: 6_000_000, dueOn: '2023-06-30' },
  ],
  effectiveDate: '2021-06-01',
});
const released = (trancheId: string, amountCents: number, effectiveDate: string) =>
  v1('BudgetTrancheReleased', { ...ids, trancheId, amountCents, effectiveDate });
/** A reversal as the release before commit 41c8fe2 stored it: no `releasedOn`. */
const reversalV1 = (trancheId: string, amountCents: number, effectiveDate: string) =>
  v1('TrancheReleaseReversed', { ...ids, trancheId, amountCents, reason: 'Condition non remplie', effectiveDate });
const reversalV2 = (trancheId: string, amountCents: number, releasedOn: string, effectiveDate: string) =>
  v2('TrancheReleaseReversed', { ...ids, trancheId, amountCents, releasedOn, reason: 'Condition non remplie', effectiveDate });

describe('funding upcasters: TrancheReleaseReversed v1 → v2', () => {
  it('upcasts from version 1', () => {
    expect(trancheReleaseReversedV1).toMatchObject({ type: 'TrancheReleaseReversed', from: 1 });
  });

  it('rule: a reversal stored without releasedOn is read with the date of the release it cancels', () => {
    spec
      .given([committed, released('tranche-1', 4_000_000, '2021-09-15'), released('tranche-3', 6_000_000, '2023-07-03')])
      .when(reversalV1('tranche-3', 6_000_000, '2023-07-10'))
      .then(reversalV2('tranche-3', 6_000_000, '2023-07-03', '2023-07-10'));
  });

  it('rule: after a reversal and a new release, the next reversal is read with the date of the new release', () => {
    spec
      .given([
        committed,
        released('tranche-3', 6_000_000, '2023-07-03'),
        reversalV1('tranche-3', 6_000_000, '2023-07-10'),
        released('tranche-3', 5_000_000, '2023-09-04'),
      ])
      .when(reversalV1('tranche-3', 5_000_000, '2023-09-20'))
      .then(reversalV2('tranche-3', 5_000_000, '2023-09-04', '2023-09-20'));
  });

  it('rule: a version 1 reversal that already carries releasedOn (written after 41c8fe2) is read as it is, at version 2', () => {
    const complete = reversalV2('tranche-3', 6_000_000, '2023-07-03', '2023-07-10').data;
    spec.given([]).when(v1('TrancheReleaseReversed', complete)).then(v2('TrancheReleaseReversed', complete));
    expect(trancheReleaseReversedV1.needsHistory(complete as never)).toBe(false);
  });

  it('rule: a reversal whose stream releases no such tranche before it cannot be read (EVENT.CANNOT_UPCAST)', () => {
    spec
      .given([committed, released('tranche-1', 4_000_000, '2021-09-15')])
      .when(reversalV1('tranche-3', 6_000_000, '2023-07-10'))
      .thenCannotBeRead(/finds no release of it/);
  });

  it('rule: a reversal whose amount is not the released one cannot be read', () => {
    spec
      .given([committed, released('tranche-3', 6_000_000, '2023-07-03')])
      .when(reversalV1('tranche-3', 3_000_000, '2023-07-10'))
      .thenCannotBeRead(/copies 3000000 cents, the release before it is of 6000000/);
  });
});

describe('funding upcasters: FundingCommitted v1 → v2', () => {
  it('upcasts from version 1, needing nothing from the stream', () => {
    expect(fundingCommittedV1).toMatchObject({ type: 'FundingCommitted', from: 1 });
    expect(fundingCommittedV1.needsHistory(committed.data as never)).toBe(false);
  });

  it('rule: a version 1 commitment is read unchanged at version 2, without public data', () => {
    spec.given([]).when(committed).then({ ...committed, version: 2 });
    expect(fundingCommittedV1.upcast(committed.data as never, undefined)).not.toHaveProperty('publicData');
  });
});
