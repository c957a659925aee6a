import { formatEuros, renderReport, ReportSubjectNotFoundError } from '@jalon/reporting';
import { ReadModelView } from '../../projection';
import { InMemoryReadModel } from '../../runner/in-memory-read-model';
import { project, projected } from '../../testing/projection-specification';
import { historyProjection } from './history.projection';
import { buildHistoryReport, HistoryReportData } from './history.report';

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
    'ProgrammeLaunched',
    { programmeId: 'acdt', name: 'Au cœur des territoires', operator: 'Cnam', targets: { antennaCount: 100, targetDate: '2022-12-31' }, effectiveDate: '2019-01-15' },
    { recordedAt: '2019-01-16T09:00:00.000Z', streamId: 'programme-acdt' },
  ),
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
    { recordedAt: '2020-12-11T09:00:00.000Z', streamId: `candidacy-${candidacyId}` },
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
    { recordedAt: '2021-03-02T09:00:00.000Z', streamId: 'antenna-mbl' },
  ),
  projected(
    'FundingCommitted',
    {
      antennaId: 'mbl',
      agreementId: 'bdt',
      funder: 'Banque des Territoires',
      label: 'Amorçage',
      amountCents: 10_000_000,
      tranches: [{ trancheId: 'tranche-3', label: 'Troisième tranche', amountCents: 10_000_000, dueOn: '2023-06-30' }],
      effectiveDate: '2021-06-01',
    },
    { recordedAt: '2021-06-02T09:00:00.000Z', actor: 'fanny', role: 'finance', streamId: 'funding-bdt' },
  ),
  projected(
    'TrancheReleaseReversed',
    { antennaId: 'mbl', agreementId: 'bdt', trancheId: 'tranche-3', amountCents: 3_000_000, releasedOn: '2023-07-03', reason: 'Condition non remplie', effectiveDate: '2023-07-10' },
    { recordedAt: '2023-07-11T09:00:00.000Z', actor: 'fanny', role: 'finance', reason: 'Condition non remplie', streamId: 'funding-bdt', revision: 1 },
  ),
  projected(
    'AntennaOpened',
    {
      antennaId: 'dole',
      candidacyId: 'ami-2--dole',
      callId: 'ami-2',
      programmeId: 'acdt',
      name: 'Cnam Dole',
      town: 'Dole',
      territory: { id: 'dole', name: 'Grand Dole', region: 'BFC', actionCoeurDeVille: true },
      effectiveDate: '2022-02-01',
    },
    { recordedAt: '2022-02-02T09:00:00.000Z', streamId: 'antenna-dole' },
  ),
];

const models = () => modelsOf(project(historyProjection, events()));
const data = (report: { data: unknown }) => report.data as HistoryReportData;

describe('history report: one antenna', () => {
  it('rule: one table of the antenna’s events in log order, with effective date, recorded time, actor, role, event, reason and the sentence rendered now', () => {
    const report = buildHistoryReport(models(), { antennaId: 'mbl', referenceDate: '2024-01-01' });
    expect(report.kind).toBe('history');
    expect(report.title).toBe('Historique de l’antenne — Cnam Montbéliard');
    // The antenna is named in the title; its id stays in the parameters, which the line under the title names it by (by its name when the report service gives it).
    expect(report.parameters).toEqual({ antennaId: 'mbl', referenceDate: '2024-01-01' });
    const [table] = report.tables;
    expect(table!.columns.map((c) => [c.label, c.kind])).toEqual([
      ['Date d’effet', 'date'],
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
        actor: 'Claire Martin',
        role: 'Gestion du programme',
        event: 'Candidature déposée',
        reason: null,
        changes: 'Candidature de PMA déposée (0 partenaire)',
      },
      expect.objectContaining({ event: 'Antenne ouverte', changes: 'Antenne « Cnam Montbéliard » ouverte à Montbéliard (candidature de PMA)' }),
      expect.objectContaining({ event: 'Financement engagé' }),
      {
        effectiveDate: '2023-07-10',
        recordedAt: '2023-07-11T09:00:00.000Z',
        actor: 'Claire Martin',
        role: 'Finances',
        event: 'Versement de tranche annulé',
        reason: 'Condition non remplie',
        changes: `Versement du 03/07/2023 annulé : tranche « Troisième tranche » de Banque des Territoires, ${formatEuros(3_000_000)}`,
      },
    ]);
    expect(report.notes).toEqual(['4 événements, dans l’ordre où ils ont été enregistrés.', 'Inclut les événements de la candidature de PMA.', '1 événement avec un motif.']);
    expect(data(report)).toMatchObject({ antennaId: 'mbl', candidacyId, total: 4, page: 1, pageCount: 1 });
  });

  it('rule: an unknown antenna is refused with a French message', () => {
    expect(() => buildHistoryReport(models(), { antennaId: 'nulle-part', referenceDate: '2024-01-01' })).toThrow('Antenne inconnue : « nulle-part »');
    expect(() => buildHistoryReport(models(), { antennaId: 'nulle-part', referenceDate: '2024-01-01' })).toThrow(ReportSubjectNotFoundError);
  });
});

describe('history report: the programme-wide audit trail', () => {
  it('rule: without an antenna, the trail covers the whole programme (programme, candidacies, every antenna) and says what each entry concerns', () => {
    const report = buildHistoryReport(models(), { referenceDate: '2024-01-01' });
    expect(report.title).toBe('Journal d’audit du programme');
    expect(report.tables[0]!.rows.map((row) => [row.event, row.subject])).toEqual([
      ['Programme lancé', 'Au cœur des territoires'],
      ['Candidature déposée', 'Cnam Montbéliard'],
      ['Antenne ouverte', 'Cnam Montbéliard'],
      ['Financement engagé', 'Cnam Montbéliard'],
      ['Versement de tranche annulé', 'Cnam Montbéliard'],
      ['Antenne ouverte', 'Cnam Dole'],
    ]);
    expect(data(report).total).toBe(6);
    // What a filter form may offer, by name.
    expect(data(report).choices).toEqual({
      antennas: [
        { antennaId: 'dole', name: 'Cnam Dole' },
        { antennaId: 'mbl', name: 'Cnam Montbéliard' },
      ],
      actors: [
        { actor: 'claire', name: 'Claire Martin', role: 'programme-manager' },
        { actor: 'fanny', name: 'Claire Martin', role: 'finance' },
      ],
    });
  });

  it('rule: filters by effective dates (both days included), actor and kind of event combine, and are told in French', () => {
    const between = buildHistoryReport(models(), { referenceDate: '2024-01-01', from: '2021-03-01', to: '2022-02-01' });
    expect(between.tables[0]!.rows.map((row) => row.effectiveDate)).toEqual(['2021-03-01', '2021-06-01', '2022-02-01']);
    expect(between.notes![0]).toBe('Filtres : date d’effet du 01/03/2021 au 01/02/2022.');
    const byFanny = buildHistoryReport(models(), { referenceDate: '2024-01-01', actor: 'fanny' });
    expect(byFanny.tables[0]!.rows.map((row) => row.event)).toEqual(['Financement engagé', 'Versement de tranche annulé']);
    expect(byFanny.notes![0]).toBe('Filtres : enregistré par Claire Martin.');
    const openings = buildHistoryReport(models(), { referenceDate: '2024-01-01', eventType: 'AntennaOpened', from: '2022-01-01' });
    expect(openings.tables[0]!.rows.map((row) => row.subject)).toEqual(['Cnam Dole']);
    expect(openings.notes![0]).toBe('Filtres : date d’effet à partir du 01/01/2022, événements « Antenne ouverte ».');
    const none = buildHistoryReport(models(), { referenceDate: '2024-01-01', eventType: 'AntennaClosed' });
    expect(none.tables[0]!.rows).toEqual([]);
    expect(none.notes).toContain('Aucun événement ne correspond à ces filtres.');
  });

  it('rule: a page holds pageSize entries; the data carries the total and the page count; desc lists the most recent first', () => {
    const second = buildHistoryReport(models(), { referenceDate: '2024-01-01', page: 2, pageSize: 4 });
    expect(second.tables[0]!.rows.map((row) => row.subject)).toEqual(['Cnam Montbéliard', 'Cnam Dole']);
    expect(data(second)).toMatchObject({ total: 6, page: 2, pageSize: 4, pageCount: 2 });
    expect(second.notes).toContain('Page 2 sur 2 (4 événements par page).');
    const latest = buildHistoryReport(models(), { referenceDate: '2024-01-01', page: 1, pageSize: 2, order: 'desc' });
    expect(latest.tables[0]!.rows.map((row) => row.event)).toEqual(['Antenne ouverte', 'Versement de tranche annulé']);
    expect(data(latest).entries.map((entry) => entry.antennaId)).toEqual(['dole', 'mbl']);
    // A page beyond the last is empty, not an error.
    expect(buildHistoryReport(models(), { referenceDate: '2024-01-01', page: 9, pageSize: 4 }).tables[0]!.rows).toEqual([]);
  });

  it('rule: rendered as a table or CSV, the trail shows no internal id and no ISO date', async () => {
    const report = buildHistoryReport(models(), { referenceDate: '2024-01-01' });
    for (const format of ['table', 'csv'] as const) {
      const text = (await renderReport(report, format)).toString();
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      for (const id of ['acdt', 'ami-2', candidacyId, 'mbl', 'bdt', 'tranche-3', 'fanny']) expect(text).not.toContain(id);
    }
  });
});
