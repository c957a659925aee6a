import type { ReportOf } from '@jalon/queries';
import { AUDITED_EVENT_TYPES, formatDate, formatInteger, formatTimestamp, historyEventLabel, ROLE_LABELS } from '@jalon/reporting';
import { href, html, SafeHtml } from '../html';

/** What the journal's form asked for, read from the address (French names, typed values kept). */
export interface JournalQuery {
  /** Effective dates from / to, `YYYY-MM-DD`, when valid. */
  readonly from?: string;
  readonly to?: string;
  readonly antennaId?: string;
  readonly actor?: string;
  readonly eventType?: string;
  readonly page: number;
  /** The page the address asked for, when it was past the last one (`page` is then the last). */
  readonly pastLastPage?: number;
  /** What was typed in the date fields, kept when it was not a valid date. */
  readonly typed: { readonly du?: string; readonly au?: string };
  /** A French message per field in error (`du`, `au`, `antenne`, `par`, `evenement`). */
  readonly errors: Readonly<Record<string, string>>;
}

export const JOURNAL_PATH = '/journal';
export const JOURNAL_PAGE_SIZE = 50;

/** The journal's filters, by their name in its address, as their fields are labelled (the page, and an export's refusal). */
export const JOURNAL_FILTER_LABELS = {
  du: 'Date d’effet à partir du',
  au: 'Date d’effet jusqu’au',
  antenne: 'Antenne',
  par: 'Enregistré par',
  evenement: 'Type de fait',
} as const;

/** The journal's filters as address parameters (what the form sends, what links and exports keep). */
export function journalParameters(query: JournalQuery): Record<string, string | undefined> {
  return {
    du: query.from ? formatDate(query.from) : undefined,
    au: query.to ? formatDate(query.to) : undefined,
    antenne: query.antennaId,
    par: query.actor,
    evenement: query.eventType,
  };
}

const roleLabel = (role: string): string => (ROLE_LABELS as Readonly<Record<string, string>>)[role] ?? role;

/**
 * « Journal d’audit »: every fact of the programme, the most recent first, filtered by effective
 * dates, antenna, who recorded it and kind of fact, 50 a page; the same filters export as CSV and
 * XLSX. A plain GET form: it works without JavaScript.
 */
export function journalView(model: { readonly query: JournalQuery; readonly report: ReportOf<'history'>; readonly timeZone: string }): SafeHtml {
  const { query, report, timeZone } = model;
  const data = report.data;
  const filters = journalParameters(query);
  const error = (field: string) => query.errors[field];
  const described = (field: string, help?: string) =>
    [help ? `aide-${field}` : undefined, error(field) ? `erreur-${field}` : undefined].filter((id): id is string => id !== undefined).join(' ');
  const field = (name: string, label: string, control: SafeHtml, help?: string) => html`<div class="champ${error(name) ? ' en-erreur' : ''}">
<label for="champ-${name}">${label}</label>
${help && html`<span class="aide" id="aide-${name}">${help}</span>`}
${error(name) && html`<p class="message-erreur" id="erreur-${name}">${error(name)}</p>`}
${control}
</div>`;
  const attributes = (name: string, help?: string) => {
    const ids = described(name, help);
    return html`id="champ-${name}" name="${name}"${ids ? html` aria-describedby="${ids}"` : ''}${error(name) ? html` aria-invalid="true"` : ''}`;
  };
  const dateField = (name: 'du' | 'au', label: string, value: string | undefined) =>
    field(name, label, html`<input type="text" class="date" inputmode="numeric" autocomplete="off" ${attributes(name, 'JJ/MM/AAAA')} value="${value ? formatDate(value) : (query.typed[name] ?? '')}">`, 'JJ/MM/AAAA');
  const select = (name: string, label: string, all: string, options: readonly { readonly value: string; readonly label: string }[], selected: string | undefined) =>
    field(
      name,
      label,
      html`<select ${attributes(name)}><option value="">${all}</option>${options.map((option) => html`<option value="${option.value}"${option.value === selected ? ' selected' : ''}>${option.label}</option>`)}</select>`,
    );
  const eventOptions = AUDITED_EVENT_TYPES.map((type) => ({ value: type, label: historyEventLabel(type) })).sort((a, b) => a.label.localeCompare(b.label, 'fr'));
  const anyFilter = Object.values(filters).some((value) => value !== undefined);
  // Filtered on one antenna, the report leaves out the « Concerne » column: every row concerns it.
  const antennaName = data.choices.antennas.find((a) => a.antennaId === query.antennaId)?.name ?? '';
  const pageLink = (page: number) => href(JOURNAL_PATH, { ...filters, ...(page > 1 ? { page: String(page) } : {}) });

  return html`<h1>Journal d’audit</h1>
<p class="chapeau">Chaque fait enregistré dans le programme, du plus récent au plus ancien : sa date d’effet, quand et par qui il a été enregistré, ce qu’il concerne et, pour une correction, pourquoi. Rien n’est jamais modifié ni effacé.</p>
<form class="filtres" method="get" action="${JOURNAL_PATH}">
<fieldset>
<legend>Filtrer le journal</legend>
<div class="grille-filtres">
${dateField('du', JOURNAL_FILTER_LABELS.du, query.from)}
${dateField('au', JOURNAL_FILTER_LABELS.au, query.to)}
${select('antenne', JOURNAL_FILTER_LABELS.antenne, 'Toutes les antennes', data.choices.antennas.map((a) => ({ value: a.antennaId, label: a.name })), query.antennaId)}
${select('par', JOURNAL_FILTER_LABELS.par, 'Tout le monde', data.choices.actors.map((a) => ({ value: a.actor, label: `${a.name ?? 'Sans nom'} (${roleLabel(a.role)})` })), query.actor)}
${select('evenement', JOURNAL_FILTER_LABELS.evenement, 'Tous les types', eventOptions, query.eventType)}
</div>
<div class="liste-actions"><button type="submit">Filtrer</button>${anyFilter && html`<a href="${JOURNAL_PATH}">Effacer les filtres</a>`}</div>
</fieldset>
</form>
<p role="status" id="journal-resume">${query.pastLastPage !== undefined ? `La page ${formatInteger(query.pastLastPage)} n’existe pas : voici la dernière. ` : ''}${data.total === 0 ? 'Aucun fait ne correspond.' : `${formatInteger(data.total)} fait${data.total > 1 ? 's' : ''}${anyFilter ? ' correspondant à ces filtres' : ''} — page ${data.page} sur ${data.pageCount}.`}</p>
<p class="liste-actions">Exporter ${anyFilter ? 'ces faits' : 'tout le journal'} (toutes les pages) :
<a class="bouton secondaire" href="${href(`${JOURNAL_PATH}/export.csv`, filters)}">CSV</a>
<a class="bouton secondaire" href="${href(`${JOURNAL_PATH}/export.xlsx`, filters)}">XLSX</a></p>
<div class="defilement" role="region" aria-label="Journal d’audit" tabindex="0">
<table id="journal-table">
<caption>Journal d’audit, du plus récent au plus ancien${data.pageCount > 1 ? ` (page ${data.page} sur ${data.pageCount})` : ''}</caption>
<thead><tr><th scope="col">Date d’effet</th><th scope="col">Enregistré le</th><th scope="col">Par</th><th scope="col">Concerne</th><th scope="col">Événement</th><th scope="col">Motif</th><th scope="col">Ce qui a été enregistré</th></tr></thead>
<tbody>${report.tables[0]!.rows.length === 0
    ? html`<tr><td colspan="7">Aucun fait.</td></tr>`
    : report.tables[0]!.rows.map(
        (row) => html`<tr>
<th scope="row">${typeof row.effectiveDate === 'string' ? formatDate(row.effectiveDate) : '—'}</th>
<td>${typeof row.recordedAt === 'string' ? formatTimestamp(row.recordedAt, timeZone) : ''}</td>
<td>${row.actor}<br><span class="aide">${row.role}</span></td>
<td>${row.subject ?? antennaName}</td>
<td>${row.event}</td>
<td>${row.reason ?? '—'}</td>
<td>${row.changes}</td>
</tr>`,
      )}</tbody>
</table>
</div>
${data.pageCount > 1 &&
  html`<nav class="pagination" aria-label="Pages du journal"><ul class="liste-actions">
${data.page > 1 && html`<li><a href="${pageLink(data.page - 1)}" rel="prev">Page précédente</a></li>`}
<li><span aria-current="page">Page ${data.page} sur ${data.pageCount}</span></li>
${data.page < data.pageCount && html`<li><a href="${pageLink(data.page + 1)}" rel="next">Page suivante</a></li>`}
</ul></nav>`}`;
}
