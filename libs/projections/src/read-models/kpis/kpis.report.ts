import type { Report, ReportParameters, ReportTable, Row } from '@jalon/reporting';
import { FUNDING_FIGURE_LABELS } from '@jalon/reporting';
import { ReadModelView } from '../../projection';
import { bucketedEntries } from '../../bucketed';
import { emptyKpis, KPIS_KEY, KPIS_PROJECTION_NAME, KpiCall, KpisDocument, KpiTotals } from './kpis.projection';

/** The programme's learner figure, as the report and the dashboard name it. */
export const LEARNERS_LABEL = 'Apprenants (dernier effectif déclaré)';
export const LEARNERS_NOTE =
  'Apprenants : une déclaration est l’effectif d’une antenne pour un mois (une correction remplace la précédente) ; le total est, pour chaque antenne, l’effectif du dernier mois déclaré, additionné sur les antennes, jamais une somme de mois.';

export const NOT_RELEASED_AT_CLOSING_NOTE = `${FUNDING_FIGURE_LABELS.remaining} : engagé moins versé (net des annulations) des conventions ouvertes ; ce qu’une convention clôturée n’avait pas versé à sa clôture ne sera plus versé et figure en « ${FUNDING_FIGURE_LABELS.notReleasedAtClosing} ».`;

export const BLOCKED_NOTE = `${FUNDING_FIGURE_LABELS.remaining} : hors des conventions encore ouvertes d’une antenne fermée ; plus rien ne peut y être versé, et ce qu’elles n’ont pas versé figure en « ${FUNDING_FIGURE_LABELS.blocked} », comme dans l’échéancier et le rapprochement des financements.`;

/** What the builder reads: the `kpis` read model, live or replayed. */
export interface KpisReadModels {
  view<Doc>(name: string): ReadModelView<Doc>;
}

/** `data` of the key figures report: the programme and its target, the calls by number, the totals. */
export interface KpisReportData {
  readonly programme: KpisDocument['programme'];
  readonly calls: readonly KpiCall[];
  readonly totals: KpiTotals;
}

/** The programme's key figures: one table per theme, money in cents, rates in basis points. */
export function buildKpisReport(models: KpisReadModels, parameters: ReportParameters): Report<KpisReportData> {
  const doc = models.view<KpisDocument>(KPIS_PROJECTION_NAME).get(KPIS_KEY) ?? emptyKpis();
  const { totals } = doc;
  const calls = Object.values(doc.calls).sort(byNumberThenId);

  const antennas: ReportTable = {
    title: 'Antennes et objectif',
    columns: [
      { key: 'targetCount', label: 'Objectif (antennes)', kind: 'integer' },
      { key: 'targetDate', label: 'Échéance', kind: 'date' },
      { key: 'opened', label: 'Antennes ouvertes', kind: 'integer' },
      { key: 'inaugurated', label: 'Antennes inaugurées', kind: 'integer' },
      { key: 'inauguratedByTargetDate', label: 'Inaugurées à l’échéance', kind: 'integer' },
      { key: 'active', label: 'Actives', kind: 'integer' },
      { key: 'suspended', label: 'Suspendues', kind: 'integer' },
      { key: 'closed', label: 'Fermées', kind: 'integer' },
      { key: 'attainment', label: 'Taux d’atteinte (ouvertes)', kind: 'percent' },
      { key: 'inaugurationAttainment', label: 'Taux d’atteinte (inaugurées)', kind: 'percent' },
      { key: 'actionCoeurDeVille', label: 'En ville Action Cœur de Ville', kind: 'integer' },
      { key: 'actionCoeurDeVilleShare', label: 'Part Action Cœur de Ville', kind: 'percent' },
    ],
    rows: [
      {
        targetCount: doc.programme?.target.antennaCount ?? null,
        targetDate: doc.programme?.target.targetDate ?? null,
        opened: totals.antennasOpened,
        inaugurated: totals.antennasInaugurated,
        inauguratedByTargetDate: totals.antennasInauguratedByTargetDate,
        active: totals.antennasByStatus.active,
        suspended: totals.antennasByStatus.suspended,
        closed: totals.antennasByStatus.closed,
        attainment: totals.targetAttainmentBasisPoints,
        inaugurationAttainment: totals.inaugurationAttainmentBasisPoints,
        actionCoeurDeVille: totals.antennasInActionCoeurDeVille,
        actionCoeurDeVilleShare: totals.actionCoeurDeVilleShareBasisPoints,
      },
    ],
  };

  const callTable: ReportTable = {
    title: 'Candidatures et lauréats par appel',
    columns: [
      { key: 'call', label: 'Appel', kind: 'text' },
      { key: 'number', label: 'N°', kind: 'integer' },
      { key: 'candidacies', label: 'Candidatures', kind: 'integer' },
      { key: 'laureates', label: 'Lauréats', kind: 'integer' },
      { key: 'rejected', label: 'Rejetées', kind: 'integer' },
      { key: 'withdrawn', label: 'Retirées', kind: 'integer' },
    ],
    rows: calls.map(
      (call): Row => ({
        call: call.title ?? call.callId,
        number: call.number,
        candidacies: call.candidacies,
        laureates: call.laureates,
        rejected: call.rejected,
        withdrawn: call.withdrawn,
      }),
    ),
    totals: {
      call: 'Total',
      number: null,
      candidacies: totals.candidacies,
      laureates: totals.laureates,
      rejected: calls.reduce((sum, call) => sum + call.rejected, 0),
      withdrawn: calls.reduce((sum, call) => sum + call.withdrawn, 0),
    },
  };

  const training: ReportTable = {
    title: 'Formation',
    columns: [
      { key: 'trainingCourses', label: 'Formations ouvertes', kind: 'integer' },
      { key: 'learners', label: LEARNERS_LABEL, kind: 'integer' },
    ],
    rows: [{ trainingCourses: totals.trainingCourses, learners: totals.learners }],
  };

  // The sum over antennas of each one's latest headcount; a sum over months would count the same
  // people again, so the month table has no total.
  const latest: ReportTable = {
    title: 'Apprenants par antenne (dernier effectif déclaré)',
    columns: [
      { key: 'antenna', label: 'Antenne', kind: 'text' },
      { key: 'period', label: 'Mois déclaré', kind: 'month' },
      { key: 'learners', label: 'Apprenants', kind: 'integer' },
    ],
    rows: bucketedEntries(doc.latestLearners)
      .map(([antennaId, report]) => ({ antenna: doc.antennas[antennaId]?.name ?? antennaId, ...report }))
      .sort((a, b) => (a.antenna < b.antenna ? -1 : a.antenna > b.antenna ? 1 : 0))
      .map((row): Row => ({ antenna: row.antenna, period: row.period, learners: row.learners })),
    totals: { antenna: 'Total', period: null, learners: totals.learners },
  };

  const learners: ReportTable = {
    title: 'Apprenants par mois',
    columns: [
      { key: 'period', label: 'Mois', kind: 'month' },
      { key: 'learners', label: 'Effectif déclaré (toutes antennes)', kind: 'integer' },
    ],
    rows: totals.learnersByPeriod.map((p): Row => ({ period: p.period, learners: p.learners })),
  };

  const money: ReportTable = {
    title: 'Budget et financements du programme',
    columns: [
      { key: 'budgetForecast', label: 'Budget prévisionnel (actuel)', kind: 'money' },
      { key: 'committed', label: 'Financements engagés', kind: 'money' },
      { key: 'released', label: 'Versés (nets des annulations)', kind: 'money' },
      { key: 'received', label: 'Reçus', kind: 'money' },
      { key: 'remaining', label: FUNDING_FIGURE_LABELS.remaining, kind: 'money' },
      { key: 'blocked', label: FUNDING_FIGURE_LABELS.blocked, kind: 'money' },
      { key: 'notReleasedAtClosing', label: FUNDING_FIGURE_LABELS.notReleasedAtClosing, kind: 'money' },
    ],
    rows: [
      {
        budgetForecast: totals.budgetForecastCents,
        committed: totals.fundingCommittedCents,
        released: totals.fundingReleasedCents,
        received: totals.fundingReceivedCents,
        remaining: totals.fundingRemainingCents,
        blocked: totals.fundingBlockedCents,
        notReleasedAtClosing: totals.fundingNotReleasedAtClosingCents,
      },
    ],
  };

  const notes: string[] = [];
  if (parameters.antennaId !== undefined) notes.push('Les indicateurs portent sur l’ensemble du programme : l’antenne demandée est ignorée.');
  if (doc.programme === null) notes.push('Aucun programme lancé à cette date : pas d’objectif.');
  notes.push(LEARNERS_NOTE);
  if (totals.fundingNotReleasedAtClosingCents !== 0) notes.push(NOT_RELEASED_AT_CLOSING_NOTE);
  if (totals.fundingBlockedCents !== 0) notes.push(BLOCKED_NOTE);
  const withdrawnLaureates = calls.reduce((sum, call) => sum + call.withdrawnLaureates, 0);
  if (withdrawnLaureates > 0) notes.push(`Dont ${withdrawnLaureates} lauréat${withdrawnLaureates > 1 ? 's' : ''} retiré${withdrawnLaureates > 1 ? 's' : ''} après sélection.`);

  // The figures are the programme's: the line under the title says « Programme », not the antenna asked for.
  const { antennaId: _ignored, ...programmeParameters } = parameters;
  return {
    kind: 'kpis',
    title: doc.programme?.name ? `Indicateurs du programme — ${doc.programme.name}` : 'Indicateurs du programme',
    parameters: programmeParameters,
    tables: [antennas, callTable, training, latest, learners, money],
    notes,
    data: { programme: doc.programme, calls, totals },
  };
}

function byNumberThenId(a: KpiCall, b: KpiCall): number {
  const na = a.number ?? Number.MAX_SAFE_INTEGER;
  const nb = b.number ?? Number.MAX_SAFE_INTEGER;
  return na - nb || (a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0);
}
