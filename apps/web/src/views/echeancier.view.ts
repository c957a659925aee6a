import { formatDate, formatDays, formatEuros, Report, ReportTable } from '@jalon/reporting';
import { href, html, SafeHtml, segment } from '../html';
import { EcheancierItem, EcheancierReportData } from '@jalon/queries';
import { asOfControl, badge, reportTable } from './components';

/** The horizons offered by the « dans les N jours » control; any whole number of days up to 3 650 is accepted. */
export const ECHEANCIER_HORIZONS = [7, 15, 30, 60, 90, 180, 365] as const;
export const ECHEANCIER_MAX_DAYS = 3650;

export interface EcheancierQuery {
  readonly asOf?: string;
  readonly withinDays: number;
}

/** `?jours=`: a whole number of days (0 to 3 650), or a French message; 30 when absent. */
export function readWithinDays(raw: unknown, fallback: number): { withinDays: number; error?: string } {
  if (raw === undefined || raw === '') return { withinDays: fallback };
  if (typeof raw === 'string' && /^\d{1,4}$/.test(raw) && Number(raw) <= ECHEANCIER_MAX_DAYS) return { withinDays: Number(raw) };
  return { withinDays: fallback, error: `Choisissez un nombre entier de jours entre 0 et ${ECHEANCIER_MAX_DAYS}.` };
}

export interface EcheancierModel {
  readonly query: EcheancierQuery;
  readonly asOfError?: string;
  readonly asOfTyped?: string | undefined;
  readonly withinDaysError?: string;
  readonly timeZone: string;
  readonly report: Report;
}

/** The page's table: the report's own, already most urgent first (overdue, most days late first, then soonest due). */
export function echeancierTable(report: Report): ReportTable {
  return report.tables[0]!;
}

/** How each situation is marked (the label is the report's own, from the one wording module). */
const SITUATION_BADGES: Readonly<Record<EcheancierItem['situation'], string>> = { overdue: 'ecart', 'due-soon': 'planned', blocked: 'closed' };

export function echeancierView(model: EcheancierModel): SafeHtml {
  const { query, report } = model;
  const data = report.data as EcheancierReportData;
  const table = echeancierTable(report);
  const params = { asOf: query.asOf, jours: String(query.withinDays) };
  const exportLink = (format: 'csv' | 'xlsx') => href(`/financements/echeancier/export.${format}`, params);
  const overdue = data.items.filter((item) => item.situation === 'overdue').length;
  const dueSoon = data.items.filter((item) => item.situation === 'due-soon').length;
  const blocked = data.items.filter((item) => item.situation === 'blocked').length;
  const horizons = [...new Set<number>([...ECHEANCIER_HORIZONS, query.withinDays])].sort((a, b) => a - b);
  return html`<h1>Échéancier des tranches</h1>
<p class="chapeau">Les tranches non versées de tous les accords de financement ouverts : celles dont l’échéance est dépassée, puis celles qui tombent dans les jours à venir, les plus urgentes en premier. Celles d’une antenne fermée sont listées à part, « bloquées » : plus rien ne peut y être versé, elles ne sont pas comptées comme dues.</p>
<p><a href="${href('/financements', { asOf: query.asOf })}">Retour aux financements</a></p>
${asOfControl({ action: '/financements/echeancier', asOf: query.asOf, ...(model.asOfError ? { error: model.asOfError, ...(model.asOfTyped ? { typed: model.asOfTyped } : {}) } : {}), keep: { jours: String(query.withinDays) } })}
${query.asOf && html`<p class="bandeau-date" role="status">Vous consultez l’échéancier tel qu’il était le <strong>${formatDate(query.asOf)}</strong>, reconstitué à partir du journal des faits.</p>`}
<form class="filtres" method="get" action="/financements/echeancier" aria-label="Choisir l’horizon de l’échéancier">
${query.asOf && html`<input type="hidden" name="asOf" value="${query.asOf}">`}
<div class="champ${model.withinDaysError ? ' en-erreur' : ''}">
<label for="champ-jours">Tranches à échoir dans les</label>
${model.withinDaysError && html`<p class="message-erreur" id="erreur-jours">${model.withinDaysError}</p>`}
<select id="champ-jours" name="jours"${model.withinDaysError ? html` aria-describedby="erreur-jours" aria-invalid="true"` : ''}>
${horizons.map((days) => html`<option value="${String(days)}"${days === query.withinDays ? html` selected` : ''}>${formatDays(days)}</option>`)}
</select>
</div>
<button type="submit">Afficher</button>
</form>
<p role="status">${overdue} tranche${overdue > 1 ? 's' : ''} en retard (${formatEuros(data.totals.overdueCents)}), ${dueSoon} à échoir d’ici le ${formatDate(data.until)} (${formatEuros(data.totals.dueSoonCents)}), appréciées au ${formatDate(data.referenceDate)}.${blocked > 0 && ` ${blocked} tranche${blocked > 1 ? 's' : ''} bloquée${blocked > 1 ? 's' : ''}, hors de ces totaux (${formatEuros(data.totals.blockedCents)}) : leur antenne est fermée, plus rien ne peut y être versé.`}</p>
<p class="liste-actions"><a class="bouton secondaire" href="${exportLink('csv')}" download>Exporter en CSV<span class="sr"> l’échéancier affiché</span></a> <a class="bouton secondaire" href="${exportLink('xlsx')}" download>Exporter en XLSX<span class="sr"> l’échéancier affiché</span></a></p>
<section aria-labelledby="titre-echeancier">
<h2 id="titre-echeancier">${table.title}</h2>
${data.items.length === 0
    ? html`<p>Aucune tranche en retard ni à échoir dans les ${formatDays(query.withinDays)}.</p>`
    : reportTable(table, {
        timeZone: model.timeZone,
        id: 'table-echeancier',
        captionHidden: true,
        cell: (column, row) => {
          const item = data.items[table.rows.indexOf(row)];
          if (!item) return undefined;
          if (column.key === 'situation') return badge(SITUATION_BADGES[item.situation], String(row.situation));
          if (column.key === 'antenna') return html`<a href="${href(`/antennes/${segment(item.antennaId)}`, { asOf: query.asOf })}#financements">${String(row.antenna)}</a>`;
          return undefined;
        },
      })}
</section>`;
}
