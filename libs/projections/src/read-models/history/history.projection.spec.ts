import { ProjectedEvent } from '../../projection';
import { project, projected } from '../../testing/projection-specification';
import { formatEuros } from '@jalon/reporting';
import { antennaEntries, antennaTrail, candidacyEntries, entriesBlock, ENTRIES_PER_DOCUMENT, HistoryEntry, historyProjection } from './history.projection';

/** The entry expected for `event`: the spec defaults of `projected`, with what the test says. */
function entry(event: ProjectedEvent, changes: string, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    position: event.position.toString(),
    streamId: 'spec-stream',
    revision: 0,
    type: event.type,
    effectiveDate: event.data.effectiveDate,
    recordedAt: '2026-01-15T10:00:00.000Z',
    actor: 'claire',
    actorName: 'Claire Martin',
    role: 'programme-manager',
    reason: null,
    changes,
    ...extra,
  };
}

const candidacyId = 'ami-2--pma';
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
const partnerAdded = projected('CandidacyPartnerAdded', { candidacyId, partner: { name: 'Mattern Lab', kind: 'other' }, effectiveDate: '2020-12-14' });
const selected = projected('CandidacySelected', { candidacyId, criteria: ['Dynamique partenariale', 'Diversité'], effectiveDate: '2021-02-15' });
const opened = projected(
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
  { streamId: 'antenna-mbl', revision: 0 },
);
const withdrawn = projected('CandidacyWithdrawn', { candidacyId, reason: 'Le territoire renonce', effectiveDate: '2021-04-01' }, { reason: 'Le territoire renonce' });

describe('history projection: candidacy entries', () => {
  it('rule: candidacy events are kept under their candidacy, by block of their stream (CandidacySubmitted, CandidacyPartnerAdded, CandidacySelected)', () => {
    const model = project(historyProjection, [submitted, partnerAdded, selected, opened]);
    expect(candidacyEntries(model, candidacyId)).toEqual([
        entry(
          submitted,
          'Candidature de Pays de Montbéliard Agglomération déposée à l’appel ami-2 (2 partenaires, budget prévisionnel 786 000,00 €)',
          { streamId: `candidacy-${candidacyId}`, recordedAt: '2020-12-11T09:00:00.000Z' },
        ),
        entry(partnerAdded, 'Partenaire ajouté à la candidature : Mattern Lab'),
        entry(selected, 'Candidature retenue (lauréate) : Dynamique partenariale ; Diversité'),
    ]);
    // Stored compactly: what the stream and the recorders share is written once per document.
    expect(model.get(`candidacy:${candidacyId}:entries:${entriesBlock(submitted)}`)).toEqual({
      kind: 'entries',
      streamId: `candidacy-${candidacyId}`,
      recorders: [['claire', 'Claire Martin', 'programme-manager']],
      rows: [
        [
          submitted.position.toString(),
          0,
          'CandidacySubmitted',
          '2020-12-10',
          '2020-12-11T09:00:00.000Z',
          0,
          null,
          'Candidature de Pays de Montbéliard Agglomération déposée à l’appel ami-2 (2 partenaires, budget prévisionnel 786 000,00 €)',
        ],
      ],
    });
  });

  it('rule: a rejection or a withdrawal is kept with its reason (CandidacyRejected, CandidacyWithdrawn)', () => {
    const rejected = projected('CandidacyRejected', { candidacyId: 'ami-2--x', reason: 'Hors critères', effectiveDate: '2021-02-15' });
    // The reason is in the data only: the entry takes it from there.
    expect(candidacyEntries(project(historyProjection, [rejected]), 'ami-2--x')).toEqual([entry(rejected, 'Candidature ami-2--x rejetée', { reason: 'Hors critères' })]);
    expect(candidacyEntries(project(historyProjection, [withdrawn]), candidacyId)).toEqual([
      entry(withdrawn, `Candidature ${candidacyId} retirée`, { reason: 'Le territoire renonce' }),
    ]);
  });
});

describe('history projection: antenna trail', () => {
  const a = { antennaId: 'mbl' };
  const f = { antennaId: 'mbl', agreementId: 'bdt' };
  const events = {
    planned: projected('PhasePlanned', { ...a, phaseId: 'p2', name: 'Portes du Jura', site: 'Polyclinique', plannedStart: '2023-01-01', plannedEnd: '2024-12-31', effectiveDate: '2021-03-01' }),
    started: projected('PhaseStarted', { ...a, phaseId: 'p2', effectiveDate: '2023-03-06' }),
    milestone: projected('MilestoneReached', { ...a, phaseId: 'p2', milestoneId: 'm1', name: 'Site ouvert', effectiveDate: '2023-04-01' }),
    rescheduled: projected(
      'PhaseRescheduled',
      {
        ...a,
        phaseId: 'p2',
        plannedStart: '2023-03-01',
        plannedEnd: '2025-06-30',
        previousPlannedStart: '2023-01-01',
        previousPlannedEnd: '2024-12-31',
        reason: 'Travaux',
        effectiveDate: '2022-11-15',
      },
      { reason: 'Travaux' },
    ),
    completed: projected('PhaseCompleted', { ...a, phaseId: 'p2', effectiveDate: '2025-06-30' }),
    inaugurated: projected('AntennaInaugurated', { ...a, place: 'Campus universitaire', effectiveDate: '2022-06-22' }),
    course: projected('TrainingCourseOpened', { ...a, courseId: 'h2', title: 'Hydrogène', sector: 'Énergie', level: 'BAC+3', mode: 'hybrid', effectiveDate: '2023-09-11' }),
    learners: projected('LearnersReported', { ...a, period: '2022-06', learners: 40, effectiveDate: '2022-07-01' }),
    learnersFixed: projected('LearnersReported', { ...a, period: '2022-06', learners: 45, previousLearners: 40, reason: 'Oubli', effectiveDate: '2022-07-10' }, { reason: 'Oubli' }),
    suspended: projected('AntennaSuspended', { ...a, reason: 'Locaux fermés', effectiveDate: '2024-01-01' }),
    resumed: projected('AntennaResumed', { ...a, effectiveDate: '2024-02-01' }),
    closed: projected('AntennaClosed', { ...a, reason: 'Fin du programme', effectiveDate: '2025-12-31' }),
    forecast: projected(
      'BudgetForecastSet',
      {
        ...a,
        lines: [
          { year: 2021, category: 'staff', amountCents: 7_000_000 },
          { year: 2024, category: 'premises', amountCents: 71_600_000 },
        ],
        totalCents: 78_600_000,
        effectiveDate: '2021-03-01',
      },
      { actor: 'fanny', role: 'finance' },
    ),
    revised: projected(
      'BudgetForecastRevised',
      { ...a, revision: 1, lines: [], totalCents: 80_000_000, previousTotalCents: 78_600_000, reason: 'Étude', effectiveDate: '2022-11-15' },
      { reason: 'Étude' },
    ),
    spent: projected('ExpenditureRecorded', {
      ...a,
      expenditureId: 'aioa',
      category: 'premises',
      amountCents: 1_850_000,
      description: 'Aménagement',
      fundingAgreementId: 'bdt',
      effectiveDate: '2021-10-15',
    }),
    spentReversed: projected('ExpenditureReversed', { ...a, expenditureId: 'aioa', amountCents: 1_850_000, reason: 'Doublon', effectiveDate: '2021-10-20' }, { reason: 'Doublon' }),
    committed: projected('FundingCommitted', {
      ...f,
      funder: 'Banque des Territoires',
      label: 'Amorçage',
      amountCents: 10_000_000,
      tranches: [{}, {}, {}],
      effectiveDate: '2021-06-01',
    }),
    released: projected('BudgetTrancheReleased', { ...f, trancheId: 'tranche-3', amountCents: 3_000_000, effectiveDate: '2023-07-03' }),
    releaseReversed: projected('TrancheReleaseReversed', { ...f, trancheId: 'tranche-3', amountCents: 3_000_000, reason: 'Condition', effectiveDate: '2023-07-10' }, { reason: 'Condition' }),
    received: projected('TrancheReceived', { ...f, trancheId: 'tranche-1', amountCents: 4_000_000, bankReference: 'VIR-1', effectiveDate: '2021-09-28' }),
    fundingClosed: projected('FundingAgreementClosed', { ...f, effectiveDate: '2025-12-31' }),
  };

  it('rule: every event of the antenna, its budget and its funding is kept in log order with its metadata and a French description (all antenna, budget and funding events)', () => {
    const e = events;
    const model = project(historyProjection, [opened, ...Object.values(e)]);
    expect(model.get('antenna:mbl')).toEqual({ kind: 'antenna', antennaId: 'mbl', name: 'Cnam Montbéliard', candidacyId });
    expect(antennaEntries(model, 'mbl')).toEqual([
        entry(opened, `Antenne ouverte : Cnam Montbéliard (Montbéliard), candidature ${candidacyId}`, { streamId: 'antenna-mbl' }),
        entry(e.planned, 'Phase p2 prévue du 2023-01-01 au 2024-12-31 (site : Polyclinique)'),
        entry(e.started, 'Phase p2 commencée'),
        entry(e.milestone, 'Jalon m1 atteint (phase p2) : Site ouvert'),
        entry(e.rescheduled, 'Phase p2 replanifiée : début 2023-01-01 → 2023-03-01, fin 2024-12-31 → 2025-06-30', { reason: 'Travaux' }),
        entry(e.completed, 'Phase p2 terminée'),
        entry(e.inaugurated, 'Antenne inaugurée : Campus universitaire'),
        entry(e.course, 'Formation ouverte : Hydrogène (BAC+3, hybride)'),
        entry(e.learners, 'Apprenants déclarés pour 2022-06 : 40'),
        entry(e.learnersFixed, 'Apprenants déclarés pour 2022-06 corrigés : 40 → 45', { reason: 'Oubli' }),
        entry(e.suspended, 'Antenne mbl suspendue', { reason: 'Locaux fermés' }),
        entry(e.resumed, 'Antenne de nouveau active'),
        entry(e.closed, 'Antenne mbl fermée', { reason: 'Fin du programme' }),
        entry(e.forecast, 'Budget prévisionnel établi : 786 000,00 € (2 lignes, 2021–2024)', { actor: 'fanny', role: 'finance' }),
        entry(e.revised, 'Budget prévisionnel révisé (révision 1) : 786 000,00 € → 800 000,00 €', { reason: 'Étude' }),
        entry(e.spent, 'Dépense aioa enregistrée : 18 500,00 € (locaux, sur le financement bdt)'),
        entry(e.spentReversed, 'Dépense aioa annulée : 18 500,00 €', { reason: 'Doublon' }),
        entry(e.committed, 'Financement bdt engagé par Banque des Territoires : 100 000,00 € en 3 tranches'),
        entry(e.released, 'Tranche tranche-3 versée : 30 000,00 €'),
        entry(e.releaseReversed, 'Versement de la tranche tranche-3 annulé : 30 000,00 €', { reason: 'Condition' }),
        entry(e.received, 'Tranche tranche-1 reçue : 40 000,00 € (référence VIR-1)'),
        entry(e.fundingClosed, 'Financement bdt clos'),
    ]);
  });

  it('rule: entries are kept by stream, in blocks of consecutive revisions, so that no document grows beyond ENTRIES_PER_DOCUMENT; the trail merges them in log order', () => {
    const budget = (revision: number, position: bigint) =>
      projected('ExpenditureReversed', { antennaId: 'mbl', expenditureId: `e${revision}`, amountCents: 100, effectiveDate: '2024-01-01' }, { streamId: 'budget-mbl', revision, position });
    const phase = (revision: number, position: bigint) =>
      projected('PhaseStarted', { antennaId: 'mbl', phaseId: `p${revision}`, effectiveDate: '2024-01-01' }, { streamId: 'antenna-mbl', revision, position });
    // Two streams interleaved in the log; positions beyond 2^32 and of different lengths.
    const log = Array.from({ length: 2 * ENTRIES_PER_DOCUMENT + 1 }, (_, i) => [budget(i, 9_000_000_000n + 2n * BigInt(i)), phase(i + 1, 9_000_000_001n + 2n * BigInt(i))]).flat();
    const model = project(historyProjection, [opened, ...log]);

    expect(historyProjection.keysOf(log[0]!)).toEqual([`antenna:mbl:entries:budget-mbl:${'0'.repeat(16)}`]);
    expect(historyProjection.keysOf(opened)).toEqual(['antenna:mbl', `antenna:mbl:entries:antenna-mbl:${'0'.repeat(16)}`]);
    expect(historyProjection.keysOf(submitted)).toEqual([`candidacy:${candidacyId}:entries:candidacy-${candidacyId}:${'0'.repeat(16)}`]);
    const blocks = model.list('antenna:mbl:entries:');
    expect(blocks.map((doc) => (doc.kind === 'entries' ? doc.rows.length : 0))).toEqual([ENTRIES_PER_DOCUMENT, ENTRIES_PER_DOCUMENT, 2, ENTRIES_PER_DOCUMENT, ENTRIES_PER_DOCUMENT, 1]);
    expect(antennaEntries(model, 'mbl').map((e) => e.position)).toEqual([opened, ...log].map((e) => e.position.toString()));
    // Another antenna whose id starts like this one's is not mixed in.
    const other = projected('PhaseStarted', { antennaId: 'mbl2', phaseId: 'p1', effectiveDate: '2024-01-01' });
    expect(antennaEntries(project(historyProjection, [opened, other]), 'mbl')).toHaveLength(1);
  });

  it('rule: a learner correction is described from the count the event says it corrects (LearnersReported.previousLearners)', () => {
    const fixedAlone = project(historyProjection, [events.learnersFixed]);
    expect(antennaEntries(fixedAlone, 'mbl').map((e) => e.changes)).toEqual(['Apprenants déclarés pour 2022-06 corrigés : 40 → 45']);
  });

  it('rule: a rescheduling names only the dates that moved', () => {
    const moved = projected('PhaseRescheduled', {
      ...a,
      phaseId: 'p2',
      plannedStart: '2023-03-01',
      plannedEnd: '2024-12-31',
      previousPlannedStart: '2023-01-01',
      previousPlannedEnd: '2024-12-31',
      reason: 'r',
      effectiveDate: '2022-11-15',
    });
    expect(antennaEntries(project(historyProjection, [opened, moved]), 'mbl')[1]!.changes).toBe('Phase p2 replanifiée : début 2023-01-01 → 2023-03-01');
  });

  it('rule: the antenna trail joins the candidacy’s events, before and after the opening, in log order', () => {
    const released = events.released;
    const model = project(historyProjection, [submitted, partnerAdded, selected, opened, withdrawn, released]);
    expect(antennaTrail(model, 'mbl')!.map((e) => e.type)).toEqual([
      'CandidacySubmitted',
      'CandidacyPartnerAdded',
      'CandidacySelected',
      'AntennaOpened',
      'CandidacyWithdrawn',
      'BudgetTrancheReleased',
    ]);
    expect(antennaTrail(model, 'inconnue')).toBeUndefined();
  });

  it('rule: an event applied twice is recorded once (replays are idempotent)', () => {
    const model = project(historyProjection, [opened, events.started, events.started]);
    expect(antennaEntries(model, 'mbl').map((e) => e.position)).toEqual([opened.position.toString(), events.started.position.toString()]);
  });
});

describe('French euro formatting', () => {
  it('rule: integer cents are shown as euros with plain-space thousands and a decimal comma', () => {
    expect(formatEuros(78_600_000)).toBe('786 000,00 €');
    expect(formatEuros(3_000_000)).toBe('30 000,00 €');
    expect(formatEuros(5)).toBe('0,05 €');
    expect(formatEuros(123_456_789)).toBe('1 234 567,89 €');
    expect(formatEuros(-450_000)).toBe('-4 500,00 €');
  });
});
