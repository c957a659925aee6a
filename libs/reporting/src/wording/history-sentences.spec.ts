import { formatDate, formatEuros, formatInteger } from '../format/french';
import { AUDITED_EVENT_TYPES, AuditedEvent, AuditedEventType } from './history-events';
import { HISTORY_EVENT_LABELS, historyEventLabel } from './history-labels';
import { documentSubjectName, formatFileSize, historySentence, HistoryNames, NO_HISTORY_NAMES } from './history-sentences';

/** The names the index would know for the Montbéliard antenna. */
const names: HistoryNames = {
  programme: (id) => (id === 'acdt' ? 'Au cœur des territoires' : undefined),
  call: (id) => (id === 'ami-2' ? 'Deuxième AMI' : undefined),
  candidacy: (id) => (id === 'ami-2--pma' ? 'Pays de Montbéliard Agglomération' : undefined),
  antenna: (id) => (id === 'mbl' ? 'Cnam Montbéliard' : undefined),
  phase: (antennaId, phaseId) => (antennaId === 'mbl' && phaseId === 'p2' ? 'Portes du Jura' : undefined),
  agreement: (id) => (id === 'bdt' ? { funder: 'Banque des Territoires', label: 'Amorçage' } : undefined),
  tranche: (agreementId, trancheId) =>
    agreementId !== 'bdt' ? undefined : trancheId === 't3' ? { label: 'Troisième tranche', rank: 3 } : trancheId === 't2' ? { rank: 2 } : undefined,
  expenditure: (antennaId, id) => (antennaId === 'mbl' && id === 'mobilier' ? 'Mobilier' : undefined),
};

const a = { antennaId: 'mbl' };
const f = { antennaId: 'mbl', agreementId: 'bdt' };
const territory = { id: 'pma', name: 'Pays de Montbéliard Agglomération', kind: 'agglomeration', region: 'BFC', actionCoeurDeVille: true } as const;
const publicData = { funderSiret: '1', decisionReference: 'DEC-2021-12', beneficiaryName: 'PMA', object: 'Amorçage', nature: 'aide en numéraire', euNotified: false } as const;

/** One event of each audited type, with the sentence it reads as. */
const CASES: { readonly [T in AuditedEventType]: readonly [Extract<AuditedEvent, { type: T }>['data'], string] } = {
  ProgrammeLaunched: [
    { programmeId: 'acdt', name: 'Au cœur des territoires', operator: 'Cnam', targets: { antennaCount: 100, targetDate: '2022-12-31' }, effectiveDate: '2019-01-15' },
    `Programme « Au cœur des territoires » lancé par Cnam : ${formatInteger(100)} antennes d’ici le ${formatDate('2022-12-31')}`,
  ],
  ProgrammeTargetsRevised: [
    {
      programmeId: 'acdt',
      targets: { antennaCount: 120, targetDate: '2024-12-31' },
      previousTargets: { antennaCount: 100, targetDate: '2022-12-31' },
      reason: 'Prolongation',
      effectiveDate: '2022-01-10',
    },
    `Objectifs du programme « Au cœur des territoires » révisés : 100 antennes d’ici le ${formatDate('2022-12-31')} → 120 antennes d’ici le ${formatDate('2024-12-31')}`,
  ],
  ConventionSigned: [
    { programmeId: 'acdt', conventionId: 'conv', title: 'Convention ACV', partners: ['Ministère', 'Cnam'], durationMonths: 36, effectiveDate: '2019-04-01' },
    'Convention signée : « Convention ACV », pour 36 mois (2 partenaires)',
  ],
  CallForApplicationsOpened: [
    { callId: 'ami-2', programmeId: 'acdt', title: 'Deuxième AMI', number: 2, opensOn: '2020-10-01', closesOn: '2020-12-15', criteria: ['a', 'b', 'c'], effectiveDate: '2020-10-01' },
    `Appel ouvert du ${formatDate('2020-10-01')} au ${formatDate('2020-12-15')} (3 critères de sélection) : Deuxième AMI`,
  ],
  CallForApplicationsClosed: [{ callId: 'ami-2', effectiveDate: '2020-12-15' }, 'Appel clos : Deuxième AMI'],
  CallCandidacyRegistered: [
    { callId: 'ami-2', candidacyId: 'ami-2--pma', territoryId: 'pma', territoryName: 'Pays de Montbéliard Agglomération', effectiveDate: '2020-11-02' },
    'Candidature de Pays de Montbéliard Agglomération inscrite à l’appel (dépôt engagé) : Deuxième AMI',
  ],
  CandidacySubmitted: [
    {
      candidacyId: 'ami-2--pma',
      callId: 'ami-2',
      programmeId: 'acdt',
      territory,
      partners: [{ name: 'UIMM', kind: 'employer' }],
      trainingNeeds: [],
      projectedBudgetCents: 78_600_000,
      effectiveDate: '2020-12-10',
    },
    `Candidature de Pays de Montbéliard Agglomération déposée (1 partenaire, budget prévisionnel ${formatEuros(78_600_000)}) à l’appel : Deuxième AMI`,
  ],
  CandidacyPartnerAdded: [
    { candidacyId: 'ami-2--pma', partner: { name: 'Mattern Lab', kind: 'other' }, effectiveDate: '2020-12-14' },
    'Partenaire ajouté à la candidature de Pays de Montbéliard Agglomération : Mattern Lab',
  ],
  CandidacySelected: [
    { candidacyId: 'ami-2--pma', criteria: ['Dynamique partenariale', 'Diversité'], effectiveDate: '2021-02-15' },
    'Candidature de Pays de Montbéliard Agglomération retenue (lauréate) : Dynamique partenariale ; Diversité',
  ],
  CandidacyRejected: [{ candidacyId: 'ami-2--pma', reason: 'Hors critères', effectiveDate: '2021-02-15' }, 'Candidature de Pays de Montbéliard Agglomération rejetée'],
  CandidacyWithdrawn: [{ candidacyId: 'ami-2--pma', reason: 'Renonce', effectiveDate: '2021-04-01' }, 'Candidature de Pays de Montbéliard Agglomération retirée'],
  CandidacyAntennaAssigned: [
    { candidacyId: 'ami-2--pma', callId: 'ami-2', territoryId: 'pma', antennaId: 'mbl', effectiveDate: '2021-03-01' },
    'Antenne « Cnam Montbéliard » attribuée à la candidature de Pays de Montbéliard Agglomération (ouverture engagée)',
  ],
  AntennaOpened: [
    {
      antennaId: 'mbl',
      candidacyId: 'ami-2--pma',
      callId: 'ami-2',
      programmeId: 'acdt',
      name: 'Cnam Montbéliard',
      town: 'Montbéliard',
      territory: { id: 'pma', name: 'Pays de Montbéliard Agglomération', region: 'BFC', actionCoeurDeVille: true },
      effectiveDate: '2021-03-01',
    },
    'Antenne « Cnam Montbéliard » ouverte à Montbéliard (candidature de Pays de Montbéliard Agglomération)',
  ],
  PhasePlanned: [
    { ...a, phaseId: 'p2', name: 'Portes du Jura', site: 'Polyclinique', plannedStart: '2023-01-01', plannedEnd: '2024-12-31', effectiveDate: '2021-03-01' },
    `Phase « Portes du Jura » prévue du ${formatDate('2023-01-01')} au ${formatDate('2024-12-31')} (site : Polyclinique)`,
  ],
  PhaseStarted: [{ ...a, phaseId: 'p2', effectiveDate: '2023-03-06' }, 'Phase « Portes du Jura » commencée'],
  MilestoneReached: [{ ...a, phaseId: 'p2', milestoneId: 'm1', name: 'Site ouvert', effectiveDate: '2023-04-01' }, 'Jalon « Site ouvert » atteint (phase « Portes du Jura »)'],
  PhaseRescheduled: [
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
    `Phase « Portes du Jura » replanifiée : début ${formatDate('2023-01-01')} → ${formatDate('2023-03-01')}, fin ${formatDate('2024-12-31')} → ${formatDate('2025-06-30')}`,
  ],
  PhaseCompleted: [{ ...a, phaseId: 'p2', effectiveDate: '2025-06-30' }, 'Phase « Portes du Jura » terminée'],
  AntennaInaugurated: [{ ...a, place: 'Campus universitaire', effectiveDate: '2022-06-22' }, 'Antenne « Cnam Montbéliard » inaugurée : Campus universitaire'],
  TrainingCourseOpened: [
    { ...a, courseId: 'h2', title: 'Hydrogène', sector: 'Énergie', level: 'BAC+3', mode: 'hybrid', effectiveDate: '2023-09-11' },
    'Formation ouverte : Hydrogène (Énergie, BAC+3, hybride)',
  ],
  LearnersReported: [
    { ...a, period: '2022-06', learners: 45, previousLearners: 40, reason: 'Oubli', effectiveDate: '2022-07-10' },
    'Apprenants déclarés pour juin 2022 corrigés : 40 → 45',
  ],
  AntennaSuspended: [{ ...a, reason: 'Locaux fermés', effectiveDate: '2024-01-01' }, 'Antenne « Cnam Montbéliard » suspendue'],
  AntennaResumed: [{ ...a, effectiveDate: '2024-02-01' }, 'Antenne « Cnam Montbéliard » de nouveau active'],
  AntennaClosed: [{ ...a, reason: 'Fin', effectiveDate: '2025-12-31' }, 'Antenne « Cnam Montbéliard » fermée'],
  FundingAgreementAttached: [
    { ...f, effectiveDate: '2021-06-01' },
    'Convention de financement « Amorçage » (Banque des Territoires) rattachée à l’antenne « Cnam Montbéliard » (engagement du financement)',
  ],
  BudgetForecastSet: [
    {
      ...a,
      lines: [
        { year: 2021, category: 'staff', amountCents: 7_000_000 },
        { year: 2024, category: 'premises', amountCents: 71_600_000 },
      ],
      totalCents: 78_600_000,
      effectiveDate: '2021-03-01',
    },
    `Budget prévisionnel établi : ${formatEuros(78_600_000)} (2 lignes, 2021–2024)`,
  ],
  BudgetForecastRevised: [
    { ...a, revision: 1, lines: [], totalCents: 80_000_000, previousTotalCents: 78_600_000, previousLines: [], reason: 'Étude', effectiveDate: '2022-11-15' },
    `Budget prévisionnel révisé (révision n° 1) : ${formatEuros(78_600_000)} → ${formatEuros(80_000_000)}`,
  ],
  ExpenditureRecorded: [
    {
      ...a,
      expenditureId: 'mobilier',
      category: 'equipment',
      amountCents: 1_850_000,
      description: 'Mobilier',
      fundingAgreementId: 'bdt',
      supplier: 'Bureau Plus',
      invoiceNumber: 'F-12',
      effectiveDate: '2021-10-15',
    },
    `Dépense « Mobilier » enregistrée : ${formatEuros(1_850_000)} (équipement, sur le financement « Amorçage » (Banque des Territoires), fournisseur Bureau Plus, facture n° F-12)`,
  ],
  ExpenditureReversed: [
    { ...a, expenditureId: 'mobilier', amountCents: 1_850_000, category: 'equipment', expenditureDate: '2021-10-15', reason: 'Doublon', effectiveDate: '2021-10-20' },
    `Dépense « Mobilier » du ${formatDate('2021-10-15')} annulée : ${formatEuros(1_850_000)}`,
  ],
  FundingCommitted: [
    { ...f, funder: 'Banque des Territoires', label: 'Amorçage', amountCents: 10_000_000, tranches: [], effectiveDate: '2021-06-01' },
    `Financement « Amorçage » engagé par Banque des Territoires : ${formatEuros(10_000_000)} en 0 tranche`,
  ],
  FundingPublicDataRecorded: [
    { ...f, publicData, effectiveDate: '2021-06-01' },
    'Données publiques du financement « Amorçage » (Banque des Territoires) enregistrées (décision DEC-2021-12)',
  ],
  BudgetTrancheReleased: [
    { ...f, trancheId: 't3', amountCents: 3_000_000, effectiveDate: '2023-07-03' },
    `Tranche « Troisième tranche » versée par Banque des Territoires : ${formatEuros(3_000_000)}`,
  ],
  TrancheReceived: [
    { ...f, trancheId: 't2', amountCents: 3_000_000, bankReference: 'VIR-1', effectiveDate: '2022-07-19' },
    `Tranche n° 2 reçue de Banque des Territoires : ${formatEuros(3_000_000)} (référence bancaire VIR-1)`,
  ],
  TrancheReleaseReversed: [
    { ...f, trancheId: 't3', amountCents: 3_000_000, releasedOn: '2023-07-03', reason: 'Condition', effectiveDate: '2023-07-10' },
    `Versement du ${formatDate('2023-07-03')} annulé : tranche « Troisième tranche » de Banque des Territoires, ${formatEuros(3_000_000)}`,
  ],
  FundingAgreementClosed: [{ ...f, effectiveDate: '2025-12-31' }, 'Financement « Amorçage » (Banque des Territoires) clos'],
  DocumentAttached: [
    {
      ...a,
      subject: { kind: 'expenditure', expenditureId: 'mobilier' },
      sha256: 'a'.repeat(64),
      fileName: 'facture-12.pdf',
      sizeBytes: 250_880,
      mediaType: 'application/pdf',
      effectiveDate: '2021-10-16',
    },
    'Pièce justificative « facture-12.pdf » (245 Ko) jointe à la dépense « Mobilier »',
  ],
};

const sentence = <T extends AuditedEventType>(type: T, data: Extract<AuditedEvent, { type: T }>['data'], with_: HistoryNames = names): string =>
  historySentence({ type, data } as AuditedEvent, with_);

describe('history sentences', () => {
  it('rule: every audited event type has a sentence and a label, checked here case by case', () => {
    expect(Object.keys(CASES).sort()).toEqual([...AUDITED_EVENT_TYPES].sort());
    expect(Object.keys(HISTORY_EVENT_LABELS).sort()).toEqual([...AUDITED_EVENT_TYPES].sort());
  });

  it.each(Object.entries(CASES) as [AuditedEventType, readonly [never, string]][])('rule: %s reads as a French sentence naming things by their names', (type, [data, expected]) => {
    expect(sentence(type, data)).toBe(expected);
  });

  it.each(Object.entries(CASES) as [AuditedEventType, readonly [never, string]][])(
    'rule: %s shows no ISO date and no internal id, even when no name is known',
    (type, [data]) => {
      for (const text of [sentence(type, data), sentence(type, data, NO_HISTORY_NAMES)]) {
        expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
        for (const id of ['acdt', 'ami-2', 'ami-2--pma', 'mbl', 'p2', 'bdt', 't2', 't3', 'mobilier', 'conv', 'h2', 'm1']) {
          expect(text.split(/[\s«»(),:;]+/)).not.toContain(id);
        }
      }
    },
  );

  it('rule: a thing whose name is unknown is left unnamed, never shown by its id', () => {
    expect(sentence('PhaseStarted', { antennaId: 'mbl', phaseId: 'p9', effectiveDate: '2023-03-06' })).toBe('Phase commencée');
    expect(sentence('BudgetTrancheReleased', { agreementId: 'x', antennaId: 'mbl', trancheId: 'y', amountCents: 100, effectiveDate: '2023-07-03' }, NO_HISTORY_NAMES)).toBe(
      `Tranche versée : ${formatEuros(100)}`,
    );
  });

  it('rule: a rescheduling names only the dates that moved', () => {
    const [data] = CASES.PhaseRescheduled;
    expect(sentence('PhaseRescheduled', { ...data, plannedEnd: data.previousPlannedEnd })).toBe(`Phase « Portes du Jura » replanifiée : début ${formatDate('2023-01-01')} → ${formatDate('2023-03-01')}`);
  });

  it('rule: a first learner count is not a correction; an expenditure without agreement, supplier or invoice says so by leaving them out', () => {
    expect(sentence('LearnersReported', { antennaId: 'mbl', period: '2023-06', learners: 120, effectiveDate: '2023-07-03' })).toBe('Apprenants déclarés pour juin 2023 : 120');
    const [data] = CASES.ExpenditureRecorded;
    const { fundingAgreementId: _a, supplier: _s, invoiceNumber: _i, ...plain } = data;
    expect(sentence('ExpenditureRecorded', plain)).toBe(`Dépense « Mobilier » enregistrée : ${formatEuros(1_850_000)} (équipement)`);
  });

  it('rule: a document names what it is attached to: agreement, tranche release or receipt, expenditure, budget revision', () => {
    const [data] = CASES.DocumentAttached;
    const on = (subject: (typeof data)['subject']) => sentence('DocumentAttached', { ...data, subject });
    expect(on({ kind: 'funding-agreement', agreementId: 'bdt' })).toBe('Pièce justificative « facture-12.pdf » (245 Ko) jointe au financement « Amorçage » (Banque des Territoires)');
    expect(on({ kind: 'tranche-release', agreementId: 'bdt', trancheId: 't3' })).toBe(
      'Pièce justificative « facture-12.pdf » (245 Ko) jointe au versement de la tranche « Troisième tranche » du financement « Amorçage » (Banque des Territoires)',
    );
    expect(on({ kind: 'tranche-receipt', agreementId: 'bdt', trancheId: 't2' })).toBe(
      'Pièce justificative « facture-12.pdf » (245 Ko) jointe à la réception de la tranche n° 2 du financement « Amorçage » (Banque des Territoires)',
    );
    expect(on({ kind: 'budget-revision', revision: 1 })).toBe('Pièce justificative « facture-12.pdf » (245 Ko) jointe à la révision n° 1 du budget prévisionnel');
  });

  it('rule: a document’s subject has one wording, the audit trail’s and the documents page’s; what the names do not know is left unnamed in the trail, shown by its id on the page, never a throw', () => {
    expect(documentSubjectName('mbl', { kind: 'tranche-release', agreementId: 'bdt', trancheId: 't2' }, names)).toBe('Versement de la tranche n° 2 du financement « Amorçage » (Banque des Territoires)');
    expect(documentSubjectName('mbl', { kind: 'expenditure', expenditureId: 'mobilier' }, names)).toBe('Dépense « Mobilier »');
    const unknownRelease = { kind: 'tranche-release', agreementId: 'ancien-accord', trancheId: 'tranche-9' } as const;
    expect(documentSubjectName('mbl', unknownRelease, NO_HISTORY_NAMES)).toBe('Versement de la tranche');
    expect(documentSubjectName('mbl', unknownRelease, NO_HISTORY_NAMES, 'by-id')).toBe('Versement de la tranche tranche-9 du financement ancien-accord');
    expect(documentSubjectName('mbl', { kind: 'tranche-receipt', agreementId: 'bdt', trancheId: 'tranche-9' }, names, 'by-id')).toBe(
      'Réception de la tranche tranche-9 du financement « Amorçage » (Banque des Territoires)',
    );
    expect(documentSubjectName('mbl', { kind: 'expenditure', expenditureId: 'd42' }, NO_HISTORY_NAMES, 'by-id')).toBe('Dépense d42');
    expect(documentSubjectName('mbl', { kind: 'funding-agreement', agreementId: 'bdt-seed' }, NO_HISTORY_NAMES, 'by-id')).toBe('Financement bdt-seed');
  });

  it('rule: file sizes read in octets, Ko (1 024 octets), Mo and Go', () => {
    expect(formatFileSize(512)).toBe('512 octets');
    expect(formatFileSize(250_880)).toBe('245 Ko');
    expect(formatFileSize(1_572_864)).toBe('1,5 Mo');
    expect(formatFileSize(1_610_612_736)).toBe('1,5 Go');
    expect(formatFileSize(5 * 1024 ** 3)).toBe('5,0 Go');
  });

  it('rule: an event type the trail does not audit keeps its type as its label', () => {
    expect(historyEventLabel('BudgetTrancheReleased')).toBe('Tranche versée');
    expect(historyEventLabel('UserRegistered')).toBe('UserRegistered');
  });
});
