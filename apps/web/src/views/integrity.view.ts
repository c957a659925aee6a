import type { LastVerification, PublicSealKey } from '@jalon/core';
import { formatTimestamp } from '@jalon/reporting';
import { href, html, SafeHtml } from '../html';
import { badge } from './components';

/** Problems listed on the page; all are counted. */
const PROBLEMS_SHOWN = 50;

/** Where the dashboard serves the verifiable audit export (the whole programme, or `?antenne=`). */
export const AUDIT_EXPORT_PATH = '/integrite/export-verifiable';

export function auditExportHref(antennaId?: string): string {
  return href(AUDIT_EXPORT_PATH, { antenne: antennaId });
}

export interface IntegrityModel {
  readonly key: PublicSealKey;
  readonly verification: LastVerification;
  readonly timeZone: string;
  /** Auditors and administrators may download the verifiable export. */
  readonly mayExport: boolean;
}

/** A moment the French way, with its time: `22/06/2022 à 14:05` (Paris time by default). */
export function formatMoment(iso: string, timeZone: string): string {
  return formatTimestamp(iso, timeZone).replace(' ', ' à ');
}

const STATE_LABELS: Readonly<Record<LastVerification['state'], string>> = {
  arrêté: 'la vérification continue n’est pas lancée dans ce service',
  'vérification initiale': 'vérification du journal entier en cours (démarrage)',
  'suivi du journal': 'chaque nouvel événement est vérifié dès son enregistrement',
};

/** The integrity page: the last verification (a failure first and prominently), the last seal, the public key, the export. */
export function integrityView(model: IntegrityModel): SafeHtml {
  const { report, verifiedAt, state } = model.verification;
  const failed = report !== undefined && !report.ok;
  return html`<h1>Intégrité du journal</h1>
<p class="chapeau">Chaque fait enregistré porte l’empreinte de son contenu et celle du fait précédent de son flux ; le journal entier est régulièrement scellé par une signature Ed25519. Le service vérifie tout le journal à son démarrage, puis chaque événement dès qu’il est enregistré.</p>
${failed && failureAlert(model)}
<section id="verification" aria-labelledby="titre-verification">
<h2 id="titre-verification">Dernière vérification</h2>
${report === undefined
    ? html`<p>Aucune vérification n’a encore abouti dans ce service (${STATE_LABELS[state]}).</p>`
    : html`<dl class="proprietes empilables">
<dt>Résultat</dt><dd>${report.ok ? badge('active', 'Intact') : badge('closed', 'Altéré')} ${report.ok ? 'aucun problème : chaque empreinte, chaque chaîne et chaque sceau se vérifient' : `${report.problemCount} problème${report.problemCount > 1 ? 's' : ''} (détail ci-dessus)`}</dd>
<dt>Vérifié le</dt><dd>${verifiedAt ? formatMoment(verifiedAt.toISOString(), model.timeZone) : 'en cours'}</dd>
<dt>Jusqu’à la position</dt><dd>${report.lastPosition ?? '0'}</dd>
<dt>Événements vérifiés</dt><dd>${report.events} événement${report.events > 1 ? 's' : ''} dans ${report.streams} flux</dd>
${report.beforeChain > 0 && html`<dt>Antérieurs à la chaîne</dt><dd>${report.beforeChain} événement${report.beforeChain > 1 ? 's' : ''} sans empreinte, garantis seulement par le premier sceau qui les couvre</dd>`}
${report.unreadable > 0 && html`<dt>Illisibles</dt><dd>${report.unreadable}</dd>`}
<dt>Suivi</dt><dd>${STATE_LABELS[state]}</dd>
</dl>`}
</section>

<section id="sceau" aria-labelledby="titre-sceau">
<h2 id="titre-sceau">Dernier sceau</h2>
${report?.lastSeal
    ? html`<dl class="proprietes empilables">
<dt>Événements couverts</dt><dd>les ${report.lastSeal.treeSize} premiers événements du journal</dd>
<dt>Scellé le</dt><dd>${formatMoment(report.lastSeal.sealedAt, model.timeZone)}</dd>
<dt>Position du sceau</dt><dd>${report.lastSeal.position}</dd>
<dt>Racine de l’arbre</dt><dd class="empreinte">${report.lastSeal.rootHash}</dd>
<dt>Non encore scellés</dt><dd>${report.eventsAfterLastSeal} événement${report.eventsAfterLastSeal > 1 ? 's' : ''} depuis ce sceau (leurs empreintes et chaînes sont vérifiées ; le prochain sceau les couvrira)</dd>
</dl>`
    : html`<p>Aucun sceau n’a encore été lu dans le journal.</p>`}
${model.verification.lastSealFailure && html`<div class="alerte attention" role="status"><p>Le dernier scellement a échoué : ${model.verification.lastSealFailure}</p></div>`}
</section>

<section id="cle" aria-labelledby="titre-cle">
<h2 id="titre-cle">Clé publique de scellement</h2>
<p>Les sceaux sont signés avec la clé privée du service ; leur signature se vérifie avec cette clé publique. Un contrôleur la conserve, de préférence obtenue par un autre canal (courrier, site du programme), pour vérifier hors ligne un export : il ne fait alors confiance qu’à elle, pas au fichier.</p>
<dl class="proprietes empilables">
<dt>Algorithme</dt><dd>Ed25519</dd>
<dt>Empreinte de la clé</dt><dd class="empreinte" id="empreinte-cle">${model.key.keyId}</dd>
<dt>Clé publique</dt><dd class="empreinte" id="cle-publique">${model.key.publicKey}</dd>
</dl>
<p class="aide">L’empreinte (identifiant de clé) est le SHA-256 de la clé publique ; elle figure dans chaque sceau. La clé est aussi servie, sans jeton, à l’adresse <a href="/api/integrity/public-key">/api/integrity/public-key</a>.</p>
<h3>Vérifier un export</h3>
<p>Avec l’outil en ligne de commande de Jalon, sur le fichier téléchargé :</p>
<pre class="commande" id="commande-verification"><code>jalon verify-export FICHIER --public-key ${model.key.publicKey}</code></pre>
<p class="aide">La commande recalcule l’empreinte de chaque événement, sa preuve d’inclusion sous le sceau signé, la signature de ce sceau et celle du fichier entier, qui montre qu’aucune ligne n’en a été retirée ; elle répond « Export d’audit vérifié » ou nomme chaque ligne qui ne se vérifie pas.</p>
</section>

<section id="export" aria-labelledby="titre-export">
<h2 id="titre-export">Export vérifiable</h2>
${model.mayExport
    ? html`<p>La piste d’audit de tout le programme (hors comptes utilisateurs), chaque événement avec son empreinte et sa preuve d’inclusion sous le dernier sceau, au format JSON lines. L’export d’une seule antenne se télécharge depuis sa page.</p>
<p><a class="bouton" href="${auditExportHref()}" download>Télécharger l’export vérifiable</a></p>`
    : html`<p>Le téléchargement de l’export vérifiable est réservé aux rôles Audit et Administration.</p>`}
</section>`;
}

function failureAlert(model: IntegrityModel): SafeHtml {
  const report = model.verification.report!;
  const shown = report.problems.slice(0, PROBLEMS_SHOWN);
  const more = report.problemCount - shown.length;
  return html`<div class="alerte erreur journal-altere" role="alert" id="verification-echouee">
<h2>Le journal ne se vérifie pas : ${report.problemCount} problème${report.problemCount > 1 ? 's' : ''}</h2>
<p>Des événements enregistrés ont été modifiés, supprimés, déplacés ou ajoutés hors du service. Aucun nouveau sceau, aucun export vérifiable ni aucune preuve n’est produit tant que le journal ne se vérifie pas. Lancez <span class="code">jalon verify</span> et prévenez l’administrateur.</p>
<div class="defilement" role="region" aria-label="Problèmes trouvés" tabindex="0">
<table id="problemes">
<caption>Problèmes trouvés, dans l’ordre du journal</caption>
<thead><tr><th scope="col">Position</th><th scope="col">Flux</th><th scope="col" class="nombre">Révision</th><th scope="col">Problème</th></tr></thead>
<tbody>${shown.map(
    (problem) => html`<tr><th scope="row">${problem.position ?? '—'}</th><td>${problem.streamId ?? '—'}</td><td class="nombre">${problem.revision ?? '—'}</td><td>${problem.message}</td></tr>`,
  )}</tbody>
</table>
</div>
${more > 0 && html`<p>Et ${more} autre${more > 1 ? 's' : ''} problème${more > 1 ? 's' : ''} : <span class="code">jalon verify</span> les nomme tous.</p>`}
</div>`;
}
