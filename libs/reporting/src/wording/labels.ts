import type { BudgetCategory, PartnerKind, TerritoryKind, TrainingMode } from '@jalon/domain';

/**
 * THE French labels of the codes Jalon stores (categories, statuses, kinds, roles, flags) and of
 * the report and column titles repeated across reports: reports, renderers, the dashboard and the
 * CLI take them from here, so that one thing has one wording everywhere. (The names of audited
 * event types are in `history-labels.ts`, beside the audit trail's sentences.)
 *
 * Maps over a domain type are `Record`s of that type: a new code without a label fails the type
 * check. Maps over read-model codes (statuses, flags) are keyed by literals here, and each
 * projection checks with `satisfies` that they cover its own type.
 */

/** Budget categories, as a column or a list shows them (« Enseignement »). */
export const BUDGET_CATEGORY_LABELS: Readonly<Record<BudgetCategory, string>> = {
  staff: 'Personnel',
  premises: 'Locaux',
  equipment: 'Équipement',
  teaching: 'Enseignement',
  communication: 'Communication',
  operations: 'Fonctionnement',
  other: 'Autres',
};

/** Training modes, as a list or a column shows them (« En présentiel »); {@link trainingModeWord} in a sentence. */
export const TRAINING_MODE_LABELS: Readonly<Record<TrainingMode, string>> = {
  distance: 'À distance',
  hybrid: 'Hybride',
  'on-site': 'En présentiel',
  'work-study': 'En alternance',
};

export const TERRITORY_KIND_LABELS: Readonly<Record<TerritoryKind, string>> = {
  commune: 'Commune',
  agglomeration: 'Agglomération, communauté de communes',
  'employment-area': 'Bassin d’emploi',
};

export const PARTNER_KIND_LABELS: Readonly<Record<PartnerKind, string>> = {
  academic: 'Enseignement supérieur, recherche',
  'local-authority': 'Collectivité territoriale',
  employer: 'Employeur',
  'training-provider': 'Organisme de formation',
  'employment-service': 'Service public de l’emploi',
  other: 'Autre',
};

/** Users' roles (the application's `ROLES`). */
export const ROLE_LABELS = {
  admin: 'Administration',
  'programme-manager': 'Gestion du programme',
  finance: 'Finances',
  auditor: 'Audit',
} as const satisfies Readonly<Record<string, string>>;

export const ANTENNA_STATUS_LABELS = {
  active: 'Active',
  suspended: 'Suspendue',
  closed: 'Fermée',
} as const satisfies Readonly<Record<string, string>>;

export const PHASE_STATUS_LABELS = {
  planned: 'Prévue',
  started: 'En cours',
  completed: 'Terminée',
  // A phase left started when its antenna closed: it stopped with the antenna, it is not « en cours ».
  interrupted: 'Interrompue (antenne fermée)',
} as const satisfies Readonly<Record<string, string>>;

export const CANDIDACY_STATUS_LABELS = {
  'not-submitted': 'Non déposée',
  submitted: 'Déposée',
  selected: 'Retenue',
  rejected: 'Rejetée',
  withdrawn: 'Retirée',
} as const satisfies Readonly<Record<string, string>>;

/**
 * A tranche not released of an open agreement whose antenna is closed: nothing can be released on a
 * closed antenna. The same words in the échéancier's situations and the funding report's states.
 */
const BLOCKED_TRANCHE = 'Bloquée : antenne fermée';

/** The state of a funding tranche in the reconciliation. */
export const TRANCHE_STATE_LABELS = {
  planned: 'Prévue',
  released: 'Versée',
  received: 'Reçue',
  reversed: 'Versement annulé (de nouveau prévue)',
  /** Never released (or its release reversed) when its agreement was closed: it will never be paid. */
  'not-released-closed': 'Non versée (convention clôturée)',
  /** Not released, its agreement open, its antenna closed (at the report's cut): it can no longer be released. */
  blocked: BLOCKED_TRANCHE,
} as const satisfies Readonly<Record<string, string>>;

/**
 * A tranche as every output names it (the funding report, the échéancier, the statement of
 * expenditure, the dashboard, the audit trail): its label, or « Tranche n° N » when it has none,
 * N being its 1-based rank in its agreement's schedule (the order of the commitment), never its
 * internal id. A tranche the schedule does not hold (no rank: a loose reference) keeps its id, so
 * that nothing recorded is hidden.
 */
export function trancheName(tranche: { readonly trancheId: string; readonly label?: string | null | undefined }, rank: number | undefined): string {
  if (tranche.label) return tranche.label;
  return rank === undefined ? tranche.trancheId : `Tranche n° ${rank}`;
}

/**
 * A tranche in a choice list of the dashboard (the release and receipt forms, the documents page),
 * where tranches of several agreements sit side by side: « Aide régionale au démarrage — Tranche
 * n° 1 », its agreement's label first (which tells two agreements of one funder apart), then
 * {@link trancheName}.
 */
export function agreementTrancheName(agreementLabel: string, tranche: { readonly trancheId: string; readonly label?: string | null | undefined }, rank: number): string {
  return `${agreementLabel} — ${trancheName(tranche, rank)}`;
}

/** The tranche `trancheId` of a schedule (tranches in schedule order) with its rank in it (1-based); undefined when the schedule does not hold it. */
export function trancheInSchedule<Tranche extends { readonly trancheId: string }>(schedule: readonly Tranche[], trancheId: string): { readonly tranche: Tranche; readonly rank: number } | undefined {
  const index = schedule.findIndex((tranche) => tranche.trancheId === trancheId);
  return index < 0 ? undefined : { tranche: schedule[index]!, rank: index + 1 };
}

/** {@link trancheName} of the tranche `trancheId` of a schedule (tranches in schedule order). */
export function trancheNameIn(schedule: readonly { readonly trancheId: string; readonly label?: string | null | undefined }[], trancheId: string): string {
  const found = trancheInSchedule(schedule, trancheId);
  return found ? trancheName(found.tranche, found.rank) : trancheId;
}

/**
 * The money figures of a funding agreement, as the funding report, the key figures and the
 * dashboard name them. Once an agreement is closed, what it did not release is no longer « reste à
 * verser » but « non versé à la clôture ».
 */
export const FUNDING_FIGURE_LABELS = {
  /** Committed − released (net of reversals), for an agreement still open; 0 once it is closed. */
  remaining: 'Reste à verser',
  /** Committed − released (net of reversals) at the closing of an agreement; 0 for an open one. */
  notReleasedAtClosing: 'Non versé à la clôture',
  /** Open: committed − received; closed: released (net) − received. */
  toCollect: 'Reste à encaisser',
  /** Committed − released (net of reversals) of an open agreement whose antenna is closed: it can no longer be released, so it is not « reste à verser ». */
  blocked: 'Bloqué (antenne fermée)',
} as const satisfies Readonly<Record<string, string>>;

/** The flags of the funding reconciliation. */
export const DISCREPANCY_LABELS = {
  'release-reversed': 'Versement annulé',
  'release-late': 'Versement postérieur à l’échéance',
  'release-overdue': 'Échéance dépassée, tranche non versée',
  'release-above-tranche': 'Versement supérieur à la tranche prévue',
  'amount-mismatch': 'Montant reçu différent du montant versé',
  'receipt-overdue': 'Versement non reçu dans le délai',
  overspent: 'Dépenses supérieures aux fonds reçus',
  'antenna-closed-agreement-open': 'Antenne fermée, convention encore ouverte',
} as const satisfies Readonly<Record<string, string>>;

/** Where a tranche stands in the échéancier (blocked: its agreement is open but its antenna closed, so nothing can be released). */
export const ECHEANCIER_SITUATION_LABELS = {
  overdue: 'En retard',
  'due-soon': 'À échoir',
  blocked: BLOCKED_TRANCHE,
} as const satisfies Readonly<Record<string, string>>;

/** The report kinds' titles (the report's first line, the XLSX title rows, the dashboard's links). */
export const REPORT_TITLES = {
  budget: 'Budget',
  funding: 'Financements',
  echeancier: 'Échéancier des tranches',
  phases: 'Phases',
  history: 'Historique',
  kpis: 'Indicateurs du programme',
  subventions: 'Données essentielles des conventions de subvention',
} as const satisfies Readonly<Record<string, string>>;

/** Column titles that several reports or pages repeat. */
export const COLUMN_LABELS = {
  antenna: 'Antenne',
  year: 'Année',
  month: 'Mois',
  category: 'Catégorie',
  funder: 'Financeur',
  agreement: 'Accord',
  tranche: 'Tranche',
  status: 'Statut',
  dueOn: 'Échéance',
  total: 'Total',
} as const satisfies Readonly<Record<string, string>>;

/**
 * The worksheet name of each report table, by the table's title: Excel allows 31 characters, so a
 * long title gets a short name chosen here rather than one cut mid-word. A table whose title is
 * not listed is named after its title shortened by whole words (a test checks that every table of
 * every report kind is listed).
 */
export const SHEET_NAMES: Readonly<Record<string, string>> = {
  // budget
  'Prévisionnel et exécution par année': 'Budget par année',
  'Budget par antenne': 'Budget par antenne',
  'Engagements par financeur': 'Engagements par financeur',
  'Révisions du prévisionnel': 'Révisions du prévisionnel',
  'Détail des révisions par année et par catégorie': 'Détail des révisions',
  'Prévisionnel par année et par catégorie': 'Prévisionnel par catégorie',
  // funding, échéancier, subventions, statement of expenditure
  'Accords de financement': 'Accords de financement',
  'Échéancier et rapprochement des tranches': 'Rapprochement des tranches',
  'Versements et annulations': 'Versements et annulations',
  'Écarts constatés': 'Écarts constatés',
  'Tranches en retard et à échoir': 'Tranches en retard et à échoir',
  'Conventions de subvention — format national SCDL « subventions »': 'Conventions de subvention',
  'Données essentielles des conventions de subvention': 'Conventions de subvention',
  Convention: 'Convention',
  'Versements du financeur': 'Versements du financeur',
  Encaissements: 'Encaissements',
  'Dépenses imputées': 'Dépenses imputées',
  'Synthèse de la période': 'Synthèse de la période',
  'Pièces justificatives': 'Pièces justificatives',
  'Scellement du journal': 'Scellement du journal',
  // phases
  Antenne: 'Antenne',
  Phases: 'Phases',
  Replanifications: 'Replanifications',
  'Jalons atteints': 'Jalons atteints',
  'Objectif du programme': 'Objectif du programme',
  'Antennes par statut': 'Antennes par statut',
  'Antennes par phase en cours': 'Antennes par phase en cours',
  Antennes: 'Antennes',
  // history
  Historique: 'Historique',
  // kpis
  'Antennes et objectif': 'Antennes et objectif',
  'Candidatures et lauréats par appel': 'Candidatures par appel',
  Formation: 'Formation',
  'Apprenants par antenne (dernier effectif déclaré)': 'Apprenants par antenne',
  'Apprenants par mois': 'Apprenants par mois',
  'Budget et financements du programme': 'Budget et financements',
};

/** The sheet listing a report's remarks (its notes). */
export const NOTES_SHEET_NAME = 'Remarques';

/** What the whole programme is called where an antenna would be named (title rows, headings). */
export const PROGRAMME_SCOPE_LABEL = 'Programme';

/** The label of `code` in `labels`, or the code itself when it has none (an unknown stored code stays visible). */
export function labelOf(labels: Readonly<Record<string, string>>, code: string): string {
  return Object.hasOwn(labels, code) ? (labels[code] as string) : code;
}

/** A budget category as a column shows it (« Enseignement »); an unknown code as is. */
export function budgetCategoryLabel(category: string): string {
  return labelOf(BUDGET_CATEGORY_LABELS, category);
}

/** The same wording inside a sentence (« enseignement »). */
export function budgetCategoryWord(category: string): string {
  return wordOf(BUDGET_CATEGORY_LABELS, category);
}

/** A training mode inside a sentence (« formation ouverte en présentiel »). */
export function trainingModeWord(mode: string): string {
  return wordOf(TRAINING_MODE_LABELS, mode);
}

function wordOf(labels: Readonly<Record<string, string>>, code: string): string {
  const label = labelOf(labels, code);
  return label === code ? code : lowerFirst(label);
}

/**
 * The French names of an agreement's public data (the national format of grant agreements, SCDL
 * « subventions »): the forms' labels and the refusal of an export that lacks one say the same.
 */
export const PUBLIC_DATA_FIELD_LABELS = {
  funderLegalName: 'Nom officiel du financeur',
  funderSiret: 'SIRET du financeur',
  agreementDate: 'Date de signature de la convention',
  decisionReference: 'Référence de la décision d’attribution',
  beneficiaryName: 'Bénéficiaire',
  beneficiarySiret: 'SIRET du bénéficiaire',
  beneficiaryRna: 'Numéro RNA du bénéficiaire',
  object: 'Objet de la subvention',
  nature: 'Nature de l’aide',
  euNotified: 'Aide notifiée à la Commission européenne',
  raeId: 'Identifiant RAE',
  aidScheme: 'Dispositif d’aide',
} as const satisfies Readonly<Record<string, string>>;

/** The text with its first letter in lower case, to go inside a sentence: « Première tranche » → « première tranche ». */
export function lowerFirst(text: string): string {
  return text.charAt(0).toLocaleLowerCase('fr') + text.slice(1);
}
