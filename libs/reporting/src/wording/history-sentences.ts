import type { DocumentSubject } from '@jalon/domain';
import { formatDate, formatEuros, formatInteger, formatYearMonth } from '../format/french';
import { budgetCategoryWord, lowerFirst, trainingModeWord, trancheName } from './labels';
import type { AuditedEvent } from './history-events';

/**
 * The audit trail's sentences, rendered when the trail is read (page, CSV, XLSX, table, JSON),
 * from the facts the history projection stores: a wording change needs no rebuild. Sentences name
 * things by their names (phase titles, tranche labels, funders, descriptions), looked up in the
 * projection's name index through {@link HistoryNames}, and show dates as `22/06/2022` and amounts
 * as `786 000,00 €` through the formats module: never an internal id, never an ISO date. A thing
 * whose name is unknown is left unnamed (« Phase commencée ») rather than shown by its id.
 */

/** What a sentence may need to name, beyond the event's own data. Undefined when unknown. */
export interface HistoryNames {
  programme(programmeId: string): string | undefined;
  /** A call's title. */
  call(callId: string): string | undefined;
  /** The name of the territory that submitted the candidacy. */
  candidacy(candidacyId: string): string | undefined;
  antenna(antennaId: string): string | undefined;
  phase(antennaId: string, phaseId: string): string | undefined;
  agreement(agreementId: string): HistoryAgreementName | undefined;
  tranche(agreementId: string, trancheId: string): HistoryTrancheName | undefined;
  /** An expenditure's description. */
  expenditure(antennaId: string, expenditureId: string): string | undefined;
}

export interface HistoryAgreementName {
  readonly funder: string;
  readonly label: string;
}

export interface HistoryTrancheName {
  readonly label?: string;
  /** 1-based rank in the agreement's schedule. */
  readonly rank: number;
}

/** Names nobody knows: every sentence then leaves things unnamed. */
export const NO_HISTORY_NAMES: HistoryNames = {
  programme: () => undefined,
  call: () => undefined,
  candidacy: () => undefined,
  antenna: () => undefined,
  phase: () => undefined,
  agreement: () => undefined,
  tranche: () => undefined,
  expenditure: () => undefined,
};

/** ` « name »`, or nothing when the name is unknown. */
function quoted(name: string | undefined): string {
  return name ? ` « ${name} »` : '';
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatInteger(n)} ${n > 1 ? plural : singular}`;
}

function of(candidacyName: string | undefined): string {
  return candidacyName ? ` de ${candidacyName}` : '';
}

function agreementPhrase(names: HistoryNames, agreementId: string): string {
  const agreement = names.agreement(agreementId);
  return agreement ? ` « ${agreement.label} » (${agreement.funder})` : '';
}

function tranchePhrase(names: HistoryNames, agreementId: string, trancheId: string, unknown: UnknownNames = 'unnamed'): string {
  const tranche = names.tranche(agreementId, trancheId);
  if (tranche === undefined) return unknown === 'by-id' ? `Tranche ${trancheId}` : 'Tranche';
  const name = trancheName({ trancheId, ...tranche }, tranche.rank);
  return tranche.label ? `Tranche « ${name} »` : name;
}

function funderPhrase(names: HistoryNames, agreementId: string, preposition: 'de' | 'par' = 'de'): string {
  const agreement = names.agreement(agreementId);
  return agreement ? ` ${preposition} ${agreement.funder}` : '';
}

function yearSpan(lines: readonly { readonly year: number }[]): string {
  if (lines.length === 0) return '';
  const years = lines.map((line) => line.year);
  const first = Math.min(...years);
  const last = Math.max(...years);
  return first === last ? `, ${first}` : `, ${first}–${last}`;
}

function targets(t: { readonly antennaCount: number; readonly targetDate: string }): string {
  return `${count(t.antennaCount, 'antenne')} d’ici le ${formatDate(t.targetDate)}`;
}

/** 250 880 → « 245 Ko » (1 Ko = 1 024 octets), 1,5 Mo beyond 1 024 Ko, 1,5 Go beyond 1 024 Mo. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return count(bytes, 'octet');
  if (bytes < 1024 * 1024) return `${formatInteger(Math.round(bytes / 1024))} Ko`;
  const [unit, size] = bytes < 1024 ** 3 ? ['Mo', 1024 ** 2] : ['Go', 1024 ** 3];
  const tenths = Math.round((bytes * 10) / size);
  return `${formatInteger(Math.floor(tenths / 10))},${tenths % 10} ${unit}`;
}

/**
 * What a thing the names do not know becomes in a document's subject: left unnamed, as the audit
 * trail's sentences leave it (« à la dépense »), or shown by its id where a line must still say
 * which fact it is (the documents page: an old document whose subject was renamed, a name not yet read).
 */
export type UnknownNames = 'unnamed' | 'by-id';

/**
 * The fact a supporting document proves, as every output names it (the audit trail, the documents
 * page): « Dépense « Mobilier » », « Versement de la tranche n° 2 du financement « Amorçage »
 * (Banque des Territoires) », « Révision n° 1 du budget prévisionnel ». Never throws: what the names
 * do not know is left unnamed or shown by its id ({@link UnknownNames}).
 */
export function documentSubjectName(antennaId: string, subject: DocumentSubject, names: HistoryNames, unknown: UnknownNames = 'unnamed'): string {
  const byId = (id: string): string => (unknown === 'by-id' ? ` ${id}` : '');
  const agreement = (agreementId: string): string => agreementPhrase(names, agreementId) || byId(agreementId);
  switch (subject.kind) {
    case 'funding-agreement':
      return `Financement${agreement(subject.agreementId)}`;
    case 'tranche-release':
    case 'tranche-receipt': {
      const tranche = lowerFirst(tranchePhrase(names, subject.agreementId, subject.trancheId, unknown));
      const of = agreement(subject.agreementId);
      return `${subject.kind === 'tranche-release' ? 'Versement' : 'Réception'} de la ${tranche}${of ? ` du financement${of}` : ''}`;
    }
    case 'expenditure':
      return `Dépense${quoted(names.expenditure(antennaId, subject.expenditureId)) || byId(subject.expenditureId)}`;
    case 'budget-revision':
      return `Révision n° ${subject.revision} du budget prévisionnel`;
    default: {
      const unhandled: never = subject;
      return String((unhandled as { kind: string }).kind);
    }
  }
}

/** « au » or « à la », before {@link documentSubjectName}: « jointe à la dépense « Mobilier » ». */
const ATTACHED_TO: Readonly<Record<DocumentSubject['kind'], string>> = {
  'funding-agreement': 'au',
  'tranche-release': 'au',
  'tranche-receipt': 'à la',
  expenditure: 'à la',
  'budget-revision': 'à la',
};

function documentSubjectPhrase(antennaId: string, subject: DocumentSubject, names: HistoryNames): string {
  const to = ATTACHED_TO[subject.kind];
  const name = documentSubjectName(antennaId, subject, names);
  return to === undefined ? name : `${to} ${lowerFirst(name)}`;
}

/** What an event recorded, in one French sentence. */
export function historySentence(event: AuditedEvent, names: HistoryNames): string {
  switch (event.type) {
    case 'ProgrammeLaunched': {
      const d = event.data;
      return `Programme « ${d.name} » lancé par ${d.operator} : ${targets(d.targets)}`;
    }
    case 'ProgrammeTargetsRevised': {
      const d = event.data;
      return `Objectifs du programme${quoted(names.programme(d.programmeId))} révisés : ${targets(d.previousTargets)} → ${targets(d.targets)}`;
    }
    case 'ConventionSigned': {
      const d = event.data;
      return `Convention signée : « ${d.title} », pour ${count(d.durationMonths, 'mois', 'mois')} (${count(d.partners.length, 'partenaire')})`;
    }
    case 'CallForApplicationsOpened': {
      const d = event.data;
      return `Appel ouvert du ${formatDate(d.opensOn)} au ${formatDate(d.closesOn)} (${count(d.criteria.length, 'critère')} de sélection) : ${d.title}`;
    }
    case 'CallForApplicationsClosed': {
      // A call's title often holds guillemets of its own: it comes last, after a colon.
      const call = names.call(event.data.callId);
      return call ? `Appel clos : ${call}` : 'Appel clos';
    }
    case 'CallCandidacyRegistered': {
      // A call's title often holds guillemets of its own: it comes last, after a colon.
      const call = names.call(event.data.callId);
      const received = `Candidature de ${event.data.territoryName} inscrite à l’appel (dépôt engagé)`;
      return call ? `${received} : ${call}` : received;
    }
    case 'CandidacySubmitted': {
      const d = event.data;
      const budget = d.projectedBudgetCents !== undefined ? `, budget prévisionnel ${formatEuros(d.projectedBudgetCents)}` : '';
      const call = names.call(d.callId);
      return `Candidature de ${d.territory.name} déposée (${count(d.partners.length, 'partenaire')}${budget})${call ? ` à l’appel : ${call}` : ''}`;
    }
    case 'CandidacyPartnerAdded':
      return `Partenaire ajouté à la candidature${of(names.candidacy(event.data.candidacyId))} : ${event.data.partner.name}`;
    case 'CandidacySelected': {
      const d = event.data;
      const selected = `Candidature${of(names.candidacy(d.candidacyId))} retenue (lauréate)`;
      return d.criteria.length > 0 ? `${selected} : ${d.criteria.join(' ; ')}` : selected;
    }
    case 'CandidacyRejected':
      return `Candidature${of(names.candidacy(event.data.candidacyId))} rejetée`;
    case 'CandidacyWithdrawn':
      return `Candidature${of(names.candidacy(event.data.candidacyId))} retirée`;
    case 'CandidacyAntennaAssigned':
      return `Antenne${quoted(names.antenna(event.data.antennaId))} attribuée à la candidature${of(names.candidacy(event.data.candidacyId))} (ouverture engagée)`;
    case 'AntennaOpened': {
      const d = event.data;
      return `Antenne « ${d.name} » ouverte à ${d.town} (candidature de ${d.territory.name})`;
    }
    case 'PhasePlanned': {
      const d = event.data;
      return `Phase « ${d.name} » prévue du ${formatDate(d.plannedStart)} au ${formatDate(d.plannedEnd)}${d.site ? ` (site : ${d.site})` : ''}`;
    }
    case 'PhaseStarted':
      return `Phase${quoted(names.phase(event.data.antennaId, event.data.phaseId))} commencée`;
    case 'MilestoneReached': {
      const d = event.data;
      const phase = names.phase(d.antennaId, d.phaseId);
      return `Jalon « ${d.name} » atteint${phase ? ` (phase « ${phase} »)` : ''}`;
    }
    case 'PhaseRescheduled': {
      const d = event.data;
      const moves = [
        ...(d.previousPlannedStart !== d.plannedStart ? [`début ${formatDate(d.previousPlannedStart)} → ${formatDate(d.plannedStart)}`] : []),
        ...(d.previousPlannedEnd !== d.plannedEnd ? [`fin ${formatDate(d.previousPlannedEnd)} → ${formatDate(d.plannedEnd)}`] : []),
      ];
      return `Phase${quoted(names.phase(d.antennaId, d.phaseId))} replanifiée : ${moves.length > 0 ? moves.join(', ') : 'dates inchangées'}`;
    }
    case 'PhaseCompleted':
      return `Phase${quoted(names.phase(event.data.antennaId, event.data.phaseId))} terminée`;
    case 'AntennaInaugurated':
      return `Antenne${quoted(names.antenna(event.data.antennaId))} inaugurée : ${event.data.place}`;
    case 'TrainingCourseOpened': {
      const d = event.data;
      return `Formation ouverte : ${d.title} (${d.sector}, ${d.level}, ${trainingModeWord(d.mode)})`;
    }
    case 'LearnersReported': {
      const d = event.data;
      return d.previousLearners === undefined
        ? `Apprenants déclarés pour ${formatYearMonth(d.period)} : ${formatInteger(d.learners)}`
        : `Apprenants déclarés pour ${formatYearMonth(d.period)} corrigés : ${formatInteger(d.previousLearners)} → ${formatInteger(d.learners)}`;
    }
    case 'AntennaSuspended':
      return `Antenne${quoted(names.antenna(event.data.antennaId))} suspendue`;
    case 'AntennaResumed':
      return `Antenne${quoted(names.antenna(event.data.antennaId))} de nouveau active`;
    case 'AntennaClosed':
      return `Antenne${quoted(names.antenna(event.data.antennaId))} fermée`;
    case 'FundingAgreementAttached':
      return `Convention de financement${agreementPhrase(names, event.data.agreementId)} rattachée à l’antenne${quoted(names.antenna(event.data.antennaId))} (engagement du financement)`;
    case 'BudgetForecastSet': {
      const d = event.data;
      return `Budget prévisionnel établi : ${formatEuros(d.totalCents)} (${count(d.lines.length, 'ligne')}${yearSpan(d.lines)})`;
    }
    case 'BudgetForecastRevised': {
      const d = event.data;
      return `Budget prévisionnel révisé (révision n° ${d.revision}) : ${formatEuros(d.previousTotalCents)} → ${formatEuros(d.totalCents)}`;
    }
    case 'ExpenditureRecorded': {
      const d = event.data;
      const agreement = d.fundingAgreementId ? `, sur le financement${agreementPhrase(names, d.fundingAgreementId)}` : '';
      const supplier = d.supplier ? `, fournisseur ${d.supplier}` : '';
      const invoice = d.invoiceNumber ? `, facture n° ${d.invoiceNumber}` : '';
      return `Dépense « ${d.description} » enregistrée : ${formatEuros(d.amountCents)} (${budgetCategoryWord(d.category)}${agreement}${supplier}${invoice})`;
    }
    case 'ExpenditureReversed': {
      const d = event.data;
      return `Dépense${quoted(names.expenditure(d.antennaId, d.expenditureId))} du ${formatDate(d.expenditureDate)} annulée : ${formatEuros(d.amountCents)}`;
    }
    case 'FundingCommitted': {
      const d = event.data;
      return `Financement « ${d.label} » engagé par ${d.funder} : ${formatEuros(d.amountCents)} en ${count(d.tranches.length, 'tranche')}`;
    }
    case 'FundingPublicDataRecorded': {
      const d = event.data;
      return `Données publiques du financement${agreementPhrase(names, d.agreementId)} enregistrées (décision ${d.publicData.decisionReference})`;
    }
    case 'BudgetTrancheReleased': {
      const d = event.data;
      return `${tranchePhrase(names, d.agreementId, d.trancheId)} versée${funderPhrase(names, d.agreementId, 'par')} : ${formatEuros(d.amountCents)}`;
    }
    case 'TrancheReceived': {
      const d = event.data;
      return `${tranchePhrase(names, d.agreementId, d.trancheId)} reçue${funderPhrase(names, d.agreementId)} : ${formatEuros(d.amountCents)} (référence bancaire ${d.bankReference})`;
    }
    case 'TrancheReleaseReversed': {
      const d = event.data;
      const tranche = tranchePhrase(names, d.agreementId, d.trancheId);
      return `Versement du ${formatDate(d.releasedOn)} annulé : ${lowerFirst(tranche)}${funderPhrase(names, d.agreementId)}, ${formatEuros(d.amountCents)}`;
    }
    case 'FundingAgreementClosed':
      return `Financement${agreementPhrase(names, event.data.agreementId)} clos`;
    case 'DocumentAttached': {
      const d = event.data;
      return `Pièce justificative « ${d.fileName} » (${formatFileSize(d.sizeBytes)}) jointe ${documentSubjectPhrase(d.antennaId, d.subject, names)}`;
    }
    default: {
      // A new event type without a sentence fails to compile here.
      const unhandled: never = event;
      return (unhandled as { type: string }).type;
    }
  }
}
