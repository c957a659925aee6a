import { daysBetween, type Cents, type IsoDate } from '@jalon/domain';
import type { Column, Report, ReportParameters, ReportTable, Row } from '@jalon/reporting';
import * as LABELS from '@jalon/reporting';
import { formatDays, trancheName, trancheNameIn } from '@jalon/reporting';
import { fundingDocsOf } from './funding-docs';
import { formatDate, formatEuros, ReadModels } from '../budget/report-helpers';
import { AntennaFundingDoc, FundingAgreementDoc, TrancheDoc, TrancheState } from './funding.projection';
import { FrenchOrder, joined, joinedAgain, KeptForDocuments, PartsByDocument } from '../report-parts';
import { antennaClosings } from '../phases/antenna-closing';

export interface FundingReportParameters extends ReportParameters {
  /** Days a released tranche may take to arrive before it is flagged (default 30). */
  readonly receiptDelayDays?: number;
}

export const DEFAULT_RECEIPT_DELAY_DAYS = 30;

export type FundingDiscrepancyKind =
  /** A release was reversed (one flag per reversal, with its reason). */
  | 'release-reversed'
  /** The standing release of a tranche is dated after the tranche's due date (by `days`). */
  | 'release-late'
  /** The tranche's due date has passed at the reference date and it is not released (never, or its release reversed); not judged once the agreement is closed. */
  | 'release-overdue'
  /** The standing release of a tranche is above the tranche's scheduled amount (the domain allows it within the commitment). */
  | 'release-above-tranche'
  /** The amount received differs from the amount released. */
  | 'amount-mismatch'
  /** Released, and still not received more than `receiptDelayDays` after release, at the reference date. */
  | 'receipt-overdue'
  /** More was spent against the agreement than was received from it. */
  | 'overspent'
  /**
   * The agreement is open but its antenna is closed (at the report's cut): nothing can be released
   * on it any more, its unreleased tranches are blocked. One flag per agreement with a tranche
   * blocked, dated on the antenna's closing, for the amount blocked.
   */
  | 'antenna-closed-agreement-open';

export interface FundingDiscrepancy {
  readonly kind: FundingDiscrepancyKind;
  readonly antennaId: string;
  readonly agreementId: string;
  /** Null for a flag on the agreement as a whole (overspent). */
  readonly trancheId: string | null;
  /** French label of the discrepancy (column « Écart »). */
  readonly label: string;
  /** French explanation (column « Détail »). */
  readonly detail: string;
  /**
   * The money at stake, in cents: the reversed amount; released − scheduled; received − released;
   * the amount awaited; spent − received; the release (late); the scheduled amount (overdue); the
   * amount blocked (antenna closed, agreement open).
   */
  readonly amountCents: Cents;
  /** The date the flag is about: reversal, receipt, release; the due date (overdue); the antenna's closing (antenna closed, agreement open); null for overspent. */
  readonly date: IsoDate | null;
  /**
   * receipt-overdue: days from the release to the reference date; release-late: days from the due
   * date to the release; release-overdue: days from the due date to the reference date.
   */
  readonly days: number | null;
  /** release-reversed: the reason given. */
  readonly reason: string | null;
}

/**
 * A tranche's state in the report: the document's, or, for a tranche not released (never, or its
 * release reversed), `not-released-closed` when its agreement is closed, `blocked` when its
 * agreement is open but its antenna closed (as the échéancier says it, decision 0066): neither will
 * ever be paid, so neither is « Prévue » nor overdue.
 */
export type FundingReportTrancheState = TrancheState | 'not-released-closed' | 'blocked';

export interface FundingReportTranche extends Omit<TrancheDoc, 'state'> {
  readonly state: FundingReportTrancheState;
}

export interface FundingReportAgreement extends Omit<FundingAgreementDoc, 'tranches' | 'remainingCommitmentCents'> {
  readonly antennaName: string | null;
  /** In schedule order, with the report's states. */
  readonly tranches: readonly FundingReportTranche[];
  /** « Reste à verser »: committed − released (net of reversals) while the agreement is open and its antenna too; 0 once either is closed. */
  readonly remainingCommitmentCents: Cents;
  /** « Bloqué (antenne fermée) »: committed − released (net of reversals) of an open agreement whose antenna is closed; 0 otherwise. */
  readonly blockedCents: Cents;
  /** The antenna's closing date when it is closed at the report's cut; null otherwise. */
  readonly antennaClosedOn: IsoDate | null;
  /** « Non versé à la clôture »: committed − released (net of reversals) of a closed agreement; 0 while it is open. */
  readonly notReleasedAtClosingCents: Cents;
  /**
   * « Reste à encaisser »: committed − received while the agreement is open; once it is closed,
   * released (net) − received (what was released is still expected on the account).
   */
  readonly toCollectCents: Cents;
  /** « Solde »: received − spent (negative when more was spent than received). */
  readonly balanceCents: Cents;
}

export interface FundingReportData {
  readonly scope: 'antenna' | 'programme';
  readonly antenna: { readonly antennaId: string; readonly antennaName: string | null; readonly town: string | null } | null;
  readonly referenceDate: IsoDate;
  readonly receiptDelayDays: number;
  readonly agreements: readonly FundingReportAgreement[];
  readonly totals: {
    readonly committedCents: Cents;
    readonly releasedCents: Cents;
    readonly receivedCents: Cents;
    readonly spentCents: Cents;
    readonly remainingCommitmentCents: Cents;
    readonly notReleasedAtClosingCents: Cents;
    readonly blockedCents: Cents;
    readonly toCollectCents: Cents;
    readonly balanceCents: Cents;
  };
  readonly discrepancies: readonly FundingDiscrepancy[];
}

export const FUNDING_TABLE_TITLES = {
  agreements: 'Accords de financement',
  tranches: 'Échéancier et rapprochement des tranches',
  movements: 'Versements et annulations',
  discrepancies: 'Écarts constatés',
} as const;

// From the one label table; typed here so that a flag or a state without a label fails the type check.
export const DISCREPANCY_LABELS: Readonly<Record<FundingDiscrepancyKind, string>> = LABELS.DISCREPANCY_LABELS;
export const TRANCHE_STATE_LABELS: Readonly<Record<FundingReportTrancheState, string>> = LABELS.TRANCHE_STATE_LABELS;
const FIGURES = LABELS.FUNDING_FIGURE_LABELS;

/** Said when an agreement of the report is closed. */
export const CLOSED_AGREEMENTS_NOTE = `Convention clôturée : ce qu’elle n’avait pas versé à sa clôture ne sera plus versé ; il figure en « ${FIGURES.notReleasedAtClosing} » et non plus en « ${FIGURES.remaining} », et son « ${FIGURES.toCollect} » est le versé moins le reçu.`;

/** Said when an open agreement of the report is on a closed antenna. */
export const BLOCKED_AGREEMENTS_NOTE = `Antenne fermée, convention encore ouverte : plus rien ne peut y être versé ; ce qu’elle n’a pas versé figure en « ${FIGURES.blocked} » et non en « ${FIGURES.remaining} », son « ${FIGURES.toCollect} » est le versé moins le reçu, et ses tranches non versées sont « ${LABELS.TRANCHE_STATE_LABELS.blocked} », comme dans l’échéancier. Clôturez la convention si plus rien n’en est attendu.`;

/**
 * The funding reconciliation: per agreement (all, or the antenna's), the tranche schedule against
 * what was released, received (with the bank reference) and spent, the remaining commitment, and
 * the discrepancies flagged, as a table and in the notes. Overdue receipts are judged at
 * `parameters.referenceDate`. Time travel is the caller's business: it hands in read models
 * replayed up to the cut.
 */
export function buildFundingReport(models: ReadModels, parameters: FundingReportParameters): Report<FundingReportData> {
  const receiptDelayDays = parameters.receiptDelayDays ?? DEFAULT_RECEIPT_DELAY_DAYS;
  if (!Number.isSafeInteger(receiptDelayDays) || receiptDelayDays < 0) {
    throw new RangeError(`Le délai de réception doit être un nombre entier de jours, positif ou nul (reçu : ${receiptDelayDays}).`);
  }
  const docs = fundingDocsOf(models, parameters.antennaId, parameters);
  const scope = parameters.antennaId === undefined ? 'programme' : 'antenna';
  const withAntenna = scope === 'programme';

  // Each antenna's agreements, rows, flags and sums, derived once per committed document (report-parts.ts).
  // The antenna's closing is not in its funding document but in the phases read model: it is part of
  // the variant, so that a part kept from before the closing is never served after it.
  const variant = `${withAntenna}|${parameters.referenceDate}|${receiptDelayDays}`;
  const closingOf = antennaClosings(models, parameters.antennaId);
  // One antenna's report sorts nothing: it would only push out the programme's order kept.
  const parts = (withAntenna ? FUNDING_ORDER.sort(docs) : docs).map((doc) => {
    const closedOn = closingOf(doc.antennaId);
    return FUNDING_PARTS.of(doc, closedOn === null ? variant : `${variant}|fermée ${closedOn}`, (d) => antennaPart(d, withAntenna, parameters.referenceDate, receiptDelayDays, closedOn));
  });
  // The parts end to end, kept while they are the same parts: a query between two writes joins nothing.
  const { agreements, discrepancies, discrepancyNotes, agreementRows, trancheRows, movementRows, discrepancyRows, sums } = FUNDING_WHOLE.of(parts);
  const totals = {
    committedCents: sums.committedCents,
    releasedCents: sums.releasedCents,
    receivedCents: sums.receivedCents,
    spentCents: sums.spentCents,
    remainingCommitmentCents: sums.remainingCommitmentCents,
    notReleasedAtClosingCents: sums.notReleasedAtClosingCents,
    blockedCents: sums.blockedCents,
    toCollectCents: sums.toCollectCents,
    balanceCents: sums.balanceCents,
  };

  const only = scope === 'antenna' ? docs[0]! : null;
  const data: FundingReportData = {
    scope,
    antenna: only ? { antennaId: only.antennaId, antennaName: only.antennaName, town: only.town } : null,
    referenceDate: parameters.referenceDate,
    receiptDelayDays,
    agreements,
    totals,
    discrepancies,
  };

  const notes = [
    `Délai de réception admis : ${formatDays(receiptDelayDays)} après le versement, apprécié au ${formatDate(parameters.referenceDate)} ; échéances des tranches appréciées à la même date.`,
    ...(agreements.length === 0 ? ['Aucun accord de financement.'] : []),
    ...(sums.closedAgreements > 0 ? [CLOSED_AGREEMENTS_NOTE] : []),
    ...(sums.blockedAgreements > 0 ? [BLOCKED_AGREEMENTS_NOTE] : []),
    ...(discrepancies.length === 0 ? ['Aucun écart constaté.'] : discrepancyNotes),
  ];

  return {
    kind: 'funding',
    title: only
      ? `Rapprochement des financements — antenne ${only.antennaName ?? only.antennaId}${only.town ? ` (${only.town})` : ''}`
      : 'Rapprochement des financements — toutes antennes',
    parameters,
    ...(only?.antennaName ? { antennaName: only.antennaName } : {}),
    tables: [
      agreementTable(agreementRows, totals, withAntenna),
      trancheTable(trancheRows, sums, withAntenna),
      movementTable(movementRows, withAntenna),
      discrepancyTable(discrepancyRows, withAntenna),
    ],
    notes,
    data,
  };
}

// ---------------------------------------------------------------------------------------------
// One antenna's part of the report

/** What one antenna's document gives the report: its agreements, flags and notes, table rows and sums. */
interface FundingPart {
  readonly agreements: readonly FundingReportAgreement[];
  readonly discrepancies: readonly FundingDiscrepancy[];
  readonly discrepancyNotes: readonly string[];
  readonly agreementRows: readonly Row[];
  readonly trancheRows: readonly Row[];
  readonly movementRows: readonly Row[];
  readonly discrepancyRows: readonly Row[];
  readonly sums: FundingSums;
}

interface FundingSums {
  readonly committedCents: Cents;
  readonly releasedCents: Cents;
  readonly receivedCents: Cents;
  readonly spentCents: Cents;
  readonly remainingCommitmentCents: Cents;
  readonly notReleasedAtClosingCents: Cents;
  readonly blockedCents: Cents;
  readonly toCollectCents: Cents;
  readonly balanceCents: Cents;
  /** Agreements closed at the report's cut. */
  readonly closedAgreements: number;
  /** Agreements open on an antenna closed at the report's cut. */
  readonly blockedAgreements: number;
  /** Over the tranches: scheduled, currently released, received. */
  readonly trancheScheduledCents: Cents;
  readonly trancheReleasedCents: Cents;
  readonly trancheReceivedCents: Cents;
}

/** Parts kept per committed funding document and parameters; antennas in French order of their names. */
const FUNDING_PARTS = new PartsByDocument<AntennaFundingDoc, FundingPart>(3);
/** The arrays of a part, put end to end over the parts for the whole programme. */
const JOINED_FIELDS = ['agreements', 'discrepancies', 'discrepancyNotes', 'agreementRows', 'trancheRows', 'movementRows', 'discrepancyRows'] as const;
type JoinedField = (typeof JOINED_FIELDS)[number];

/**
 * The last report's parts put end to end, as one part of the whole programme; after a write, from
 * the last one and the parts that changed (the antennas the write touched).
 */
const FUNDING_WHOLE = new KeptForDocuments(
  (parts: readonly FundingPart[]): FundingPart => wholePart(JOINED_FIELDS.map((field) => joined<unknown>(parts.map((part) => part[field]))), sumParts(parts)),
  (kept: FundingPart, before: readonly FundingPart[], parts: readonly FundingPart[], changed: readonly number[]): FundingPart => {
    const sums = { ...kept.sums };
    for (const index of changed) {
      addSums(sums, before[index]!.sums, -1);
      addSums(sums, parts[index]!.sums, 1);
    }
    return wholePart(
      JOINED_FIELDS.map((field) => joinedAgain<FundingPart, unknown>(kept[field], before, parts, changed, (part) => part[field])),
      sums,
    );
  },
);

function wholePart(arrays: readonly (readonly unknown[])[], sums: FundingSums): FundingPart {
  const whole = Object.fromEntries(JOINED_FIELDS.map((field, index) => [field, arrays[index]!])) as Pick<FundingPart, JoinedField>;
  return { ...whole, sums };
}
const FUNDING_ORDER = new FrenchOrder<AntennaFundingDoc>((doc) => doc.antennaName ?? doc.antennaId);

function antennaPart(doc: AntennaFundingDoc, withAntenna: boolean, referenceDate: IsoDate, receiptDelayDays: number, antennaClosedOn: IsoDate | null): FundingPart {
  const agreements: FundingReportAgreement[] = doc.agreements.map((agreement) => reportAgreement(agreement, doc.antennaName, antennaClosedOn));
  const discrepancies = agreements.flatMap((agreement) => discrepanciesOf(agreement, referenceDate, receiptDelayDays));
  // Agreement ids are unique within an antenna: its own agreements name every flag's agreement.
  const byId = new Map(agreements.map((agreement) => [agreementKey(agreement), agreement]));
  const agreementOf = (d: FundingDiscrepancy) => byId.get(agreementKey(d))!;
  const tranches = agreements.flatMap((agreement) => agreement.tranches.map((tranche, index) => ({ agreement, tranche, rank: index + 1 })));
  return {
    agreements,
    discrepancies,
    discrepancyNotes: discrepancies.map((d) => `${noteSubject(d, agreementOf(d), withAntenna)} : ${d.label.toLowerCase()}. ${d.detail}`),
    agreementRows: agreements.map((agreement) => agreementRow(agreement, withAntenna)),
    trancheRows: tranches.map(({ agreement, tranche, rank }) => trancheRow(agreement, tranche, rank, withAntenna)),
    movementRows: agreements.flatMap((agreement) => movementRows(agreement, withAntenna)),
    discrepancyRows: discrepancies.map((d) => discrepancyRow(d, agreementOf(d), withAntenna)),
    sums: {
      committedCents: sum(agreements.map((a) => a.committedCents)),
      releasedCents: sum(agreements.map((a) => a.releasedCents)),
      receivedCents: sum(agreements.map((a) => a.receivedCents)),
      spentCents: sum(agreements.map((a) => a.spentCents)),
      remainingCommitmentCents: sum(agreements.map((a) => a.remainingCommitmentCents)),
      notReleasedAtClosingCents: sum(agreements.map((a) => a.notReleasedAtClosingCents)),
      blockedCents: sum(agreements.map((a) => a.blockedCents)),
      closedAgreements: agreements.filter((a) => a.closed !== null).length,
      blockedAgreements: agreements.filter((a) => a.closed === null && a.antennaClosedOn !== null).length,
      toCollectCents: sum(agreements.map((a) => a.toCollectCents)),
      balanceCents: sum(agreements.map((a) => a.balanceCents)),
      trancheScheduledCents: sum(tranches.map(({ tranche }) => tranche.scheduledCents)),
      trancheReleasedCents: sum(tranches.map(({ tranche }) => tranche.releasedCents ?? 0)),
      trancheReceivedCents: sum(tranches.map(({ tranche }) => tranche.receipt?.amountCents ?? 0)),
    },
  };
}

/**
 * An agreement as the report shows it. Open: « reste à verser » is committed − released (net of
 * reversals) and « reste à encaisser » committed − received. Closed (at the report's cut: the
 * documents are replayed to it): the funder will release nothing more, so what it did not release is
 * « non versé à la clôture », « reste à verser » is 0, « reste à encaisser » is released − received,
 * and its tranches not released are « non versée (convention clôturée) ». The write side refuses any
 * release, receipt or reversal on a closed agreement, and a closing dated before its last one, so its
 * released figure is the one it had when it closed. Open on a closed antenna (decision 0066, amended):
 * nothing can be released on it either, so what it did not release is « bloqué (antenne fermée) »,
 * « reste à verser » is 0 and its tranches not released are « bloquée : antenne fermée », as in
 * the échéancier; its « reste à encaisser » is released − received, as for a closed agreement.
 */
function reportAgreement(agreement: FundingAgreementDoc, antennaName: string | null, antennaClosedOn: IsoDate | null): FundingReportAgreement {
  const balanceCents = agreement.receivedCents - agreement.spentCents;
  if (agreement.closed === null) {
    const open = {
      ...agreement,
      antennaName,
      antennaClosedOn,
      notReleasedAtClosingCents: 0,
      toCollectCents: agreement.committedCents - agreement.receivedCents,
      balanceCents,
    };
    if (antennaClosedOn === null) return { ...open, blockedCents: 0 };
    return {
      ...open,
      tranches: agreement.tranches.map((tranche): FundingReportTranche => (tranche.releasedCents === null ? { ...tranche, state: 'blocked' } : tranche)),
      remainingCommitmentCents: 0,
      blockedCents: agreement.committedCents - agreement.releasedCents,
      // Nothing more can be released, so nothing more can arrive than what was released: as for a closed agreement.
      toCollectCents: agreement.releasedCents - agreement.receivedCents,
    };
  }
  return {
    ...agreement,
    antennaName,
    antennaClosedOn,
    blockedCents: 0,
    tranches: agreement.tranches.map((tranche): FundingReportTranche => (tranche.releasedCents === null ? { ...tranche, state: 'not-released-closed' } : tranche)),
    remainingCommitmentCents: 0,
    notReleasedAtClosingCents: agreement.committedCents - agreement.releasedCents,
    toCollectCents: agreement.releasedCents - agreement.receivedCents,
    balanceCents,
  };
}

/** The antennas' sums added up (integer cents: exact in any order). */
function sumParts(parts: readonly FundingPart[]): FundingSums {
  const total: Mutable<FundingSums> = {
    committedCents: 0,
    releasedCents: 0,
    receivedCents: 0,
    spentCents: 0,
    remainingCommitmentCents: 0,
    notReleasedAtClosingCents: 0,
    blockedCents: 0,
    closedAgreements: 0,
    blockedAgreements: 0,
    toCollectCents: 0,
    balanceCents: 0,
    trancheScheduledCents: 0,
    trancheReleasedCents: 0,
    trancheReceivedCents: 0,
  };
  for (const { sums } of parts) addSums(total, sums, 1);
  return total;
}

/** Adds `sums` (`sign` 1) to `total`, or takes them from it (-1). */
function addSums(total: Mutable<FundingSums>, sums: FundingSums, sign: 1 | -1): void {
  // Field by field: a loop over Object.keys(total) made an array of names per antenna and query.
  total.committedCents += sign * sums.committedCents;
  total.releasedCents += sign * sums.releasedCents;
  total.receivedCents += sign * sums.receivedCents;
  total.spentCents += sign * sums.spentCents;
  total.remainingCommitmentCents += sign * sums.remainingCommitmentCents;
  total.notReleasedAtClosingCents += sign * sums.notReleasedAtClosingCents;
  total.blockedCents += sign * sums.blockedCents;
  total.closedAgreements += sign * sums.closedAgreements;
  total.blockedAgreements += sign * sums.blockedAgreements;
  total.toCollectCents += sign * sums.toCollectCents;
  total.balanceCents += sign * sums.balanceCents;
  total.trancheScheduledCents += sign * sums.trancheScheduledCents;
  total.trancheReleasedCents += sign * sums.trancheReleasedCents;
  total.trancheReceivedCents += sign * sums.trancheReceivedCents;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// ---------------------------------------------------------------------------------------------
// Discrepancies

function discrepanciesOf(agreement: FundingReportAgreement, referenceDate: IsoDate, receiptDelayDays: number): FundingDiscrepancy[] {
  const flags: FundingDiscrepancy[] = [];
  const flag = (
    kind: FundingDiscrepancyKind,
    tranche: FundingReportTranche | null,
    detail: string,
    facts: { amountCents: Cents; date: IsoDate | null; days?: number; reason?: string },
  ) =>
    flags.push({
      kind,
      antennaId: agreement.antennaId,
      agreementId: agreement.agreementId,
      trancheId: tranche?.trancheId ?? null,
      label: DISCREPANCY_LABELS[kind],
      detail,
      amountCents: facts.amountCents,
      date: facts.date,
      days: facts.days ?? null,
      reason: facts.reason ?? null,
    });

  for (const tranche of agreement.tranches) {
    let lastReleaseOn: IsoDate | null = null;
    for (const movement of tranche.movements) {
      if (movement.kind === 'release') {
        lastReleaseOn = movement.effectiveDate;
        continue;
      }
      const releasedOn = lastReleaseOn === null ? '' : ` du ${formatDate(lastReleaseOn)}`;
      flag(
        'release-reversed',
        tranche,
        `Versement de ${formatEuros(movement.amountCents)}${releasedOn} annulé le ${formatDate(movement.effectiveDate)}. Motif : ${movement.reason}`,
        { amountCents: movement.amountCents, date: movement.effectiveDate, reason: movement.reason },
      );
    }
    if (tranche.releasedCents !== null && tranche.releasedOn !== null) {
      const days = daysBetween(tranche.dueOn, tranche.releasedOn);
      if (days > 0) {
        flag(
          'release-late',
          tranche,
          `Échéance le ${formatDate(tranche.dueOn)}, versé le ${formatDate(tranche.releasedOn)} (${formatEuros(tranche.releasedCents)}) : ${formatDays(days)} après l’échéance.`,
          { amountCents: tranche.releasedCents, date: tranche.releasedOn, days },
        );
      }
    } else if (agreement.closed === null && agreement.antennaClosedOn === null) {
      // Neither a closed agreement's tranche nor a closed antenna's will be released: never overdue, no growing lateness.
      const days = daysBetween(tranche.dueOn, referenceDate);
      if (days > 0) {
        flag(
          'release-overdue',
          tranche,
          `Échéance le ${formatDate(tranche.dueOn)} (${formatEuros(tranche.scheduledCents)} prévus), toujours pas versée au ${formatDate(referenceDate)} : ${formatDays(days)} de retard.`,
          { amountCents: tranche.scheduledCents, date: tranche.dueOn, days },
        );
      }
    }
    if (tranche.releasedCents !== null && tranche.releasedCents > tranche.scheduledCents) {
      const excess = tranche.releasedCents - tranche.scheduledCents;
      const releasedOn = tranche.releasedOn === null ? '' : ` le ${formatDate(tranche.releasedOn)}`;
      flag(
        'release-above-tranche',
        tranche,
        `Versé ${formatEuros(tranche.releasedCents)}${releasedOn} pour ${formatEuros(tranche.scheduledCents)} prévus à l’échéancier : dépassement de ${formatEuros(excess)}.`,
        { amountCents: excess, date: tranche.releasedOn },
      );
    }
    if (tranche.state === 'received' && tranche.receipt !== null && tranche.receipt.amountCents !== tranche.releasedCents) {
      const released = tranche.releasedCents ?? 0;
      const difference = tranche.receipt.amountCents - released;
      flag(
        'amount-mismatch',
        tranche,
        `Reçu ${formatEuros(tranche.receipt.amountCents)} le ${formatDate(tranche.receipt.receivedOn)} (référence ${tranche.receipt.bankReference}) pour ${formatEuros(released)} versés : écart de ${formatEuros(difference)}.`,
        { amountCents: difference, date: tranche.receipt.receivedOn },
      );
    }
    if (tranche.state === 'released' && tranche.releasedOn !== null) {
      const days = daysBetween(tranche.releasedOn, referenceDate);
      if (days > receiptDelayDays) {
        const amount = tranche.releasedCents ?? 0;
        flag(
          'receipt-overdue',
          tranche,
          `Versé le ${formatDate(tranche.releasedOn)} (${formatEuros(amount)}), toujours pas reçu au ${formatDate(referenceDate)}, ${formatDays(days)} plus tard (délai admis : ${formatDays(receiptDelayDays)}).`,
          { amountCents: amount, date: tranche.releasedOn, days },
        );
      }
    }
  }
  const blocked = agreement.tranches.filter((tranche) => tranche.state === 'blocked');
  if (blocked.length > 0 && agreement.antennaClosedOn !== null) {
    flag(
      'antenna-closed-agreement-open',
      null,
      `Antenne fermée le ${formatDate(agreement.antennaClosedOn)}, convention encore ouverte : ${formatEuros(agreement.blockedCents)} non versés ne pourront plus l’être (${blocked.length} tranche${blocked.length > 1 ? 's' : ''} bloquée${blocked.length > 1 ? 's' : ''}). Clôturez la convention si plus rien n’en est attendu.`,
      { amountCents: agreement.blockedCents, date: agreement.antennaClosedOn },
    );
  }
  if (agreement.spentCents > agreement.receivedCents) {
    const excess = agreement.spentCents - agreement.receivedCents;
    flag(
      'overspent',
      null,
      `Dépensé ${formatEuros(agreement.spentCents)} sur l’accord pour ${formatEuros(agreement.receivedCents)} reçus : dépassement de ${formatEuros(excess)}.`,
      { amountCents: excess, date: null },
    );
  }
  return flags;
}

/** Agreement ids are unique within an antenna: the antenna and the agreement name one agreement. */
function agreementKey(of: { readonly antennaId: string; readonly agreementId: string }): string {
  return `${of.antennaId}\u0000${of.agreementId}`;
}

/** `agreement`: the one the discrepancy is about (every discrepancy comes from one of the report's agreements). */
function noteSubject(d: FundingDiscrepancy, agreement: FundingReportAgreement, withAntenna: boolean): string {
  const parts = [
    ...(withAntenna ? [agreement.antennaName ?? d.antennaId] : []),
    agreement.label,
    ...(d.trancheId === null ? [] : [trancheNameIn(agreement.tranches, d.trancheId)]),
  ];
  return parts.join(' — ');
}

// ---------------------------------------------------------------------------------------------
// Tables

const ANTENNA_COLUMN: Column = { key: 'antenna', label: 'Antenne', kind: 'text' };
const AGREEMENT_COLUMN: Column = { key: 'agreement', label: 'Accord', kind: 'text' };
const TRANCHE_COLUMN: Column = { key: 'tranche', label: 'Tranche', kind: 'text' };

function lead(withAntenna: boolean, agreement: FundingReportAgreement): Row {
  return { ...(withAntenna ? { antenna: agreement.antennaName ?? agreement.antennaId } : {}), agreement: agreement.label };
}

function leadColumns(withAntenna: boolean): Column[] {
  return withAntenna ? [ANTENNA_COLUMN, AGREEMENT_COLUMN] : [AGREEMENT_COLUMN];
}

function agreementTable(rows: readonly Row[], totals: FundingReportData['totals'], withAntenna: boolean): ReportTable {
  return {
    title: FUNDING_TABLE_TITLES.agreements,
    columns: [
      ...leadColumns(withAntenna),
      { key: 'funder', label: 'Financeur', kind: 'text' },
      { key: 'committedOn', label: 'Engagé le', kind: 'date' },
      { key: 'committed', label: 'Engagé', kind: 'money' },
      { key: 'released', label: 'Versé', kind: 'money' },
      { key: 'received', label: 'Reçu', kind: 'money' },
      { key: 'spent', label: 'Dépensé', kind: 'money' },
      { key: 'remaining', label: FIGURES.remaining, kind: 'money' },
      { key: 'notReleasedAtClosing', label: FIGURES.notReleasedAtClosing, kind: 'money' },
      { key: 'blocked', label: FIGURES.blocked, kind: 'money' },
      { key: 'toCollect', label: FIGURES.toCollect, kind: 'money' },
      { key: 'balance', label: 'Solde', kind: 'money' },
      { key: 'closedOn', label: 'Clôturé le', kind: 'date' },
    ],
    rows,
    totals: {
      ...(withAntenna ? { antenna: 'Total' } : {}),
      agreement: withAntenna ? null : 'Total',
      funder: null,
      committedOn: null,
      committed: totals.committedCents,
      released: totals.releasedCents,
      received: totals.receivedCents,
      spent: totals.spentCents,
      remaining: totals.remainingCommitmentCents,
      notReleasedAtClosing: totals.notReleasedAtClosingCents,
      blocked: totals.blockedCents,
      toCollect: totals.toCollectCents,
      balance: totals.balanceCents,
      closedOn: null,
    },
  };
}

function agreementRow(agreement: FundingReportAgreement, withAntenna: boolean): Row {
  return {
    ...lead(withAntenna, agreement),
    funder: agreement.funder,
    committedOn: agreement.committedOn,
    committed: agreement.committedCents,
    released: agreement.releasedCents,
    received: agreement.receivedCents,
    spent: agreement.spentCents,
    remaining: agreement.remainingCommitmentCents,
    notReleasedAtClosing: agreement.notReleasedAtClosingCents,
    blocked: agreement.blockedCents,
    toCollect: agreement.toCollectCents,
    balance: agreement.balanceCents,
    closedOn: agreement.closed?.on ?? null,
  };
}

function trancheTable(rows: readonly Row[], sums: FundingSums, withAntenna: boolean): ReportTable {
  return {
    title: FUNDING_TABLE_TITLES.tranches,
    columns: [
      ...leadColumns(withAntenna),
      TRANCHE_COLUMN,
      { key: 'dueOn', label: 'Échéance', kind: 'date' },
      { key: 'conditions', label: 'Conditions', kind: 'text' },
      { key: 'scheduled', label: 'Prévu', kind: 'money' },
      { key: 'state', label: 'État', kind: 'text' },
      { key: 'released', label: 'Versé', kind: 'money' },
      { key: 'releasedOn', label: 'Versé le', kind: 'date' },
      { key: 'received', label: 'Reçu', kind: 'money' },
      { key: 'receivedOn', label: 'Reçu le', kind: 'date' },
      { key: 'bankReference', label: 'Référence bancaire', kind: 'text' },
    ],
    rows,
    totals: {
      ...(withAntenna ? { antenna: 'Total' } : {}),
      agreement: withAntenna ? null : 'Total',
      tranche: null,
      dueOn: null,
      conditions: null,
      scheduled: sums.trancheScheduledCents,
      state: null,
      released: sums.trancheReleasedCents,
      releasedOn: null,
      received: sums.trancheReceivedCents,
      receivedOn: null,
      bankReference: null,
    },
  };
}

/** `rank`: the tranche's 1-based place in its agreement's schedule. */
function trancheRow(agreement: FundingReportAgreement, tranche: FundingReportTranche, rank: number, withAntenna: boolean): Row {
  return {
    ...lead(withAntenna, agreement),
    tranche: trancheName(tranche, rank),
    dueOn: tranche.dueOn,
    conditions: tranche.conditions,
    scheduled: tranche.scheduledCents,
    state: TRANCHE_STATE_LABELS[tranche.state],
    released: tranche.releasedCents,
    releasedOn: tranche.releasedOn,
    received: tranche.receipt?.amountCents ?? null,
    receivedOn: tranche.receipt?.receivedOn ?? null,
    bankReference: tranche.receipt?.bankReference ?? null,
  };
}

function movementTable(rows: readonly Row[], withAntenna: boolean): ReportTable {
  return {
    title: FUNDING_TABLE_TITLES.movements,
    columns: [
      ...leadColumns(withAntenna),
      TRANCHE_COLUMN,
      { key: 'date', label: 'Date d’effet', kind: 'date' },
      { key: 'movement', label: 'Mouvement', kind: 'text' },
      { key: 'amount', label: 'Montant', kind: 'money' },
      { key: 'reason', label: 'Motif', kind: 'text' },
    ],
    rows,
  };
}

function movementRows(agreement: FundingReportAgreement, withAntenna: boolean): Row[] {
  return agreement.tranches.flatMap((tranche, index) =>
    tranche.movements.map(
      (movement): Row => ({
        ...lead(withAntenna, agreement),
        tranche: trancheName(tranche, index + 1),
        date: movement.effectiveDate,
        movement: movement.kind === 'release' ? 'Versement' : 'Annulation du versement',
        amount: movement.kind === 'release' ? movement.amountCents : -movement.amountCents,
        reason: movement.kind === 'reversal' ? movement.reason : null,
      }),
    ),
  );
}

function discrepancyTable(rows: readonly Row[], withAntenna: boolean): ReportTable {
  return {
    title: FUNDING_TABLE_TITLES.discrepancies,
    columns: [...leadColumns(withAntenna), TRANCHE_COLUMN, { key: 'discrepancy', label: 'Écart', kind: 'text' }, { key: 'detail', label: 'Détail', kind: 'text' }],
    rows,
  };
}

function discrepancyRow(d: FundingDiscrepancy, agreement: FundingReportAgreement, withAntenna: boolean): Row {
  return {
    ...lead(withAntenna, agreement),
    tranche: d.trancheId === null ? null : trancheNameIn(agreement.tranches, d.trancheId),
    discrepancy: d.label,
    detail: d.detail,
  };
}

function sum(values: readonly Cents[]): Cents {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
