import { html, SafeHtml } from '../html';

export interface SignInModel {
  readonly returnTo?: string;
  /** Why the user is here: their session expired, or they need to sign in first. */
  readonly reason?: 'expiree' | 'requise' | 'deconnexion';
  readonly error?: string;
  readonly idleMinutes: number;
}

const REASONS: Readonly<Record<NonNullable<SignInModel['reason']>, (minutes: number) => string>> = {
  expiree: (minutes) =>
    `Votre session a expiré (après ${minutes} minutes sans activité, ou en fin de journée). Reconnectez-vous ; une saisie en cours n’a pas été enregistrée.`,
  requise: () => 'Connectez-vous pour accéder au tableau de bord.',
  deconnexion: () => 'Vous êtes déconnecté.',
};

export function signInView(model: SignInModel): SafeHtml {
  const invalid = model.error !== undefined;
  return html`<div class="carte-connexion">
<h1>Connexion</h1>
${model.reason && html`<div class="alerte${model.reason === 'expiree' ? ' attention' : ''}" role="status"><p>${REASONS[model.reason](model.idleMinutes)}</p></div>`}
${invalid && html`<div class="alerte erreur" role="alert"><h2>Connexion impossible</h2><p><a href="#champ-jeton">${model.error}</a></p></div>`}
<p>Collez le jeton d’accès qui vous a été remis (il commence par <span class="code">jalon_</span>). Ce sont les mêmes jetons et les mêmes rôles que pour l’API.</p>
<form method="post" action="/connexion" novalidate>
${model.returnTo && html`<input type="hidden" name="retour" value="${model.returnTo}">`}
<div class="champ${invalid ? ' en-erreur' : ''}">
<label for="champ-jeton">Jeton d’accès <span class="obligatoire">(obligatoire)</span></label>
<span class="aide" id="aide-jeton">Un administrateur le crée avec « npm run jalon -- users add ». Il n’est jamais affiché après la connexion.</span>
${invalid && html`<p class="message-erreur" id="erreur-jeton"><span class="sr">Erreur : </span>${model.error}</p>`}
<input type="password" id="champ-jeton" name="jeton" autocomplete="off" spellcheck="false" aria-required="true" aria-describedby="aide-jeton${invalid ? ' erreur-jeton' : ''}"${invalid ? html` aria-invalid="true"` : ''}>
</div>
<button type="submit">Se connecter</button>
</form>
</div>`;
}
