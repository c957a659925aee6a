import { ReadModelUnavailableError } from '@jalon/application';
import { PROJECTIONS, ProjectedEvent, ProjectionUnavailability, ReadModelView } from '@jalon/projections';
import { project, projected } from '../../projections/src/testing/projection-specification';
import { LiveReadModels, ProgrammeQueries } from './programme-queries';
import { ReportQueries } from './report-queries';

// Given events, the query models read from the projections they feed.

const PMA = { id: 'pma', name: 'Pays de Montbéliard Agglomération', kind: 'agglomeration', region: 'Bourgogne-Franche-Comté', actionCoeurDeVille: true };
const EVENTS: ProjectedEvent[] = [
  projected('CallForApplicationsOpened', { callId: 'ami-2', programmeId: 'acdt', title: 'Deuxième AMI', number: 2, opensOn: '2020-10-01', closesOn: '2020-12-15', criteria: [], effectiveDate: '2020-10-01' }, { streamId: 'call-ami-2', revision: 0 }),
  projected('CandidacySubmitted', { candidacyId: 'ami-2--pma', callId: 'ami-2', programmeId: 'acdt', territory: PMA, partners: [], trainingNeeds: [], effectiveDate: '2020-12-01' }, { streamId: 'candidacy-ami-2--pma', revision: 0 }),
  projected('CandidacySelected', { candidacyId: 'ami-2--pma', criteria: [], effectiveDate: '2021-02-01' }, { streamId: 'candidacy-ami-2--pma', revision: 1 }),
  projected('AntennaOpened', { antennaId: 'montbeliard', candidacyId: 'ami-2--pma', callId: 'ami-2', programmeId: 'acdt', name: 'Cnam Montbéliard', town: 'Montbéliard', territory: PMA, effectiveDate: '2021-03-01' }),
  projected('BudgetForecastSet', { antennaId: 'montbeliard', lines: [{ year: 2022, category: 'staff', amountCents: 1_000_000 }], totalCents: 1_000_000, effectiveDate: '2021-03-01' }),
  projected('ExpenditureRecorded', { antennaId: 'montbeliard', expenditureId: 'zz-2021', category: 'premises', amountCents: 4_500_000, description: 'Aménagement', effectiveDate: '2021-06-01' }),
  projected('ExpenditureRecorded', { antennaId: 'montbeliard', expenditureId: 'aa-2022', category: 'staff', amountCents: 120_000, description: 'Coordination', effectiveDate: '2022-01-10' }),
  projected('ExpenditureReversed', { antennaId: 'montbeliard', expenditureId: 'aa-2022', amountCents: 120_000, category: 'staff', expenditureDate: '2022-01-10', reason: 'Saisie en double', effectiveDate: '2022-02-01' }),
];

function liveModels(events: readonly ProjectedEvent[], stopped: ReadonlySet<string> = new Set()): LiveReadModels {
  const models = new Map(PROJECTIONS.map((projection) => [projection.name, project(projection, events)]));
  return {
    view: <Doc>(name: string) => models.get(name) as unknown as ReadModelView<Doc>,
    unavailability: (name: string): ProjectionUnavailability | undefined =>
      stopped.has(name) ? { kind: 'stopped', id: `${name}@1`, failure: { reason: 'le disque est plein', since: '2024-01-01T00:00:00Z', attempts: 2, nextRetryAt: '2024-01-01T00:01:00Z' } } : undefined,
  };
}

describe('programme query models', () => {
  const queries = new ProgrammeQueries(liveModels(EVENTS));

  it('rule: an antenna is listed with its territory and region, its call and candidacy (no candidacy stream is replayed)', () => {
    expect(queries.antennas()).toEqual([
      {
        antennaId: 'montbeliard',
        programmeId: 'acdt',
        name: 'Cnam Montbéliard',
        town: 'Montbéliard',
        territory: { territoryId: 'pma', name: 'Pays de Montbéliard Agglomération', region: 'Bourgogne-Franche-Comté', actionCoeurDeVille: true },
        callId: 'ami-2',
        candidacyId: 'ami-2--pma',
        status: 'active',
        openedOn: '2021-03-01',
        inauguratedOn: null,
      },
    ]);
    expect(queries.antenna('montbeliard')).toMatchObject({ forecastSet: true, phases: [], courseIds: [], statusSince: '2021-03-01' });
    expect(queries.antenna('atlantis')).toBeUndefined();
  });

  it('rule: the programme the installation follows (decision 0061) is the one launched, with its name and launch date; none before a launch; on a history with several launched before that rule, the first launched', () => {
    const launch = (programmeId: string, name: string, effectiveDate: string) =>
      projected('ProgrammeLaunched', { programmeId, name, operator: 'Cnam', targets: { antennaCount: 100, targetDate: '2022-12-31' }, effectiveDate }, { streamId: `programme-${programmeId}`, revision: 0 });
    // An antenna names its programme, which leaves the read model a programme not launched: not one followed.
    expect(queries.followedProgramme()).toBeNull();
    expect(new ProgrammeQueries(liveModels([launch('acdt', 'Au cœur des territoires', '2019-01-15'), ...EVENTS])).followedProgramme()).toEqual({
      programmeId: 'acdt',
      name: 'Au cœur des territoires',
      launchedOn: '2019-01-15',
    });
    const twice = new ProgrammeQueries(liveModels([launch('zz-premier', 'Premier', '2019-01-15'), launch('aa-second', 'Second', '2020-06-01'), ...EVENTS]));
    expect(twice.followedProgramme()).toMatchObject({ programmeId: 'zz-premier', name: 'Premier' });
  });

  it('rule: the expenditure list gives description, date, category and amount, by year then id, a reversed one marked with its reason', () => {
    // Fields recorded on an expenditure later (supplier, invoice number…) join each item: only these are checked here.
    expect(queries.expenditures('montbeliard')).toEqual([
      expect.objectContaining({ expenditureId: 'zz-2021', effectiveDate: '2021-06-01', year: 2021, category: 'premises', amountCents: 4_500_000, description: 'Aménagement', fundingAgreementId: null, reversal: null, reversed: false }),
      expect.objectContaining({
        expenditureId: 'aa-2022',
        effectiveDate: '2022-01-10',
        year: 2022,
        category: 'staff',
        amountCents: 120_000,
        description: 'Coordination',
        fundingAgreementId: null,
        reversal: { effectiveDate: '2022-02-01', reason: 'Saisie en double' },
        reversed: true,
      }),
    ]);
  });

  it('rule: candidacies carry their status and stream revision; calls say whether they are open', () => {
    expect(queries.candidacies()).toEqual([expect.objectContaining({ candidacyId: 'ami-2--pma', status: 'selected', revision: 1, territory: expect.objectContaining({ region: 'Bourgogne-Franche-Comté' }) })]);
    expect(queries.calls()).toEqual([expect.objectContaining({ callId: 'ami-2', open: true, closedOn: null, revision: 0 })]);
  });

  it('rule: the forecast in force is the last revision’s lines (a revision’s form opens on them), none before it is set', () => {
    const revised = new ProgrammeQueries(
      liveModels([
        ...EVENTS,
        projected('BudgetForecastRevised', {
          antennaId: 'montbeliard',
          revision: 1,
          lines: [{ year: 2022, category: 'staff', amountCents: 800_000 }, { year: 2023, category: 'premises', amountCents: 200_000 }],
          totalCents: 1_000_000,
          previousLines: [{ year: 2022, category: 'staff', amountCents: 1_000_000 }],
          previousTotalCents: 1_000_000,
          reason: 'Locaux en 2023',
          effectiveDate: '2022-03-01',
        }),
      ]),
    );
    expect(revised.forecast('montbeliard')).toEqual({
      lines: [{ year: 2022, category: 'staff', amountCents: 800_000 }, { year: 2023, category: 'premises', amountCents: 200_000 }],
      totalCents: 1_000_000,
      effectiveDate: '2022-03-01',
      revision: 1,
    });
    expect(queries.forecast('montbeliard')).toMatchObject({ revision: 0, totalCents: 1_000_000 });
    expect(new ProgrammeQueries(liveModels(EVENTS.slice(0, 4))).forecast('montbeliard')).toBeNull();
  });

  it('rule: the documents attached to an antenna’s budget and funding facts are listed as recorded, in log order, and not another antenna’s', () => {
    const file = (sha: string, fileName: string) => ({ sha256: sha.repeat(64), fileName, sizeBytes: 1200, mediaType: 'application/pdf' });
    const onExpenditure = { antennaId: 'montbeliard', subject: { kind: 'expenditure', expenditureId: 'zz-2021' }, ...file('a', 'facture.pdf'), effectiveDate: '2021-06-02' };
    const onAgreement = { antennaId: 'montbeliard', subject: { kind: 'funding-agreement', agreementId: 'bdt' }, ...file('b', 'convention.pdf'), effectiveDate: '2021-04-01' };
    const elsewhere = { antennaId: 'langres', subject: { kind: 'funding-agreement', agreementId: 'region' }, ...file('c', 'autre.pdf'), effectiveDate: '2021-04-01' };
    const attached = new ProgrammeQueries(
      liveModels([
        ...EVENTS,
        projected('DocumentAttached', onExpenditure, { streamId: 'budget-montbeliard', revision: 4 }),
        projected('DocumentAttached', onAgreement, { streamId: 'funding-bdt', revision: 1 }),
        projected('DocumentAttached', elsewhere, { streamId: 'funding-region', revision: 1 }),
      ]),
    );
    expect(attached.attachedDocuments('montbeliard')).toEqual([onExpenditure, onAgreement]);
    expect(queries.attachedDocuments('montbeliard')).toEqual([]);
  });

  it('rule: a stopped projection answers READ_MODEL.UNAVAILABLE naming it, never the figures it last had', () => {
    const stopped = new ProgrammeQueries(liveModels(EVENTS, new Set(['budget'])));
    expect(() => stopped.expenditures('montbeliard')).toThrow(ReadModelUnavailableError);
    expect(() => stopped.expenditures('montbeliard')).toThrow(/projection budget .*le disque est plein/);
    expect(stopped.antennas()).toHaveLength(1); // another projection still answers
  });

  it('rule: a projection still built from the first event answers READ_MODEL.UNAVAILABLE saying how far it is, never partial figures', () => {
    const models = liveModels(EVENTS);
    const building = new ProgrammeQueries({
      ...models,
      unavailability: (name) => (name === 'budget' ? { kind: 'building', id: 'budget@2', position: 12_000n, head: 53_055n } : models.unavailability(name)),
    });
    expect(() => building.expenditures('montbeliard')).toThrow(ReadModelUnavailableError);
    expect(() => building.expenditures('montbeliard')).toThrow(/projection budget .*construite depuis le premier événement et n’a pas encore rattrapé le journal \(position 12\u202f000 sur 53\u202f055\) : ses chiffres seraient partiels/);
  });
});

describe('report query models', () => {
  it('rule: a report is typed by its kind, and a report of another kind than asked is refused rather than cast', async () => {
    const built = { kind: 'budget', title: 'Budget', parameters: { referenceDate: '2024-01-01' }, tables: [], data: {} } as const;
    const reports = new ReportQueries({ build: async () => built });
    await expect(reports.report('budget')).resolves.toBe(built);
    await expect(reports.report('funding')).rejects.toThrow('a funding report was asked, a budget report was built');
  });
});
