import { formatDate, formatInteger } from '@jalon/reporting';
import { html, SafeHtml } from '../html';

/** The dashboard's conformity status, as the statement and every page's footer say it. */
export const ACCESSIBILITY_STATUS = 'partiellement conforme';
export const ACCESSIBILITY_STATEMENT_PATH = '/accessibilite';
/** The day this statement was written (to update with it). */
export const ACCESSIBILITY_STATEMENT_DATE = '2026-12-03';

/**
 * The accessibility statement (« déclaration d’accessibilité »), after the RGAA 4.1 model: scope,
 * conformity status, what was tested and how, the known non-conformities, how to report a
 * problem, and the recourse to the Défenseur des droits. It says « partiellement conforme »
 * because no complete RGAA audit was made: automated checks and partial manual ones only.
 * It states only what the programme's sources support: they give no postal address for the Cnam,
 * so the contact is the Jalon administrator who issued the reader's token; the one postal address
 * is the Défenseur des droits' free-post one, which the RGAA model prescribes for the recourse.
 */
export function accessibilityStatementView(): SafeHtml {
  return html`<h1>Déclaration d’accessibilité</h1>
<p class="chapeau">Le Cnam (Conservatoire national des arts et métiers) s’engage à rendre ses services numériques accessibles, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005.</p>
<p>Cette déclaration d’accessibilité s’applique au tableau de bord Jalon, suivi du programme « Au cœur des territoires » (pages servies à l’adresse de ce service : avancement du programme, antennes, financements, échéancier, intégrité du journal, utilisateurs, connexion et formulaires).</p>

<section aria-labelledby="titre-etat">
<h2 id="titre-etat">État de conformité</h2>
<p>Le tableau de bord Jalon est <strong>${ACCESSIBILITY_STATUS}</strong> avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1, en raison des non-conformités énumérées ci-dessous.</p>
</section>

<section aria-labelledby="titre-resultats">
<h2 id="titre-resultats">Résultats des tests</h2>
<p>Aucun audit complet des critères du RGAA n’a encore été réalisé : le taux de conformité n’est pas mesuré. L’état ci-dessus s’appuie sur les vérifications suivantes, refaites à chaque modification du logiciel par ses tests automatisés :</p>
<ul>
<li>chaque page (avancement du programme, antenne, antenne à une date passée, financements, échéancier, intégrité du journal, utilisateurs, connexion, chaque formulaire, formulaire renvoyé avec ses erreurs, pages d’erreur et cette déclaration) est analysée par axe-core dans un navigateur Chromium, sur les règles WCAG 2.1 A et AA : aucune non-conformité de gravité « sérieuse » ou « critique » n’est admise ;</li>
<li>chaque page est affichée sur une largeur de 320 pixels CSS (critère 10.11, adaptation du contenu) : aucune ne défile horizontalement ; un grand tableau de données défile dans sa propre zone, atteignable au clavier et nommée ;</li>
<li>les contrastes des couleurs du texte (au moins 4,5:1) et des éléments graphiques (au moins 3:1) sont calculés par un test ;</li>
<li>le lien d’évitement, le parcours au clavier d’un formulaire et de son résumé d’erreurs, et la confirmation affichée après un enregistrement (zone de statut en tête du contenu, sur laquelle la page s’ouvre) sont vérifiés dans le navigateur.</li>
</ul>
</section>

<section aria-labelledby="titre-non-accessibles">
<h2 id="titre-non-accessibles">Contenus non accessibles</h2>
<h3 id="titre-non-conformites">Non-conformités connues</h3>
<ul id="non-conformites">
<li>La session prend fin après une période d’inactivité (30 minutes par défaut) sans avertissement préalable ni possibilité de la prolonger : une saisie en cours est alors perdue (critère 13.1).</li>
<li>Les dates se saisissent comme du texte au format JJ/MM/AAAA, sans calendrier ; le format attendu est indiqué à côté de chaque champ.</li>
<li>Les graphiques (calendrier des phases, budget par année) ne se parcourent pas élément par élément : leur contenu est donné en texte dans leur description et, chiffres exacts compris, dans le tableau qui les accompagne.</li>
<li>Sur un écran étroit, les grands tableaux (historique, tranches, dépenses) se lisent en faisant défiler leur zone horizontalement.</li>
<li>Les fichiers téléchargés (CSV, XLSX, PDF, exports vérifiables) n’ont pas été vérifiés.</li>
<li>Le tableau de bord n’a pas encore été testé avec des lecteurs d’écran (NVDA, JAWS, VoiceOver, TalkBack) ni avec les agrandissements de texte des navigateurs au-delà de 200 %.</li>
</ul>
<h3>Dérogations pour charge disproportionnée</h3>
<p>Aucune.</p>
<h3>Contenus non soumis à l’obligation d’accessibilité</h3>
<p>Aucun.</p>
</section>

<section aria-labelledby="titre-etablissement">
<h2 id="titre-etablissement">Établissement de cette déclaration d’accessibilité</h2>
<p>Cette déclaration a été établie le ${formatDate(ACCESSIBILITY_STATEMENT_DATE)}.</p>
<h3>Technologies utilisées</h3>
<ul><li>HTML5</li><li>CSS</li><li>SVG (graphiques)</li></ul>
<p>Les pages n’utilisent aucun script et ne chargent rien d’un autre site.</p>
<h3>Environnement de test</h3>
<ul><li>Chromium (paquet Debian), piloté par Playwright, en français, aux largeurs de ${formatInteger(1280)} et 320 pixels CSS</li></ul>
<h3>Outils pour évaluer l’accessibilité</h3>
<ul><li>axe-core (Deque Systems)</li><li>calcul des contrastes selon la formule des WCAG 2.1, dans les tests du logiciel</li></ul>
</section>

<section aria-labelledby="titre-contact">
<h2 id="titre-contact">Retour d’information et contact</h2>
<p>Si vous n’arrivez pas à accéder à un contenu ou à un service du tableau de bord, signalez-le à l’administrateur de Jalon qui vous a remis votre jeton d’accès, en décrivant la page, ce que vous cherchiez à faire et l’équipement utilisé : il vous indiquera une autre façon d’obtenir l’information ou de faire la démarche, et transmettra le défaut pour qu’il soit corrigé.</p>
</section>

<section aria-labelledby="titre-recours">
<h2 id="titre-recours">Voies de recours</h2>
<p>Si vous avez signalé au responsable du tableau de bord un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un service et que vous n’avez pas obtenu de réponse satisfaisante, vous pouvez :</p>
<ul>
<li>écrire un message au Défenseur des droits par son <a href="https://formulaire.defenseurdesdroits.fr/">formulaire en ligne</a> ;</li>
<li>contacter <a href="https://www.defenseurdesdroits.fr/saisir/delegues">le délégué du Défenseur des droits dans votre région</a> ;</li>
<li>envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</li>
</ul>
</section>`;
}
