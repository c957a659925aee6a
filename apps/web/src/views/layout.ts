import { Actor } from '@jalon/application';
import { JALON_CSS_PATH } from '../assets/jalon-css';
import { html, HtmlValue, SafeHtml } from '../html';
import { labelOf, ROLE_LABELS } from '@jalon/reporting';
import { ACCESSIBILITY_STATEMENT_PATH, ACCESSIBILITY_STATUS } from './accessibility-statement.view';

export type Section = 'programme' | 'financements' | 'journal' | 'integrite' | 'utilisateurs' | 'none';

export interface PageFrame {
  readonly title: string;
  readonly section?: Section;
  /** The signed-in user and the session's anti-forgery token (absent on the sign-in page). */
  readonly user?: { readonly actor: Actor; readonly csrfToken: string };
  /** The confirmation of a write, shown first in `main` (see {@link CONFIRMATION_ID}). */
  readonly flash?: string;
  /** While the log does not verify: the warning shown first on every page (its figures may rest on altered facts). */
  readonly untrusted?: string;
  readonly breadcrumbs?: readonly { readonly label: string; readonly href?: string }[];
}

export function roleLabel(role: string): string {
  return labelOf(ROLE_LABELS, role);
}

/**
 * The id of the confirmation shown after a write: a redirect after a write targets it
 * (`…#confirmation`), so the page opens on the message, and the keyboard goes on from there.
 */
export const CONFIRMATION_ID = 'confirmation';

/** The anti-forgery field every form of a session carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/**
 * A whole page: French, a skip link, a header with navigation and the user, one `main` that opens
 * with the confirmation of a write when there is one, and a footer linking to the accessibility
 * statement.
 */
export function page(frame: PageFrame, body: HtmlValue): string {
  const current = (section: Section) => (frame.section === section ? html` aria-current="page"` : '');
  const user = frame.user;
  return html`<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} — Jalon</title>
<link rel="stylesheet" href="${JALON_CSS_PATH}">
<link rel="icon" href="data:,">
</head>
<body>
<a class="lien-evitement" href="#contenu">Aller au contenu</a>
<header class="bandeau">
<div class="conteneur">
<a class="marque" href="/programme">Jalon <small>Au cœur des territoires — Cnam</small></a>
${user &&
html`<nav class="navigation" aria-label="Navigation principale">
<ul>
<li><a href="/programme"${current('programme')}>Programme</a></li>
<li><a href="/financements"${current('financements')}>Financements</a></li>
<li><a href="/journal"${current('journal')}>Journal d’audit</a></li>
<li><a href="/integrite"${current('integrite')}>Intégrité du journal</a></li>
${user.actor.role === 'admin' && html`<li><a href="/utilisateurs"${current('utilisateurs')}>Utilisateurs</a></li>`}
</ul>
</nav>
<div class="compte">
<span><span class="sr">Connecté en tant que </span><strong>${user.actor.name}</strong> · ${roleLabel(user.actor.role)}</span>
<form method="post" action="/deconnexion">${csrfField(user.csrfToken)}<button type="submit" class="secondaire bouton petit">Se déconnecter</button></form>
</div>`}
</div>
</header>
<main id="contenu" tabindex="-1">
${frame.untrusted && html`<div class="conteneur"><div class="alerte erreur journal-altere" role="alert"><p>${frame.untrusted} <a href="/integrite">Voir l’intégrité du journal</a></p></div></div>`}
${frame.flash && html`<div class="conteneur"><div class="alerte succes confirmation" id="${CONFIRMATION_ID}" role="status" tabindex="-1"><p>${frame.flash}</p></div></div>`}
<div class="conteneur">
${frame.breadcrumbs && frame.breadcrumbs.length > 0 && breadcrumbs(frame.breadcrumbs)}
${body}
</div>
</main>
<footer class="pied"><div class="conteneur">
<p>Jalon — suivi du programme « Au cœur des territoires ». Montants en euros, dates au format JJ/MM/AAAA, heures de Paris.</p>
<p><a href="${ACCESSIBILITY_STATEMENT_PATH}">Déclaration d’accessibilité</a> · Accessibilité : ${ACCESSIBILITY_STATUS}</p>
</div></footer>
</body>
</html>
`.value;
}

function breadcrumbs(items: readonly { readonly label: string; readonly href?: string }[]): SafeHtml {
  return html`<nav class="fil" aria-label="Fil d’Ariane"><ol>${items.map((item, index) =>
    item.href && index < items.length - 1 ? html`<li><a href="${item.href}">${item.label}</a></li>` : html`<li aria-current="page">${item.label}</li>`,
  )}</ol></nav>`;
}
