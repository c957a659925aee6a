import { addDays, compareDates, daysBetween, type Cents, type IsoDate } from '@jalon/domain';
import type { Report, ReportParameters, ReportTable } from '@jalon/reporting';
import * as LABELS from '@jalon/reporting';
import { formatDays } from '@jalon/reporting';
import { compareFrench, formatDate, formatEuros, ReadModels } from '../budget/report-helpers';
import { antennaClosings } from '../phases/antenna-closing';
import { fundingDocsOf } from './funding-docs';

export interface EcheancierReportParameters extends ReportParameters {
  /** Tranches falling due within this many days after the reference date are listed (default 30). */
  readonly withinDays?: number;
}

export const DEFAULT_ECHEANCIER_WITHIN_DAYS = 30;

export type EcheancierSituation =
  /** Due before the reference date and not released (never, or its release reversed). */
  | 'overdue'
  /** Due on the reference date or within `withinDays` after it, not released. */
  | 'due-soon'
  /**
   * Not released, its agreement still open, but its antenna closed: a closed antenna accepts nothing
   * but audit reads, so nothing will be released on it. Listed whenever it falls due (beyond the
   * horizon too: its total is what the agreement can no longer release). Not counted as due.
   */
  | 'blocked';

/** From the one label table; typed here so that a situation without a label fails the type check. */
export const ECHEANCIER_SITUATION_LABELS: Readonly<Record<EcheancierSituation, string>> = LABELS.ECHEANCIER_SITUATION_LABELS;

export interface EcheancierItem {
  readonly situation: EcheancierSituation;
  readonly antennaId: string;
  readonly antennaName: string | null;
  readonly agreementId: string;
  readonly agreementLabel: string;
  readonly funder: string;
  readonly trancheId: string;
  readonly trancheLabel: string | null;
  /** As every output names it (`trancheName`): its label, or « Tranche n° N ». */
  readonly trancheName: string;
  readonly dueOn: IsoDate;
  readonly scheduledCents: Cents;
  readonly conditions: string | null;
  /**
   * overdue: days since the due date (≥ 1); due-soon: days left until it (0 = due on the reference
   * date); blocked: days since or until its due date, whatever the horizon (compare `dueOn`).
   */
  readonly days: number;
  /** The antenna's closing date (effective), for a blocked tranche; null otherwise. */
  readonly antennaClosedOn: IsoDate | null;
}

export interface EcheancierReportData {
  readonly referenceDate: IsoDate;
  readonly withinDays: number;
  /** The last due date listed as due soon: referenceDate + withinDays. */
  readonly until: IsoDate;
  /** Most urgent first: overdue (most days late first), then due soon (soonest first); then the blocked ones, earliest due first. */
  readonly items: readonly EcheancierItem[];
  /** blockedCents is not due: the overdue and due-soon totals leave it out. */
  readonly totals: { readonly overdueCents: Cents; readonly dueSoonCents: Cents; readonly blockedCents: Cents };
}

export const ECHEANCIER_TABLE_TITLE = 'Tranches en retard et à échoir';

/**
 * The programme-wide « échéancier »: the tranches not released whose due date has passed at the
 * reference date (overdue) or falls within `withinDays` after it (due soon), most urgent first.
 * Tranches of closed agreements are left out (nothing more will be released). Those of an open
 * agreement whose antenna is closed are listed apart, « blocked », with the antenna's closing date:
 * nothing can be released on a closed antenna, so they are not counted as due. Read from the
 * funding read model's documents, and the phases read model's for the antennas' status; time travel
 * is the caller's business, as for every report (both read models at the same cut).
 */
export function buildEcheancierReport(models: ReadModels, parameters: EcheancierReportParameters): Report<EcheancierReportData> {
  const withinDays = parameters.withinDays ?? DEFAULT_ECHEANCIER_WITHIN_DAYS;
  if (!Number.isSafeInteger(withinDays) || withinDays < 0) {
    throw new RangeError(`L’horizon de l’échéancier doit être un nombre entier de jours, positif ou nul (reçu : ${withinDays}).`);
  }
  const docs = fundingDocsOf(models, parameters.antennaId, parameters);
  const referenceDate = parameters.referenceDate;
  const until = addDays(referenceDate, withinDays);
  const closingOf = antennaClosings(models, parameters.antennaId);

  const items: EcheancierItem[] = [];
  for (const doc of docs) {
    const antennaClosedOn = closingOf(doc.antennaId);
    for (const agreement of doc.agreements) {
      if (agreement.closed !== null) continue;
      for (const [index, tranche] of agreement.tranches.entries()) {
        if (tranche.releasedCents !== null) continue;
        const late = daysBetween(tranche.dueOn, referenceDate);
        // Every unreleased tranche of a closed antenna is blocked, whenever it falls due: its total is what the agreement can no longer release.
        if (antennaClosedOn === null && late <= 0 && -late > withinDays) continue;
        items.push({
          situation: antennaClosedOn !== null ? 'blocked' : late > 0 ? 'overdue' : 'due-soon',
          antennaId: doc.antennaId,
          antennaName: doc.antennaName,
          agreementId: agreement.agreementId,
          agreementLabel: agreement.label,
          funder: agreement.funder,
          trancheId: tranche.trancheId,
          trancheLabel: tranche.label,
          trancheName: LABELS.trancheName(tranche, index + 1),
          dueOn: tranche.dueOn,
          scheduledCents: tranche.scheduledCents,
          conditions: tranche.conditions,
          days: Math.abs(late),
          antennaClosedOn,
        });
      }
    }
  }
  // Earliest due date first is most urgent for both: the most overdue, then the soonest due. The
  // blocked ones come last: nothing is to be done about them but closing their agreement.
  items.sort(
    (a, b) =>
      Number(a.situation === 'blocked') - Number(b.situation === 'blocked') ||
      compareDates(a.dueOn, b.dueOn) ||
      compareFrench(a.antennaName ?? a.antennaId, b.antennaName ?? b.antennaId) ||
      compareFrench(a.agreementLabel, b.agreementLabel),
  );
  const totals = {
    overdueCents: sumOf(items.filter((item) => item.situation === 'overdue')),
    dueSoonCents: sumOf(items.filter((item) => item.situation === 'due-soon')),
    blockedCents: sumOf(items.filter((item) => item.situation === 'blocked')),
  };
  const data: EcheancierReportData = { referenceDate, withinDays, until, items, totals };
  const overdue = items.filter((item) => item.situation === 'overdue').length;
  const dueSoon = items.filter((item) => item.situation === 'due-soon').length;
  const blocked = items.filter((item) => item.situation === 'blocked').length;

  const table: ReportTable = {
    title: ECHEANCIER_TABLE_TITLE,
    columns: [
      { key: 'situation', label: 'Situation', kind: 'text' },
      { key: 'dueOn', label: 'Échéance', kind: 'date' },
      { key: 'lateDays', label: 'Jours de retard', kind: 'integer' },
      { key: 'daysLeft', label: 'Jours restants', kind: 'integer' },
      { key: 'antenna', label: 'Antenne', kind: 'text' },
      { key: 'agreement', label: 'Accord', kind: 'text' },
      { key: 'funder', label: 'Financeur', kind: 'text' },
      { key: 'tranche', label: 'Tranche', kind: 'text' },
      { key: 'conditions', label: 'Conditions', kind: 'text' },
      // A blocked tranche's amount has its own column, so that neither total counts it as due.
      { key: 'scheduled', label: 'Montant prévu', kind: 'money' },
      { key: 'blocked', label: 'Montant bloqué', kind: 'money' },
      { key: 'antennaClosedOn', label: 'Antenne fermée le', kind: 'date' },
    ],
    rows: items.map((item) => ({
      situation: ECHEANCIER_SITUATION_LABELS[item.situation],
      dueOn: item.dueOn,
      lateDays: item.situation === 'overdue' ? item.days : null,
      daysLeft: item.situation === 'due-soon' ? item.days : null,
      antenna: item.antennaName ?? item.antennaId,
      agreement: item.agreementLabel,
      funder: item.funder,
      tranche: item.trancheName,
      conditions: item.conditions,
      scheduled: item.situation === 'blocked' ? null : item.scheduledCents,
      blocked: item.situation === 'blocked' ? item.scheduledCents : null,
      antennaClosedOn: item.antennaClosedOn,
    })),
    totals: {
      situation: 'Total',
      dueOn: null,
      lateDays: null,
      daysLeft: null,
      antenna: null,
      agreement: null,
      funder: null,
      tranche: null,
      conditions: null,
      scheduled: totals.overdueCents + totals.dueSoonCents,
      blocked: totals.blockedCents,
      antennaClosedOn: null,
    },
  };
  const only = parameters.antennaId === undefined ? null : docs[0]!;
  return {
    kind: 'echeancier',
    title: only ? `Échéancier des tranches — antenne ${only.antennaName ?? only.antennaId}` : 'Échéancier des tranches — toutes antennes',
    parameters,
    ...(only?.antennaName ? { antennaName: only.antennaName } : {}),
    tables: [table],
    notes: [
      `Tranches non versées dont l’échéance est dépassée au ${formatDate(referenceDate)}, ou tombe d’ici le ${formatDate(until)} (${formatDays(withinDays)}) ; les plus urgentes en premier.`,
      items.length === 0
        ? 'Aucune tranche en retard ni à échoir.'
        : `${overdue} tranche${overdue > 1 ? 's' : ''} en retard (${formatEuros(totals.overdueCents)}), ${dueSoon} à échoir (${formatEuros(totals.dueSoonCents)}).`,
      ...(blocked === 0
        ? []
        : [
            `${blocked} tranche${blocked > 1 ? 's' : ''} bloquée${blocked > 1 ? 's' : ''} (${formatEuros(totals.blockedCents)}), hors de ces totaux : leur antenne est fermée, plus rien ne peut y être versé ; clôturez leur convention si plus rien n’en est attendu.`,
          ]),
    ],
    data,
  };
}

function sumOf(items: readonly EcheancierItem[]): Cents {
  let total = 0;
  for (const item of items) total += item.scheduledCents;
  return total;
}
