import { formatReportContext } from '@jalon/reporting';
import { ReadModelView } from '../../projection';
import { InMemoryReadModel } from '../../runner/in-memory-read-model';
import { project, projected } from '../../testing/projection-specification';
import { kpisProjection } from './kpis.projection';
import { buildKpisReport } from './kpis.report';

function modelsOf(...models: InMemoryReadModel<any>[]) {
  return {
    view<Doc>(name: string): ReadModelView<Doc> {
      const model = models.find((m) => m.projection.name === name);
      if (!model) throw new Error(`no read model ${name}`);
      return model as ReadModelView<Doc>;
    },
  };
}

const events = () => [
  projected('ProgrammeLaunched', {
    programmeId: 'acdt',
    name: 'Au cœur des territoires',
    operator: 'Cnam',
    targets: { antennaCount: 8, targetDate: '2022-12-31' },
    effectiveDate: '2019-01-15',
  }),
  projected('CallForApplicationsOpened', { callId: 'ami-2', programmeId: 'acdt', title: 'AMI 2', number: 2, opensOn: '2020-10-01', closesOn: '2020-12-15', criteria: [], effectiveDate: '2020-10-01' }),
  projected('CallForApplicationsOpened', { callId: 'ami-1', programmeId: 'acdt', title: 'AMI 1', number: 1, opensOn: '2019-03-01', closesOn: '2019-05-01', criteria: [], effectiveDate: '2019-03-01' }),
  ...['a', 'b', 'c'].map((t) =>
    projected('CandidacySubmitted', {
      candidacyId: `ami-2--${t}`,
      callId: 'ami-2',
      programmeId: 'acdt',
      territory: { id: t, name: t, kind: 'commune', region: 'r', actionCoeurDeVille: true },
      partners: [],
      trainingNeeds: [],
      effectiveDate: '2020-12-10',
    }),
  ),
  projected('CandidacySelected', { candidacyId: 'ami-2--a', criteria: [], effectiveDate: '2021-02-15' }),
  projected('CandidacySelected', { candidacyId: 'ami-2--b', criteria: [], effectiveDate: '2021-02-15' }),
  projected('CandidacyWithdrawn', { candidacyId: 'ami-2--b', reason: 'r', effectiveDate: '2021-02-20' }),
  ...[
    ['a', true],
    ['b', false],
  ].map(([id, acv]) =>
    projected('AntennaOpened', {
      antennaId: id,
      candidacyId: `ami-2--${id}`,
      callId: 'ami-2',
      programmeId: 'acdt',
      name: `Antenne ${id}`,
      town: id,
      territory: { id, name: id, region: 'r', actionCoeurDeVille: acv },
      effectiveDate: '2021-03-01',
    }),
  ),
  projected('AntennaSuspended', { antennaId: 'b', reason: 'r', effectiveDate: '2021-06-01' }),
  projected('AntennaInaugurated', { antennaId: 'a', place: 'Campus', effectiveDate: '2022-06-22' }),
  projected('TrainingCourseOpened', { antennaId: 'a', courseId: 'c1', title: 'c1', sector: 's', level: 'l', mode: 'distance', effectiveDate: '2021-10-01' }),
  projected('LearnersReported', { antennaId: 'a', period: '2022-06', learners: 40, effectiveDate: '2022-07-01' }),
  projected('LearnersReported', { antennaId: 'a', period: '2022-06', learners: 45, previousLearners: 40, reason: 'Correction', effectiveDate: '2022-07-10' }),
  projected('LearnersReported', { antennaId: 'a', period: '2023-06', learners: 120, effectiveDate: '2023-07-03' }),
  projected('LearnersReported', { antennaId: 'b', period: '2022-06', learners: 12, effectiveDate: '2022-07-01' }),
  projected('BudgetForecastSet', { antennaId: 'a', lines: [], totalCents: 78_600_000, effectiveDate: '2021-03-01' }),
  projected('FundingCommitted', { agreementId: 'f', antennaId: 'a', funder: 'BdT', label: 'l', amountCents: 10_000_000, tranches: [], effectiveDate: '2021-06-01' }),
  projected('BudgetTrancheReleased', { agreementId: 'f', antennaId: 'a', trancheId: 't1', amountCents: 4_000_000, effectiveDate: '2021-09-15' }),
  projected('TrancheReceived', { agreementId: 'f', antennaId: 'a', trancheId: 't1', amountCents: 3_900_000, bankReference: 'V', effectiveDate: '2021-09-28' }),
];

describe('kpis report', () => {
  const report = () => buildKpisReport(modelsOf(project(kpisProjection, events())), { referenceDate: '2023-01-01' });
  const table = (title: string) => report().tables.find((t) => t.title === title)!;

  it('rule: antennas per status against the target, and the Action Cœur de Ville share, in basis points', () => {
    expect(report().kind).toBe('kpis');
    expect(report().title).toBe('Indicateurs du programme — Au cœur des territoires');
    expect(table('Antennes et objectif').rows).toEqual([
      {
        targetCount: 8,
        targetDate: '2022-12-31',
        opened: 2,
        inaugurated: 1,
        inauguratedByTargetDate: 1,
        active: 1,
        suspended: 1,
        closed: 0,
        // 2 of 8 = 2500 basis points; 1 inaugurated of 8 = 1250; 1 ACV antenna of 2 = 5000.
        attainment: 2500,
        inaugurationAttainment: 1250,
        actionCoeurDeVille: 1,
        actionCoeurDeVilleShare: 5000,
      },
    ]);
  });

  it('rule: candidacies and laureates per call, calls in their order, with totals', () => {
    const calls = table('Candidatures et lauréats par appel');
    expect(calls.rows).toEqual([
      { call: 'AMI 1', number: 1, candidacies: 0, laureates: 0, rejected: 0, withdrawn: 0 },
      { call: 'AMI 2', number: 2, candidacies: 3, laureates: 2, rejected: 0, withdrawn: 1 },
    ]);
    expect(calls.totals).toEqual({ call: 'Total', number: null, candidacies: 3, laureates: 2, rejected: 0, withdrawn: 1 });
    expect(report().notes).toContain('Dont 1 lauréat retiré après sélection.');
  });

  it('rule: learners are each antenna’s latest month’s headcount summed over antennas, never a sum over months', () => {
    // a: 2022-06 corrected to 45, then 2023-06: 120; b: 2022-06: 12. 120 + 12 = 132, not 45 + 120 + 12.
    expect(table('Formation').rows).toEqual([{ trainingCourses: 1, learners: 132 }]);
    expect(table('Formation').columns.find((c) => c.key === 'learners')!.label).toBe('Apprenants (dernier effectif déclaré)');
    const latest = table('Apprenants par antenne (dernier effectif déclaré)');
    expect(latest.rows).toEqual([
      { antenna: 'Antenne a', period: '2023-06', learners: 120 },
      { antenna: 'Antenne b', period: '2022-06', learners: 12 },
    ]);
    expect(latest.totals).toEqual({ antenna: 'Total', period: null, learners: 132 });
    // Per month, summed over antennas; no total row, a sum of headcounts over months counts people twice.
    expect(table('Apprenants par mois').rows).toEqual([
      { period: '2022-06', learners: 57 },
      { period: '2023-06', learners: 120 },
    ]);
    expect(table('Apprenants par mois').totals).toBeUndefined();
  });

  it('rule: money totals are integer cents: forecast, committed, released, received, remaining, not released at closing', () => {
    expect(table('Budget et financements du programme').rows).toEqual([
      // remaining to release: 100 000 − 40 000 = 60 000 €.
      { budgetForecast: 78_600_000, committed: 10_000_000, released: 4_000_000, received: 3_900_000, remaining: 6_000_000, blocked: 0, notReleasedAtClosing: 0 },
    ]);
  });

  it('rule: « Reste à verser » counts only the agreements still open; a closed agreement’s unreleased amount is « Non versé à la clôture », said in a note', () => {
    const closed = buildKpisReport(
      modelsOf(project(kpisProjection, [...events(), projected('FundingAgreementClosed', { agreementId: 'f', antennaId: 'a', reason: 'Fin anticipée', effectiveDate: '2022-06-30' })])),
      { referenceDate: '2023-01-01' },
    );
    const money = closed.tables.find((t) => t.title === 'Budget et financements du programme')!;
    expect(money.columns.map((c) => c.label)).toEqual([
      'Budget prévisionnel (actuel)',
      'Financements engagés',
      'Versés (nets des annulations)',
      'Reçus',
      'Reste à verser',
      'Bloqué (antenne fermée)',
      'Non versé à la clôture',
    ]);
    // 100 000 committed, 40 000 released, then closed: nothing more to come, 60 000 € never released.
    expect(money.rows).toEqual([{ budgetForecast: 78_600_000, committed: 10_000_000, released: 4_000_000, received: 3_900_000, remaining: 0, blocked: 0, notReleasedAtClosing: 6_000_000 }]);
    expect(closed.notes).toContain(
      'Reste à verser : engagé moins versé (net des annulations) des conventions ouvertes ; ce qu’une convention clôturée n’avait pas versé à sa clôture ne sera plus versé et figure en « Non versé à la clôture ».',
    );
  });

  it('rule: an open agreement on a closed antenna is « Bloqué (antenne fermée) », not « Reste à verser », said in a note (decision 0066 amended)', () => {
    const blocked = buildKpisReport(modelsOf(project(kpisProjection, [...events(), projected('AntennaClosed', { antennaId: 'a', reason: 'Fin', effectiveDate: '2023-06-30' })])), { referenceDate: '2024-01-01' });
    const money = blocked.tables.find((t) => t.title === 'Budget et financements du programme')!;
    // 100 000 committed, 40 000 released, the agreement open on a closed antenna: 60 000 € can no longer come.
    expect(money.rows).toEqual([{ budgetForecast: 78_600_000, committed: 10_000_000, released: 4_000_000, received: 3_900_000, remaining: 0, blocked: 6_000_000, notReleasedAtClosing: 0 }]);
    expect(blocked.notes).toContain(
      'Reste à verser : hors des conventions encore ouvertes d’une antenne fermée ; plus rien ne peut y être versé, et ce qu’elles n’ont pas versé figure en « Bloqué (antenne fermée) », comme dans l’échéancier et le rapprochement des financements.',
    );
  });

  it('rule: with no history, the report is empty figures, not an error', () => {
    const empty = buildKpisReport(modelsOf(project(kpisProjection, [])), { referenceDate: '2023-01-01' });
    expect(empty.tables[0]!.rows).toEqual([
      { targetCount: null, targetDate: null, opened: 0, inaugurated: 0, inauguratedByTargetDate: null, active: 0, suspended: 0, closed: 0, attainment: null, inaugurationAttainment: null, actionCoeurDeVille: 0, actionCoeurDeVilleShare: null },
    ]);
    expect(empty.notes).toContain('Aucun programme lancé à cette date : pas d’objectif.');
  });

  it('rule: the KPIs cover the whole programme, an antenna filter is said to be ignored, and the line under the title says « Programme », not the antenna', () => {
    const filtered = buildKpisReport(modelsOf(project(kpisProjection, events())), { referenceDate: '2023-01-01', antennaId: 'a' });
    expect(filtered.notes).toContain('Les indicateurs portent sur l’ensemble du programme : l’antenne demandée est ignorée.');
    expect(filtered.parameters).toEqual({ referenceDate: '2023-01-01' });
    expect(formatReportContext(filtered, { generatedAt: '2023-01-01T09:00:00Z' })).toBe('Programme · Situation au 01/01/2023 · Généré le 01/01/2023 10:00');
  });
});
