import { Actor } from '@jalon/application';
import { compareDates } from '@jalon/domain';

/**
 * The history of the programme « Au cœur des territoires » and of the Montbéliard antenna, as
 * told by the source articles (shared/seeds, restated in shared/domain/README.md).
 *
 * FACTS from the articles: the programme (launched January 2019, about 100 antennas by 2022,
 * mainly in the 222 Action Cœur de Ville towns), the 3-year convention of 1 April 2019, the
 * second AMI, Pays de Montbéliard Agglomération's candidacy (partners, territory figures,
 * training needs, ~786,000 € over 2021–2024), its selection on two criteria, the two phases
 * (2021–2022 AIOA space in the Mattern Lab; 2023–2024 site of the former Portes du Jura
 * polyclinic), the inauguration on 22 June (2022) on the university campus, and Banque des
 * Territoires' 100,000 € seed envelope.
 *
 * ILLUSTRATIVE values (not in the articles; plausible, chosen for the demonstration, marked
 * `ILLUSTRATIVE` below): exact dates of the AMI, candidacy, selection and opening; the yearly
 * and per-category split of the 786,000 €; the tranche schedule, releases and receipts of the
 * 100,000 €; expenditures; training courses; learner counts; milestones; the rescheduling.
 */

export interface HistoryStep {
  readonly command: string;
  readonly actor: Actor;
  readonly input: Record<string, unknown>;
}

// ILLUSTRATIVE actors: the demo records who would have typed each fact (they hold no token).
export const PROGRAMME_MANAGER: Actor = { id: 'demo-chargee-de-programme', name: 'Chargée de programme (démo)', role: 'programme-manager' };
export const FINANCE_OFFICER: Actor = { id: 'demo-service-financier', name: 'Service financier (démo)', role: 'finance' };

export const PROGRAMME_ID = 'au-coeur-des-territoires';
export const CALL_ID = 'ami-2';
export const TERRITORY_ID = 'pays-de-montbeliard';
export const CANDIDACY_ID = `${CALL_ID}--${TERRITORY_ID}`;
export const ANTENNA_ID = 'montbeliard';
export const SEED_AGREEMENT_ID = 'bdt-amorcage-montbeliard';

const euros = (amount: number) => amount * 100;
const pm = (command: string, input: Record<string, unknown>): HistoryStep => ({ command, actor: PROGRAMME_MANAGER, input });
const fin = (command: string, input: Record<string, unknown>): HistoryStep => ({ command, actor: FINANCE_OFFICER, input });

const programme: HistoryStep[] = [
  pm('LaunchProgramme', {
    programmeId: PROGRAMME_ID,
    name: 'Au cœur des territoires',
    operator: 'Cnam (Conservatoire national des arts et métiers)',
    description:
      'Ouvrir environ 100 nouveaux lieux d’accès à la formation (« antennes ») d’ici 2022, principalement dans les 222 villes moyennes du programme Action Cœur de Ville.',
    targets: { antennaCount: 100, targetDate: '2022-12-31' },
    effectiveDate: '2019-01-15', // January 2019 (fact); the day is ILLUSTRATIVE
  }),
  pm('SignConvention', {
    programmeId: PROGRAMME_ID,
    conventionId: 'convention-acv-2019',
    title: 'Convention de partenariat entre le ministère de la Cohésion des territoires et le Cnam (Action Cœur de Ville)',
    partners: ['Ministère de la Cohésion des territoires et des Relations avec les collectivités territoriales', 'Cnam'],
    durationMonths: 36,
    effectiveDate: '2019-04-01',
  }),
  pm('OpenCallForApplications', {
    callId: CALL_ID,
    programmeId: PROGRAMME_ID,
    title: 'Deuxième appel à manifestation d’intérêt « Au cœur des territoires »',
    number: 2,
    opensOn: '2020-10-01', // ILLUSTRATIVE
    closesOn: '2020-12-15', // ILLUSTRATIVE
    criteria: ['Dynamique partenariale locale', 'Diversité des établissements de formation', 'Besoins de formation du bassin d’emploi'],
    effectiveDate: '2020-10-01', // ILLUSTRATIVE
  }),
];

const candidacy: HistoryStep[] = [
  pm('SubmitCandidacy', {
    callId: CALL_ID,
    territory: {
      id: TERRITORY_ID,
      name: 'Pays de Montbéliard Agglomération',
      kind: 'agglomeration',
      region: 'Bourgogne-Franche-Comté',
      department: 'Doubs',
      actionCoeurDeVille: true, // Montbéliard is an Action Cœur de Ville town
      figures: { jobs: 59000, companies: 2900, students: 3770, industrialEmploymentPercent: 30, belowBaccalaureatePercent: 34 },
    },
    partners: [
      { name: 'Cnam Bourgogne-Franche-Comté', kind: 'academic' },
      { name: 'Ville de Montbéliard', kind: 'local-authority' },
      { name: 'UIMM', kind: 'employer' },
      { name: 'GRETA', kind: 'training-provider' },
      { name: 'Lycée des Huisselets', kind: 'training-provider' },
      { name: 'Lycée Nelson Mandela', kind: 'training-provider' },
      { name: 'Lycée Germaine Tillion', kind: 'training-provider' },
      { name: 'Mission locale IDEIS', kind: 'employment-service' },
      { name: 'Pôle emploi', kind: 'employment-service' },
      { name: 'CIO', kind: 'employment-service' },
      { name: 'Stellantis', kind: 'employer' },
      { name: 'Faurecia', kind: 'employer' },
      { name: 'ADECCO', kind: 'employer' },
    ],
    trainingNeeds: [
      'Retour à l’emploi et reconversion des décrocheurs et demandeurs d’emploi (niveau BAC+1)',
      'Industrie 4.0 : formations hybrides, en alternance et en apprentissage',
      'Technologies de l’hydrogène (centre d’expertise et usine de réservoirs de Faurecia)',
      'Métiers d’avenir de l’industrie du luxe (avec le lycée des Huisselets)',
    ],
    projectedBudgetCents: euros(786_000),
    effectiveDate: '2020-12-10', // ILLUSTRATIVE
  }),
  pm('AddCandidacyPartner', {
    candidacyId: CANDIDACY_ID,
    partner: { name: 'Mattern Lab', kind: 'other' },
    effectiveDate: '2020-12-14', // ILLUSTRATIVE
  }),
  pm('CloseCallForApplications', { callId: CALL_ID, effectiveDate: '2020-12-15' }), // ILLUSTRATIVE
  pm('SelectCandidacy', {
    candidacyId: CANDIDACY_ID,
    criteria: ['Forte dynamique partenariale locale', 'Diversité des établissements de formation'],
    effectiveDate: '2021-02-15', // ILLUSTRATIVE
  }),
];

const PHASE_1 = 'phase-1-aioa';
const PHASE_2 = 'phase-2-portes-du-jura';

const antenna: HistoryStep[] = [
  pm('OpenAntenna', {
    antennaId: ANTENNA_ID,
    candidacyId: CANDIDACY_ID,
    name: 'Cnam Montbéliard — Au cœur des territoires',
    town: 'Montbéliard',
    effectiveDate: '2021-03-01', // ILLUSTRATIVE
  }),
  pm('PlanPhase', {
    antennaId: ANTENNA_ID,
    phaseId: PHASE_1,
    name: 'Espace d’accueil, d’information et d’orientation (AIOA) et premiers modules à distance',
    site: 'Mattern Lab, Montbéliard',
    plannedStart: '2021-01-01',
    plannedEnd: '2022-12-31',
    effectiveDate: '2021-03-01', // ILLUSTRATIVE
  }),
  pm('PlanPhase', {
    antennaId: ANTENNA_ID,
    phaseId: PHASE_2,
    name: 'Nouvelles formations sur le site de l’ancienne polyclinique des Portes du Jura',
    site: 'Ancienne polyclinique des Portes du Jura (environ 10 000 m² acquis par PMA), Montbéliard',
    plannedStart: '2023-01-01',
    plannedEnd: '2024-12-31',
    effectiveDate: '2021-03-01', // ILLUSTRATIVE
  }),
  pm('StartPhase', { antennaId: ANTENNA_ID, phaseId: PHASE_1, effectiveDate: '2021-09-01' }), // ILLUSTRATIVE
  pm('ReachMilestone', {
    antennaId: ANTENNA_ID,
    phaseId: PHASE_1,
    milestoneId: 'espace-aioa-ouvert',
    name: 'Espace AIOA ouvert au public dans le Mattern Lab',
    effectiveDate: '2021-09-20', // ILLUSTRATIVE
  }),
  pm('OpenTrainingCourse', {
    antennaId: ANTENNA_ID,
    courseId: 'remise-a-niveau-bac-plus-1',
    title: 'Parcours de reprise d’études et de reconversion (niveau BAC+1)',
    sector: 'Orientation et reconversion',
    level: 'BAC+1',
    mode: 'distance',
    effectiveDate: '2021-10-04', // ILLUSTRATIVE
  }),
  pm('InaugurateAntenna', {
    antennaId: ANTENNA_ID,
    place: 'Campus universitaire de Montbéliard',
    effectiveDate: '2022-06-22', // 22 June (fact); the year 2022 follows from the work plan
  }),
  pm('ReportLearners', { antennaId: ANTENNA_ID, period: '2022-06', learners: 45, effectiveDate: '2022-07-01' }), // ILLUSTRATIVE
  pm('ReachMilestone', {
    antennaId: ANTENNA_ID,
    phaseId: PHASE_1,
    milestoneId: 'etude-operationnelle',
    name: 'Étude opérationnelle remise',
    effectiveDate: '2022-10-14', // the study is a fact (2022); the day is ILLUSTRATIVE
  }),
  pm('ReschedulePhase', {
    antennaId: ANTENNA_ID,
    phaseId: PHASE_2,
    plannedStart: '2023-03-01',
    plannedEnd: '2024-12-31',
    reason: 'Travaux préalables sur le site des Portes du Jura (report illustratif)',
    effectiveDate: '2022-11-15', // ILLUSTRATIVE
  }),
  pm('CompletePhase', { antennaId: ANTENNA_ID, phaseId: PHASE_1, effectiveDate: '2022-12-31' }),
  pm('StartPhase', { antennaId: ANTENNA_ID, phaseId: PHASE_2, effectiveDate: '2023-03-06' }), // ILLUSTRATIVE
  pm('OpenTrainingCourse', {
    antennaId: ANTENNA_ID,
    courseId: 'technicien-industrie-4-0',
    title: 'Technicien en industrie 4.0 (alternance)',
    sector: 'Industrie',
    level: 'BAC+2',
    mode: 'work-study',
    effectiveDate: '2023-09-11', // ILLUSTRATIVE
  }),
  pm('OpenTrainingCourse', {
    antennaId: ANTENNA_ID,
    courseId: 'technologies-hydrogene',
    title: 'Certificat de spécialisation technologies de l’hydrogène',
    sector: 'Énergie et industrie',
    level: 'BAC+3',
    mode: 'hybrid',
    effectiveDate: '2023-09-11', // ILLUSTRATIVE
  }),
  pm('ReportLearners', { antennaId: ANTENNA_ID, period: '2023-06', learners: 120, effectiveDate: '2023-07-03' }), // ILLUSTRATIVE
];

// ILLUSTRATIVE split of the 786,000 € forecast (the articles give only the total over 2021–2024).
const line = (year: number, category: string, amount: number) => ({ year, category, amountCents: euros(amount) });
const FORECAST = [
  line(2021, 'staff', 70_000),
  line(2021, 'premises', 20_000),
  line(2021, 'teaching', 20_000),
  line(2021, 'communication', 10_000),
  line(2022, 'staff', 100_000),
  line(2022, 'premises', 30_000),
  line(2022, 'teaching', 36_000),
  line(2022, 'equipment', 10_000),
  line(2022, 'communication', 10_000),
  line(2023, 'staff', 120_000),
  line(2023, 'premises', 50_000),
  line(2023, 'teaching', 40_000),
  line(2023, 'equipment', 15_000),
  line(2023, 'communication', 5_000),
  line(2024, 'staff', 130_000),
  line(2024, 'premises', 55_000),
  line(2024, 'teaching', 45_000),
  line(2024, 'equipment', 10_000),
  line(2024, 'communication', 10_000),
];
// ILLUSTRATIVE revision after the 2022 operational study: 10,000 € moved from 2023 premises to
// 2023 teaching; the total stays 786,000 €.
const REVISED_FORECAST = FORECAST.map((l) =>
  l.year === 2023 && l.category === 'premises'
    ? line(2023, 'premises', 40_000)
    : l.year === 2023 && l.category === 'teaching'
      ? line(2023, 'teaching', 50_000)
      : l,
);

const budget: HistoryStep[] = [
  fin('SetBudgetForecast', { antennaId: ANTENNA_ID, lines: FORECAST, effectiveDate: '2021-03-01' }),
  fin('ReviseBudgetForecast', {
    antennaId: ANTENNA_ID,
    lines: REVISED_FORECAST,
    reason: 'Réaffectation après l’étude opérationnelle de 2022 (illustratif)',
    effectiveDate: '2022-11-15',
  }),
];

// ILLUSTRATIVE schedule of the 100,000 € Banque des Territoires seed envelope (the total is a fact).
const TRANCHES = [
  { trancheId: 'tranche-1', label: 'Première tranche', amountCents: euros(40_000), dueOn: '2021-09-01', conditions: 'Signature de la convention d’amorçage' },
  { trancheId: 'tranche-2', label: 'Deuxième tranche', amountCents: euros(30_000), dueOn: '2022-06-30', conditions: 'Inauguration de l’antenne' },
  { trancheId: 'tranche-3', label: 'Troisième tranche', amountCents: euros(30_000), dueOn: '2023-06-30', conditions: 'Rapport d’activité 2022' },
];
const agreement = { antennaId: ANTENNA_ID, agreementId: SEED_AGREEMENT_ID };

const funding: HistoryStep[] = [
  fin('CommitFunding', {
    ...agreement,
    funder: 'Banque des Territoires',
    label: 'Enveloppe d’amorçage pour l’installation de l’antenne',
    amountCents: euros(100_000),
    tranches: TRANCHES,
    effectiveDate: '2021-06-01', // ILLUSTRATIVE
  }),
  // The agreement's public data (SCDL « subventions »), recorded apart from the commitment so that a
  // store written before it existed accepts the demo again. ILLUSTRATIVE, not in the articles: both
  // SIRET numbers are made up (14 digits with a right Luhn key, SIREN 999000001 and 999000002, no
  // real establishment's), as are the decision reference and the beneficiary. The awarding body's
  // official name is the Caisse des Dépôts, of which the Banque des Territoires is part.
  fin('RecordFundingPublicData', {
    ...agreement,
    publicData: {
      funderLegalName: 'Caisse des dépôts et consignations',
      funderSiret: '99900000100019', // ILLUSTRATIVE
      decisionReference: 'BDT-AMORCAGE-2021-017', // ILLUSTRATIVE
      beneficiaryName: 'Conservatoire national des arts et métiers', // ILLUSTRATIVE
      beneficiarySiret: '99900000200017', // ILLUSTRATIVE
      object: 'Enveloppe d’amorçage pour l’installation de l’antenne Cnam du Pays de Montbéliard (programme Au cœur des territoires)',
      nature: 'aide en numéraire',
      euNotified: false, // ILLUSTRATIVE
    },
    effectiveDate: '2021-06-01', // ILLUSTRATIVE
  }),
  fin('ReleaseTranche', { ...agreement, trancheId: 'tranche-1', effectiveDate: '2021-09-15' }),
  fin('RecordTrancheReceipt', { ...agreement, trancheId: 'tranche-1', amountCents: euros(40_000), bankReference: 'VIR-BDT-2021-0915', effectiveDate: '2021-09-28' }),
  fin('RecordExpenditure', {
    antennaId: ANTENNA_ID,
    expenditureId: 'amenagement-aioa-2021',
    category: 'premises',
    amountCents: euros(18_500),
    description: 'Aménagement de l’espace AIOA dans le Mattern Lab',
    fundingAgreementId: SEED_AGREEMENT_ID,
    effectiveDate: '2021-10-15',
  }),
  fin('RecordExpenditure', {
    antennaId: ANTENNA_ID,
    expenditureId: 'coordination-2021',
    category: 'staff',
    amountCents: euros(32_000),
    description: 'Coordination de l’antenne (septembre–décembre 2021)',
    effectiveDate: '2021-12-31',
  }),
  fin('ReleaseTranche', { ...agreement, trancheId: 'tranche-2', effectiveDate: '2022-07-05' }),
  fin('RecordTrancheReceipt', { ...agreement, trancheId: 'tranche-2', amountCents: euros(30_000), bankReference: 'VIR-BDT-2022-0705', effectiveDate: '2022-07-19' }),
  fin('RecordExpenditure', {
    antennaId: ANTENNA_ID,
    expenditureId: 'inauguration-2022',
    category: 'communication',
    amountCents: euros(4_500),
    description: 'Inauguration du 22 juin 2022 sur le campus universitaire',
    fundingAgreementId: SEED_AGREEMENT_ID,
    effectiveDate: '2022-06-30',
  }),
  fin('RecordExpenditure', {
    antennaId: ANTENNA_ID,
    expenditureId: 'inauguration-2022-doublon',
    category: 'communication',
    amountCents: euros(4_500),
    description: 'Inauguration du 22 juin 2022 (saisie en double)',
    fundingAgreementId: SEED_AGREEMENT_ID,
    effectiveDate: '2022-06-30',
  }),
  fin('ReverseExpenditure', {
    antennaId: ANTENNA_ID,
    expenditureId: 'inauguration-2022-doublon',
    reason: 'Saisie en double de la facture de l’inauguration',
    effectiveDate: '2022-07-08',
  }),
  fin('ReleaseTranche', { ...agreement, trancheId: 'tranche-3', effectiveDate: '2023-07-03' }),
  fin('ReverseTrancheRelease', {
    ...agreement,
    trancheId: 'tranche-3',
    reason: 'Condition non remplie : rapport d’activité 2022 non transmis',
    effectiveDate: '2023-07-10',
  }),
  fin('ReleaseTranche', { ...agreement, trancheId: 'tranche-3', effectiveDate: '2023-09-04' }),
  fin('RecordExpenditure', {
    antennaId: ANTENNA_ID,
    expenditureId: 'equipement-portes-du-jura-2023',
    category: 'equipment',
    amountCents: euros(14_200),
    description: 'Équipement pédagogique du site des Portes du Jura',
    fundingAgreementId: SEED_AGREEMENT_ID,
    effectiveDate: '2023-09-29',
  }),
];

/**
 * The whole history, one command per step, in the order it happened (by effective date; steps of
 * the same day keep the order above, which respects what each needs: the antenna before its budget).
 */
export const MONTBELIARD_HISTORY: readonly HistoryStep[] = [...programme, ...candidacy, ...antenna, ...budget, ...funding]
  .map((step, index) => ({ step, index }))
  .sort((a, b) => compareDates(a.step.input.effectiveDate as string, b.step.input.effectiveDate as string) || a.index - b.index)
  .map(({ step }) => step);
