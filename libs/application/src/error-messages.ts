import { type DomainErrorCode, FUNDING_FACT_WORDING } from '@jalon/domain';
import type { IntegrityErrorCode } from '@jalon/event-store';
import { formatDate } from '@jalon/reporting';

/**
 * Codes of the errors raised outside the domain's deciders: the application (input, access,
 * idempotency, reads), the stores, the reports and the HTTP adapter. With {@link DomainErrorCode},
 * every code a client, a user of the CLI or of the dashboard may be shown.
 */
export type ApplicationErrorCode =
  | 'INPUT.INVALID'
  | 'INPUT.MALFORMED'
  | 'INPUT.TOO_LARGE'
  | 'INPUT.UNSUPPORTED_MEDIA_TYPE'
  | 'AUTH.UNAUTHENTICATED'
  | 'AUTH.FORBIDDEN'
  | 'AUTH.TOO_MANY_ATTEMPTS'
  | 'AUTH.CSRF'
  | 'IDEMPOTENCY.KEY_REUSED'
  | 'COMMAND.UNKNOWN'
  | 'STREAM.NOT_FOUND'
  | 'STREAM.WRONG_EXPECTED_REVISION'
  | 'STREAM.DUPLICATE_EVENT_ID'
  | 'READ_MODEL.BEHIND'
  | 'READ_MODEL.UNAVAILABLE'
  | 'READ_MODEL.LEASE_LOST'
  | 'STORE.UNAVAILABLE'
  | 'STORE.OUTCOME_UNKNOWN'
  | 'EVENT_STORE.UNREADABLE_EVENT'
  | 'EVENT_STORE.UNSUPPORTED_SERVER'
  | 'EVENT_STORE.INVALID_POSITION'
  | 'STREAM.APPEND_TOO_LARGE'
  | 'REPORT.SUBJECT_NOT_FOUND'
  | 'REPORT.PARAMETER_REQUIRED'
  | 'REPORT.PARAMETER_INVALID'
  | 'SUBVENTIONS.MISSING_FIELD'
  | 'IMPORT.UNREADABLE_FILE'
  | 'IMPORT.INVALID_ROWS'
  | 'EVENT.CANNOT_UPCAST'
  | 'DOCUMENT.TOO_LARGE'
  | 'DOCUMENT.EMPTY'
  | 'DOCUMENT.UNSUPPORTED_TYPE'
  | 'DOCUMENT.NAME_MISMATCH'
  | 'DOCUMENT.NOT_FOUND'
  | 'DOCUMENT.ALTERED'
  | 'DOCUMENT.STORE_UNAVAILABLE'
  | 'ROUTE.NOT_FOUND'
  | 'ROUTE.INVALID'
  | 'METHOD.NOT_ALLOWED'
  | 'INTERNAL';

/** With the codes of the provable history's refusals (IntegrityError, from the store's integrity module). */
export type ErrorCode = DomainErrorCode | ApplicationErrorCode | IntegrityErrorCode;

/**
 * The French wording of every error code: the one table the API (problem `title`, and `detail` of
 * domain errors, whose own messages are for developers), the CLI and the dashboard read. A code
 * missing here does not compile. The code is always shown beside its wording, so that a user can
 * quote it to whoever supports them.
 */
export const ERROR_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  'ANTENNA.ALREADY_INAUGURATED': 'L’inauguration de cette antenne est déjà enregistrée, à une autre date ou en un autre lieu.',
  'ANTENNA.ALREADY_SUSPENDED': 'Cette antenne est déjà suspendue, à une autre date ou pour un autre motif.',
  'ANTENNA.ALREADY_RESUMED': 'L’activité de cette antenne a déjà repris, à une autre date.',
  'ANTENNA.NOT_SUSPENDED': 'Cette antenne n’est pas suspendue : il n’y a pas d’activité à reprendre.',
  'ANTENNA.ALREADY_OPENED': 'Une antenne portant cet identifiant a déjà été ouverte, avec d’autres informations.',
  'ANTENNA.CANDIDACY_NOT_SELECTED': 'Cette candidature n’a pas été retenue : une antenne ne peut pas en naître.',
  'ANTENNA.CLOSED': 'Cette antenne est fermée : plus rien ne peut y être enregistré.',
  'ANTENNA.CLOSED_BEFORE_LAST_FACT': 'Une antenne ne peut pas fermer avant le dernier fait enregistré sur elle, sur son budget ou sur ses conventions de financement.',
  'ANTENNA.DATE_BEFORE_OPENING': 'La date d’effet précède l’ouverture de l’antenne.',
  'ANTENNA.FUNDING_ALREADY_ATTACHED': 'Un accord portant cet identifiant a déjà été rattaché à cette antenne pour un engagement à une autre date : renvoyez l’engagement à cette date.',
  'ANTENNA.INAUGURATED_BEFORE_OPENING': 'Une antenne ne peut pas être inaugurée avant son ouverture.',
  'ANTENNA.NOT_FOUND': 'Cette antenne n’a pas été ouverte.',
  'ANTENNA.OPENED_BEFORE_SELECTION': 'Une antenne ne peut pas ouvrir avant que sa candidature soit retenue.',
  'ANTENNA.OPENING_NOT_CLAIMED': 'L’ouverture de cette antenne n’a pas été engagée sur sa candidature à cette date : recommencez l’ouverture.',
  'ANTENNA.RESUMED_BEFORE_SUSPENSION': 'Une antenne ne peut pas reprendre avant d’avoir été suspendue.',
  'ANTENNA.SUSPENDED': 'Cette antenne est suspendue : reprenez son activité d’abord.',
  'ANTENNA.SUSPENDED_BEFORE_RESUMPTION': 'Une nouvelle suspension ne peut pas précéder la dernière reprise d’activité.',
  'BUDGET.DUPLICATE_LINE': 'Le prévisionnel contient deux lignes pour la même catégorie et la même année.',
  'BUDGET.EMPTY_FORECAST': 'Un prévisionnel compte au moins une ligne.',
  'BUDGET.FORECAST_ALREADY_SET': 'Le prévisionnel de cette antenne est déjà établi : révisez-le plutôt.',
  'BUDGET.FORECAST_NOT_SET': 'Cette antenne n’a pas encore de budget prévisionnel.',
  'BUDGET.INVALID_YEAR': 'L’année d’une ligne du prévisionnel n’est pas valable.',
  'BUDGET.REVISED_BEFORE_FORECAST': 'Un prévisionnel ne peut pas être révisé avant d’avoir été établi.',
  'BUDGET.REVISED_BEFORE_LAST_REVISION': 'Une révision ne peut pas être datée avant la révision en vigueur.',
  'BUDGET.REVISION_REASON_REQUIRED': 'Une révision du prévisionnel demande un motif.',
  'BUDGET.UNKNOWN_CATEGORY': 'Catégorie budgétaire inconnue.',
  'CALL.ALREADY_CLOSED': 'Cet appel est déjà clos.',
  'CALL.ALREADY_OPENED': 'Un appel portant cet identifiant a déjà été ouvert, avec d’autres informations.',
  'CALL.BEFORE_PROGRAMME_LAUNCH': 'Un appel ne peut être ni publié ni ouvert avant le lancement de son programme.',
  'CALL.CLOSED_BEFORE_LAST_CANDIDACY': 'Un appel ne peut pas être clos avant la dernière candidature qu’il a reçue.',
  'CALL.CLOSED_BEFORE_OPENING': 'Un appel ne peut pas être clos avant son ouverture.',
  'CALL.INVALID_NUMBER': 'Le numéro de l’appel est un nombre entier positif.',
  'CALL.INVALID_PERIOD': 'Un appel ne peut pas se clore avant de s’ouvrir.',
  'CALL.NOT_FOUND': 'Cet appel n’a pas été ouvert.',
  'CANDIDACY.ALREADY_DECIDED': 'Une décision a déjà été prise sur cette candidature (retenue, rejetée ou retirée).',
  'CANDIDACY.ALREADY_SUBMITTED': 'Ce territoire a déjà déposé une candidature à cet appel, avec d’autres informations.',
  'CANDIDACY.ANTENNA_OPENED': 'Cette candidature a ouvert son antenne : elle ne se retire plus ; c’est l’antenne qu’il faut fermer.',
  'CANDIDACY.ANTENNA_ALREADY_ASSIGNED': 'Cette candidature a déjà son antenne : une candidature retenue n’ouvre qu’une antenne.',
  'CANDIDACY.SUBMISSION_NOT_REGISTERED': 'Cette candidature n’a pas été inscrite à son appel à cette date : recommencez le dépôt.',
  'CANDIDACY.CALL_NOT_OPEN': 'L’appel n’accepte pas de candidature à cette date (il n’est pas ouvert, ou il est clos).',
  'CANDIDACY.DATE_BEFORE_SELECTION': 'Un lauréat ne peut pas se retirer avant d’avoir été retenu.',
  'CANDIDACY.DATE_BEFORE_SUBMISSION': 'La date d’effet précède le dépôt de la candidature.',
  'CANDIDACY.DUPLICATE_PARTNER': 'Un partenaire est nommé deux fois.',
  'CANDIDACY.INVALID_FIGURE': 'Un chiffre du territoire n’est pas valable.',
  'CANDIDACY.NOT_FOUND': 'Cette candidature n’a pas été déposée.',
  'CANDIDACY.PARTNER_ALREADY_ADDED': 'Ce partenaire fait déjà partie de la candidature.',
  'CONVENTION.ALREADY_SIGNED': 'Cette convention est déjà enregistrée, avec d’autres informations.',
  'COURSE.ALREADY_OPENED': 'Cette formation est déjà ouverte, avec d’autres informations.',
  'DATE.OUT_OF_RANGE': 'La date doit être comprise entre le 01/01/1900 et le 31/12/2100.',
  'EVENT.EFFECTIVE_DATE_IN_FUTURE': 'La date d’effet est postérieure à aujourd’hui : un fait s’enregistre une fois qu’il a eu lieu.',
  'DOCUMENT.ALREADY_ATTACHED': 'Ce fichier est déjà joint à ce fait, sous un autre nom ou à une autre date.',
  'DOCUMENT.ATTACHED_BEFORE_SUBJECT': 'Un justificatif ne peut pas être joint avant la date du fait qu’il justifie.',
  'DOCUMENT.SUBJECT_NOT_FOUND': 'Le fait auquel joindre ce justificatif n’est pas enregistré (versement, réception ou révision inexistants).',
  'EXPENDITURE.ALREADY_RECORDED': 'Une dépense portant cet identifiant est déjà enregistrée, avec d’autres informations.',
  'EXPENDITURE.ALREADY_REVERSED': 'Cette dépense a déjà été annulée, pour un autre motif ou à une autre date.',
  'EXPENDITURE.BEFORE_FUNDING_COMMITMENT': 'Une dépense imputée à un accord ne peut pas précéder l’engagement de cet accord.',
  'EXPENDITURE.NOT_FOUND': 'Cette dépense n’a pas été enregistrée.',
  'EXPENDITURE.REVERSAL_REASON_REQUIRED': 'L’annulation d’une dépense demande un motif.',
  'EXPENDITURE.REVERSED_BEFORE_RECORDED': 'Une dépense ne peut pas être annulée avant d’avoir été enregistrée.',
  'FUNDING.ALREADY_COMMITTED': 'Un accord portant cet identifiant est déjà enregistré, avec d’autres informations.',
  'FUNDING.BENEFICIARY_SIRET_REQUIRED': 'Le SIRET du bénéficiaire est obligatoire, sauf pour une aide en nature à une association identifiée par son numéro RNA.',
  'FUNDING.PUBLIC_DATA_BEFORE_COMMITMENT': 'Les données publiques d’un accord ne peuvent pas être datées d’avant son engagement.',
  'FUNDING.CLOSED': 'Cet accord de financement est clos.',
  'FUNDING.CLOSED_BEFORE_COMMITMENT': 'Un accord ne peut pas être clos avant son engagement.',
  'FUNDING.CLOSED_BEFORE_LAST_FACT': 'Un accord ne peut pas être clos avant son dernier versement, sa dernière réception ou annulation.',
  'FUNDING.COMMITMENT_NOT_CLAIMED': 'Cet engagement n’a pas été rattaché à son antenne à cette date : recommencez l’engagement.',
  'FUNDING.DUPLICATE_TRANCHE': 'Deux tranches portent le même identifiant.',
  'FUNDING.EMPTY_SCHEDULE': 'Un engagement compte au moins une tranche.',
  'FUNDING.NOT_FOUND': 'Cet accord de financement n’a pas été engagé.',
  'FUNDING.RELEASE_EXCEEDS_COMMITMENT': 'Ce versement porterait le total versé au-delà du montant engagé.',
  'FUNDING.SCHEDULE_MISMATCH': 'La somme des tranches doit être égale au montant engagé.',
  'FUNDING.TRANCHE_DUE_BEFORE_COMMITMENT': 'Une tranche ne peut pas être due avant l’engagement de l’accord.',
  'LEARNERS.CORRECTED_BEFORE_REPORT': 'Une correction du nombre d’apprenants ne peut pas être datée avant la déclaration qu’elle corrige.',
  'LEARNERS.CORRECTION_NEEDS_REASON': 'Corriger le nombre d’apprenants d’un mois déjà déclaré demande un motif.',
  'LEARNERS.INVALID_COUNT': 'Le nombre d’apprenants est un nombre entier, zéro ou plus.',
  'LEARNERS.PERIOD_BEFORE_OPENING': 'Le mois déclaré précède l’ouverture de l’antenne.',
  'LEARNERS.PERIOD_IN_FUTURE': 'Le mois déclaré est postérieur à la date de la déclaration.',
  'MILESTONE.ALREADY_REACHED': 'Ce jalon est déjà enregistré, avec d’autres informations.',
  'MILESTONE.BEFORE_PHASE_PLANNING': 'Un jalon ne peut pas être atteint avant la planification de sa phase.',
  'MILESTONE.BEFORE_PHASE_START': 'Un jalon ne peut pas être atteint avant le démarrage de sa phase.',
  'MONEY.AMOUNT_TOO_LARGE': 'Le montant dépasse le maximum admis (100 000 000,00 €).',
  'MONEY.NOT_POSITIVE_CENTS': 'Le montant doit être strictement positif.',
  'MONEY.OVERFLOW': 'Le total des montants est trop grand.',
  'PHASE.ALREADY_COMPLETED': 'Cette phase est déjà terminée.',
  'PHASE.ALREADY_PLANNED': 'Une phase portant cet identifiant est déjà planifiée, avec d’autres informations.',
  'PHASE.ALREADY_STARTED': 'Cette phase a déjà démarré.',
  'PHASE.COMPLETED_BEFORE_MILESTONE': 'Une phase ne peut pas se terminer avant un jalon atteint pendant son cours.',
  'PHASE.COMPLETED_BEFORE_PLAN': 'Une phase ne peut pas se terminer avant sa planification ni avant sa dernière replanification.',
  'PHASE.COMPLETED_BEFORE_START': 'Une phase ne peut pas se terminer avant d’avoir démarré.',
  'PHASE.INVALID_PERIOD': 'La fin prévue précède le début prévu.',
  'PHASE.NOT_FOUND': 'Cette phase n’a pas été planifiée.',
  'PHASE.NOT_STARTED': 'Cette phase n’a pas encore démarré.',
  'PHASE.RESCHEDULED_BEFORE_PLAN': 'Une phase ne peut pas être replanifiée avant le plan qu’elle remplace.',
  'PHASE.STARTED_BEFORE_OPENING': 'Une phase ne peut pas démarrer avant l’ouverture de l’antenne.',
  'PHASE.STARTED_BEFORE_PLANNING': 'Une phase ne peut pas démarrer avant d’avoir été planifiée.',
  'PHASE.STARTED_BEFORE_START_MOVED': 'Une phase ne peut pas démarrer avant la replanification qui a déplacé son début prévu.',
  'PROGRAMME.ALREADY_LAUNCHED': 'Ce programme est déjà lancé, avec d’autres informations.',
  'PROGRAMME.ANOTHER_LAUNCHED': 'Un autre programme est déjà lancé sur cette installation de Jalon : une installation suit un seul programme.',
  'PROGRAMME.DATE_BEFORE_LAUNCH': 'La date d’effet précède le lancement du programme.',
  'PROGRAMME.INVALID_TARGET': 'L’objectif est un nombre entier positif d’antennes.',
  'PROGRAMME.LAUNCH_NOT_CLAIMED': 'Le lancement de ce programme n’a pas été engagé sur le registre de l’installation : recommencez le lancement.',
  'PROGRAMME.NOT_FOUND': 'Ce programme n’a pas été lancé.',
  'PROGRAMME.REVISED_BEFORE_LAST_REVISION': 'Les objectifs ne peuvent pas être révisés à une date antérieure à leur dernière révision.',
  'PROGRAMME.TARGET_DATE_BEFORE_LAUNCH': 'L’échéance des objectifs précède le lancement du programme.',
  'TRANCHE.ALREADY_RECEIVED': 'La réception de cette tranche est déjà enregistrée.',
  'TRANCHE.ALREADY_RELEASED': 'Cette tranche a déjà été versée.',
  'TRANCHE.BANK_REFERENCE_REQUIRED': 'La référence bancaire est obligatoire.',
  'TRANCHE.NOT_FOUND': 'Cette tranche ne fait pas partie de l’accord.',
  'TRANCHE.NOT_RELEASED': 'Cette tranche n’a pas été versée.',
  'TRANCHE.RECEIVED_BEFORE_RELEASE': 'Une tranche ne peut pas être reçue avant son versement.',
  'TRANCHE.RELEASED_BEFORE_COMMITMENT': 'Une tranche ne peut pas être versée avant l’engagement de l’accord.',
  'TRANCHE.RELEASED_BEFORE_REVERSAL': 'Une tranche ne peut pas être versée de nouveau avant l’annulation du versement précédent.',
  'TRANCHE.RELEASE_ALREADY_REVERSED': 'Le versement de cette tranche a déjà été annulé, pour un autre motif ou à une autre date.',
  'TRANCHE.REVERSAL_REASON_REQUIRED': 'L’annulation d’un versement demande un motif.',
  'TRANCHE.REVERSED_BEFORE_RELEASE': 'Un versement ne peut pas être annulé avant d’avoir eu lieu.',
  'USER.ALREADY_EXISTS': 'Un utilisateur porte déjà ce nom.',
  'USER.LAST_ADMIN': 'Le dernier administrateur actif ne peut être ni désactivé, ni privé de son rôle, ni privé de jeton : créez ou activez d’abord un autre administrateur.',
  'USER.NOT_FOUND': 'Aucun utilisateur ne porte cet identifiant.',
  'USER.TOKEN_ALREADY_USED': 'Ce jeton a déjà été attribué : il ne peut pas servir une seconde fois.',

  'INPUT.INVALID': 'La requête est invalide : chaque champ en cause est nommé avec la règle qu’il enfreint.',
  'INPUT.MALFORMED': 'Le corps de la requête n’a pas pu être lu : JSON ou formulaire mal formé ou incomplet.',
  'INPUT.TOO_LARGE': 'Le corps de la requête est trop volumineux.',
  'INPUT.UNSUPPORTED_MEDIA_TYPE': 'Ce corps de requête n’est pas accepté à cette adresse (type de contenu, jeu de caractères ou compression) : le détail dit quoi envoyer.',
  'AUTH.UNAUTHENTICATED': 'Un jeton d’accès valide est requis (en-tête Authorization: Bearer <jeton>).',
  'AUTH.FORBIDDEN': 'Votre rôle ne permet pas cette action.',
  'AUTH.TOO_MANY_ATTEMPTS': 'Trop d’authentifications ont échoué depuis cette adresse : patientez avant de réessayer.',
  'AUTH.CSRF': 'Ce formulaire a expiré ou ne provient pas de Jalon : rechargez la page et recommencez.',
  'IDEMPOTENCY.KEY_REUSED': 'Cette clé d’idempotence a déjà servi pour une autre requête.',
  'COMMAND.UNKNOWN': 'Cette commande n’existe pas.',
  'STREAM.NOT_FOUND': 'Ce flux n’existe pas : aucun événement n’y a été enregistré.',
  'STREAM.WRONG_EXPECTED_REVISION': 'Le flux a changé entre-temps : rechargez et recommencez.',
  'STREAM.DUPLICATE_EVENT_ID': 'Un événement portant cet identifiant est déjà enregistré.',
  'READ_MODEL.BEHIND': 'Les lectures n’ont pas encore atteint votre écriture : réessayez dans un instant.',
  'READ_MODEL.UNAVAILABLE': 'Les rapports sont momentanément indisponibles : réessayez dans un instant.',
  'READ_MODEL.LEASE_LOST': 'Cette instance ne tient plus le bail des projections : une autre instance les tient à jour, rien n’a été écrit.',
  'STORE.UNAVAILABLE': 'Le magasin d’événements est momentanément indisponible : réessayez avec la même clé d’idempotence.',
  'STORE.OUTCOME_UNKNOWN': 'L’écriture a échoué et a peut-être eu lieu : réessayez avec la même clé d’idempotence pour le savoir.',
  'EVENT_STORE.UNREADABLE_EVENT': 'Un événement enregistré est illisible : le magasin doit être vérifié.',
  'EVENT_STORE.UNSUPPORTED_SERVER': 'La version du serveur EventStoreDB est trop ancienne pour Jalon (22.6 au moins).',
  'EVENT_STORE.INVALID_POSITION': 'Cette position ne correspond à aucun événement du magasin.',
  'STREAM.APPEND_TOO_LARGE': 'Ces événements dépassent la taille d’écriture maximale du serveur : rien n’a été écrit.',
  'REPORT.SUBJECT_NOT_FOUND': 'Le rapport porte sur un élément inconnu.',
  'REPORT.PARAMETER_REQUIRED': 'Il manque un paramètre au rapport.',
  'REPORT.PARAMETER_INVALID': 'Un paramètre du rapport ne peut pas être utilisé.',
  'SUBVENTIONS.MISSING_FIELD': 'Un accord de financement n’a pas toutes les données obligatoires des conventions de subvention : complétez-les avant l’export.',
  'IMPORT.UNREADABLE_FILE': 'Le fichier n’a pas pu être lu comme un tableur de ce type : chaque problème est nommé (format, colonnes).',
  'IMPORT.INVALID_ROWS': 'Des lignes du tableur sont invalides : chacune est nommée avec sa colonne et la règle enfreinte ; rien n’a été enregistré.',
  'EVENT.CANNOT_UPCAST': 'Un événement enregistré n’a pas pu être relu dans sa version actuelle.',
  'DOCUMENT.TOO_LARGE': 'Le justificatif dépasse la taille maximale acceptée.',
  'DOCUMENT.EMPTY': 'Le justificatif est vide : joignez un fichier qui a un contenu.',
  'DOCUMENT.UNSUPPORTED_TYPE': 'Ce type de fichier n’est pas accepté comme justificatif : PDF, PNG, JPEG, XLSX, ODS, CSV ou texte (reconnu d’après son contenu).',
  'DOCUMENT.NAME_MISMATCH': 'L’extension du nom du fichier ne correspond pas à son contenu.',
  'DOCUMENT.NOT_FOUND': 'Aucun justificatif enregistré ne porte cette empreinte.',
  'DOCUMENT.ALTERED': 'Le fichier de ce justificatif a été modifié ou abîmé depuis qu’il a été joint : il n’est pas servi (restaurez-le depuis une sauvegarde).',
  'DOCUMENT.STORE_UNAVAILABLE': 'Le dossier des justificatifs ne peut pas être écrit ou lu pour l’instant (disque plein, lecture seule…) : rien n’a été enregistré, réessayez plus tard.',
  'INTEGRITY.LOG_NOT_VERIFIED': 'Le journal ne se vérifie pas : aucun sceau, aucune preuve ni aucun export vérifiable n’est produit sur un journal altéré.',
  'INTEGRITY.LOG_CHANGED': 'Le journal ne redonne plus la racine d’un de ses sceaux : il a été modifié.',
  'INTEGRITY.NO_SEAL': 'Le journal n’a pas encore de sceau sous lequel prouver quoi que ce soit.',
  'INTEGRITY.SEAL_NOT_FOUND': 'Le sceau demandé n’est pas dans le journal, ou n’est pas un sceau valide.',
  'INTEGRITY.SUBJECT_NOT_FOUND': 'Aucune antenne n’a été ouverte sous cet identifiant : il n’y a pas de piste d’audit à exporter.',
  'INTEGRITY.SEAL_KEY_UNREADABLE': 'La clé qui signe les sceaux du journal ne peut être ni lue ni créée : rien n’est scellé.',
  'ROUTE.INVALID': 'L’adresse de la requête est mal formée ou trop longue.',
  'ROUTE.NOT_FOUND': 'Aucune ressource ne répond à cette adresse.',
  'METHOD.NOT_ALLOWED': 'Cette méthode n’est pas acceptée à cette adresse.',
  'INTERNAL': 'Erreur interne du serveur ; elle a été consignée.',
};

/** Whether `code` is one of Jalon's error codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_MESSAGES, code);
}

/**
 * The French wording of `code`; with the error's `details`, that of this occurrence where one is
 * declared below (naming what the code's wording cannot). A code Jalon does not know gets a general sentence.
 */
export function errorMessageOf(code: string, details?: Readonly<Record<string, unknown>>): string {
  const occurrence = details !== undefined && isErrorCode(code) ? OCCURRENCE_MESSAGES[code]?.(details) : undefined;
  return occurrence ?? (isErrorCode(code) ? ERROR_MESSAGES[code] : 'La saisie contredit ce qui est déjà enregistré ou une règle du programme.');
}

/**
 * The wording of one occurrence, for the few codes whose `details` name what the reader must know
 * (the programme an installation already follows): given by {@link errorMessageOf} with the
 * error's details, where the code's own wording would leave it unnamed. The code's wording stays
 * the problem's `title`; details it cannot read give the code's wording.
 */
const OCCURRENCE_MESSAGES: Readonly<Partial<Record<ErrorCode, (details: Readonly<Record<string, unknown>>) => string | undefined>>> = {
  // A closing dated before a fact of one of the antenna's funding agreements (docs/decisions/0060): which one, and when.
  'ANTENNA.CLOSED_BEFORE_LAST_FACT': ({ latestFactOn, fact, trancheId, agreementId }) =>
    typeof latestFactOn === 'string' && typeof fact === 'string' && Object.hasOwn(FUNDING_FACT_WORDING, fact) && typeof trancheId === 'string' && typeof agreementId === 'string'
      ? `Une antenne ne peut pas fermer avant ${FUNDING_FACT_WORDING[fact as keyof typeof FUNDING_FACT_WORDING]} de la tranche « ${trancheId} » de sa convention de financement « ${agreementId} », le ${formatDate(latestFactOn)}.`
      : typeof latestFactOn === 'string'
        ? `Une antenne ne peut pas fermer avant le dernier fait enregistré sur elle, sur son budget ou sur ses conventions de financement, le ${formatDate(latestFactOn)}.`
        : undefined,
  'ANTENNA.FUNDING_ALREADY_ATTACHED': ({ attachedOn }) =>
    typeof attachedOn === 'string'
      ? `Un accord portant cet identifiant a déjà été rattaché à cette antenne pour un engagement au ${formatDate(attachedOn)} : renvoyez l’engagement à cette date, ou sous un autre identifiant.`
      : undefined,
  'CALL.CLOSED_BEFORE_LAST_CANDIDACY': ({ latestCandidacyOn }) =>
    typeof latestCandidacyOn === 'string'
      ? `Un appel ne peut pas être clos avant la dernière candidature qu’il a reçue, déposée le ${formatDate(latestCandidacyOn)}.`
      : undefined,
  // With its launch date when the reader knows it (the dashboard, which no longer offers the launch once one is recorded).
  'PROGRAMME.ANOTHER_LAUNCHED': ({ programmeId, name, launchedOn }) =>
    typeof programmeId === 'string' && typeof name === 'string'
      ? `Cette installation de Jalon suit déjà le programme « ${name} » (${programmeId})${typeof launchedOn === 'string' ? `, lancé le ${formatDate(launchedOn)}` : ''} : une installation suit un seul programme, un autre ne peut pas y être lancé.`
      : undefined,
};
