import { IssuedToken, UserSummary } from '@jalon/application';
import { html, SafeHtml, segment } from '../html';
import { alertBox, badge } from './components';
import { csrfField, roleLabel } from './layout';

/** What the page reports above the list: a refused action, or a token just issued (shown once). */
export interface UsersPageModel {
  readonly users: readonly UserSummary[];
  readonly csrfToken: string;
  /** The signed-in administrator: their own session ends if they change their own access. */
  readonly selfId: string;
  readonly error?: { readonly code: string; readonly message: string };
  readonly issued?: IssuedToken;
}

interface Action {
  readonly slug: string;
  readonly label: string;
  readonly shown: (user: UserSummary) => boolean;
}

/** The actions on a user; each is a POST form carrying the session's anti-forgery token. */
export const USER_ACTIONS: readonly Action[] = [
  { slug: 'nouveau-jeton', label: 'Nouveau jeton', shown: () => true },
  { slug: 'revoquer-jeton', label: 'Révoquer le jeton', shown: (user) => user.hasToken },
  { slug: 'desactiver', label: 'Désactiver', shown: (user) => user.active },
  { slug: 'reactiver', label: 'Réactiver', shown: (user) => !user.active },
];

export function usersView(model: UsersPageModel): SafeHtml {
  const issued = model.issued;
  return html`<h1>Utilisateurs</h1>
<p class="chapeau">Désactiver un compte ou révoquer un jeton prend effet à l’instant : l’API refuse le jeton et les sessions ouvertes avec lui prennent fin. Un compte désactivé garde son jeton, refusé jusqu’à sa réactivation ; un nouveau jeton remplace l’ancien, qui ne fonctionnera plus jamais.</p>
${model.error && alertBox('erreur', 'Action refusée', html`<p>${model.error.message}</p><p class="aide">Code : <span class="code">${model.error.code}</span></p>`, 'alert')}
${issued &&
alertBox(
  'succes',
  `Nouveau jeton de ${issued.user.name}`,
  html`<p>Affiché une seule fois : copiez-le et remettez-le à ${issued.user.name}. L’ancien jeton ne fonctionne plus.</p>
<p><span class="code" id="nouveau-jeton">${issued.token}</span></p>
${issued.user.id === model.selfId && html`<p>C’est votre propre jeton : votre session actuelle prend fin, reconnectez-vous avec celui-ci.</p>`}`,
  'status',
)}
<div class="defilement" role="region" aria-label="Utilisateurs" tabindex="0">
<table id="utilisateurs">
<caption>Utilisateurs, dans l’ordre de leur création</caption>
<thead><tr><th scope="col">Nom</th><th scope="col">Identifiant</th><th scope="col">Rôle</th><th scope="col">Compte</th><th scope="col">Jeton</th><th scope="col">Actions</th></tr></thead>
<tbody>
${model.users.map(
  (user) => html`<tr id="utilisateur-${user.id}"><th scope="row">${user.name}</th><td><span class="code">${user.id}</span></td><td>${roleLabel(user.role)}</td>
<td>${user.active ? badge('active', 'Actif') : badge('closed', 'Désactivé')}</td>
<td>${user.hasToken ? 'En service' : badge('reversed', 'Révoqué')}</td>
<td><div class="actions-ligne">${USER_ACTIONS.filter((action) => action.shown(user)).map(
    (action) =>
      html`<form method="post" action="/utilisateurs/${segment(user.id)}/${action.slug}">${csrfField(model.csrfToken)}<button type="submit" class="secondaire bouton petit">${action.label}<span class="sr"> : ${user.name}</span></button></form>`,
  )}</div></td></tr>
`,
)}
</tbody>
</table>
</div>
<p class="aide">Pour créer un utilisateur : <span class="code">npm run jalon -- users add --name "…" --role …</span> sur le serveur, ou <span class="code">POST /api/users</span> avec un jeton d’administrateur.</p>`;
}
