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
  readonly agreements: readonly { readonly value: string; readonly label: string }[];
  readonly expenditures: readonly string[];
  readonly values: Readonly<Record<string, string>>;
  /** Why the last upload was refused, in French, with its code. */
  readonly formError?: { readonly message: string; readonly code: string };
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
  // The anti-forgery token travels in the body, never in the address (proxies' logs, browser histories), and first:
  // it is checked as the form is read, before the file (session/upload-form.ts).
  return html`<h1>Justificatifs</h1>
<p class="chapeau">${model.subject}</p>
<p>Les pièces qui prouvent les faits enregistrés : convention signée, avis de versement, relevé bancaire, facture, délibération. Chaque fichier est conservé tel quel et identifié par son empreinte SHA-256, enregistrée dans le journal ; il n’est servi que s’il donne encore cette empreinte.</p>
${model.staleRead && html`<div class="alerte attention" role="status"><p>Votre saisie est enregistrée mais n’apparaît peut-être pas encore : rechargez la page dans un instant.</p></div>`}
${model.formError && html`<div class="alerte erreur" role="alert" id="erreur-formulaire" tabindex="-1" autofocus><h2>Le justificatif n’a pas été joint</h2><p>${model.formError.message} <span class="code">${model.formError.code}</span></p></div>`}
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
<div class="champ"><label for="fichier">Fichier <span class="obligatoire">(obligatoire)</span></label><span class="aide" id="aide-fichier">PDF, PNG, JPEG, XLSX, ODS, CSV ou texte, ${mebibytes} Mio au plus ; le type est lu dans le contenu et l’extension du nom doit y correspondre.</span>
<input type="file" id="fichier" name="file" accept=".pdf,.png,.jpg,.jpeg,.xlsx,.ods,.csv,.txt" required aria-required="true" aria-describedby="aide-fichier"></div>
<fieldset class="groupe"><legend>Ce que le document justifie <span class="obligatoire">(obligatoire)</span></legend>
${model.kinds.map(
    (kind) => html`<div class="case"><input type="radio" id="sujet-${kind}" name="subject.kind" value="${kind}"${v('subject.kind') === kind ? html` checked` : ''} required><label for="sujet-${kind}">${SUBJECT_KIND_LABELS[kind] ?? kind}</label></div>`,
  )}
</fieldset>
${model.kinds.some((kind) => kind !== 'expenditure' && kind !== 'budget-revision') &&
  html`<div class="champ"><label for="accord">Accord de financement</label><span class="aide" id="aide-accord">Pour un accord, un versement ou une réception.</span>
<select id="accord" name="subject.agreementId" aria-describedby="aide-accord"><option value="">—</option>${model.agreements.map(
    (agreement) => html`<option value="${agreement.value}"${v('subject.agreementId') === agreement.value ? html` selected` : ''}>${agreement.label}</option>`,
  )}</select></div>
<div class="champ"><label for="tranche">Tranche</label><span class="aide" id="aide-tranche">Pour un versement ou une réception : son identifiant (ex. tranche-2).</span>
<input type="text" id="tranche" name="subject.trancheId" value="${v('subject.trancheId')}" autocomplete="off" aria-describedby="aide-tranche"></div>`}
${model.kinds.includes('expenditure') &&
  html`<div class="champ"><label for="depense">Dépense</label><span class="aide" id="aide-depense">Pour une dépense.</span>
<select id="depense" name="subject.expenditureId" aria-describedby="aide-depense"><option value="">—</option>${model.expenditures.map(
    (id) => html`<option value="${id}"${v('subject.expenditureId') === id ? html` selected` : ''}>${id}</option>`,
  )}</select></div>
<div class="champ"><label for="revision">Numéro de la révision du budget</label><span class="aide" id="aide-revision">Pour une révision : 1 pour la première.</span>
<input type="text" inputmode="numeric" id="revision" name="subject.revision" value="${v('subject.revision')}" autocomplete="off" aria-describedby="aide-revision"></div>`}
<div class="champ"><label for="date-effet">Date</label><span class="aide" id="aide-date-effet">Le jour où la pièce est jointe (JJ/MM/AAAA) ; aujourd’hui si vide.</span>
<input type="text" class="date" inputmode="numeric" autocomplete="off" id="date-effet" name="effectiveDate" value="${v('effectiveDate')}" aria-describedby="aide-date-effet"></div>
<div class="formulaire-actions"><button type="submit">Joindre le justificatif</button><a href="${base}">Revenir à l’antenne</a></div>
</form>
</section>`}`;
}

/** The fact a document proves, in French. */
export function subjectLabel(subject: Readonly<Record<string, unknown>>): string {
  switch (subject.kind) {
    case 'funding-agreement':
      return `Accord ${String(subject.agreementId)}`;
    case 'tranche-release':
      return `Versement de ${String(subject.trancheId)} (accord ${String(subject.agreementId)})`;
    case 'tranche-receipt':
      return `Réception de ${String(subject.trancheId)} (accord ${String(subject.agreementId)})`;
    case 'expenditure':
      return `Dépense ${String(subject.expenditureId)}`;
    case 'budget-revision':
      return `Révision n° ${String(subject.revision)} du budget`;
    default:
      return String(subject.kind);
  }
}
