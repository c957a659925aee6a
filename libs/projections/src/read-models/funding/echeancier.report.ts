import { addDays, compareDates, daysBetween, type Cents, type IsoDate } from '@jalon/domain';
import type { Report, ReportParameters, ReportTable } from '@jalon/reporting';
import * as LABELS from '@jalon/reporting';
import { formatDays } from '@jalon/reporting';
import { compareFrench, formatDate, formatEuros, ReadModels } from '../budget/report-helpers';
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
  | 'due-soon';

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
  readonly dueOn: IsoDate;
  readonly scheduledCents: Cents;
  readonly conditions: string | null;
  /** overdue: days since the due date (≥ 1); due-soon: days left until it (0 = due on the reference date). */
  readonly days: number;
}

export interface EcheancierReportData {
  readonly referenceDate: IsoDate;
  readonly withinDays: number;
  /** The last due date listed as due soon: referenceDate + withinDays. */
  readonly until: IsoDate;
  /** Most urgent first: overdue (most days late first), then due soon (soonest first). */
  readonly items: readonly EcheancierItem[];
  readonly totals: { readonly overdueCents: Cents; readonly dueSoonCents: Cents };
}

export const ECHEANCIER_TABLE_TITLE = 'Tranches en retard et à échoir';

/**
 * The programme-wide « échéancier »: the tranches not released whose due date has passed at the
 * reference date (overdue) or falls within `withinDays` after it (due soon), most urgent first.
 * Tranches of closed agreements are left out (nothing more will be released). Read from the
 * funding read model's documents; time travel is the caller's business, as for every report.
 */
export function buildEcheancierReport(models: ReadModels, parameters: EcheancierReportParameters): Report<EcheancierReportData> {
  const withinDays = parameters.withinDays ?? DEFAULT_ECHEANCIER_WITHIN_DAYS;
  if (!Number.isSafeInteger(withinDays) || withinDays < 0) {
    throw new RangeError(`L’horizon de l’échéancier doit être un nombre entier de jours, positif ou nul (reçu : ${withinDays}).`);
  }
  const docs = fundingDocsOf(models, parameters.antennaId);
  const referenceDate = parameters.referenceDate;
  const until = addDays(referenceDate, withinDays);

  const items: EcheancierItem[] = [];
  for (const doc of docs) {
    for (const agreement of doc.agreements) {
      if (agreement.closed !== null) continue;
      for (const tranche of agreement.tranches) {
        if (tranche.releasedCents !== null) continue;
        const late = daysBetween(tranche.dueOn, referenceDate);
        if (late <= 0 && -late > withinDays) continue;
        items.push({
          situation: late > 0 ? 'overdue' : 'due-soon',
          antennaId: doc.antennaId,
          antennaName: doc.antennaName,
          agreementId: agreement.agreementId,
          agreementLabel: agreement.label,
          funder: agreement.funder,
          trancheId: tranche.trancheId,
          trancheLabel: tranche.label,
          dueOn: tranche.dueOn,
          scheduledCents: tranche.scheduledCents,
          conditions: tranche.conditions,
          days: Math.abs(late),
        });
      }
    }
  }
  // Earliest due date first is most urgent for both: the most overdue, then the soonest due.
  items.sort(
    (a, b) =>
      compareDates(a.dueOn, b.dueOn) ||
      compareFrench(a.antennaName ?? a.antennaId, b.antennaName ?? b.antennaId) ||
      compareFrench(a.agreementLabel, b.agreementLabel),
  );
  const totals = {
    overdueCents: sumOf(items.filter((item) => item.situation === 'overdue')),
    dueSoonCents: sumOf(items.filter((item) => item.situation === 'due-soon')),
  };
  const data: EcheancierReportData = { referenceDate, withinDays, until, items, totals };
  const overdue = items.filter((item) => item.situation === 'overdue').length;
  const dueSoon = items.length - overdue;

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
      { key: 'scheduled', label: 'Montant prévu', kind: 'money' },
    ],
    rows: items.map((item) => ({
      situation: ECHEANCIER_SITUATION_LABELS[item.situation],
      dueOn: item.dueOn,
      lateDays: item.situation === 'overdue' ? item.days : null,
      daysLeft: item.situation === 'due-soon' ? item.days : null,
      antenna: item.antennaName ?? item.antennaId,
      agreement: item.agreementLabel,
      funder: item.funder,
      tranche: item.trancheLabel ?? item.trancheId,
      conditions: item.conditions,
      scheduled: item.scheduledCents,
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
    },
  };
  const only = parameters.antennaId === undefined ? null : docs[0]!;
  return {
    kind: 'echeancier',
    title: only ? `Échéancier des tranches — antenne ${only.antennaName ?? only.antennaId}` : 'Échéancier des tranches — toutes antennes',
    parameters,
    tables: [table],
    notes: [
      `Tranches non versées dont l’échéance est dépassée au ${formatDate(referenceDate)}, ou tombe d’ici le ${formatDate(until)} (${formatDays(withinDays)}) ; les plus urgentes en premier.`,
      items.length === 0
        ? 'Aucune tranche en retard ni à échoir.'
        : `${overdue} tranche${overdue > 1 ? 's' : ''} en retard (${formatEuros(totals.overdueCents)}), ${dueSoon} à échoir (${formatEuros(totals.dueSoonCents)}).`,
    ],
    data,
  };
}


function sumOf(items: readonly EcheancierItem[]): Cents {
  let total = 0;
  for (const item of items) total += item.scheduledCents;
  return total;
}
