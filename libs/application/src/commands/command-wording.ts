import { PARTNER_KIND_LABELS, PUBLIC_DATA_FIELD_LABELS, TERRITORY_KIND_LABELS, TRAINING_MODE_LABELS } from '@jalon/reporting';

/**
 * The French wording of every command's form, in one table: its title, what it does, its button,
 * what is said once it is recorded, and a label (and a hint where one helps) for each field of
 * its input, keyed by the field's path (`territory.region`; list items left out:
 * `tranches.amountCents`). The fields themselves come from the command's input class
 * (`describeInput`); a spec checks that every field has its label here and that no label names a
 * field the command does not declare.
 */

export interface FieldWording {
  readonly label: string;
  readonly hint?: string;
  /** For a list: the name of one of its rows (`Tranche`), numbered on the form. */
  readonly item?: string;
  /** For a choice: the French name of each value. */
  readonly choices?: Readonly<Record<string, string>>;
}

export interface CommandWording {
  readonly title: string;
  readonly intro: string;
  readonly submit: string;
  /** Shown once the command is recorded. */
  readonly done: string;
  readonly fields: Readonly<Record<string, FieldWording>>;
}

const FUTURE_DATE = 'JJ/MM/AAAA ; peut être dans le futur.';
const ID_HINT = 'Minuscules, chiffres et tirets ; l’identifiant proposé peut être modifié.';

const date = (label: string): FieldWording => ({ label, hint: 'Le jour où le fait a eu lieu, au format JJ/MM/AAAA (pas dans le futur).' });
const reason = (label = 'Motif'): FieldWording => ({ label });
const antenna: FieldWording = { label: 'Antenne' };

/** What an attachment says of its file (the upload fills them in from the file it stores). */
const DOCUMENT_FILE_FIELDS: Readonly<Record<string, FieldWording>> = {
  sha256: { label: 'Empreinte SHA-256 du fichier' },
  fileName: { label: 'Nom du fichier' },
  sizeBytes: { label: 'Taille (octets)' },
  mediaType: { label: 'Type du fichier' },
  effectiveDate: date('Date à laquelle le justificatif est joint'),
};

// The choices' labels come from the one label table, so a form says what reports and pages say.
export { PARTNER_KIND_LABELS, TERRITORY_KIND_LABELS, TRAINING_MODE_LABELS };

const targets = {
  targets: { label: 'Objectifs' },
  'targets.antennaCount': { label: 'Nombre d’antennes visé' },
  'targets.targetDate': { label: 'Échéance de l’objectif', hint: FUTURE_DATE },
};

const trancheFields = {
  tranches: { label: 'Échéancier des tranches', item: 'Tranche', hint: 'La somme des tranches égale le montant engagé.' },
  'tranches.trancheId': { label: 'Identifiant', hint: ID_HINT },
  'tranches.label': { label: 'Libellé' },
  'tranches.amountCents': { label: 'Montant', hint: 'En euros, ex. 30 000,00' },
  'tranches.dueOn': { label: 'Échéance', hint: FUTURE_DATE },
  'tranches.conditions': { label: 'Conditions de versement' },
};

const publicDataFields = (prefix: string): Record<string, FieldWording> => {
  const label = PUBLIC_DATA_FIELD_LABELS;
  return {
    [prefix]: { label: 'Données publiques de la convention (format national des subventions)' },
    [`${prefix}.funderLegalName`]: { label: label.funderLegalName, hint: 'S’il diffère du financeur (ex. Caisse des dépôts pour la Banque des Territoires).' },
    [`${prefix}.funderSiret`]: { label: label.funderSiret, hint: '14 chiffres.' },
    [`${prefix}.agreementDate`]: { label: label.agreementDate, hint: 'Si elle diffère de la date de l’engagement (JJ/MM/AAAA).' },
    [`${prefix}.decisionReference`]: { label: label.decisionReference },
    [`${prefix}.beneficiaryName`]: { label: label.beneficiaryName },
    [`${prefix}.beneficiarySiret`]: { label: label.beneficiarySiret, hint: '14 chiffres.' },
    [`${prefix}.beneficiaryRna`]: { label: label.beneficiaryRna, hint: 'W suivi de 9 chiffres, pour une association.' },
    [`${prefix}.object`]: { label: label.object, hint: '256 caractères au plus.' },
    [`${prefix}.nature`]: { label: label.nature },
    [`${prefix}.euNotified`]: { label: label.euNotified },
    [`${prefix}.raeId`]: { label: label.raeId, hint: '4 caractères au plus.' },
    [`${prefix}.aidScheme`]: { label: label.aidScheme },
  };
};

const forecastLines = {
  lines: { label: 'Lignes du budget', item: 'Ligne', hint: 'Une ligne par année et par catégorie.' },
  'lines.year': { label: 'Année', hint: 'Ex. 2022' },
  'lines.category': { label: 'Catégorie' },
  'lines.amountCents': { label: 'Montant', hint: 'En euros, ex. 196 500,00' },
};

const tranche = { agreementId: { label: 'Tranche' }, trancheId: { label: 'Tranche' } };

const chosenPhase: FieldWording = { label: 'Phase' };
const chosenCandidacy: FieldWording = { label: 'Candidature' };
const chosenAgreement: FieldWording = { label: 'Accord de financement' };

/** A fact about one of the antenna's phases, chosen on the form, on a date. */
const phaseFact = (dateLabel: string) => ({ antennaId: antenna, phaseId: chosenPhase, effectiveDate: date(dateLabel) });

/** A decision about the antenna as a whole (suspension, resumption, closing): its date, and its reason when it takes one. */
const antennaDecision = (dateLabel: string, reasonLabel?: string) => ({ antennaId: antenna, ...(reasonLabel ? { reason: reason(reasonLabel) } : {}), effectiveDate: date(dateLabel) });

/** A candidacy leaving the race (refused, withdrawn): the candidacy, why, and when. */
const candidacyEnd = (reasonLabel: string, dateLabel: string) => ({ candidacyId: chosenCandidacy, reason: reason(reasonLabel), effectiveDate: date(dateLabel) });

/** An attachment: the antenna, the file (filled in by the upload), what the document proves among `kinds`, and which one. */
const attachmentFields = (kinds: Readonly<Record<string, string>>, subject: Readonly<Record<string, FieldWording>>): Record<string, FieldWording> => ({
  antennaId: antenna,
  ...DOCUMENT_FILE_FIELDS,
  subject: { label: 'Pièce justifiée' },
  'subject.kind': { label: 'Ce que le document justifie', choices: kinds },
  ...subject,
});

export const COMMAND_WORDING: Readonly<Record<string, CommandWording>> = {
  LaunchProgramme: {
    title: 'Lancer un programme',
    intro: 'Un programme national, son opérateur et ses objectifs.',
    submit: 'Lancer le programme',
    done: 'Le programme a été lancé.',
    fields: {
      programmeId: { label: 'Identifiant du programme', hint: ID_HINT },
      name: { label: 'Nom du programme' },
      operator: { label: 'Opérateur' },
      description: { label: 'Description' },
      ...targets,
      effectiveDate: date('Date de lancement'),
    },
  },
  ReviseProgrammeTargets: {
    title: 'Réviser les objectifs du programme',
    intro: 'Les objectifs précédents restent visibles dans l’historique.',
    submit: 'Réviser les objectifs',
    done: 'Les objectifs ont été révisés.',
    fields: { programmeId: { label: 'Programme' }, ...targets, reason: reason(), effectiveDate: date('Date de la révision') },
  },
  SignConvention: {
    title: 'Enregistrer une convention',
    intro: 'Une convention de partenariat signée pour le programme.',
    submit: 'Enregistrer la convention',
    done: 'La convention a été enregistrée.',
    fields: {
      programmeId: { label: 'Programme' },
      conventionId: { label: 'Identifiant de la convention', hint: ID_HINT },
      title: { label: 'Intitulé' },
      partners: { label: 'Signataires', hint: 'Un signataire par ligne.' },
      durationMonths: { label: 'Durée (en mois)' },
      effectiveDate: date('Date de signature'),
    },
  },
  OpenCallForApplications: {
    title: 'Ouvrir un appel à manifestation d’intérêt',
    intro: 'Un appel (AMI) du programme, ouvert aux candidatures des territoires pendant une période.',
    submit: 'Ouvrir l’appel',
    done: 'L’appel a été ouvert.',
    fields: {
      callId: { label: 'Identifiant de l’appel', hint: ID_HINT },
      programmeId: { label: 'Programme' },
      title: { label: 'Intitulé de l’appel' },
      number: { label: 'Numéro de l’appel dans le programme', hint: 'Ex. 2 pour le deuxième AMI.' },
      opensOn: { label: 'Ouverture des candidatures', hint: FUTURE_DATE },
      closesOn: { label: 'Clôture des candidatures', hint: FUTURE_DATE },
      criteria: { label: 'Critères de sélection', hint: 'Un critère par ligne.' },
      effectiveDate: date('Date de la décision'),
    },
  },
  CloseCallForApplications: {
    title: 'Clore un appel',
    intro: 'L’appel ne reçoit plus de candidature.',
    submit: 'Clore l’appel',
    done: 'L’appel a été clos.',
    fields: { callId: { label: 'Appel' }, effectiveDate: date('Date de clôture') },
  },
  SubmitCandidacy: {
    title: 'Déposer une candidature',
    intro: 'La candidature d’un territoire à un appel à manifestation d’intérêt ouvert.',
    submit: 'Déposer la candidature',
    done: 'La candidature a été déposée.',
    fields: {
      callId: { label: 'Appel' },
      territory: { label: 'Territoire' },
      'territory.id': { label: 'Identifiant du territoire', hint: ID_HINT },
      'territory.name': { label: 'Nom du territoire' },
      'territory.kind': { label: 'Type de territoire', choices: TERRITORY_KIND_LABELS },
      'territory.region': { label: 'Région' },
      'territory.department': { label: 'Département' },
      'territory.actionCoeurDeVille': { label: 'Ville du programme Action Cœur de Ville' },
      'territory.population': { label: 'Population', hint: 'Nombre d’habitants, ex. 140 000' },
      'territory.figures': { label: 'Chiffres du territoire' },
      'territory.figures.jobs': { label: 'Emplois' },
      'territory.figures.companies': { label: 'Entreprises' },
      'territory.figures.students': { label: 'Étudiants' },
      'territory.figures.industrialEmploymentPercent': { label: 'Part de l’emploi industriel (%)' },
      'territory.figures.belowBaccalaureatePercent': { label: 'Part de la population sans baccalauréat (%)' },
      partners: { label: 'Partenaires', item: 'Partenaire' },
      'partners.name': { label: 'Nom' },
      'partners.kind': { label: 'Type', choices: PARTNER_KIND_LABELS },
      trainingNeeds: { label: 'Besoins de formation', hint: 'Un besoin par ligne.' },
      projectedBudgetCents: { label: 'Budget prévisionnel du projet', hint: 'En euros, ex. 786 000,00' },
      effectiveDate: date('Date de dépôt'),
    },
  },
  AddCandidacyPartner: {
    title: 'Ajouter un partenaire à une candidature',
    intro: 'Un partenaire qui rejoint la candidature après son dépôt.',
    submit: 'Ajouter le partenaire',
    done: 'Le partenaire a été ajouté.',
    fields: {
      candidacyId: chosenCandidacy,
      partner: { label: 'Partenaire' },
      'partner.name': { label: 'Nom' },
      'partner.kind': { label: 'Type', choices: PARTNER_KIND_LABELS },
      effectiveDate: date('Date d’arrivée du partenaire'),
    },
  },
  SelectCandidacy: {
    title: 'Retenir une candidature',
    intro: 'La candidature devient lauréate ; les critères du choix sont conservés dans l’historique.',
    submit: 'Retenir la candidature',
    done: 'La candidature a été retenue.',
    fields: { candidacyId: chosenCandidacy, criteria: { label: 'Critères du choix', hint: 'Un critère par ligne.' }, effectiveDate: date('Date de la décision') },
  },
  RejectCandidacy: {
    title: 'Écarter une candidature',
    intro: 'La candidature n’est pas retenue ; le motif est conservé dans l’historique.',
    submit: 'Écarter la candidature',
    done: 'La candidature a été écartée.',
    fields: candidacyEnd('Motif du refus', 'Date de la décision'),
  },
  WithdrawCandidacy: {
    title: 'Enregistrer le retrait d’une candidature',
    intro: 'Le territoire retire sa candidature.',
    submit: 'Enregistrer le retrait',
    done: 'Le retrait de la candidature a été enregistré.',
    fields: candidacyEnd('Motif du retrait', 'Date du retrait'),
  },
  OpenAntenna: {
    title: 'Ouvrir une antenne',
    intro: 'L’antenne naît d’une candidature retenue ; appel, programme et territoire en sont repris.',
    submit: 'Ouvrir l’antenne',
    done: 'L’antenne a été ouverte.',
    fields: {
      antennaId: { label: 'Identifiant de l’antenne', hint: ID_HINT },
      candidacyId: { label: 'Candidature retenue' },
      name: { label: 'Nom de l’antenne' },
      town: { label: 'Ville' },
      effectiveDate: date('Date d’ouverture'),
    },
  },
  PlanPhase: {
    title: 'Planifier une phase',
    intro: 'Une étape du déploiement de l’antenne, avec ses dates prévues.',
    submit: 'Planifier la phase',
    done: 'La phase a été planifiée.',
    fields: {
      antennaId: antenna,
      phaseId: { label: 'Identifiant de la phase', hint: ID_HINT },
      name: { label: 'Intitulé' },
      site: { label: 'Site' },
      plannedStart: { label: 'Début prévu', hint: FUTURE_DATE },
      plannedEnd: { label: 'Fin prévue', hint: FUTURE_DATE },
      effectiveDate: date('Date de la décision'),
    },
  },
  StartPhase: {
    title: 'Démarrer une phase',
    intro: 'Le démarrage effectif d’une phase prévue.',
    submit: 'Enregistrer le démarrage',
    done: 'Le démarrage de la phase a été enregistré.',
    fields: phaseFact('Date de démarrage'),
  },
  ReachMilestone: {
    title: 'Enregistrer un jalon',
    intro: 'Un jalon atteint dans une phase de l’antenne.',
    submit: 'Enregistrer le jalon',
    done: 'Le jalon a été enregistré.',
    fields: {
      antennaId: antenna,
      phaseId: chosenPhase,
      milestoneId: { label: 'Identifiant du jalon', hint: ID_HINT },
      name: { label: 'Intitulé du jalon' },
      effectiveDate: date('Date où le jalon a été atteint'),
    },
  },
  ReschedulePhase: {
    title: 'Replanifier une phase',
    intro: 'De nouvelles dates prévues ; le plan d’origine reste visible.',
    submit: 'Replanifier la phase',
    done: 'La phase a été replanifiée.',
    fields: {
      antennaId: antenna,
      phaseId: chosenPhase,
      plannedStart: { label: 'Nouveau début prévu', hint: FUTURE_DATE },
      plannedEnd: { label: 'Nouvelle fin prévue', hint: FUTURE_DATE },
      reason: reason('Motif de la replanification'),
      effectiveDate: date('Date de la décision'),
    },
  },
  CompletePhase: {
    title: 'Terminer une phase',
    intro: 'L’achèvement effectif d’une phase en cours.',
    submit: 'Enregistrer l’achèvement',
    done: 'L’achèvement de la phase a été enregistré.',
    fields: phaseFact('Date d’achèvement'),
  },
  InaugurateAntenna: {
    title: 'Enregistrer l’inauguration',
    intro: 'L’inauguration officielle de l’antenne.',
    submit: 'Enregistrer l’inauguration',
    done: 'L’inauguration a été enregistrée.',
    fields: { antennaId: antenna, place: { label: 'Lieu' }, effectiveDate: date('Date de l’inauguration') },
  },
  OpenTrainingCourse: {
    title: 'Ouvrir une formation',
    intro: 'Une formation proposée par l’antenne.',
    submit: 'Ouvrir la formation',
    done: 'La formation a été ouverte.',
    fields: {
      antennaId: antenna,
      courseId: { label: 'Identifiant de la formation', hint: ID_HINT },
      title: { label: 'Intitulé de la formation' },
      sector: { label: 'Secteur', hint: 'Ex. Industrie, Numérique' },
      level: { label: 'Niveau', hint: 'Ex. BAC+2' },
      mode: { label: 'Modalité', choices: TRAINING_MODE_LABELS },
      effectiveDate: date('Date d’ouverture'),
    },
  },
  ReportLearners: {
    title: 'Déclarer les apprenants d’un mois',
    intro: 'Le nombre d’apprenants inscrits à l’antenne sur un mois ; une nouvelle déclaration du même mois est une correction et demande un motif.',
    submit: 'Enregistrer la déclaration',
    done: 'La déclaration a été enregistrée.',
    fields: {
      antennaId: antenna,
      period: { label: 'Mois', hint: 'Au format AAAA-MM, ex. 2022-09' },
      learners: { label: 'Nombre d’apprenants' },
      reason: { label: 'Motif de la correction', hint: 'Seulement si ce mois a déjà été déclaré.' },
      effectiveDate: date('Date de la déclaration'),
    },
  },
  SuspendAntenna: {
    title: 'Suspendre l’antenne',
    intro: 'L’activité de l’antenne est suspendue jusqu’à sa reprise.',
    submit: 'Suspendre l’antenne',
    done: 'L’antenne a été suspendue.',
    fields: antennaDecision('Date de la suspension', 'Motif de la suspension'),
  },
  ResumeAntenna: {
    title: 'Reprendre l’activité de l’antenne',
    intro: 'L’antenne suspendue reprend son activité.',
    submit: 'Enregistrer la reprise',
    done: 'La reprise de l’antenne a été enregistrée.',
    fields: antennaDecision('Date de la reprise'),
  },
  CloseAntenna: {
    title: 'Fermer l’antenne',
    intro: 'La fermeture est définitive : l’antenne n’accepte plus rien, son historique reste consultable.',
    submit: 'Fermer l’antenne',
    done: 'L’antenne a été fermée.',
    fields: antennaDecision('Date de la fermeture', 'Motif de la fermeture'),
  },
  SetBudgetForecast: {
    title: 'Établir le budget prévisionnel',
    intro: 'Le budget prévisionnel de l’antenne, par année et par catégorie.',
    submit: 'Enregistrer le budget',
    done: 'Le budget prévisionnel a été enregistré.',
    fields: { antennaId: antenna, ...forecastLines, effectiveDate: date('Date d’adoption du budget') },
  },
  ReviseBudgetForecast: {
    title: 'Réviser le budget prévisionnel',
    intro: 'La révision remplace tout le budget prévisionnel (chaque année et chaque catégorie) ; le budget précédent reste dans l’historique.',
    submit: 'Enregistrer la révision',
    done: 'Le budget prévisionnel a été révisé.',
    fields: { antennaId: antenna, ...forecastLines, reason: reason('Motif de la révision'), effectiveDate: date('Date de la révision') },
  },
  RecordExpenditure: {
    title: 'Enregistrer une dépense',
    intro: 'Une dépense de l’antenne, éventuellement imputée sur un accord de financement.',
    submit: 'Enregistrer la dépense',
    done: 'La dépense a été enregistrée.',
    fields: {
      antennaId: antenna,
      expenditureId: { label: 'Identifiant de la dépense', hint: ID_HINT },
      category: { label: 'Catégorie' },
      amountCents: { label: 'Montant', hint: 'En euros, ex. 12 500,00' },
      description: { label: 'Description' },
      fundingAgreementId: { label: 'Accord de financement imputé' },
      supplier: { label: 'Fournisseur', hint: 'Tel que la facture le nomme (facultatif).' },
      invoiceNumber: { label: 'Numéro de facture', hint: 'Facultatif.' },
      effectiveDate: date('Date de la dépense'),
    },
  },
  ReverseExpenditure: {
    title: 'Annuler une dépense',
    intro: 'Une dépense enregistrée à tort est annulée ; elle reste dans l’historique avec le motif.',
    submit: 'Annuler la dépense',
    done: 'La dépense a été annulée.',
    fields: { antennaId: antenna, expenditureId: { label: 'Dépense' }, reason: reason(), effectiveDate: date('Date de l’annulation') },
  },
  CommitFunding: {
    title: 'Engager un financement',
    intro: 'L’engagement d’un financeur envers l’antenne, avec son échéancier de tranches (la somme des tranches égale le montant engagé).',
    submit: 'Enregistrer l’engagement',
    done: 'L’engagement a été enregistré.',
    fields: {
      antennaId: antenna,
      agreementId: { label: 'Identifiant de l’accord', hint: ID_HINT },
      funder: { label: 'Financeur' },
      label: { label: 'Objet' },
      amountCents: { label: 'Montant engagé', hint: 'En euros, ex. 100 000,00' },
      ...trancheFields,
      ...publicDataFields('publicData'),
      effectiveDate: date('Date de l’engagement'),
    },
  },
  RecordFundingPublicData: {
    title: 'Données publiques d’une convention',
    intro: 'Ce que le format national des subventions publie de la convention (SIRET, décision, objet, nature).',
    submit: 'Enregistrer les données publiques',
    done: 'Les données publiques de la convention ont été enregistrées.',
    fields: { antennaId: antenna, agreementId: chosenAgreement, ...publicDataFields('publicData'), effectiveDate: date('Date d’effet') },
  },
  ReleaseTranche: {
    title: 'Verser une tranche',
    intro: 'Le versement d’une tranche prévue par le financeur.',
    submit: 'Enregistrer le versement',
    done: 'Le versement de la tranche a été enregistré.',
    fields: {
      antennaId: antenna,
      ...tranche,
      amountCents: { label: 'Montant versé', hint: 'En euros ; laissez vide pour le montant prévu de la tranche.' },
      effectiveDate: date('Date du versement'),
    },
  },
  RecordTrancheReceipt: {
    title: 'Constater la réception d’une tranche',
    intro: 'L’arrivée des fonds sur le compte de l’antenne ; le montant reçu peut différer du montant versé.',
    submit: 'Enregistrer la réception',
    done: 'La réception de la tranche a été enregistrée.',
    fields: {
      antennaId: antenna,
      ...tranche,
      amountCents: { label: 'Montant reçu', hint: 'En euros, ex. 30 000,00' },
      bankReference: { label: 'Référence bancaire' },
      effectiveDate: date('Date de réception'),
    },
  },
  ReverseTrancheRelease: {
    title: 'Annuler le versement d’une tranche',
    intro: 'Un versement non encore reçu est annulé ; la tranche redevient prévue. Le versement annulé reste dans l’historique.',
    submit: 'Annuler le versement',
    done: 'Le versement a été annulé.',
    fields: { antennaId: antenna, ...tranche, reason: reason(), effectiveDate: date('Date de l’annulation') },
  },
  CloseFundingAgreement: {
    title: 'Clore un accord de financement',
    intro: 'L’accord est clos : plus aucun versement n’y est attendu.',
    submit: 'Clore l’accord',
    done: 'L’accord de financement a été clos.',
    fields: { antennaId: antenna, agreementId: chosenAgreement, reason: reason(), effectiveDate: date('Date de clôture') },
  },
  AttachFundingDocument: {
    title: 'Joindre un justificatif à un financement',
    intro: 'Un fichier déjà déposé (convention signée, avis de versement, relevé bancaire) est joint à l’accord, au versement ou à la réception d’une tranche.',
    submit: 'Joindre le justificatif',
    done: 'Le justificatif a été joint.',
    fields: attachmentFields(
      { 'funding-agreement': 'L’accord de financement', 'tranche-release': 'Le versement d’une tranche', 'tranche-receipt': 'La réception d’une tranche' },
      { 'subject.agreementId': chosenAgreement, 'subject.trancheId': { label: 'Tranche', hint: 'Pour un versement ou une réception.' } },
    ),
  },
  AttachBudgetDocument: {
    title: 'Joindre un justificatif au budget',
    intro: 'Un fichier déjà déposé (facture, devis, délibération) est joint à une dépense ou à une révision du budget.',
    submit: 'Joindre le justificatif',
    done: 'Le justificatif a été joint.',
    fields: attachmentFields(
      { expenditure: 'Une dépense', 'budget-revision': 'Une révision du budget' },
      { 'subject.expenditureId': { label: 'Dépense', hint: 'Pour une dépense.' }, 'subject.revision': { label: 'Numéro de la révision', hint: 'Pour une révision : 1 pour la première.' } },
    ),
  },
};
