import { isAfter } from '@jalon/domain';
import { CandidacyListItem, LEARNERS_LABEL, ProgrammeSummary } from '@jalon/queries';
import { ANTENNA_STATUS_LABELS, CANDIDACY_STATUS_LABELS, formatDate, FUNDING_FIGURE_LABELS, formatEuros, formatInteger, formatPercent } from '@jalon/reporting';
import { COLOURS } from '../assets/jalon-css';
import { href, html, SafeHtml, segment } from '../html';
import { KpisData } from '../read/dashboard-reads';
import { asOfControl, badge } from './components';
import { formMenu } from './form.view';

export interface OverviewAntenna {
  readonly antenna: ProgrammeSummary['antennas'][number];
  readonly region: string | null;
  readonly callId: string | null;
  readonly callTitle: string | null;
}

export interface OverviewFilters {
  readonly region?: string;
  readonly status?: string;
  readonly call?: string;
}

export interface OverviewModel {
  readonly asOf?: string;
  readonly asOfError?: string;
  readonly asOfTyped?: string | undefined;
  readonly today: string;
  readonly referenceDate: string;
  readonly kpis: KpisData;
  readonly programmeName: string;
  readonly antennas: readonly OverviewAntenna[];
  readonly filters: OverviewFilters;
  readonly regions: readonly string[];
  readonly calls: readonly { readonly callId: string; readonly title: string }[];
  /** Today's candidacies, with what the user may do about each (absent when looking at the past). */
  readonly candidacies?: readonly { readonly view: CandidacyListItem; readonly callTitle: string; readonly hasAntenna: boolean }[];
  readonly may: { readonly submit: boolean; readonly select: boolean; readonly open: boolean };
  /** Slugs of the programme's forms the user may open (none when looking at the past, none for auditors). */
  readonly forms?: ReadonlySet<string>;
  /** Among them, those that cannot serve now, by slug, with why (the launch once a programme is launched): said where their link would be. */
  readonly unavailableForms?: ReadonlyMap<string, string>;
  readonly staleRead: boolean;
}

const CANDIDACY_BADGE: Readonly<Record<CandidacyListItem['status'], string>> = {
  submitted: 'planned',
  selected: 'active',
  rejected: 'closed',
  withdrawn: 'suspended',
};

export function overviewView(model: OverviewModel): SafeHtml {
  const { kpis, filters } = model;
  const totals = kpis.totals;
  const target = kpis.programme?.target;
  const attainment = totals.targetAttainmentBasisPoints;
  const overdue = target !== undefined && isAfter(model.referenceDate, target.targetDate);
  const shown = model.antennas.filter(
    (row) =>
      (!filters.region || row.region === filters.region) &&
      (!filters.status || row.antenna.status === filters.status) &&
      (!filters.call || row.callId === filters.call),
  );
  const keepAsOf = model.asOf;
  const filtered = Boolean(filters.region || filters.status || filters.call);

  const tiles = [
    tile(
      'Antennes ouvertes',
      target ? `${formatInteger(totals.antennasOpened)} / ${formatInteger(target.antennaCount)}` : formatInteger(totals.antennasOpened),
      target
        ? `${attainment === null ? '—' : formatPercent(attainment)} de l’objectif, échéance le ${formatDate(target.targetDate)}${overdue ? ' (dépassée)' : ''}`
        : 'Aucun objectif enregistré',
      attainment,
    ),
    tile(
      'Antennes inaugurées',
      target ? `${formatInteger(totals.antennasInaugurated)} / ${formatInteger(target.antennaCount)}` : formatInteger(totals.antennasInaugurated),
      target
        ? `${totals.inaugurationAttainmentBasisPoints === null ? '—' : formatPercent(totals.inaugurationAttainmentBasisPoints)} de l’objectif ; ${formatInteger(totals.antennasInauguratedByTargetDate ?? 0)} inaugurée(s) au plus tard le ${formatDate(target.targetDate)}`
        : 'Aucun objectif enregistré',
      totals.inaugurationAttainmentBasisPoints,
    ),
    tile(
      'Statut des antennes',
      `${formatInteger(totals.antennasByStatus.active)} active${totals.antennasByStatus.active > 1 ? 's' : ''}`,
      `${formatInteger(totals.antennasByStatus.suspended)} suspendue(s), ${formatInteger(totals.antennasByStatus.closed)} fermée(s)`,
    ),
    tile('Candidatures', formatInteger(totals.candidacies), `${formatInteger(totals.laureates)} lauréat${totals.laureates > 1 ? 's' : ''}`),
    tile(
      'Villes Action Cœur de Ville',
      totals.actionCoeurDeVilleShareBasisPoints === null ? '—' : formatPercent(totals.actionCoeurDeVilleShareBasisPoints),
      `${formatInteger(totals.antennasInActionCoeurDeVille)} antenne(s) dans une ville du programme`,
    ),
    tile(LEARNERS_LABEL, formatInteger(totals.learners), `Effectif du dernier mois déclaré par chaque antenne, additionné ; ${formatInteger(totals.trainingCourses)} formation(s) ouverte(s)`),
    tile('Budget prévisionnel', formatEuros(totals.budgetForecastCents), 'Somme des prévisionnels en vigueur'),
    tile('Financements engagés', formatEuros(totals.fundingCommittedCents), `Versés ${formatEuros(totals.fundingReleasedCents)}, reçus ${formatEuros(totals.fundingReceivedCents)}`),
    tile(
      FUNDING_FIGURE_LABELS.remaining,
      formatEuros(totals.fundingRemainingCents),
      `Engagé moins versé (net des annulations) des conventions ouvertes des antennes non fermées ; ${FUNDING_FIGURE_LABELS.blocked.toLowerCase()} : ${formatEuros(totals.fundingBlockedCents)} ; ${FUNDING_FIGURE_LABELS.notReleasedAtClosing.toLowerCase()} : ${formatEuros(totals.fundingNotReleasedAtClosingCents)}`,
    ),
  ];

  return html`<h1>${model.programmeName}</h1>
<p class="chapeau">Avancement du programme au ${formatDate(model.referenceDate)} : indicateurs, antennes et candidatures.</p>
${model.staleRead && html`<div class="alerte attention" role="status"><p>Votre dernière saisie est enregistrée mais n’apparaît peut-être pas encore : rechargez la page dans un instant.</p></div>`}
${asOfControl({ action: '/programme', asOf: model.asOf, ...(model.asOfError ? { error: model.asOfError, ...(model.asOfTyped ? { typed: model.asOfTyped } : {}) } : {}), keep: { region: filters.region, statut: filters.status, appel: filters.call } })}
${model.asOf && html`<p class="bandeau-date" role="status">Vous consultez le programme tel qu’il était le <strong>${formatDate(model.asOf)}</strong>, reconstitué à partir du journal des faits.</p>`}

<section aria-labelledby="titre-indicateurs">
<h2 id="titre-indicateurs">Indicateurs et objectifs</h2>
<ul class="grille-kpi">${tiles}</ul>
</section>

<section aria-labelledby="titre-antennes">
<h2 id="titre-antennes">Antennes</h2>
<form class="filtres" method="get" action="/programme" aria-label="Filtrer les antennes">
${keepAsOf && html`<input type="hidden" name="asOf" value="${keepAsOf}">`}
${select('filtre-region', 'region', 'Région', filters.region, model.regions.map((region) => ({ value: region, label: region })))}
${select('filtre-statut', 'statut', 'Statut', filters.status, (['active', 'suspended', 'closed'] as const).map((status) => ({ value: status, label: ANTENNA_STATUS_LABELS[status] })))}
${select('filtre-appel', 'appel', 'Appel', filters.call, model.calls.map((call) => ({ value: call.callId, label: call.title })))}
<button type="submit">Filtrer</button>
${filtered && html`<a href="${href('/programme', { asOf: keepAsOf })}">Tout afficher</a>`}
</form>
<p role="status">${shown.length} antenne${shown.length > 1 ? 's' : ''} affichée${shown.length > 1 ? 's' : ''} sur ${model.antennas.length}.</p>
<div class="defilement" role="region" aria-label="Antennes" tabindex="0">
<table id="antennes">
<caption>Antennes${filtered ? ' (filtrées)' : ''}</caption>
<thead><tr><th scope="col">Antenne</th><th scope="col">Ville</th><th scope="col">Région</th><th scope="col">Appel</th><th scope="col">Statut</th><th scope="col">Phase en cours</th><th scope="col">Inaugurée le</th><th scope="col" class="nombre">Phases terminées</th><th scope="col" class="nombre">Retard maximal</th></tr></thead>
<tbody>
${shown.length === 0
    ? html`<tr><td colspan="9">Aucune antenne ne correspond à ces critères.</td></tr>`
    : shown.map(
        ({ antenna, region, callTitle }) => html`<tr>
<th scope="row"><a href="${href(`/antennes/${segment(antenna.antennaId)}`, { asOf: keepAsOf })}">${antenna.name}</a></th>
<td>${antenna.town}</td><td>${region ?? '—'}</td><td>${callTitle ?? '—'}</td>
<td>${badge(antenna.status, ANTENNA_STATUS_LABELS[antenna.status])}</td>
<td>${antenna.currentPhase}</td>
<td>${antenna.inauguratedOn ? formatDate(antenna.inauguratedOn) : '—'}</td>
<td class="nombre">${antenna.phasesCompleted} / ${antenna.phasesPlanned}</td>
<td class="nombre">${antenna.latenessDays > 0 ? `${formatInteger(antenna.latenessDays)} j` : 'à l’heure'}</td>
</tr>`,
      )}
</tbody>
</table>
</div>
</section>

${model.forms && formMenu('programme', '/programme', model.forms, model.unavailableForms)}
${model.candidacies && candidaciesSection(model)}`;
}

function candidaciesSection(model: OverviewModel): SafeHtml {
  const candidacies = model.candidacies ?? [];
  return html`<section aria-labelledby="titre-candidatures">
<h2 id="titre-candidatures">Candidatures</h2>
${model.may.submit && html`<p><a class="bouton" href="/programme/deposer-candidature">Déposer une candidature</a></p>`}
<div class="defilement" role="region" aria-label="Candidatures" tabindex="0">
<table id="candidatures">
<caption>Candidatures aux appels</caption>
<thead><tr><th scope="col">Territoire</th><th scope="col">Région</th><th scope="col">Appel</th><th scope="col">Déposée le</th><th scope="col">Statut</th><th scope="col">Actions</th></tr></thead>
<tbody>
${candidacies.length === 0
    ? html`<tr><td colspan="6">Aucune candidature.</td></tr>`
    : candidacies.map(({ view, callTitle, hasAntenna }) => {
        const actions = [
          view.status === 'submitted' && model.may.select
            ? html`<a class="bouton petit" href="${href('/programme/retenir-candidature', { candidature: view.candidacyId })}">Retenir<span class="sr"> la candidature de ${view.territory?.name ?? view.candidacyId}</span></a>`
            : '',
          view.status === 'selected' && !hasAntenna && model.may.open
            ? html`<a class="bouton petit" href="${href('/programme/ouvrir-antenne', { candidature: view.candidacyId })}">Ouvrir l’antenne<span class="sr"> de ${view.territory?.name ?? view.candidacyId}</span></a>`
            : '',
        ];
        return html`<tr><th scope="row">${view.territory?.name ?? view.candidacyId}</th><td>${view.territory?.region ?? '—'}</td><td>${callTitle}</td><td>${view.submittedOn ? formatDate(view.submittedOn) : '—'}</td><td>${badge(CANDIDACY_BADGE[view.status], CANDIDACY_STATUS_LABELS[view.status])}</td><td><div class="actions-ligne">${actions}</div></td></tr>`;
      })}
</tbody>
</table>
</div>
</section>`;
}

function tile(label: string, value: string, detail: string, basisPoints: number | null = null): SafeHtml {
  const width = basisPoints === null ? null : Math.max(0, Math.min(100, basisPoints / 100));
  return html`<li class="kpi"><span class="libelle">${label}</span><span class="valeur">${value}</span><span class="detail">${detail}</span>${
    width !== null &&
    html`<svg class="jauge" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect width="100" height="6" fill="${COLOURS.subtle}"/><rect width="${width.toFixed(2)}" height="6" fill="${COLOURS.primary}"/></svg>`
  }</li>`;
}

function select(id: string, name: string, label: string, current: string | undefined, options: readonly { value: string; label: string }[]): SafeHtml {
  return html`<div class="champ"><label for="${id}">${label}</label><select id="${id}" name="${name}"><option value="">Toutes</option>${options.map(
    (option) => html`<option value="${option.value}"${option.value === current ? html` selected` : ''}>${option.label}</option>`,
  )}</select></div>`;
}
