import { upcastingSpecification } from '../testing/upcasting-specification';
import { learnersReportedV1 } from './antenna.upcasters';

const spec = upcastingSpecification();

const v1 = (type: string, data: Record<string, unknown>) => ({ type, version: 1, data });
const v2 = (type: string, data: Record<string, unknown>) => ({ type, version: 2, data });

const opened = v1('AntennaOpened', {
  antennaId: 'montbeliard',
  candidacyId: 'ami-2--pays-de-montbeliard',
  callId: 'ami-2',
  programmeId: 'au-coeur-des-territoires',
  name: 'Cnam Montbéliard',
  town: 'Montbéliard',
  effectiveDate: '2021-03-01',
});
const report = (period: string, learners: number, effectiveDate: string, reason?: string) =>
  ({ antennaId: 'montbeliard', period, learners, ...(reason ? { reason } : {}), effectiveDate }) as Record<string, unknown>;

describe('antenna upcasters: LearnersReported v1 → v2', () => {
  it('upcasts from version 1', () => {
    expect(learnersReportedV1).toMatchObject({ type: 'LearnersReported', from: 1 });
  });

  it('rule: a month’s first report is read as it was stored, without previousLearners, at version 2', () => {
    spec
      .given([opened, v1('LearnersReported', report('2022-06', 45, '2022-07-01'))])
      .when(v1('LearnersReported', report('2023-06', 120, '2023-07-03')))
      .then(v2('LearnersReported', report('2023-06', 120, '2023-07-03')));
  });

  it('rule: a correction stored without previousLearners is read with the count last reported for its month', () => {
    spec
      .given([
        opened,
        v1('LearnersReported', report('2023-06', 120, '2023-07-03')),
        v1('LearnersReported', report('2023-06', 118, '2023-10-02', 'Deux inscriptions annulées')),
        v1('LearnersReported', report('2023-07', 30, '2023-08-01')),
      ])
      .when(v1('LearnersReported', report('2023-06', 119, '2023-10-20', 'Une inscription rétablie')))
      .then(v2('LearnersReported', { ...report('2023-06', 119, '2023-10-20', 'Une inscription rétablie'), previousLearners: 118 }));
  });

  it('rule: a version 1 correction that already carries previousLearners (written after 41c8fe2) is read as it is, at version 2', () => {
    const complete = { ...report('2023-06', 118, '2023-10-02', 'Deux inscriptions annulées'), previousLearners: 120 };
    spec.given([]).when(v1('LearnersReported', complete)).then(v2('LearnersReported', complete));
    expect(learnersReportedV1.needsHistory(complete as never)).toBe(false);
    // Without it, only the stream tells a first report from an old correction.
    expect(learnersReportedV1.needsHistory(report('2023-06', 120, '2023-07-03') as never)).toBe(true);
  });
});
