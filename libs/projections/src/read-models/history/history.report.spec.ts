import { ReportParameterError, ReportSubjectNotFoundError } from '@jalon/reporting';
import { ReadModelView } from '../../projection';
import { InMemoryReadModel } from '../../runner/in-memory-read-model';
import { project, projected } from '../../testing/projection-specification';
import { historyProjection } from './history.projection';
import { buildHistoryReport } from './history.report';

function modelsOf(...models: InMemoryReadModel<any>[]) {
  return {
    view<Doc>(name: string): ReadModelView<Doc> {
      const model = models.find((m) => m.projection.name === name);
      if (!model) throw new Error(`no read model ${name}`);
      return model as ReadModelView<Doc>;
    },
  };
}

const candidacyId = 'ami-2--pma';
const events = () => [
  projected(
    'CandidacySubmitted',
    {
      candidacyId,
      callId: 'ami-2',
      programmeId: 'acdt',
      territory: { id: 'pma', name: 'PMA', kind: 'agglomeration', region: 'BFC', actionCoeurDeVille: true },
      partners: [],
      trainingNeeds: [],
      effectiveDate: '2020-12-10',
    },
    { recordedAt: '2020-12-11T09:00:00.000Z' },
  ),
  projected(
    'AntennaOpened',
    {
      antennaId: 'mbl',
      candidacyId,
      callId: 'ami-2',
      programmeId: 'acdt',
      name: 'Cnam Montbéliard',
      town: 'Montbéliard',
      territory: { id: 'pma', name: 'PMA', region: 'BFC', actionCoeurDeVille: true },
      effectiveDate: '2021-03-01',
    },
    { recordedAt: '2021-03-02T09:00:00.000Z' },
  ),
  projected(
    'TrancheReleaseReversed',
    { antennaId: 'mbl', agreementId: 'bdt', trancheId: 'tranche-3', amountCents: 3_000_000, reason: 'Condition non remplie', effectiveDate: '2023-07-10' },
    { recordedAt: '2023-07-11T09:00:00.000Z', actor: 'fanny', role: 'finance', reason: 'Condition non remplie' },
  ),
];

describe('history report', () => {
  const models = () => modelsOf(project(historyProjection, events()));

  it('rule: one table of the antenna’s events in log order, with effective date, recorded time, actor, role, event, reason and change', () => {
    const report = buildHistoryReport(models(), { antennaId: 'mbl', referenceDate: '2024-01-01' });
    expect(report.kind).toBe('history');
    expect(report.title).toBe('Historique de l’antenne — Cnam Montbéliard');
    expect(report.tables).toHaveLength(1);
    const [table] = report.tables;
    expect(table!.columns.map((c) => [c.label, c.kind])).toEqual([
      ["Date d'effet", 'date'],
      ['Enregistré le', 'timestamp'],
      ['Par', 'text'],
      ['Rôle', 'text'],
      ['Événement', 'text'],
      ['Motif', 'text'],
      ['Changement', 'text'],
    ]);
    expect(table!.rows).toEqual([
      {
        effectiveDate: '2020-12-10',
        recordedAt: '2020-12-11T09:00:00.000Z',
        actor: 'Claire Martin (claire)',
        role: 'Gestion du programme',
        event: 'Candidature déposée',
        reason: null,
        changes: 'Candidature de PMA déposée à l’appel ami-2 (0 partenaire)',
      },
      {
        effectiveDate: '2021-03-01',
        recordedAt: '2021-03-02T09:00:00.000Z',
        actor: 'Claire Martin (claire)',
        role: 'Gestion du programme',
        event: 'Antenne ouverte',
        reason: null,
        changes: `Antenne ouverte : Cnam Montbéliard (Montbéliard), candidature ${candidacyId}`,
      },
      {
        effectiveDate: '2023-07-10',
        recordedAt: '2023-07-11T09:00:00.000Z',
        actor: 'Claire Martin (fanny)',
        role: 'Finances',
        event: 'Versement de tranche annulé',
        reason: 'Condition non remplie',
        changes: 'Versement de la tranche tranche-3 annulé : 30 000,00 €',
      },
    ]);
    expect(report.notes).toEqual([
      '3 événements, dans l’ordre où ils ont été enregistrés.',
      `Inclut les événements de la candidature ${candidacyId}.`,
      '1 événement avec un motif.',
    ]);
  });

  it('rule: the history is about one antenna, so --antenna is required', () => {
    expect(() => buildHistoryReport(models(), { referenceDate: '2024-01-01' })).toThrow('l’historique porte sur une antenne : précisez laquelle');
    // The API answers 400 for this error.
    expect(() => buildHistoryReport(models(), { referenceDate: '2024-01-01' })).toThrow(ReportParameterError);
  });

  it('rule: an unknown antenna is refused with a French message', () => {
    expect(() => buildHistoryReport(models(), { antennaId: 'nulle-part', referenceDate: '2024-01-01' })).toThrow('Antenne inconnue : « nulle-part »');
    expect(() => buildHistoryReport(models(), { antennaId: 'nulle-part', referenceDate: '2024-01-01' })).toThrow(ReportSubjectNotFoundError);
  });
});
