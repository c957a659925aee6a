import { Column, formatDate, formatDays, formatEuros, Report, ReportTable, Row, trancheNameIn } from '@jalon/reporting';
import { href, html, SafeHtml, segment } from '../html';
import { FundingDiscrepancy, FundingReportAgreement, FundingReportData, ReportOf } from '@jalon/queries';
import { asOfControl, badge, reportTable } from './components';

export interface FinanceQuery {
  readonly asOf?: string;
  /** Only the agreements with at least one discrepancy. */
  readonly onlyFlagged: boolean;
}

export interface FinanceRows {
  readonly discrepancies: ReportTable;
  readonly agreements: ReportTable;
  /** The agreements in the order shown, with their flags. */
  readonly shown: readonly { readonly agreement: FundingReportAgreement; readonly flags: readonly FundingDiscrepancy[] }[];
}

/**
 * The funding report's wording of a table: its title and its columns, found by what the table
 * holds (a column key), not by its wording. `keys`: the columns taken, in the page's order.
 */
function reportedWording(report: ReportOf<'funding'>, holding: string, keys: readonly string[]): { readonly title: string; readonly columns: readonly Column[] } {
  const table = report.tables.find((candidate) => candidate.columns.some((column) => column.key === holding));
  if (!table) throw new Error(`the funding report has no table with a ${holding} column`);
  return {
    title: table.title,
    columns: keys.map((key) => {
      const column = table.columns.find((candidate) => candidate.key === key);
      if (!column) throw new Error(`the funding report's table « ${table.title} » has no ${key} column`);
      return column;
    }),
  };
}

/**
 * What the finance page shows, as report tables: discrepancies first, then every agreement with
 * those that have discrepancies first. The CSV and XLSX exports render these very tables. Titles,
 * column names and flags (each one's label and detail) are worded by the funding report; the page
 * adds the money at stake and the date of each flag, and each agreement's count of flags.
 */
export function financeRows(report: ReportOf<'funding'>, query: FinanceQuery): FinanceRows {
  const { data } = report;
  const flagWording = reportedWording(report, 'discrepancy', ['antenna', 'agreement', 'tranche', 'discrepancy', 'detail']);
  const agreementWording = reportedWording(report, 'committed', ['antenna', 'agreement', 'funder', 'committedOn', 'committed', 'released', 'received', 'spent', 'remaining', 'notReleasedAtClosing', 'blocked', 'toCollect', 'balance', 'closedOn']);
  const flagsOf = (agreement: FundingReportAgreement) =>
    data.discrepancies.filter((d) => d.agreementId === agreement.agreementId && d.antennaId === agreement.antennaId);
  const shown = data.agreements
    .map((agreement, index) => ({ agreement, flags: flagsOf(agreement), index }))
    .filter((entry) => !query.onlyFlagged || entry.flags.length > 0)
    // Agreements with discrepancies first (most first), then the report's order (by antenna).
    .sort((a, b) => Number(b.flags.length > 0) - Number(a.flags.length > 0) || b.flags.length - a.flags.length || a.index - b.index)
    .map(({ agreement, flags }) => ({ agreement, flags }));
  const agreementById = new Map(data.agreements.map((agreement) => [`${agreement.antennaId}/${agreement.agreementId}`, agreement]));
  const shownKeys = new Set(shown.map(({ agreement }) => `${agreement.antennaId}/${agreement.agreementId}`));

  const flagColumns = flagWording.columns;
  const discrepancies: ReportTable = {
    title: flagWording.title,
    columns: [...flagColumns.slice(0, 4), { key: 'amount', label: 'Montant en jeu', kind: 'money' }, { key: 'date', label: 'Date', kind: 'date' }, flagColumns[4]!],
    rows: data.discrepancies
      .filter((d) => shownKeys.has(`${d.antennaId}/${d.agreementId}`))
      .map((d): Row => {
        const agreement = agreementById.get(`${d.antennaId}/${d.agreementId}`);
        return {
          antenna: agreement?.antennaName ?? d.antennaId,
          agreement: agreement?.label ?? d.agreementId,
          tranche: d.trancheId === null ? null : trancheNameIn(agreement?.tranches ?? [], d.trancheId),
          discrepancy: d.label,
          amount: d.amountCents,
          date: d.date,
          detail: d.detail,
        };
      }),
  };

  const sum = (pick: (agreement: FundingReportAgreement) => number) => shown.reduce((total, { agreement }) => total + pick(agreement), 0);
  const anyClosed = shown.some(({ agreement }) => agreement.closed !== null);
  const anyBlocked = shown.some(({ agreement }) => agreement.blockedCents !== 0);
  // « Non versé à la clôture » and « Clôturé le » are shown only when an agreement shown was closed;
  // « Bloqué (antenne fermée) » only when one shown is open on a closed antenna with something unreleased.
  const agreementColumns = agreementWording.columns.filter((column) => (anyClosed || column.key !== 'notReleasedAtClosing') && (anyBlocked || column.key !== 'blocked'));
  const agreements: ReportTable = {
    title: agreementWording.title,
    columns: [...agreementColumns.slice(0, -1), { key: 'discrepancies', label: 'Écarts', kind: 'integer' }, ...(anyClosed ? agreementColumns.slice(-1) : [])],
    rows: shown.map(
      ({ agreement, flags }): Row => ({
        antenna: agreement.antennaName ?? agreement.antennaId,
        agreement: agreement.label,
        funder: agreement.funder,
        committedOn: agreement.committedOn,
        committed: agreement.committedCents,
        released: agreement.releasedCents,
        received: agreement.receivedCents,
        spent: agreement.spentCents,
        remaining: agreement.remainingCommitmentCents,
        ...(anyClosed ? { notReleasedAtClosing: agreement.notReleasedAtClosingCents } : {}),
        ...(anyBlocked ? { blocked: agreement.blockedCents } : {}),
        toCollect: agreement.toCollectCents,
        balance: agreement.balanceCents,
        discrepancies: flags.length,
        closedOn: agreement.closed?.on ?? null,
      }),
    ),
    totals: {
      antenna: 'Total',
      agreement: null,
      funder: null,
      committedOn: null,
      committed: sum((a) => a.committedCents),
      released: sum((a) => a.releasedCents),
      received: sum((a) => a.receivedCents),
      spent: sum((a) => a.spentCents),
      remaining: sum((a) => a.remainingCommitmentCents),
      ...(anyClosed ? { notReleasedAtClosing: sum((a) => a.notReleasedAtClosingCents) } : {}),
      ...(anyBlocked ? { blocked: sum((a) => a.blockedCents) } : {}),
      toCollect: sum((a) => a.toCollectCents),
      balance: sum((a) => a.balanceCents),
      discrepancies: shown.reduce((total, entry) => total + entry.flags.length, 0),
      closedOn: null,
    },
  };
  return { discrepancies, agreements, shown };
}

/** The report the exports render: exactly the tables on the page, with the page's parameters. */
export function financeExport(rows: FinanceRows, data: FundingReportData, query: FinanceQuery): Report {
  return {
    kind: 'funding',
    title: `Financements — accords et écarts${query.onlyFlagged ? ' (accords avec écarts seulement)' : ''}`,
    parameters: { ...(query.asOf ? { asOf: query.asOf } : {}), referenceDate: data.referenceDate },
    tables: [rows.discrepancies, rows.agreements],
    notes: [
      `Écarts appréciés au ${formatDate(data.referenceDate)} ; délai de réception admis : ${formatDays(data.receiptDelayDays)} après le versement.`,
      'Accords présentant des écarts en premier.',
    ],
    data: { referenceDate: data.referenceDate, agreements: rows.shown.map(({ agreement }) => agreement), discrepancies: rows.discrepancies.rows },
  };
}

export interface FinanceModel {
  readonly query: FinanceQuery;
  readonly asOfError?: string;
  readonly asOfTyped?: string | undefined;
  readonly today: string;
  readonly timeZone: string;
  readonly data: FundingReportData;
  readonly rows: FinanceRows;
}

export function financeView(model: FinanceModel): SafeHtml {
  const { query, rows, data } = model;
  const exportLink = (format: 'csv' | 'xlsx') => href(`/financements/export.${format}`, { asOf: query.asOf, ecarts: query.onlyFlagged ? 'oui' : undefined });
  const flaggedCount = rows.shown.filter((entry) => entry.flags.length > 0).length;
  return html`<h1>Financements</h1>
<p class="chapeau">Tous les accords de financement des antennes, rapprochés des versements, des réceptions et des dépenses. Les accords présentant des écarts viennent en premier.</p>
${asOfControl({ action: '/financements', asOf: query.asOf, ...(model.asOfError ? { error: model.asOfError, ...(model.asOfTyped ? { typed: model.asOfTyped } : {}) } : {}), keep: { ecarts: query.onlyFlagged ? 'oui' : undefined } })}
${query.asOf && html`<p class="bandeau-date" role="status">Vous consultez les financements tels qu’ils étaient le <strong>${formatDate(query.asOf)}</strong>, reconstitués à partir du journal des faits.</p>`}
<form class="filtres" method="get" action="/financements" aria-label="Filtrer les accords">
${query.asOf && html`<input type="hidden" name="asOf" value="${query.asOf}">`}
<div class="champ case"><input type="checkbox" id="filtre-ecarts" name="ecarts" value="oui"${query.onlyFlagged ? html` checked` : ''}><label for="filtre-ecarts">Seulement les accords avec écarts</label></div>
<button type="submit">Filtrer</button>
</form>
<p role="status">${rows.shown.length} accord${rows.shown.length > 1 ? 's' : ''} affiché${rows.shown.length > 1 ? 's' : ''}, dont ${flaggedCount} avec écarts ; ${rows.discrepancies.rows.length} écart${rows.discrepancies.rows.length > 1 ? 's' : ''} au ${formatDate(data.referenceDate)}.</p>
<p class="liste-actions"><a class="bouton secondaire" href="${exportLink('csv')}" download>Exporter en CSV<span class="sr"> ce qui est affiché</span></a> <a class="bouton secondaire" href="${exportLink('xlsx')}" download>Exporter en XLSX<span class="sr"> ce qui est affiché</span></a> <a class="bouton secondaire" href="${href('/financements/echeancier', { asOf: query.asOf })}">Échéancier des tranches</a> <a class="bouton secondaire" href="/financements/subventions.csv" download>Données essentielles des subventions (CSV, format national)</a></p>

<section aria-labelledby="titre-ecarts">
<h2 id="titre-ecarts">Écarts constatés</h2>
${reportTable(rows.discrepancies, {
    timeZone: model.timeZone,
    id: 'table-ecarts',
    captionHidden: true,
    cell: (column, row) => (column.key === 'discrepancy' ? badge('ecart', String(row.discrepancy)) : undefined),
  })}
</section>

<section aria-labelledby="titre-accords">
<h2 id="titre-accords">Accords de financement</h2>
${reportTable(rows.agreements, {
    timeZone: model.timeZone,
    id: 'table-accords',
    captionHidden: true,
    cell: (column, row) => {
      const index = rows.agreements.rows.indexOf(row);
      const entry = index >= 0 ? rows.shown[index] : undefined;
      if (!entry) return undefined;
      if (column.key === 'antenna') return html`<a href="${href(`/antennes/${segment(entry.agreement.antennaId)}`, { asOf: query.asOf })}#financements">${String(row.antenna)}</a>`;
      if (column.key === 'discrepancies') return entry.flags.length === 0 ? 'Aucun' : html`${badge('ecart', `${entry.flags.length} écart${entry.flags.length > 1 ? 's' : ''}`)}`;
      if (column.key === 'committed') return formatEuros(entry.agreement.committedCents);
      return undefined;
    },
  })}
</section>
<p class="aide">${data.receiptDelayDays} jours de délai de réception admis après un versement ; écarts appréciés au ${formatDate(data.referenceDate)}.</p>`;
}
