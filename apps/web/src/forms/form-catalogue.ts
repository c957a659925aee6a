/**
 * The dashboard's forms, one per command it lets people run: what each asks for, in French, and
 * which input path of the command each field fills. The command catalogue stays the judge of
 * what is valid; a form only turns typed text into the catalogue's input (amounts in euros into
 * integer cents, dates, lists) and says where each message belongs.
 */

export type FieldKind = 'text' | 'textarea' | 'lines' | 'date' | 'money' | 'integer' | 'select' | 'checkbox';

/** Where a select finds its options; the forms controller loads only the sources a form names. */
export type OptionSource =
  | 'calls'
  | 'submittedCandidacies'
  | 'selectedCandidacies'
  | 'plannedPhases'
  | 'startedPhases'
  | 'plannedTranches'
  | 'releasedTranches'
  | 'agreements'
  | 'openExpenditures'
  | 'categories'
  | 'territoryKinds'
  | 'partnerKinds';

export interface FieldSpec {
  /** Control name; also the dotted path it fills in the command input (`territory.region`, `tranches.0.amountCents`). */
  readonly name: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly required?: boolean;
  readonly hint?: string;
  readonly options?: OptionSource;
  readonly autocomplete?: string;
  /** Rows of a repeated group (`tranches.0`): a row left entirely empty is ignored. */
  readonly row?: string;
  /**
   * A select whose value `a/b` fills two input paths (an agreement and one of its tranches):
   * messages on either path are shown next to this field.
   */
  readonly splits?: readonly [string, string];
}

export interface FormSpec {
  /** URL segment: `/antennes/:antennaId/<slug>` or `/programme/<slug>`. */
  readonly slug: string;
  readonly command: string;
  readonly scope: 'programme' | 'antenna';
  readonly title: string;
  readonly intro: string;
  readonly submit: string;
  /** Shown after a successful write. */
  readonly done: string;
  /** Section of the antenna page to come back to. */
  readonly section?: string;
  readonly fields: readonly FieldSpec[];
  /**
   * Whether the form carries the revision of the stream it writes to (an optimistic-concurrency
   * check): not for forms that create a stream named by what is typed.
   */
  readonly tracksRevision: boolean;
  /**
   * The select that decides which stream the command writes to (a tranche: its agreement's
   * stream); without one, the stream follows from the URL (the antenna).
   */
  readonly streamField?: string;
  /** Query parameter → field it preselects (`?tranche=…` on a tranche's action link). */
  readonly preselect?: Readonly<Record<string, string>>;
}

const effectiveDate = (label = 'Date d’effet', hint = 'Le jour où le fait a eu lieu, au format JJ/MM/AAAA (pas dans le futur).'): FieldSpec => ({
  name: 'effectiveDate',
  label,
  kind: 'date',
  required: true,
  hint,
});

const SLUG_HINT = 'Identifiant court en minuscules, chiffres et tirets, sans espace ni accent.';

function trancheRows(count: number): FieldSpec[] {
  return Array.from({ length: count }, (_, index): FieldSpec[] => {
    const row = `tranches.${index}`;
    const first = index === 0;
    return [
      { name: `${row}.trancheId`, label: 'Identifiant', kind: 'text', row, ...(first ? { hint: 'Ex. tranche-1' } : {}) },
      { name: `${row}.label`, label: 'Libellé', kind: 'text', row },
      { name: `${row}.amountCents`, label: 'Montant', kind: 'money', row, ...(first ? { hint: 'En euros' } : {}) },
      { name: `${row}.dueOn`, label: 'Échéance', kind: 'date', row, ...(first ? { hint: 'JJ/MM/AAAA ; peut être dans le futur.' } : {}) },
    ];
  }).flat();
}

function partnerRows(count: number): FieldSpec[] {
  return Array.from({ length: count }, (_, index): FieldSpec[] => {
    const row = `partners.${index}`;
    return [
      { name: `${row}.name`, label: 'Nom', kind: 'text', row },
      { name: `${row}.kind`, label: 'Type', kind: 'select', options: 'partnerKinds', row },
    ];
  }).flat();
}

export const FORMS: readonly FormSpec[] = [
  {
    slug: 'deposer-candidature',
    command: 'SubmitCandidacy',
    scope: 'programme',
    title: 'Déposer une candidature',
    intro: 'La candidature d’un territoire à un appel à manifestation d’intérêt ouvert.',
    submit: 'Déposer la candidature',
    done: 'La candidature a été déposée.',
    tracksRevision: false,
    fields: [
      { name: 'callId', label: 'Appel', kind: 'select', options: 'calls', required: true },
      { name: 'territory.id', label: 'Identifiant du territoire', kind: 'text', required: true, hint: `${SLUG_HINT} Ex. pays-de-montbeliard` },
      { name: 'territory.name', label: 'Nom du territoire', kind: 'text', required: true, autocomplete: 'organization' },
      { name: 'territory.kind', label: 'Type de territoire', kind: 'select', options: 'territoryKinds', required: true },
      { name: 'territory.region', label: 'Région', kind: 'text', required: true, autocomplete: 'address-level1' },
      { name: 'territory.department', label: 'Département', kind: 'text' },
      { name: 'territory.population', label: 'Population', kind: 'integer', hint: 'Nombre d’habitants, ex. 140 000' },
      { name: 'territory.actionCoeurDeVille', label: 'Ville du programme Action Cœur de Ville', kind: 'checkbox' },
      ...partnerRows(4),
      { name: 'trainingNeeds', label: 'Besoins de formation', kind: 'lines', hint: 'Un besoin par ligne.' },
      { name: 'projectedBudgetCents', label: 'Budget prévisionnel du projet', kind: 'money', hint: 'En euros, ex. 786 000,00' },
      effectiveDate('Date de dépôt'),
    ],
  },
  {
    slug: 'retenir-candidature',
    command: 'SelectCandidacy',
    scope: 'programme',
    title: 'Retenir une candidature',
    intro: 'La candidature devient lauréate ; les critères du choix sont conservés dans l’historique.',
    submit: 'Retenir la candidature',
    done: 'La candidature a été retenue.',
    tracksRevision: true,
    streamField: 'candidacyId',
    preselect: { candidature: 'candidacyId' },
    fields: [
      { name: 'candidacyId', label: 'Candidature', kind: 'select', options: 'submittedCandidacies', required: true },
      { name: 'criteria', label: 'Critères du choix', kind: 'lines', required: true, hint: 'Un critère par ligne.' },
      effectiveDate('Date de la décision'),
    ],
  },
  {
    slug: 'ouvrir-antenne',
    command: 'OpenAntenna',
    scope: 'programme',
    title: 'Ouvrir une antenne',
    intro: 'L’antenne naît d’une candidature retenue ; appel, programme et territoire en sont repris.',
    submit: 'Ouvrir l’antenne',
    done: 'L’antenne a été ouverte.',
    tracksRevision: false,
    preselect: { candidature: 'candidacyId' },
    fields: [
      { name: 'candidacyId', label: 'Candidature retenue', kind: 'select', options: 'selectedCandidacies', required: true },
      { name: 'antennaId', label: 'Identifiant de l’antenne', kind: 'text', required: true, hint: `${SLUG_HINT} Ex. montbeliard` },
      { name: 'name', label: 'Nom de l’antenne', kind: 'text', required: true },
      { name: 'town', label: 'Ville', kind: 'text', required: true, autocomplete: 'address-level2' },
      effectiveDate('Date d’ouverture'),
    ],
  },
  {
    slug: 'planifier-phase',
    command: 'PlanPhase',
    scope: 'antenna',
    title: 'Planifier une phase',
    intro: 'Une étape du déploiement de l’antenne, avec ses dates prévues.',
    submit: 'Planifier la phase',
    done: 'La phase a été planifiée.',
    section: 'phases',
    tracksRevision: true,
    fields: [
      { name: 'phaseId', label: 'Identifiant de la phase', kind: 'text', required: true, hint: `${SLUG_HINT} Ex. phase-3-extension` },
      { name: 'name', label: 'Intitulé', kind: 'text', required: true },
      { name: 'site', label: 'Site', kind: 'text' },
      { name: 'plannedStart', label: 'Début prévu', kind: 'date', required: true, hint: 'JJ/MM/AAAA ; peut être dans le futur.' },
      { name: 'plannedEnd', label: 'Fin prévue', kind: 'date', required: true, hint: 'JJ/MM/AAAA ; peut être dans le futur.' },
      effectiveDate('Date de la décision'),
    ],
  },
  {
    slug: 'demarrer-phase',
    command: 'StartPhase',
    scope: 'antenna',
    title: 'Démarrer une phase',
    intro: 'Le démarrage effectif d’une phase prévue.',
    submit: 'Enregistrer le démarrage',
    done: 'Le démarrage de la phase a été enregistré.',
    section: 'phases',
    tracksRevision: true,
    preselect: { phase: 'phaseId' },
    fields: [{ name: 'phaseId', label: 'Phase', kind: 'select', options: 'plannedPhases', required: true }, effectiveDate('Date de démarrage')],
  },
  {
    slug: 'terminer-phase',
    command: 'CompletePhase',
    scope: 'antenna',
    title: 'Terminer une phase',
    intro: 'L’achèvement effectif d’une phase en cours.',
    submit: 'Enregistrer l’achèvement',
    done: 'L’achèvement de la phase a été enregistré.',
    section: 'phases',
    tracksRevision: true,
    preselect: { phase: 'phaseId' },
    fields: [{ name: 'phaseId', label: 'Phase', kind: 'select', options: 'startedPhases', required: true }, effectiveDate('Date d’achèvement')],
  },
  {
    slug: 'inaugurer',
    command: 'InaugurateAntenna',
    scope: 'antenna',
    title: 'Enregistrer l’inauguration',
    intro: 'L’inauguration officielle de l’antenne.',
    submit: 'Enregistrer l’inauguration',
    done: 'L’inauguration a été enregistrée.',
    section: 'synthese',
    tracksRevision: true,
    fields: [{ name: 'place', label: 'Lieu', kind: 'text', required: true }, effectiveDate('Date de l’inauguration')],
  },
  {
    slug: 'engager-financement',
    command: 'CommitFunding',
    scope: 'antenna',
    title: 'Engager un financement',
    intro: 'L’engagement d’un financeur envers l’antenne, avec son échéancier de tranches (la somme des tranches égale le montant engagé).',
    submit: 'Enregistrer l’engagement',
    done: 'L’engagement a été enregistré.',
    section: 'financements',
    tracksRevision: false,
    fields: [
      { name: 'agreementId', label: 'Identifiant de l’accord', kind: 'text', required: true, hint: `${SLUG_HINT} Ex. region-bfc-2024` },
      { name: 'funder', label: 'Financeur', kind: 'text', required: true, autocomplete: 'organization' },
      { name: 'label', label: 'Objet', kind: 'text', required: true },
      { name: 'amountCents', label: 'Montant engagé', kind: 'money', required: true, hint: 'En euros, ex. 100 000,00' },
      ...trancheRows(4),
      effectiveDate('Date de l’engagement'),
    ],
  },
  {
    slug: 'verser-tranche',
    command: 'ReleaseTranche',
    scope: 'antenna',
    title: 'Verser une tranche',
    intro: 'Le versement d’une tranche prévue par le financeur.',
    submit: 'Enregistrer le versement',
    done: 'Le versement de la tranche a été enregistré.',
    section: 'financements',
    tracksRevision: true,
    streamField: 'tranche',
    preselect: { tranche: 'tranche' },
    fields: [
      { name: 'tranche', label: 'Tranche', kind: 'select', options: 'plannedTranches', required: true, splits: ['agreementId', 'trancheId'] },
      { name: 'amountCents', label: 'Montant versé', kind: 'money', hint: 'En euros ; laissez vide pour le montant prévu de la tranche.' },
      effectiveDate('Date du versement'),
    ],
  },
  {
    slug: 'recevoir-tranche',
    command: 'RecordTrancheReceipt',
    scope: 'antenna',
    title: 'Constater la réception d’une tranche',
    intro: 'L’arrivée des fonds sur le compte de l’antenne ; le montant reçu peut différer du montant versé.',
    submit: 'Enregistrer la réception',
    done: 'La réception de la tranche a été enregistrée.',
    section: 'financements',
    tracksRevision: true,
    streamField: 'tranche',
    preselect: { tranche: 'tranche' },
    fields: [
      { name: 'tranche', label: 'Tranche', kind: 'select', options: 'releasedTranches', required: true, splits: ['agreementId', 'trancheId'] },
      { name: 'amountCents', label: 'Montant reçu', kind: 'money', required: true, hint: 'En euros, ex. 30 000,00' },
      { name: 'bankReference', label: 'Référence bancaire', kind: 'text', required: true },
      effectiveDate('Date de réception'),
    ],
  },
  {
    slug: 'annuler-versement',
    command: 'ReverseTrancheRelease',
    scope: 'antenna',
    title: 'Annuler le versement d’une tranche',
    intro: 'Un versement non encore reçu est annulé ; la tranche redevient prévue. Le versement annulé reste dans l’historique.',
    submit: 'Annuler le versement',
    done: 'Le versement a été annulé.',
    section: 'financements',
    tracksRevision: true,
    streamField: 'tranche',
    preselect: { tranche: 'tranche' },
    fields: [
      { name: 'tranche', label: 'Tranche', kind: 'select', options: 'releasedTranches', required: true, splits: ['agreementId', 'trancheId'] },
      { name: 'reason', label: 'Motif', kind: 'textarea', required: true },
      effectiveDate('Date de l’annulation'),
    ],
  },
  {
    slug: 'enregistrer-depense',
    command: 'RecordExpenditure',
    scope: 'antenna',
    title: 'Enregistrer une dépense',
    intro: 'Une dépense de l’antenne, éventuellement imputée sur un accord de financement.',
    submit: 'Enregistrer la dépense',
    done: 'La dépense a été enregistrée.',
    section: 'budget',
    tracksRevision: true,
    fields: [
      { name: 'expenditureId', label: 'Identifiant de la dépense', kind: 'text', required: true, hint: `${SLUG_HINT} Ex. loyer-2024-t1` },
      { name: 'category', label: 'Catégorie', kind: 'select', options: 'categories', required: true },
      { name: 'amountCents', label: 'Montant', kind: 'money', required: true, hint: 'En euros, ex. 12 500,00' },
      { name: 'description', label: 'Description', kind: 'textarea', required: true },
      { name: 'fundingAgreementId', label: 'Accord de financement imputé', kind: 'select', options: 'agreements' },
      effectiveDate('Date de la dépense'),
    ],
  },
  {
    slug: 'annuler-depense',
    command: 'ReverseExpenditure',
    scope: 'antenna',
    title: 'Annuler une dépense',
    intro: 'Une dépense enregistrée à tort est annulée ; elle reste dans l’historique avec le motif.',
    submit: 'Annuler la dépense',
    done: 'La dépense a été annulée.',
    section: 'budget',
    tracksRevision: true,
    preselect: { depense: 'expenditureId' },
    fields: [
      { name: 'expenditureId', label: 'Dépense', kind: 'select', options: 'openExpenditures', required: true },
      { name: 'reason', label: 'Motif', kind: 'textarea', required: true },
      effectiveDate('Date de l’annulation'),
    ],
  },
];

export function formNamed(scope: FormSpec['scope'], slug: string): FormSpec | undefined {
  return FORMS.find((form) => form.scope === scope && form.slug === slug);
}
