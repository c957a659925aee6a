import { html, SafeHtml } from '../html';
import { csrfField } from './layout';

export const SIGN_IN_REASONS = ['expiree', 'formulaire-non-enregistre', 'requise', 'deconnexion', 'revoquee', 'revoquee-formulaire-non-enregistre'] as const;

export type SignInReason = (typeof SIGN_IN_REASONS)[number];

/**
 * Why a request that found no live session is sent to sign in (`SessionRequiredError`): a session
 * ended by a revoked token or a deactivated user, or one that expired, and for a form sent (any
 * method but GET and HEAD) that its action was not recorded, whatever ended the session.
 */
export function signInReasonFor(ended: { readonly expired: boolean; readonly revoked: boolean }, formSubmission: boolean): SignInReason {
  if (ended.revoked) return formSubmission ? 'revoquee-formulaire-non-enregistre' : 'revoquee';
  if (formSubmission) return 'formulaire-non-enregistre';
  return ended.expired ? 'expiree' : 'requise';
}

/** The reasons said as a warning (something was ended or lost), not as information. */
const WARNINGS: ReadonlySet<SignInReason> = new Set(['expiree', 'formulaire-non-enregistre', 'revoquee', 'revoquee-formulaire-non-enregistre']);

const REVOKED = 'Votre session a pris fin : votre jeton d’accès a été révoqué ou remplacé, ou votre compte désactivé.';

export interface SignInModel {
  /** The sign-in form's anti-forgery token. */
  readonly csrfToken: string;
  readonly returnTo?: string;
  /** Why the user is here: their session expired or was ended, or they need to sign in first. */
  readonly reason?: SignInReason;
  readonly error?: string;
  readonly idleMinutes: number;
}

const REASONS: Readonly<Record<NonNullable<SignInModel['reason']>, (minutes: number) => string>> = {
  expiree: (minutes) =>
    `Votre session a expiré (après ${minutes} minutes sans activité, ou en fin de journée). Reconnectez-vous ; une saisie en cours n’a pas été enregistrée.`,
  'formulaire-non-enregistre': (minutes) =>
    `Votre session a expiré (après ${minutes} minutes sans activité, ou en fin de journée) ou a été fermée avant l’envoi du formulaire : votre action n’a pas été enregistrée. Reconnectez-vous ; vous reviendrez sur la page du formulaire pour la saisir et l’envoyer à nouveau.`,
  requise: () => 'Connectez-vous pour accéder au tableau de bord.',
  deconnexion: () => 'Vous êtes déconnecté.',
  revoquee: () => `${REVOKED} Connectez-vous avec un jeton valide, ou adressez-vous à un administrateur.`,
  'revoquee-formulaire-non-enregistre': () =>
    `${REVOKED} Votre action n’a pas été enregistrée. Connectez-vous avec un jeton valide, ou adressez-vous à un administrateur ; vous reviendrez sur la page du formulaire pour la saisir et l’envoyer à nouveau.`,
};

export function signInView(model: SignInModel): SafeHtml {
  const invalid = model.error !== undefined;
  return html`<div class="carte-connexion">
<h1>Connexion</h1>
${model.reason && html`<div class="alerte${WARNINGS.has(model.reason) ? ' attention' : ''}" role="status"><p>${REASONS[model.reason](model.idleMinutes)}</p></div>`}
${invalid && html`<div class="alerte erreur" role="alert"><h2>Connexion impossible</h2><p><a href="#champ-jeton">${model.error}</a></p></div>`}
<p>Collez le jeton d’accès qui vous a été remis (il commence par <span class="code">jalon_</span>). Ce sont les mêmes jetons et les mêmes rôles que pour l’API.</p>
<form method="post" action="/connexion" novalidate>
${csrfField(model.csrfToken)}
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
