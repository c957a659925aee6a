import { AUDITED_EVENT_TYPES, formatEuros } from '@jalon/reporting';
import { project, projected } from '../../testing/projection-specification';
import {
  antennaEntries,
  antennaOrderKey,
  antennaTrail,
  candidacyEntries,
  entriesBlock,
  ENTRIES_PER_DOCUMENT,
  historyActors,
  historyAntennas,
  historyNames,
  historyProjection,
  JOURNAL_BLOCK_POSITIONS,
  JOURNAL_BLOCKS_PER_GROUP,
  journalCountsKey,
  journalKey,
  journalSummaryKey,
  programmeFacts,
} from './history.projection';

/** The journal block, counts and summary documents of an event at `position`. */
const journalKeys = ({ position }: { readonly position: bigint }): string[] => {
  const block = Number(position / BigInt(JOURNAL_BLOCK_POSITIONS));
  return [journalKey(block), journalCountsKey(Math.floor(block / JOURNAL_BLOCKS_PER_GROUP)), journalSummaryKey(block)];
};

const candidacyId = 'ami-2--pma';
const launched = projected(
  'ProgrammeLaunched',
  { programmeId: 'acdt', name: 'Au cœur des territoires', operator: 'Cnam', targets: { antennaCount: 100, targetDate: '2022-12-31' }, effectiveDate: '2019-01-15' },
  { streamId: 'programme-acdt', revision: 0 },
);
const callOpened = projected(
  'CallForApplicationsOpened',
  { callId: 'ami-2', programmeId: 'acdt', title: 'Deuxième AMI', number: 2, opensOn: '2020-10-01', closesOn: '2020-12-15', criteria: [], effectiveDate: '2020-10-01' },
  { streamId: 'call-ami-2', revision: 0 },
);
const submitted = projected(
  'CandidacySubmitted',
  {
    candidacyId,
    callId: 'ami-2',
    programmeId: 'acdt',
    territory: { id: 'pma', name: 'Pays de Montbéliard Agglomération', kind: 'agglomeration', region: 'BFC', actionCoeurDeVille: true },
    partners: [
      { name: 'Cnam BFC', kind: 'academic' },
      { name: 'UIMM', kind: 'employer' },
    ],
    trainingNeeds: [],
    projectedBudgetCents: 78_600_000,
    effectiveDate: '2020-12-10',
  },
  { streamId: `candidacy-${candidacyId}`, revision: 0, recordedAt: '2020-12-11T09:00:00.000Z' },
);
const partnerAdded = projected('CandidacyPartnerAdded', { candidacyId, partner: { name: 'Mattern Lab', kind: 'other' }, effectiveDate: '2020-12-14' }, { streamId: `candidacy-${candidacyId}`, revision: 1 });
const selected = projected('CandidacySelected', { candidacyId, criteria: ['Dynamique partenariale'], effectiveDate: '2021-02-15' }, { streamId: `candidacy-${candidacyId}`, revision: 2 });
const opened = projected(
  'AntennaOpened',
  {
    antennaId: 'mbl',
    candidacyId,
    callId: 'ami-2',
    programmeId: 'acdt',
    name: 'Cnam Montbéliard',
    town: 'Montbéliard',
    territory: { id: 'pma', name: 'Pays de Montbéliard Agglomération', region: 'BFC', actionCoeurDeVille: true },
    effectiveDate: '2021-03-01',
  },
  { streamId: 'antenna-mbl', revision: 0 },
);
const withdrawn = projected('CandidacyWithdrawn', { candidacyId, reason: 'Le territoire renonce', effectiveDate: '2021-04-01' }, { reason: 'Le territoire renonce', streamId: `candidacy-${candidacyId}`, revision: 3 });
const a = { antennaId: 'mbl' };
const f = { antennaId: 'mbl', agreementId: 'bdt' };
const planned = projected(
  'PhasePlanned',
  { ...a, phaseId: 'p2', name: 'Portes du Jura', site: 'Polyclinique', plannedStart: '2023-01-01', plannedEnd: '2024-12-31', effectiveDate: '2021-03-01' },
  { streamId: 'antenna-mbl', revision: 1 },
);
const started = projected('PhaseStarted', { ...a, phaseId: 'p2', effectiveDate: '2023-03-06' }, { streamId: 'antenna-mbl', revision: 2 });
const committed = projected(
  'FundingCommitted',
  {
    ...f,
    funder: 'Banque des Territoires',
    label: 'Amorçage',
    amountCents: 10_000_000,
    tranches: [
      { trancheId: 'tranche-1', label: 'Première tranche', amountCents: 4_000_000, dueOn: '2021-09-01' },
      { trancheId: 'tranche-2', amountCents: 6_000_000, dueOn: '2022-06-30' },
    ],
    effectiveDate: '2021-06-01',
  },
  { streamId: 'funding-bdt', revision: 0, actor: 'fanny', role: 'finance' },
);
const received = projected(
  'TrancheReceived',
  { ...f, trancheId: 'tranche-1', amountCents: 4_000_000, bankReference: 'VIR-1', effectiveDate: '2021-09-28' },
  { streamId: 'funding-bdt', revision: 1, actor: 'fanny', role: 'finance' },
);
const spent = projected(
  'ExpenditureRecorded',
  { ...a, expenditureId: 'mobilier', category: 'equipment', amountCents: 1_850_000, description: 'Mobilier', effectiveDate: '2021-10-15' },
  { streamId: 'budget-mbl', revision: 0, actor: 'fanny', role: 'finance' },
);
const attached = projected(
  'DocumentAttached',
  { ...a, subject: { kind: 'expenditure', expenditureId: 'mobilier' }, sha256: 'a'.repeat(64), fileName: 'facture-12.pdf', sizeBytes: 250_880, mediaType: 'application/pdf', effectiveDate: '2021-10-16' },
  { streamId: 'budget-mbl', revision: 1, actor: 'fanny', role: 'finance' },
);

describe('history projection: facts, worded when read', () => {
  it('rule: an entry stores the facts (type, effective date, recorded at, actor, role, reason, the event’s values), never a sentence', () => {
    const model = project(historyProjection, [submitted]);
    expect(model.get(`candidacy:${candidacyId}:entries:${entriesBlock(submitted)}`)).toEqual({
      kind: 'entries',
      streamId: `candidacy-${candidacyId}`,
      antennaId: null,
      recorders: [['claire', 'Claire Martin', 'programme-manager']],
      rows: [[submitted.position.toString(), 0, 'CandidacySubmitted', '2020-12-10', '2020-12-11T09:00:00.000Z', 0, null, submitted.data]],
    });
  });

  it('rule: the sentence is rendered when read, with the names the index knows then (tranche label, funder)', () => {
    // The receipt is projected before the commitment that names its tranche: read afterwards, it is named all the same.
    const model = project(historyProjection, [opened, received, committed]);
    const entry = antennaEntries(model, 'mbl').find((e) => e.type === 'TrancheReceived')!;
    expect(entry).toMatchObject({
      effectiveDate: '2021-09-28',
      actor: 'fanny',
      role: 'finance',
      antennaId: 'mbl',
      values: received.data,
      changes: `Tranche « Première tranche » reçue de Banque des Territoires : ${formatEuros(4_000_000)} (référence bancaire VIR-1)`,
    });
  });

  it('rule: the name index holds programme, call, candidacy, antenna, phase, agreement (tranches in schedule order), expenditure and actor names', () => {
    const model = project(historyProjection, [launched, callOpened, submitted, opened, planned, committed, spent]);
    const names = historyNames(model);
    expect(names.programme('acdt')).toBe('Au cœur des territoires');
    expect(names.call('ami-2')).toBe('Deuxième AMI');
    expect(names.candidacy(candidacyId)).toBe('Pays de Montbéliard Agglomération');
    expect(names.candidacyDocument(candidacyId)).toMatchObject({ kind: 'candidacy', territoryName: 'Pays de Montbéliard Agglomération', antennaId: 'mbl' });
    expect(names.antenna('mbl')).toBe('Cnam Montbéliard');
    expect(names.phase('mbl', 'p2')).toBe('Portes du Jura');
    expect(names.agreement('bdt')).toEqual({ funder: 'Banque des Territoires', label: 'Amorçage' });
    expect(names.tranche('bdt', 'tranche-1')).toEqual({ label: 'Première tranche', rank: 1 });
    expect(names.tranche('bdt', 'tranche-2')).toEqual({ rank: 2 });
    expect(names.expenditure('mbl', 'mobilier')).toBe('Mobilier');
    expect(historyActors(model).map((actor) => [actor.actor, actor.name, actor.role])).toEqual([
      ['claire', 'Claire Martin', 'programme-manager'],
      ['fanny', 'Claire Martin', 'finance'],
    ]);
    expect(historyAntennas(model).map((antenna) => antenna.name)).toEqual(['Cnam Montbéliard']);
  });

  it('rule: every audited event type is handled, and only those (no user, idempotency or seal event: they carry hashes; nor the installation’s claim of its programme, the launch’s first step)', () => {
    expect([...historyProjection.handles].sort()).toEqual([...AUDITED_EVENT_TYPES].sort());
    for (const type of ['UserRegistered', 'UserTokenIssued', 'IdempotentResultRecorded', 'LogSealed', 'ProgrammeClaimed']) expect(historyProjection.handles).not.toContain(type);
  });
});

describe('history projection: trails', () => {
  it('rule: the programme-wide trail holds programme, call, candidacy, antenna, budget and funding entries, in log order', () => {
    const model = project(historyProjection, [launched, callOpened, submitted, opened, planned, committed, spent, attached]);
    expect(programmeFacts(model).map((fact) => [fact.type, fact.antennaId])).toEqual([
      ['ProgrammeLaunched', null],
      ['CallForApplicationsOpened', null],
      ['CandidacySubmitted', null],
      ['AntennaOpened', 'mbl'],
      ['PhasePlanned', 'mbl'],
      ['FundingCommitted', 'mbl'],
      ['ExpenditureRecorded', 'mbl'],
      ['DocumentAttached', 'mbl'],
    ]);
    expect(antennaEntries(model, 'mbl').at(-1)!.changes).toBe('Pièce justificative « facture-12.pdf » (245 Ko) jointe à la dépense « Mobilier »');
  });

  it('rule: the antenna trail joins the candidacy’s events, before and after the opening, in log order; a candidacy entry concerns the antenna claimed on it', () => {
    // The antenna's entries are projected before the candidacy's: the trail is still in log order.
    const model = project(historyProjection, [opened, planned, started, submitted, partnerAdded, selected, withdrawn]);
    const trail = antennaTrail(model, 'mbl')!;
    expect(trail.map((e) => e.type)).toEqual(['CandidacySubmitted', 'CandidacyPartnerAdded', 'CandidacySelected', 'AntennaOpened', 'CandidacyWithdrawn', 'PhasePlanned', 'PhaseStarted']);
    expect(trail.map((e) => e.antennaId)).toEqual(Array(7).fill('mbl'));
    expect(trail[6]!.changes).toBe('Phase « Portes du Jura » commencée');
    expect(trail[4]).toMatchObject({ reason: 'Le territoire renonce', changes: 'Candidature de Pays de Montbéliard Agglomération retirée' });
    expect(antennaTrail(model, 'inconnue')).toBeUndefined();
    expect(candidacyEntries(model, candidacyId)).toHaveLength(4);
  });

  it('rule: entries are kept by stream, in blocks of consecutive revisions, so that no document grows beyond ENTRIES_PER_DOCUMENT; the trail merges them in log order', () => {
    const budget = (revision: number, position: bigint) =>
      projected('ExpenditureReversed', { antennaId: 'mbl', expenditureId: `e${revision}`, amountCents: 100, category: 'other', expenditureDate: '2024-01-01', reason: 'r', effectiveDate: '2024-01-01' }, { streamId: 'budget-mbl', revision, position });
    const phase = (revision: number, position: bigint) =>
      projected('PhaseStarted', { antennaId: 'mbl', phaseId: `p${revision}`, effectiveDate: '2024-01-01' }, { streamId: 'antenna-mbl', revision, position });
    // Two streams interleaved in the log; positions beyond 2^32 and of different lengths.
    const log = Array.from({ length: 2 * ENTRIES_PER_DOCUMENT + 1 }, (_, i) => [budget(i, 9_000_000_000n + 2n * BigInt(i)), phase(i + 1, 9_000_000_001n + 2n * BigInt(i))]).flat();
    const model = project(historyProjection, [opened, ...log]);

    expect(historyProjection.keysOf(log[0]!)).toEqual([`antenna:mbl:entries:budget-mbl:${'0'.repeat(16)}`, 'names:actor:claire', ...journalKeys(log[0]!), antennaOrderKey('mbl', log[0]!.position)]);
    expect(historyProjection.keysOf(opened)).toEqual([`antenna:mbl:entries:antenna-mbl:${'0'.repeat(16)}`, 'names:antenna:mbl', `names:candidacy:${candidacyId}`, 'names:actor:claire', ...journalKeys(opened), antennaOrderKey('mbl', opened.position)]);
    expect(historyProjection.keysOf(submitted)).toEqual([`candidacy:${candidacyId}:entries:candidacy-${candidacyId}:${'0'.repeat(16)}`, `names:candidacy:${candidacyId}`, 'names:actor:claire', ...journalKeys(submitted)]);
    const blocks = model.list('antenna:mbl:entries:');
    expect(blocks.map((doc) => (doc.kind === 'entries' ? doc.rows.length : 0))).toEqual([ENTRIES_PER_DOCUMENT, ENTRIES_PER_DOCUMENT, 2, ENTRIES_PER_DOCUMENT, ENTRIES_PER_DOCUMENT, 1]);
    expect(antennaEntries(model, 'mbl').map((e) => e.position)).toEqual([opened, ...log].map((e) => e.position.toString()));
    // Another antenna whose id starts like this one's is not mixed in.
    const other = projected('PhaseStarted', { antennaId: 'mbl2', phaseId: 'p1', effectiveDate: '2024-01-01' });
    expect(antennaEntries(project(historyProjection, [opened, other]), 'mbl')).toHaveLength(1);
  });

  it('rule: an event applied twice is recorded once (replays are idempotent)', () => {
    const model = project(historyProjection, [opened, started, started]);
    expect(antennaEntries(model, 'mbl').map((e) => e.position)).toEqual([opened.position.toString(), started.position.toString()]);
  });
});
