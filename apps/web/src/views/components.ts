import { Column, formatCell, formatDate, ReportTable, Row } from '@jalon/reporting';
import { html, HtmlValue, SafeHtml } from '../html';

const NUMERIC = new Set(['money', 'money-change', 'integer', 'percent']);

export interface TableOptions {
  readonly timeZone: string;
  /** Overrides a cell's content (a link, a badge); undefined keeps the formatted value. */
  readonly cell?: (column: Column, row: Row) => HtmlValue | undefined;
  /** Extra columns at the end (actions), with their header. */
  readonly extra?: { readonly label: string; readonly render: (row: Row, index: number) => HtmlValue };
  readonly caption?: string;
  /** The caption is read by screen readers only (a heading already says it). */
  readonly captionHidden?: boolean;
  /** An id for the table (tests and in-page links). */
  readonly id?: string;
}

/**
 * A report table as an accessible HTML table: a caption, column headers with `scope="col"`, the
 * first cell of each row as its header, the totals row in the footer. Cells are formatted the
 * French way by the same function as the terminal and the spreadsheets.
 */
export function reportTable(table: ReportTable, options: TableOptions): SafeHtml {
  const caption = options.caption ?? table.title;
  const cell = (column: Column, row: Row, index: number): SafeHtml => {
    const custom = options.cell?.(column, row);
    const content = custom !== undefined ? custom : formatCell(row[column.key] ?? null, column.kind, { timeZone: options.timeZone });
    const numeric = NUMERIC.has(column.kind) ? html` class="nombre"` : '';
    return index === 0 ? html`<th scope="row"${numeric}>${content}</th>` : html`<td${numeric}>${content}</td>`;
  };
  return html`<div class="defilement" role="region" aria-label="${caption}" tabindex="0">
<table${options.id ? html` id="${options.id}"` : ''}>
<caption${options.captionHidden ? html` class="sr"` : ''}>${caption}</caption>
<thead><tr>${table.columns.map((column) => html`<th scope="col"${NUMERIC.has(column.kind) ? html` class="nombre"` : ''}>${column.label}</th>`)}${options.extra && html`<th scope="col">${options.extra.label}</th>`}</tr></thead>
<tbody>
${table.rows.length === 0
    ? html`<tr><td colspan="${table.columns.length + (options.extra ? 1 : 0)}">Aucune ligne.</td></tr>`
    : table.rows.map((row, rowIndex) => html`<tr>${table.columns.map((column, index) => cell(column, row, index))}${options.extra && html`<td>${options.extra.render(row, rowIndex)}</td>`}</tr>
`)}
</tbody>
${table.totals && html`<tfoot><tr>${table.columns.map((column, index) => cell(column, table.totals!, index))}${options.extra && html`<td></td>`}</tr></tfoot>`}
</table>
</div>`;
}

/** A status shown as text in a coloured pill (the text carries the meaning, the colour helps). */
export function badge(kind: string, label: string): SafeHtml {
  return html`<span class="etiquette ${kind}">${label}</span>`;
}

export function alertBox(kind: 'erreur' | 'succes' | 'attention' | 'info', title: string, body: HtmlValue, role: 'alert' | 'status' | null = null): SafeHtml {
  return html`<div class="alerte ${kind === 'info' ? '' : kind}"${role ? html` role="${role}"` : ''}><h2>${title}</h2>${body}</div>`;
}

/** The "as of" control: a date field that reloads the page as of that date (replayed from the log). */
export function asOfControl(options: {
  action: string;
  asOf: string | undefined;
  error?: string;
  /** What was typed, kept when it was not a valid date. */
  typed?: string;
  keep?: Readonly<Record<string, string | undefined>>;
}): SafeHtml {
  const invalid = options.error !== undefined;
  return html`<form class="date-controle" method="get" action="${options.action}" aria-label="Afficher l’état à une date">
${Object.entries(options.keep ?? {}).map(([name, value]) => value !== undefined && value !== '' && html`<input type="hidden" name="${name}" value="${value}">`)}
<div class="champ${invalid ? ' en-erreur' : ''}">
<label for="champ-asOf">État au</label>
<span class="aide" id="aide-asOf">Revoir toute la page telle qu’elle était à cette date (JJ/MM/AAAA).</span>
${invalid && html`<p class="message-erreur" id="erreur-asOf">${options.error}</p>`}
<div class="saisie-bouton"><input type="text" class="date" inputmode="numeric" autocomplete="off" id="champ-asOf" name="asOf" value="${options.asOf ? formatDate(options.asOf) : (options.typed ?? '')}" aria-describedby="aide-asOf${invalid ? ' erreur-asOf' : ''}"${invalid ? html` aria-invalid="true"` : ''}>
<button type="submit" class="secondaire">Afficher</button>
${options.asOf && html`<a href="${options.action}${keepQuery(options.keep)}">Revenir à aujourd’hui</a>`}</div>
</div>
</form>`;
}

function keepQuery(keep: Readonly<Record<string, string | undefined>> | undefined): string {
  const parts = Object.entries(keep ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
  return parts.length === 0 ? '' : `?${parts.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}`;
}
