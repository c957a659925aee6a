import {
  ANTENNA_STATUS_LABELS,
  formatDate,
  formatEuros,
  formatSignedEuros,
  formatPercent,
  formatKnownAt,
  formatTimestamp,
  labelOf,
  PHASE_STATUS_LABELS,
  ROLE_LABELS,
  TRANCHE_STATE_LABELS,
  FUNDING_FIGURE_LABELS,
  trancheInSchedule,
  trancheName,
} from '@jalon/reporting';
import { href, html, HtmlValue, SafeHtml, segment } from '../html';
import { AntennaData, LiveExpenditure } from '../read/dashboard-reads';
import { CandidacyListItem, EVENT_LABELS, FundingDiscrepancy, FundingReportAgreement } from '@jalon/queries';
import { budgetChart, ganttChart } from './charts';
import { badge, reportTable } from './components';
import { JOURNAL_PATH } from './journal.view';
import { timeTravelControl } from './known-at.view';
import { auditExportHref } from './integrity.view';
import { formMenu } from './form.view';

export interface AntennaModel {
  readonly antennaId: string;
  readonly asOf?: string;
  readonly asOfError?: string;
  readonly asOfTyped?: string | undefined;
  /** « Connu au »: the instant the page is shown as known at (ISO 8601), and what was typed when it was not valid. */
  readonly knownAt?: string;
  readonly knownAtError?: string;
  readonly knownAtTyped?: string;
  readonly today: string;
  readonly timeZone: string;
  readonly data: AntennaData;
  readonly candidacy?: CandidacyListItem;
  readonly callTitle?: string;
  /** Form slugs the user may open and the antenna accepts now (none when looking at the past, none for auditors). */
  readonly may: ReadonlySet<string>;
  /** Forms the user may open but the antenna would refuse now, with the reason (form slug → reason). */
  readonly unavailableForms?: ReadonlyMap<string, string>;
  readonly expenditures?: readonly LiveExpenditure[];
  readonly staleRead: boolean;
  /** Auditors and administrators may download the antenna's verifiable audit export. */
  readonly auditExport?: boolean;
}

/** The page of one antenna: summary, phases (Gantt), budget (bars), funding reconciliation, history. */
export function antennaView(model: AntennaModel): SafeHtml {
  const { data, antennaId } = model;
  const antenna = data.antenna;
  // A phase stopped by the antenna's closing ends at the closing, in the chart and in the table.
  const phases = antenna.phases.map((phase) => ({ ...phase, interruptedOn: phase.situation === 'interrupted' ? antenna.statusSince : null }));
  const base = `/antennes/${segment(antennaId)}`;
  const formLink = (slug: string, label: HtmlValue, query: Readonly<Record<string, string>> = {}, small = false) =>
    model.may.has(slug) ? html`<a class="bouton${small ? ' petit' : ' secondaire'}" href="${href(`${base}/${slug}`, query)}">${label}</a>` : '';
  const referenceLabel = model.asOf ? `Au ${formatDate(model.asOf)}` : `Aujourd’hui (${formatDate(data.referenceDate)})`;
  const totals = data.budget.totals;

  return html`<h1>${antenna.name}</h1>
<p class="chapeau">${antenna.town} · ${badge(antenna.status, ANTENNA_STATUS_LABELS[antenna.status])}${model.candidacy?.territory ? ` · ${model.candidacy.territory.region}` : ''}</p>
${model.staleRead && html`<div class="alerte attention" role="status"><p>Votre saisie est enregistrée mais n’apparaît peut-être pas encore : rechargez la page dans un instant.</p></div>`}
${timeTravelControl({
    action: base,
    timeZone: model.timeZone,
    ...(model.asOf ? { asOf: model.asOf } : {}),
    ...(model.asOfError ? { asOfError: model.asOfError, ...(model.asOfTyped ? { asOfTyped: model.asOfTyped } : {}) } : {}),
    ...(model.knownAt ? { knownAt: model.knownAt } : {}),
    ...(model.knownAtError ? { knownAtError: model.knownAtError, ...(model.knownAtTyped ? { knownAtTyped: model.knownAtTyped } : {}) } : {}),
  })}
${model.knownAt && html`<p class="bandeau-date" role="status">Vous consultez l’antenne telle que Jalon la connaissait le <strong>${formatKnownAt(model.knownAt, model.timeZone)}</strong> : les faits enregistrés après cet instant, corrections comprises, sont écartés. Les formulaires sont masqués.</p>`}
${model.asOf && html`<p class="bandeau-date" role="status">Vous consultez l’antenne telle qu’elle était le <strong>${formatDate(model.asOf)}</strong> : phases, budget, financements et historique sont reconstitués à cette date à partir du journal des faits. Les formulaires sont masqués.</p>`}
<nav aria-label="Sections de la page"><ul class="liste-actions">
<li><a href="#synthese">Synthèse</a></li><li><a href="#phases">Phases</a></li><li><a href="#budget">Budget</a></li><li><a href="#financements">Financements</a></li><li><a href="#historique">Historique</a></li>
</ul></nav>
${formMenu('antenna', base, model.may, model.unavailableForms)}

<section id="synthese" aria-labelledby="titre-synthese">
<h2 id="titre-synthese">Synthèse</h2>
<div class="deux-colonnes">
<dl class="proprietes">
<dt>Statut</dt><dd>${ANTENNA_STATUS_LABELS[antenna.status]} depuis le ${formatDate(antenna.statusSince)}${antenna.statusReason ? ` — ${antenna.statusReason}` : ''}</dd>
<dt>Ouverte le</dt><dd>${formatDate(antenna.openedOn)}</dd>
<dt>Inaugurée le</dt><dd>${antenna.inauguratedOn ? `${formatDate(antenna.inauguratedOn)}${antenna.inaugurationPlace ? `, ${antenna.inaugurationPlace}` : ''}` : 'pas encore inaugurée'}</dd>
<dt>Phase en cours</dt><dd>${model.data.phasesReport.data.currentPhase}</dd>
<dt>Candidature</dt><dd>${model.candidacy?.territory?.name ?? antenna.candidacyId}${model.callTitle ? ` — ${model.callTitle}` : ''}</dd>
</dl>
<dl class="proprietes">
<dt>Prévisionnel en vigueur</dt><dd>${formatEuros(totals.forecastCurrentCents)}</dd>
<dt>Financements engagés</dt><dd>${formatEuros(totals.committedCents)}</dd>
<dt>Versé / reçu</dt><dd>${formatEuros(totals.releasedCents)} / ${formatEuros(totals.receivedCents)}</dd>
<dt>Dépensé</dt><dd>${formatEuros(totals.spentCents)}${totals.executionRateBasisPoints !== null ? ` (${formatPercent(totals.executionRateBasisPoints)} du prévisionnel)` : ''}</dd>
</dl>
</div>
${model.may.has('inaugurer') && !antenna.inauguratedOn && html`<p>${formLink('inaugurer', 'Enregistrer l’inauguration')}</p>`}
</section>

<section id="phases" aria-labelledby="titre-phases">
<h2 id="titre-phases">Phases : prévu et réalisé</h2>
${formLink('planifier-phase', 'Planifier une phase')}
${phases.length === 0
    ? html`<p>Aucune phase planifiée.</p>`
    : ganttChart({
        id: 'gantt',
        title: `Calendrier des phases de ${antenna.name} : plan initial, plan actuel et réalisé`,
        phases,
        referenceDate: data.referenceDate,
        referenceLabel,
        inauguratedOn: antenna.inauguratedOn,
      })}
${phaseTable(phases, formLink)}
${data.phasesReport.tables[2]!.rows.length > 0 && reportTable(data.phasesReport.tables[2]!, { timeZone: model.timeZone })}
${data.phasesReport.tables[3]!.rows.length > 0 && reportTable(data.phasesReport.tables[3]!, { timeZone: model.timeZone })}
</section>

<section id="budget" aria-labelledby="titre-budget">
<h2 id="titre-budget">Budget par année</h2>
<div class="liste-actions">${formLink('enregistrer-depense', 'Enregistrer une dépense')} ${formLink('import', 'Importer un tableur (budget ou dépenses)')} <a class="bouton secondaire petit" href="/antennes/${segment(antennaId)}/justificatifs">Justificatifs : joindre, télécharger</a></div>
${budgetChart({
    id: 'budget-annees',
    title: `Budget de ${antenna.name} par année : prévisionnel, versé et dépensé`,
    years: data.budget.years.map((year) => ({ year: year.year, forecastCents: year.forecastCurrentCents, releasedCents: year.releasedCents, spentCents: year.spentCents })),
  })}
${reportTable(data.budgetReport.tables[0]!, { timeZone: model.timeZone, id: 'table-budget' })}
${data.budgetReport.tables[2]!.rows.length > 0 && revisionBlock(data, model.timeZone)}
${model.expenditures && model.expenditures.length > 0 && expenditureTable(model, formLink)}
</section>

<section id="financements" aria-labelledby="titre-financements">
<h2 id="titre-financements">Rapprochement des financements</h2>
<div class="liste-actions">${formLink('engager-financement', 'Engager un financement')} <a class="bouton secondaire petit" href="/antennes/${segment(antennaId)}/justificatifs">Justificatifs : joindre, télécharger</a></div>
${data.funding.agreements.length === 0 ? html`<p>Aucun accord de financement.</p>` : data.funding.agreements.map((agreement) => agreementBlock(agreement, data.funding.discrepancies, model, formLink))}
${data.fundingReport.tables[2]!.rows.length > 0 && reportTable(data.fundingReport.tables[2]!, { timeZone: model.timeZone })}
<p class="aide">${data.fundingReport.notes?.[0] ?? ''}</p>
</section>

<section id="historique" aria-labelledby="titre-historique">
<h2 id="titre-historique">Historique</h2>
<p>Chaque fait enregistré, du plus récent au plus ancien : sa date d’effet, l’heure à laquelle il a été enregistré, qui l’a enregistré et, pour une correction, pourquoi. Rien n’est jamais modifié ni effacé.</p>
${historyTable(data, model.timeZone)}
<p><a href="${href(JOURNAL_PATH, { antenne: antennaId })}">Voir ces faits dans le journal d’audit</a>, avec leurs filtres et leurs exports.</p>
${model.auditExport && html`<h3 id="titre-export-verifiable">Export vérifiable</h3>
<p>Les événements de cette antenne tels qu’ils sont aujourd’hui dans le journal, chacun avec son empreinte et sa preuve d’inclusion sous le dernier sceau signé, à vérifier hors ligne avec <span class="code">jalon verify-export</span> et la clé publique de la page <a href="/integrite">Intégrité du journal</a>.</p>
<p><a class="bouton secondaire" href="${auditExportHref(antennaId)}" download>Télécharger l’export vérifiable</a></p>`}
</section>`;
}

/**
 * The forecast's revisions: what each changed per year and category (a revision that keeps its
 * total still moves money between categories), then the table of revisions with their totals.
 */
function revisionBlock(data: AntennaData, timeZone: string): SafeHtml {
  const revisions = data.budgetReport.tables[2]!;
  const changes = data.budgetReport.tables[4];
  const changeRows = changes?.rows ?? [];
  return html`<h3 id="titre-revisions">Révisions du prévisionnel</h3>
<ul class="revisions" aria-labelledby="titre-revisions">${revisions.rows.map((revision) => {
    const own = changeRows.filter((row) => row.revision === revision.revision);
    return html`<li><strong>Révision n° ${String(revision.revision)} du ${formatDate(String(revision.effectiveDate))}</strong> (${String(revision.reason)}) : ${formatEuros(Number(revision.previousTotal))} → ${formatEuros(Number(revision.total))}, variation ${formatSignedEuros(Number(revision.change))}${
      own.length === 0
        ? ''
        : html`. Par catégorie : ${own.map(
            (row, index) => html`${index > 0 ? ' ; ' : ''}<span class="insecable">${String(row.category)} ${String(row.year)}</span> ${formatEuros(Number(row.previous))} → ${formatEuros(Number(row.current))} (<strong>${formatSignedEuros(Number(row.change))}</strong>)`,
          )}`
    }.</li>`;
  })}</ul>
${changes && changes.rows.length > 0 &&
  reportTable(changes, { timeZone, id: 'table-revisions-categories' })}
${reportTable(revisions, { timeZone, id: 'table-revisions' })}`;
}

function agreementBlock(
  agreement: FundingReportAgreement,
  discrepancies: readonly FundingDiscrepancy[],
  model: AntennaModel,
  formLink: (slug: string, label: HtmlValue, query?: Readonly<Record<string, string>>, small?: boolean) => SafeHtml | string,
): SafeHtml {
  const flags = discrepancies.filter((d) => d.agreementId === agreement.agreementId && d.antennaId === agreement.antennaId);
  const antenna = model.data.antenna;
  // A closed antenna's tranches offer no release, receipt or reversal: `may` holds only the forms the antenna accepts now.
  const hasActions = ['verser-tranche', 'recevoir-tranche', 'annuler-versement'].some((slug) => model.may.has(slug));
  const id = `rapprochement-${agreement.agreementId}`;
  // A closed antenna's agreements take no release any more (decision 0054): one left open keeps its
  // unreleased tranches « bloquées » (the report's state, as in the échéancier), until it is closed
  // too. Said only when it has one: a wholly released agreement has nothing blocked.
  const leftOpen = antenna.status === 'closed' && !agreement.closed && agreement.tranches.some((tranche) => tranche.state === 'blocked');
  return html`<article aria-labelledby="${id}-titre">
<h3 id="${id}-titre">${agreement.label} — ${agreement.funder}</h3>
${leftOpen && html`<div class="alerte attention" role="note"><p>L’antenne est fermée depuis le ${formatDate(antenna.statusSince)}, mais cette convention est encore ouverte : plus rien ne peut y être versé, et ses tranches non versées figurent dans l’échéancier comme bloquées. Clôturez-la si plus rien n’en est attendu.</p>${model.may.has('clore-financement') && html`<p>${formLink('clore-financement', html`Clôturer la convention<span class="sr"> ${agreement.label}</span>`, { accord: agreement.agreementId })}</p>`}</div>`}
<dl class="proprietes">
<dt>Engagé le</dt><dd>${formatDate(agreement.committedOn)} : ${formatEuros(agreement.committedCents)}</dd>
<dt>Versé / reçu</dt><dd>${formatEuros(agreement.releasedCents)} / ${formatEuros(agreement.receivedCents)}</dd>
<dt>Dépensé sur l’accord</dt><dd>${formatEuros(agreement.spentCents)}</dd>
<dt>${FUNDING_FIGURE_LABELS.remaining}</dt><dd>${formatEuros(agreement.remainingCommitmentCents)}</dd>
${agreement.closed && html`<dt>${FUNDING_FIGURE_LABELS.notReleasedAtClosing}</dt><dd>${formatEuros(agreement.notReleasedAtClosingCents)}</dd>`}
${leftOpen && html`<dt>${FUNDING_FIGURE_LABELS.blocked}</dt><dd>${formatEuros(agreement.blockedCents)}</dd>`}
<dt>${FUNDING_FIGURE_LABELS.toCollect}</dt><dd>${formatEuros(agreement.toCollectCents)}</dd>
<dt>Solde (reçu − dépensé)</dt><dd>${formatEuros(agreement.balanceCents)}</dd>
${agreement.closed && html`<dt>Clôturé le</dt><dd>${formatDate(agreement.closed.on)}${agreement.closed.reason ? ` — ${agreement.closed.reason}` : ''}</dd>`}
</dl>
<div class="defilement" role="region" aria-label="Tranches de ${agreement.label}" tabindex="0">
<table id="${id}">
<caption>Échéancier et rapprochement des tranches — ${agreement.label}</caption>
<thead><tr><th scope="col">Tranche</th><th scope="col">Échéance</th><th scope="col" class="nombre">Prévu</th><th scope="col">État</th><th scope="col" class="nombre">Versé</th><th scope="col" class="nombre">Reçu</th><th scope="col">Référence bancaire</th><th scope="col">Écarts</th>${hasActions && html`<th scope="col">Actions</th>`}</tr></thead>
<tbody>
${agreement.tranches.map((tranche, index) => {
    const trancheFlags = flags.filter((d) => d.trancheId === tranche.trancheId);
    const key = `${agreement.agreementId}/${tranche.trancheId}`;
    const name = trancheName(tranche, index + 1);
    const actions =
      tranche.state === 'planned' || tranche.state === 'reversed'
        ? [formLink('verser-tranche', html`Verser<span class="sr"> ${name}</span>`, { tranche: key }, true)]
        : tranche.state === 'released'
          ? [
              formLink('recevoir-tranche', html`Réception<span class="sr"> de ${name}</span>`, { tranche: key }, true),
              formLink('annuler-versement', html`Annuler le versement<span class="sr"> de ${name}</span>`, { tranche: key }, true),
            ]
          : [];
    return html`<tr>
<th scope="row">${name}${tranche.conditions ? html`<br><span class="aide">${tranche.conditions}</span>` : ''}</th>
<td>${formatDate(tranche.dueOn)}</td>
<td class="nombre">${formatEuros(tranche.scheduledCents)}</td>
<td>${badge(tranche.state, TRANCHE_STATE_LABELS[tranche.state])}</td>
<td class="nombre">${tranche.releasedCents === null ? '—' : html`${formatEuros(tranche.releasedCents)}<br><span class="aide">le ${formatDate(tranche.releasedOn!)}</span>`}</td>
<td class="nombre">${tranche.receipt ? html`${formatEuros(tranche.receipt.amountCents)}<br><span class="aide">le ${formatDate(tranche.receipt.receivedOn)}</span>` : '—'}</td>
<td>${tranche.receipt?.bankReference ?? '—'}</td>
<td>${trancheFlags.length === 0 ? 'Aucun' : html`<ul class="sans-puces">${trancheFlags.map((flag) => html`<li>${badge('ecart', flag.label)}</li>`)}</ul>`}</td>
${hasActions && html`<td><div class="actions-ligne">${actions}</div></td>`}
</tr>`;
  })}
</tbody>
</table>
</div>
${flags.length > 0 &&
  html`<h4>Écarts constatés sur cet accord</h4><ul class="ecarts">${flags.map((flag) => {
    const found = flag.trancheId === null ? undefined : trancheInSchedule(agreement.tranches, flag.trancheId);
    return html`<li>${badge('ecart', flag.label)} ${found ? html`<strong>${trancheName(found.tranche, found.rank)}</strong> : ` : ''}${flag.detail}</li>`;
  })}</ul>`}
</article>`;
}

function expenditureTable(
  model: AntennaModel,
  formLink: (slug: string, label: HtmlValue, query?: Readonly<Record<string, string>>, small?: boolean) => SafeHtml | string,
): SafeHtml {
  const rows = model.expenditures ?? [];
  return html`<div class="defilement" role="region" aria-label="Dépenses enregistrées" tabindex="0">
<table id="depenses">
<caption>Dépenses enregistrées</caption>
<thead><tr><th scope="col">Dépense</th><th scope="col">Année</th><th scope="col" class="nombre">Montant</th><th scope="col">État</th>${model.may.has('annuler-depense') && html`<th scope="col">Actions</th>`}</tr></thead>
<tbody>${rows.map(
    (row) => html`<tr><th scope="row">${row.expenditureId}</th><td>${row.year}</td><td class="nombre">${formatEuros(row.amountCents)}</td><td>${row.reversed ? badge('reversed', 'Annulée') : badge('active', 'Enregistrée')}</td>${
      model.may.has('annuler-depense') && html`<td>${row.reversed ? '' : formLink('annuler-depense', html`Annuler<span class="sr"> la dépense ${row.expenditureId}</span>`, { depense: row.expenditureId }, true)}</td>`
    }</tr>`,
  )}</tbody>
</table>
</div>`;
}

function historyTable(data: AntennaData, timeZone: string): SafeHtml {
  return html`<div class="defilement" role="region" aria-label="Historique" tabindex="0">
<table id="historique-table">
<caption>Historique de l’antenne : ${data.history.length} faits, du plus récent au plus ancien</caption>
<thead><tr><th scope="col">Date d’effet</th><th scope="col">Enregistré le</th><th scope="col">Par</th><th scope="col">Événement</th><th scope="col">Motif</th><th scope="col">Changement</th></tr></thead>
<tbody>${[...data.history].reverse().map(
    (entry) => html`<tr>
<th scope="row">${entry.effectiveDate ? formatDate(entry.effectiveDate) : '—'}</th>
<td>${formatTimestamp(entry.recordedAt, timeZone)}</td>
<td>${entry.actorName ?? entry.actor}<br><span class="aide">${labelOf(ROLE_LABELS, entry.role)}</span></td>
<td>${EVENT_LABELS[entry.type] ?? entry.type}</td>
<td>${entry.reason ?? '—'}</td>
<td>${entry.changes}</td>
</tr>`,
  )}</tbody>
</table>
</div>`;
}

function phaseTable(
  phases: readonly (AntennaData['antenna']['phases'][number] & { readonly interruptedOn: string | null })[],
  formLink: (slug: string, label: HtmlValue, query?: Readonly<Record<string, string>>, small?: boolean) => SafeHtml | string,
): SafeHtml {
  const period = (from: string | null, to: string | null) =>
    from === null ? '—' : to === null ? `depuis le ${formatDate(from)}` : `${formatDate(from)} → ${formatDate(to)}`;
  // A closed antenna's page offers no phase form (`may` holds only what the antenna accepts now).
  const actionsOf = (phase: AntennaData['antenna']['phases'][number]) =>
    phase.situation === 'planned'
      ? formLink('demarrer-phase', html`Démarrer<span class="sr"> ${phase.name}</span>`, { phase: phase.phaseId }, true)
      : phase.situation === 'started'
        ? formLink('terminer-phase', html`Terminer<span class="sr"> ${phase.name}</span>`, { phase: phase.phaseId }, true)
        : '';
  const actions = phases.map(actionsOf);
  const hasActions = actions.some((action) => action !== '');
  return html`<div class="defilement" role="region" aria-label="Phases" tabindex="0">
<table id="table-phases">
<caption>Phases : plan initial, plan actuel et réalisé</caption>
<thead><tr><th scope="col">Phase</th><th scope="col">Statut</th><th scope="col">Plan initial</th><th scope="col">Plan actuel</th><th scope="col">Réalisé</th><th scope="col" class="nombre">Jalons</th><th scope="col" class="nombre">Retard</th>${hasActions && html`<th scope="col">Actions</th>`}</tr></thead>
<tbody>${phases.map(
    (phase, index) => html`<tr>
<th scope="row">${phase.name}${phase.site ? html`<br><span class="aide">${phase.site}</span>` : ''}</th>
<td>${badge(phase.situation, PHASE_STATUS_LABELS[phase.situation])}</td>
<td>${period(phase.originalPlannedStart, phase.originalPlannedEnd)}</td>
<td>${period(phase.plannedStart, phase.plannedEnd)}${phase.reschedulings.length > 0 ? html`<br><span class="aide">replanifiée ${phase.reschedulings.length} fois</span>` : ''}</td>
<td>${phase.actualStart === null ? 'pas commencée' : period(phase.actualStart, phase.interruptedOn ?? phase.actualEnd)}</td>
<td class="nombre">${phase.milestones.length}</td>
<td class="nombre">${phase.latenessDays > 0 ? `${phase.latenessDays} j` : 'à l’heure'}</td>
${hasActions && html`<td>${actions[index]}</td>`}
</tr>`,
  )}</tbody>
</table>
</div>`;
}
