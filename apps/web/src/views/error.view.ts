import { html, SafeHtml } from '../html';

export function errorView(title: string, message: string, code?: string): SafeHtml {
  return html`<h1>${title}</h1>
<div class="alerte erreur" role="alert"><p>${message}</p>${code && html`<p class="aide">Code : <span class="code">${code}</span></p>`}</div>
<p><a href="/programme">Revenir à l’avancement du programme</a></p>`;
}
