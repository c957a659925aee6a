import { isIsoDate } from '@jalon/domain';
import { formatDate, formatTimestamp } from '@jalon/reporting';
import { html, HtmlValue, SafeHtml } from '../html';
import { FieldSpec, FORMS, FormSpec, ListSpec, Option, OptionSource } from '../forms/form-catalogue';
import { FieldError, FormValues } from '../forms/form-input';
import { actorLabel, HistoryEntry } from '@jalon/queries';
import { csrfField } from './layout';

export type { Option } from '../forms/form-catalogue';

export interface FormConflict {
  readonly streamId: string;
  /** Revision the user's page was built on, and the stream's revision now. */
  readonly expected: number | 'no_stream';
  readonly actual: number | 'no_stream';
  readonly changes: readonly HistoryEntry[];
  /** The user who sent the form: changes all recorded by them (another tab, another window) are said to be theirs. */
  readonly userId?: string;
}

export interface FormModel {
  readonly form: FormSpec;
  readonly action: string;
  readonly back: { readonly href: string; readonly label: string };
  /** What the form is about (the antenna), shown under the title. */
  readonly subject?: string;
  readonly values: FormValues;
  readonly errors: readonly FieldError[];
  readonly options: Partial<Record<OptionSource, readonly Option[]>>;
  /** `stream=revision;…` of the streams the form may write to, as the page saw them. */
  readonly revisions: string;
  /** The key this drawing of the form is sent under (`_cle`): sent twice, it records once. */
  readonly submissionKey: string;
  readonly csrfToken: string;
  readonly timeZone: string;
  readonly domainError?: { readonly code: string; readonly message: string };
  readonly conflict?: FormConflict;
  /** Why the form cannot serve now (an antenna closed, already inaugurated; a programme already launched): shown instead of the form. */
  readonly unavailable?: string;
  /** Why a required choice has nothing to offer: the form is shown but cannot be submitted. */
  readonly nothingToChoose?: string;
}

export function controlId(name: string): string {
  return `champ-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** A command's form: labelled fields, messages next to them, the values kept, conflicts explained. */
export function formView(model: FormModel): SafeHtml {
  const { form, errors } = model;
  const fieldErrors = errors.filter((error) => error.field !== '');
  const formErrors = errors.filter((error) => error.field === '');
  const labelOf = (name: string) => {
    const field = form.fields.find((candidate) => candidate.name === name);
    if (!field) return name;
    const list = field.row ? form.lists.find((candidate) => field.row!.startsWith(`${candidate.path}.`)) : undefined;
    return list ? `${list.item} ${Number(field.row!.slice(list.path.length + 1)) + 1}, ${field.label.toLowerCase()}` : field.label;
  };

  if (model.unavailable) {
    return html`<h1>${form.title}</h1>
${model.subject && html`<p class="chapeau">${model.subject}</p>`}
<div class="alerte attention" role="status" id="indisponible"><h2>Ce formulaire ne peut pas servir maintenant</h2><p>${model.unavailable}</p></div>
<p><a href="${model.back.href}">${model.back.label}</a></p>`;
  }

  const blocks: HtmlValue[] = [];
  const seen = new Set<string>();
  for (const field of form.fields) {
    if (field.row !== undefined) {
      const list = form.lists.find((candidate) => field.row!.startsWith(`${candidate.path}.`));
      if (!list || seen.has(list.path)) continue;
      seen.add(list.path);
      blocks.push(listView(list, form.fields.filter((other) => other.row?.startsWith(`${list.path}.`)), model));
      continue;
    }
    if (field.group) {
      if (seen.has(field.group.path)) continue;
      seen.add(field.group.path);
      const members = form.fields.filter((other) => other.group?.path === field.group!.path && other.row === undefined);
      blocks.push(html`<fieldset class="groupe"><legend>${field.group.legend}</legend>${members.map((member) => fieldView(member, model))}</fieldset>`);
      continue;
    }
    blocks.push(fieldView(field, model));
  }
  const focusSummary = errors.length > 0;
  const focusDomain = !focusSummary && model.domainError !== undefined;

  return html`<h1>${form.title}</h1>
${model.subject && html`<p class="chapeau">${model.subject}</p>`}
<p>${form.intro}</p>
${model.conflict && conflictBox(model.conflict, model.timeZone)}
${model.domainError &&
  html`<div class="alerte erreur" role="alert" id="erreur-regle" tabindex="-1"${focusDomain ? html` autofocus` : ''}><h2>La saisie n’a pas été enregistrée</h2><p>${model.domainError.message}</p><p class="aide">Code : <span class="code">${model.domainError.code}</span></p></div>`}
${focusSummary &&
  html`<div class="alerte erreur" role="alert" id="resume-erreurs" tabindex="-1" autofocus><h2>${errors.length === 1 ? 'La saisie comporte une erreur' : `La saisie comporte ${errors.length} erreurs`}</h2><ul>
${fieldErrors.map((error) => html`<li><a href="#${controlId(error.field)}">${labelOf(error.field)} : ${error.message}</a></li>`)}
${formErrors.map((error) => html`<li>${error.message}</li>`)}
</ul></div>`}
${model.nothingToChoose && html`<div class="alerte attention" role="status" id="rien-a-choisir"><h2>Rien à choisir pour l’instant</h2><p>${model.nothingToChoose}</p></div>`}
<form method="post" action="${model.action}" novalidate>
${model.nothingToChoose ? '' : html`<button type="submit" class="sr" tabindex="-1" aria-hidden="true">${form.submit}</button>`}
${csrfField(model.csrfToken)}
<input type="hidden" name="_revisions" value="${model.revisions}">
<input type="hidden" name="_cle" value="${model.submissionKey}">
<p class="aide">Les champs marqués « obligatoire » doivent être remplis.</p>
${blocks}
<div class="formulaire-actions">${model.nothingToChoose ? '' : html`<button type="submit">${form.submit}</button>`}<a href="${model.back.href}">${model.back.label}</a></div>
</form>`;
}

/** A list of any length: one group per row, each with its « Retirer » button, and « Ajouter une ligne » (no script: the server draws the form again, what was typed kept). */
function listView(list: ListSpec, fields: readonly FieldSpec[], model: FormModel): SafeHtml {
  const rows = [...new Set(fields.map((field) => field.row!))];
  const errors = model.errors.filter((error) => error.field === list.path);
  const errorId = `erreur-${controlId(list.path)}`;
  return html`<fieldset class="liste" id="${controlId(list.path)}"${errors.length > 0 ? html` aria-describedby="${errorId}"` : ''}><legend>${list.label}${list.minItems > 0 ? html` <span class="obligatoire">(au moins ${list.minItems} ligne${list.minItems > 1 ? 's' : ''})</span>` : ''}</legend>
${list.hint && html`<p class="aide">${list.hint}</p>`}
<p class="aide">Une ligne laissée entièrement vide est ignorée ; les champs obligatoires le sont dans chaque ligne remplie.</p>
${errors.length > 0 && html`<p class="message-erreur" id="${errorId}"><span class="sr">Erreur : </span>${errors.map((error) => error.message).join(' ')}</p>`}
${rows.map((row, index) => {
    const legend = `${list.item} ${index + 1}`;
    return html`<fieldset class="ligne"><legend>${legend}</legend><div class="rangee">${fields.filter((field) => field.row === row).map((field) => fieldView(field, model))}</div>
${rows.length > 1 ? html`<button type="submit" class="secondaire petit" name="_action" value="retirer:${row}" formnovalidate>Retirer<span class="sr"> : ${legend}</span></button>` : ''}</fieldset>`;
  })}
${rows.length < list.maxItems && html`<button type="submit" class="secondaire" name="_action" value="ajouter:${list.path}" formnovalidate>Ajouter une ligne<span class="sr"> : ${list.label}</span></button>`}
</fieldset>`;
}

/** Every change listed was recorded by the user who sent the form. */
function byThemselves(conflict: FormConflict): boolean {
  return conflict.userId !== undefined && conflict.changes.length > 0 && conflict.changes.every((entry) => entry.actor === conflict.userId);
}

function conflictBox(conflict: FormConflict, timeZone: string): SafeHtml {
  return html`<div class="alerte attention" role="alert" id="conflit">
<h2>${byThemselves(conflict) ? 'Vous avez vous-même modifié ces données pendant cette saisie (dans un autre onglet ou une autre fenêtre)' : 'Quelqu’un d’autre a modifié ces données pendant votre saisie'}</h2>
<p>Votre saisie <strong>n’a pas été enregistrée</strong> : depuis l’ouverture de ce formulaire, ${
    conflict.changes.length === 0 ? 'd’autres faits ont été enregistrés' : `${conflict.changes.length} fait${conflict.changes.length > 1 ? 's ont été enregistrés' : ' a été enregistré'}`
  } sur les mêmes données. Voici ce qui a changé :</p>
${conflict.changes.length > 0 &&
  html`<ul>${conflict.changes.map(
    (entry) =>
      html`<li>${entry.changes}${entry.effectiveDate ? ` (date d’effet ${formatDate(entry.effectiveDate)})` : ''} — enregistré le ${formatTimestamp(entry.recordedAt, timeZone)} par ${actorLabel(entry)}${entry.reason ? ` ; motif : ${entry.reason}` : ''}.</li>`,
  )}</ul>`}
<p>Votre saisie est conservée ci-dessous et les listes reflètent l’état actuel. Vérifiez-la au regard de ces changements, puis enregistrez de nouveau si elle reste valable.</p>
</div>`;
}

function fieldView(field: FieldSpec, model: FormModel): SafeHtml {
  const id = controlId(field.name);
  const value = model.values[field.name] ?? '';
  const errors = model.errors.filter((error) => error.field === field.name);
  const invalid = errors.length > 0;
  const hintId = `aide-${id}`;
  const errorId = `erreur-${id}`;
  const describedBy = [field.hint ? hintId : '', invalid ? errorId : ''].filter(Boolean).join(' ');
  const aria = html`${describedBy ? html` aria-describedby="${describedBy}"` : ''}${invalid ? html` aria-invalid="true"` : ''}${field.required ? html` required aria-required="true"` : ''}`;
  const hint = field.hint ? html`<span class="aide" id="${hintId}">${field.hint}</span>` : '';
  const message = invalid ? html`<p class="message-erreur" id="${errorId}"><span class="sr">Erreur : </span>${errors.map((error) => error.message).join(' ')}</p>` : '';
  const label = html`<label for="${id}">${field.label}${field.required ? html` <span class="obligatoire">(obligatoire)</span>` : ''}</label>`;
  const classes = `champ${invalid ? ' en-erreur' : ''}`;

  switch (field.kind) {
    case 'checkbox':
      return html`<div class="${classes}"><div class="case"><input type="checkbox" id="${id}" name="${field.name}" value="on"${value !== '' ? html` checked` : ''}${aria}>${label}</div>${hint}${message}</div>`;
    case 'textarea':
    case 'lines':
      return html`<div class="${classes}">${label}${hint}${message}<textarea id="${id}" name="${field.name}" rows="${field.kind === 'lines' ? 4 : 3}"${aria}>${value}</textarea></div>`;
    case 'select': {
      const options = field.choices ?? (field.options ? (model.options[field.options] ?? []) : []);
      const known = options.some((option) => option.value === value);
      return html`<div class="${classes}">${label}${hint}${message}<select id="${id}" name="${field.name}"${aria}>
<option value="">${field.required ? '— Choisir —' : '— Aucun —'}</option>
${options.map((option) => html`<option value="${option.value}"${option.value === value ? html` selected` : ''}>${option.label}</option>`)}
${value !== '' && !known && html`<option value="${value}" selected>${value} (n’est plus proposé)</option>`}
</select>${options.length === 0 && html`<span class="aide">Aucun choix possible pour l’instant.</span>`}</div>`;
    }
    case 'date':
      // A text field in the French format (JJ/MM/AAAA) rather than the browser's date picker, whose
      // format follows the browser's language; ISO dates are accepted too.
      return html`<div class="${classes}">${label}${hint}${message}<input type="text" class="date" inputmode="numeric" autocomplete="off" id="${id}" name="${field.name}" value="${displayDate(value)}"${aria}></div>`;
    case 'money':
      return html`<div class="${classes}">${label}${hint}${message}<input type="text" class="montant" inputmode="decimal" id="${id}" name="${field.name}" value="${value}" autocomplete="off"${aria}> <span aria-hidden="true">€</span></div>`;
    case 'decimal':
      return html`<div class="${classes}">${label}${hint}${message}<input type="text" inputmode="decimal" id="${id}" name="${field.name}" value="${value}"${aria}></div>`;
    case 'integer':
      return html`<div class="${classes}">${label}${hint}${message}<input type="text" inputmode="numeric" id="${id}" name="${field.name}" value="${value}"${aria}></div>`;
    case 'text':
      return html`<div class="${classes}">${label}${hint}${message}<input type="text" id="${id}" name="${field.name}" value="${value}"${field.autocomplete ? html` autocomplete="${field.autocomplete}"` : ''}${aria}></div>`;
  }
}

/** An ISO date of the calendar as the French form shows it; anything else (`2021-02-30`) as typed. */
function displayDate(value: string): string {
  return isIsoDate(value) ? formatDate(value) : value;
}

/**
 * « Saisir un fait »: a link to every form of this scope that the person's role may use (the
 * role rules of the commands decide, see `mayRun`), by its title. A form in `unavailable` (by
 * slug: a programme's launch once one is launched, most forms of a closed antenna) is not offered:
 * after the forms offered, the menu says why, each reason once however many forms it holds back
 * (the paragraph takes the id of the first of them).
 */
export function formMenu(scope: FormSpec['scope'], base: string, may: ReadonlySet<string>, unavailable: ReadonlyMap<string, string> = new Map()): SafeHtml | '' {
  const forms = FORMS.filter((form) => form.scope === scope && (may.has(form.slug) || unavailable.has(form.slug)));
  if (forms.length === 0) return '';
  const offered = forms.filter((form) => !unavailable.has(form.slug));
  const reasons = new Map<string, string>();
  for (const form of forms) {
    const reason = unavailable.get(form.slug);
    if (reason !== undefined && !reasons.has(reason)) reasons.set(reason, form.slug);
  }
  // What can be done first, then why the rest cannot.
  return html`<nav aria-label="Saisir un fait" class="saisie"><h2>Saisir un fait</h2>${
    offered.length > 0 && html`<ul class="liste-actions">${offered.map((form) => html`<li><a class="bouton secondaire petit" href="${base}/${form.slug}">${form.title}</a></li>`)}</ul>`
  }${[...reasons].map(([reason, slug]) => html`<p class="aide" id="indisponible-${slug}">${reason}</p>`)}</nav>`;
}
