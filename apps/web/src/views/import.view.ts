import { ImportProblem, layoutOf, SHEET_KINDS, SheetImportOutcome, SheetKind, templateFileName } from '@jalon/application';
import { html, SafeHtml, segment } from '../html';
import { csrfField } from './layout';

export const SHEET_KIND_LABELS: Readonly<Record<SheetKind, string>> = {
  budget: 'Lignes du budget prévisionnel (par année et par catégorie)',
  expenditures: 'Dépenses (une par ligne)',
};

/** Where a template is downloaded from, through the session: `/import/modeles/jalon-modele-budget.xlsx`. */
export function templatePath(kind: SheetKind, format: 'xlsx' | 'csv'): string {
  return `/import/modeles/${templateFileName(kind, format)}`;
}

export interface ImportPageModel {
  readonly antennaId: string;
  /** The antenna's name and town. */
  readonly subject: string;
  readonly csrfToken: string;
  readonly values: { readonly kind: SheetKind; readonly effectiveDate: string; readonly reason: string };
  /** The file's problems (unreadable, or its rows), by row and column: nothing was written. */
  readonly problems?: readonly ImportProblem[];
  readonly unreadable?: boolean;
  /** A file missing from the form, or another error of the form itself. */
  readonly formError?: string;
  /** A dry run that found no problem. */
  readonly checked?: SheetImportOutcome;
  readonly fileName?: string;
}

/**
 * The import page of an antenna: the two kinds of sheet with their columns and templates, a form
 * with a file field, « Vérifier » (dry run) and « Importer », and every problem listed by row,
 * column and rule. A plain multipart form: it works without any script.
 */
export function importView(model: ImportPageModel): SafeHtml {
  const base = `/antennes/${segment(model.antennaId)}`;
  const problems = model.problems ?? [];
  const values = model.values;
  // The anti-forgery token travels in the body, never in the address (proxies' logs, browser histories), and first:
  // it is checked as the form is read, before the file (session/upload-form.ts).
  return html`<h1>Importer un tableur</h1>
<p class="chapeau">${model.subject}</p>
<p>Un tableur XLSX ou CSV (UTF-8, séparateur point-virgule) de lignes du budget prévisionnel ou de dépenses. Chaque ligne passe par les mêmes contrôles que la saisie d’un fait ; rien n’est enregistré tant qu’une ligne est invalide, et importer de nouveau le même fichier n’enregistre rien.</p>
${problems.length > 0 &&
  html`<div class="alerte erreur" role="alert" id="problemes-import" tabindex="-1" autofocus><h2>${
    model.unreadable ? 'Le fichier n’a pas pu être lu' : `Le tableur comporte ${problems.length === 1 ? 'un problème' : `${problems.length} problèmes`} : rien n’a été enregistré`
  }</h2>${model.fileName && html`<p>Fichier : ${model.fileName}. Corrigez-le, puis choisissez-le de nouveau.</p>`}</div>
<div class="defilement" role="region" aria-label="Problèmes du tableur" tabindex="0">
<table id="problemes">
<caption>Problèmes par ligne et par colonne</caption>
<thead><tr><th scope="col">Ligne</th><th scope="col">Colonne</th><th scope="col">Problème</th><th scope="col">Règle</th></tr></thead>
<tbody>${problems.map(
    (problem) => html`<tr><td>${problem.row === undefined ? '—' : String(problem.row)}</td><td>${problem.column ?? '—'}</td><td>${problem.message}</td><td><span class="code">${problem.rule}</span></td></tr>`,
  )}</tbody>
</table>
</div>`}
${model.formError && html`<div class="alerte erreur" role="alert" id="erreur-formulaire" tabindex="-1" autofocus><h2>Le tableur n’a pas été importé</h2><p>${model.formError}</p></div>`}
${model.checked &&
  html`<div class="alerte succes" role="status" id="verification" tabindex="-1" autofocus><h2>Vérification réussie : rien n’a été enregistré</h2><p>${checkedSummary(model.checked)}${
    model.fileName ? ` (fichier ${model.fileName})` : ''
  } Choisissez de nouveau le fichier et cliquez sur « Importer » pour l’enregistrer.</p></div>`}
<form method="post" action="${base}/import" enctype="multipart/form-data">
${csrfField(model.csrfToken)}
<fieldset class="groupe"><legend>Type de tableur <span class="obligatoire">(obligatoire)</span></legend>
${SHEET_KINDS.map(
    (kind) => html`<div class="case"><input type="radio" id="type-${kind}" name="kind" value="${kind}"${values.kind === kind ? html` checked` : ''}><label for="type-${kind}">${SHEET_KIND_LABELS[kind]}</label></div>`,
  )}
</fieldset>
<div class="champ"><label for="fichier">Fichier XLSX ou CSV <span class="obligatoire">(obligatoire)</span></label><span class="aide" id="aide-fichier">500 lignes au plus, 1 Mio au plus.</span>
<input type="file" id="fichier" name="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required aria-required="true" aria-describedby="aide-fichier"></div>
<fieldset class="groupe"><legend>Budget prévisionnel seulement</legend>
<div class="champ"><label for="date-effet">Date d’effet</label><span class="aide" id="aide-date-effet">Le jour où le prévisionnel, ou sa révision, prend effet (JJ/MM/AAAA).</span>
<input type="text" class="date" inputmode="numeric" autocomplete="off" id="date-effet" name="effectiveDate" value="${values.effectiveDate}" aria-describedby="aide-date-effet"></div>
<div class="champ"><label for="motif">Motif de la révision</label><span class="aide" id="aide-motif">Obligatoire si le prévisionnel de l’antenne est déjà établi : le tableur le remplace alors en entier.</span>
<textarea id="motif" name="reason" rows="2" aria-describedby="aide-motif">${values.reason}</textarea></div>
</fieldset>
<div class="formulaire-actions"><button type="submit" name="_action" value="verifier" class="secondaire">Vérifier</button><button type="submit" name="_action" value="importer">Importer</button><a href="${base}#budget">Revenir à l’antenne sans importer</a></div>
</form>
<section id="colonnes" aria-labelledby="titre-colonnes">
<h2 id="titre-colonnes">Colonnes attendues et modèles</h2>
<p>La première ligne porte les titres des colonnes, dans n’importe quel ordre. Montants en euros (30 000,00), dates au format JJ/MM/AAAA.</p>
${SHEET_KINDS.map((kind) => {
    const layout = layoutOf(kind);
    return html`<h3>${SHEET_KIND_LABELS[kind]}</h3>
<p class="liste-actions"><a class="bouton secondaire petit" href="${templatePath(kind, 'xlsx')}">Télécharger le modèle XLSX</a> <a class="bouton secondaire petit" href="${templatePath(kind, 'csv')}">Télécharger le modèle CSV</a></p>
<dl class="proprietes">${layout.columns.map((column) => html`<dt>${column.heading}${column.required ? '' : ' (facultatif)'}</dt><dd>${column.description} ; ex. ${column.example}</dd>`)}</dl>`;
  })}
</section>`;
}

function checkedSummary(outcome: SheetImportOutcome): string {
  const rows = `${outcome.rows} ligne${outcome.rows > 1 ? 's' : ''} valide${outcome.rows > 1 ? 's' : ''}`;
  if (outcome.events === 0) return `${rows}, toutes déjà enregistrées à l’identique : l’import n’enregistrerait rien.`;
  const known = outcome.alreadyRecorded > 0 ? `, dont ${outcome.alreadyRecorded} déjà enregistrée${outcome.alreadyRecorded > 1 ? 's' : ''}` : '';
  return `${rows}${known} ; l’import enregistrerait ${outcome.events} fait${outcome.events > 1 ? 's' : ''}.`;
}
