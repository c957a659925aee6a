import { formatDate, formatInteger } from '@jalon/reporting';
import { html, href, SafeHtml, segment } from '../html';
import { csrfField } from './layout';

/** The French name of each kind of fact a document may prove. */
export const SUBJECT_KIND_LABELS: Readonly<Record<string, string>> = {
  'funding-agreement': 'Accord de financement (convention signée…)',
  'tranche-release': 'Versement d’une tranche (avis de versement…)',
  'tranche-receipt': 'Réception d’une tranche (relevé bancaire…)',
  expenditure: 'Dépense (facture, devis…)',
  'budget-revision': 'Révision du budget (délibération…)',
};

/** The upload form's controls, by the name the form sends (the command's fields): the id of the control and its label. */
export const UPLOAD_CONTROLS: Readonly<Record<string, { readonly id: string; readonly label: string }>> = {
  file: { id: 'fichier', label: 'Fichier' },
  'subject.kind': { id: 'sujet', label: 'Ce que le document justifie' },
  'subject.agreementId': { id: 'accord', label: 'Accord de financement' },
  'subject.trancheId': { id: 'tranche', label: 'Tranche' },
  'subject.expenditureId': { id: 'depense', label: 'Dépense' },
  'subject.revision': { id: 'revision', label: 'Numéro de la révision du budget' },
  effectiveDate: { id: 'date-effet', label: 'Date' },
};

/** A document attached to a fact of the antenna, as the page lists it. */
export interface AttachedDocumentRow {
  readonly subject: string;
  readonly sha256: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
  readonly effectiveDate: string;
}

export interface DocumentsPageModel {
  readonly antennaId: string;
  /** The antenna's name and town. */
  readonly subject: string;
  readonly csrfToken: string;
  readonly documents: readonly AttachedDocumentRow[];
  /** The kinds of subject this user may attach a document to (none: no form). */
  readonly kinds: readonly string[];
  /** The antenna's agreements, named « label — funder ». */
  readonly agreements: readonly { readonly value: string; readonly label: string }[];
  /**
   * Every tranche of those agreements, named as every report names it (« agreement label — tranche
   * name »): the form posts its agreement and its tranche as two fields, so a tranche is offered by
   * its id, its agreement chosen in the list above.
   */
  readonly tranches: readonly { readonly agreementId: string; readonly value: string; readonly label: string }[];
  /** The antenna's expenditures, each with its description, date and amount. */
  readonly expenditures: readonly { readonly value: string; readonly label: string }[];
  readonly values: Readonly<Record<string, string>>;
  /** Why the last upload was refused, in French, with its code; `fields`: the messages about a control, by its name, shown beside it. */
  readonly formError?: { readonly message: string; readonly code: string; readonly fields?: Readonly<Record<string, string>> };
  readonly maxBytes: number;
  /** An attachment was made but the read models did not include it in time. */
  readonly staleRead?: boolean;
}

/** Where a document is downloaded through the session, under the name it was attached with. */
export function documentHref(sha256: string, fileName: string): string {
  return href(`/justificatifs/${segment(sha256)}`, { nom: fileName });
}

/**
 * An antenna's supporting documents: every file attached to its agreements, releases, receipts,
 * expenditures and budget revisions, each downloadable (checked against its SHA-256 before it is
 * sent), and a plain multipart form to attach one: it works without any script.
 */
export function documentsView(model: DocumentsPageModel): SafeHtml {
  const base = `/antennes/${segment(model.antennaId)}`;
  const v = (name: string) => model.values[name] ?? '';
  const mebibytes = Math.floor(model.maxBytes / (1024 * 1024));
  const fieldErrors = Object.entries(model.formError?.fields ?? {}).filter(([name]) => UPLOAD_CONTROLS[name] !== undefined);
  const errorOf = (name: string) => model.formError?.fields?.[name];
  const errorId = (name: string) => `erreur-${UPLOAD_CONTROLS[name]!.id}`;
  /** What a control says about itself: its hint, and its message when refused (`aria-describedby`, `aria-invalid`). */
  const described = (name: string) => {
    const ids = [`aide-${UPLOAD_CONTROLS[name]!.id}`, ...(errorOf(name) ? [errorId(name)] : [])].join(' ');
    return html` aria-describedby="${ids}"${errorOf(name) ? html` aria-invalid="true"` : ''}`;
  };
  const message = (name: string) => errorOf(name) && html`<p class="message-erreur" id="${errorId(name)}"><span class="sr">Erreur : </span>${errorOf(name)}</p>`;
  const champ = (name: string) => `champ${errorOf(name) ? ' en-erreur' : ''}`;
  // The summary links each message to its control (a group of choices: its first choice).
  // A tranche id may recur in two agreements: the one posted again is the posted agreement's.
  const chosen = (tranche: DocumentsPageModel['tranches'][number]) => tranche.value === v('subject.trancheId');
  const chosenTranche = Math.max(
    model.tranches.findIndex((tranche) => chosen(tranche) && tranche.agreementId === v('subject.agreementId')),
    model.tranches.findIndex(chosen),
  );
  const target = (name: string) => (name === 'subject.kind' ? `sujet-${model.kinds[0] ?? ''}` : UPLOAD_CONTROLS[name]!.id);
  // The anti-forgery token travels in the body, never in the address (proxies' logs, browser histories), and first:
  // it is checked as the form is read, before the file (session/upload-form.ts).
  return html`<h1>Justificatifs</h1>
<p class="chapeau">${model.subject}</p>
<p>Les pièces qui prouvent les faits enregistrés : convention signée, avis de versement, relevé bancaire, facture, délibération. Chaque fichier est conservé tel quel et identifié par son empreinte SHA-256, enregistrée dans le journal ; il n’est servi que s’il donne encore cette empreinte.</p>
${model.staleRead && html`<div class="alerte attention" role="status"><p>Votre saisie est enregistrée mais n’apparaît peut-être pas encore : rechargez la page dans un instant.</p></div>`}
${model.formError &&
  html`<div class="alerte erreur" role="alert" id="erreur-formulaire" tabindex="-1" autofocus><h2>Le justificatif n’a pas été joint</h2>${
    fieldErrors.length > 0
      ? html`<ul>${fieldErrors.map(([name, text]) => html`<li><a href="#${target(name)}">${UPLOAD_CONTROLS[name]!.label} : ${text}</a></li>`)}</ul><p class="aide">Code : <span class="code">${model.formError.code}</span></p>`
      : html`<p>${model.formError.message} <span class="code">${model.formError.code}</span></p>`
  }</div>`}
<section id="liste-justificatifs" aria-labelledby="titre-liste-justificatifs">
<h2 id="titre-liste-justificatifs">Pièces jointes</h2>
${model.documents.length === 0
    ? html`<p>Aucun justificatif n’est encore joint aux faits de cette antenne.</p>`
    : html`<div class="defilement" role="region" aria-label="Justificatifs" tabindex="0">
<table id="justificatifs">
<caption>Justificatifs de l’antenne : ${model.documents.length} pièce${model.documents.length > 1 ? 's' : ''}</caption>
<thead><tr><th scope="col">Fait justifié</th><th scope="col">Fichier</th><th scope="col" class="nombre">Taille</th><th scope="col">Joint le</th><th scope="col">Empreinte SHA-256</th></tr></thead>
<tbody>${model.documents.map(
        (row) => html`<tr><th scope="row">${row.subject}</th><td><a href="${documentHref(row.sha256, row.fileName)}" download>${row.fileName}</a></td><td class="nombre">${formatInteger(row.sizeBytes)} octets</td><td>${formatDate(row.effectiveDate)}</td><td><span class="code">${row.sha256.slice(0, 16)}…</span></td></tr>`,
      )}</tbody>
</table>
</div>`}
</section>
${model.kinds.length > 0 &&
  html`<section id="joindre" aria-labelledby="titre-joindre">
<h2 id="titre-joindre">Joindre un justificatif</h2>
<form method="post" action="${base}/justificatifs" enctype="multipart/form-data">
${csrfField(model.csrfToken)}
<div class="${champ('file')}"><label for="fichier">${UPLOAD_CONTROLS.file!.label} <span class="obligatoire">(obligatoire)</span></label><span class="aide" id="aide-fichier">PDF, PNG, JPEG, XLSX, ODS, CSV ou texte, ${mebibytes} Mio au plus ; le type est lu dans le contenu et l’extension du nom doit y correspondre.</span>${message('file')}
<input type="file" id="fichier" name="file" accept=".pdf,.png,.jpg,.jpeg,.xlsx,.ods,.csv,.txt" required aria-required="true"${described('file')}></div>
<fieldset class="groupe${errorOf('subject.kind') ? ' en-erreur' : ''}" id="sujet"${errorOf('subject.kind') ? html` aria-describedby="${errorId('subject.kind')}"` : ''}><legend>${UPLOAD_CONTROLS['subject.kind']!.label} <span class="obligatoire">(obligatoire)</span></legend>${message('subject.kind')}
${model.kinds.map(
    (kind) => html`<div class="case"><input type="radio" id="sujet-${kind}" name="subject.kind" value="${kind}"${v('subject.kind') === kind ? html` checked` : ''} required${errorOf('subject.kind') ? html` aria-invalid="true"` : ''}><label for="sujet-${kind}">${SUBJECT_KIND_LABELS[kind] ?? kind}</label></div>`,
  )}
</fieldset>
${model.kinds.some((kind) => kind !== 'expenditure' && kind !== 'budget-revision') &&
  html`<div class="${champ('subject.agreementId')}"><label for="accord">${UPLOAD_CONTROLS['subject.agreementId']!.label}</label><span class="aide" id="aide-accord">Pour un accord, un versement ou une réception.</span>${message('subject.agreementId')}
<select id="accord" name="subject.agreementId"${described('subject.agreementId')}><option value="">—</option>${model.agreements.map(
    (agreement) => html`<option value="${agreement.value}"${v('subject.agreementId') === agreement.value ? html` selected` : ''}>${agreement.label}</option>`,
  )}</select></div>
<div class="${champ('subject.trancheId')}"><label for="tranche">${UPLOAD_CONTROLS['subject.trancheId']!.label}</label><span class="aide" id="aide-tranche">Pour un versement ou une réception : la tranche, nommée avec son accord, à choisir aussi dans la liste des accords.</span>${message('subject.trancheId')}
<select id="tranche" name="subject.trancheId"${described('subject.trancheId')}><option value="">—</option>${model.tranches.map(
    (tranche, index) => html`<option value="${tranche.value}"${index === chosenTranche ? html` selected` : ''}>${tranche.label}</option>`,
  )}</select></div>`}
${model.kinds.includes('expenditure') &&
  html`<div class="${champ('subject.expenditureId')}"><label for="depense">${UPLOAD_CONTROLS['subject.expenditureId']!.label}</label><span class="aide" id="aide-depense">Pour une dépense.</span>${message('subject.expenditureId')}
<select id="depense" name="subject.expenditureId"${described('subject.expenditureId')}><option value="">—</option>${model.expenditures.map(
    (expenditure) => html`<option value="${expenditure.value}"${v('subject.expenditureId') === expenditure.value ? html` selected` : ''}>${expenditure.label}</option>`,
  )}</select></div>
<div class="${champ('subject.revision')}"><label for="revision">${UPLOAD_CONTROLS['subject.revision']!.label}</label><span class="aide" id="aide-revision">Pour une révision : 1 pour la première.</span>${message('subject.revision')}
<input type="text" inputmode="numeric" id="revision" name="subject.revision" value="${v('subject.revision')}" autocomplete="off"${described('subject.revision')}></div>`}
<div class="${champ('effectiveDate')}"><label for="date-effet">${UPLOAD_CONTROLS.effectiveDate!.label}</label><span class="aide" id="aide-date-effet">Le jour où la pièce est jointe (JJ/MM/AAAA) ; aujourd’hui si vide.</span>${message('effectiveDate')}
<input type="text" class="date" inputmode="numeric" autocomplete="off" id="date-effet" name="effectiveDate" value="${v('effectiveDate')}"${described('effectiveDate')}></div>
<div class="formulaire-actions"><button type="submit">Joindre le justificatif</button><a href="${base}">Revenir à l’antenne</a></div>
</form>
</section>`}`;
}
