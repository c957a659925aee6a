import { errorMessageOf } from '@jalon/application';
import { agreementTrancheName, formatDate, formatEuros, formatFixed2 } from '@jalon/reporting';
import { DashboardReads } from '../read/dashboard-reads';
import type { AntennaSituation, FundingReportAgreement } from '@jalon/queries';
import { AntennaAvailability, FormSpec, Option, OptionSource, TakenSource } from './form-catalogue';

/** Why a select has nothing to offer, said where the choice would be. */
export const NOTHING_TO_CHOOSE: Readonly<Record<OptionSource, string>> = {
  programmes: 'Aucun programme n’est lancé : lancez d’abord le programme.',
  openCalls: 'Aucun appel à manifestation d’intérêt n’est ouvert aujourd’hui : ouvrez d’abord un appel.',
  submittedCandidacies: 'Aucune candidature n’est en attente de décision.',
  selectedCandidacies: 'Aucune candidature retenue n’attend l’ouverture de son antenne.',
  plannedPhases: 'Aucune phase prévue n’attend son démarrage : planifiez d’abord une phase.',
  startedPhases: 'Aucune phase n’est en cours : démarrez d’abord une phase.',
  unfinishedPhases: 'Aucune phase prévue ou en cours à replanifier.',
  plannedTranches: 'Aucune tranche prévue n’attend son versement : engagez d’abord un financement.',
  releasedTranches: 'Aucune tranche versée n’attend sa réception.',
  agreements: 'Aucun accord de financement en cours pour cette antenne.',
  openExpenditures: 'Aucune dépense à annuler.',
};

export interface LoadedChoices {
  readonly lists: Partial<Record<OptionSource, Option[]>>;
  /** `agreement/tranche` → cents released, to prefill a receipt. */
  readonly releasedTrancheAmounts: ReadonlyMap<string, number>;
}

/**
 * What a form may offer now: the options of its selects (only what the command can act on: open
 * calls, submitted candidacies, phases not finished, tranches not released…), the identifiers
 * already taken (so a proposed one does not collide), and whether the form makes sense at all.
 */
export class FormChoices {
  constructor(private readonly reads: DashboardReads) {}

  /** Why the form cannot be used (on this antenna) now, or undefined. */
  async unavailable(form: FormSpec, antennaId: string | undefined): Promise<string | undefined> {
    return (await this.unavailableAmong([form], antennaId)).get(form.slug);
  }

  /** Of `forms`, those that cannot be used (on this antenna) now, with why (slug → reason); the antenna is read once. */
  async unavailableAmong(forms: readonly Pick<FormSpec, 'slug' | 'availability'>[], antennaId: string | undefined): Promise<Map<string, string>> {
    let situation: AntennaSituation | undefined | null = null;
    const antennaOf = (id: string) => (situation === null ? (situation = this.reads.antennaSituation(id)) : situation);
    const found = new Map<string, string>();
    for (const form of forms) {
      const reason = this.reasonFor(form.availability, antennaId, antennaOf);
      if (reason !== undefined) found.set(form.slug, reason);
    }
    return found;
  }

  private reasonFor(availability: FormSpec['availability'], antennaId: string | undefined, antennaOf: (antennaId: string) => AntennaSituation | undefined): string | undefined {
    if (!availability) return undefined;
    if (availability === 'noProgrammeLaunched') {
      // One programme per installation (docs/decisions/0061): once it is launched, another launch can only be refused.
      const followed = this.reads.followedProgramme();
      return followed ? errorMessageOf('PROGRAMME.ANOTHER_LAUNCHED', { programmeId: followed.programmeId, name: followed.name, launchedOn: followed.launchedOn }) : undefined;
    }
    if (!antennaId) return undefined;
    const antenna = antennaOf(antennaId);
    if (!antenna) return 'Cette antenne n’a pas été ouverte.';
    if (antenna.status === 'closed' && availability !== 'antennaOpened') {
      return `L’antenne a été fermée le ${formatDate(antenna.statusSince)} : elle n’accepte plus que les données publiques de ses accords de financement, et leur clôture.`;
    }
    const reasons: Record<AntennaAvailability, () => string | undefined> = {
      antennaOpened: () => undefined,
      antennaNotClosed: () => undefined,
      antennaActive: () => (antenna.status === 'suspended' ? `L’antenne est déjà suspendue depuis le ${formatDate(antenna.statusSince)}.` : undefined),
      antennaSuspended: () => (antenna.status === 'active' ? 'L’antenne est en activité : il n’y a rien à reprendre.' : undefined),
      notInaugurated: () =>
        antenna.inauguratedOn !== null ? `L’antenne a déjà été inaugurée le ${formatDate(antenna.inauguratedOn)} (${antenna.inaugurationPlace ?? ''}).` : undefined,
      noForecast: () => (antenna.forecastSet ? 'Le budget prévisionnel est déjà établi : révisez-le pour le modifier.' : undefined),
      forecastSet: () => (antenna.forecastSet ? undefined : 'Aucun budget prévisionnel n’est encore établi : établissez-le d’abord.'),
    };
    return reasons[availability]();
  }

  /**
   * What a form starts from, when it restates something: a revision of the budget restates the
   * whole forecast, so it opens on the lines in force (amounts in euros), to change rather than retype.
   */
  async startingValues(form: FormSpec, antennaId: string | undefined): Promise<Record<string, string>> {
    if (form.command !== 'ReviseBudgetForecast' || !antennaId) return {};
    const forecast = this.reads.antennaForecast(antennaId);
    if (!forecast) return {};
    const values: Record<string, string> = {};
    forecast.lines.forEach((line, index) => {
      values[`lines.${index}.year`] = String(line.year);
      values[`lines.${index}.category`] = line.category;
      values[`lines.${index}.amountCents`] = formatFixed2(line.amountCents);
    });
    return values;
  }

  /** Identifiers already in use where a proposed one must be new. */
  async taken(source: TakenSource, antennaId: string | undefined, values: Readonly<Record<string, string>>): Promise<Set<string>> {
    switch (source) {
      case 'programmes': {
        const programme = this.reads.programme();
        return new Set(programme ? [programme.programmeId] : []);
      }
      case 'calls':
        return new Set(this.reads.callTitles().keys());
      case 'territories': {
        // One candidacy per territory per call: a territory may apply again to another call under the same id.
        const prefix = `${values.callId ?? ''}--`;
        return new Set((await this.reads.candidacies()).flatMap(({ candidacyId }) => (candidacyId.startsWith(prefix) ? [candidacyId.slice(prefix.length)] : [])));
      }
      case 'antennas':
        return new Set(this.reads.antennaOrigins().keys());
      case 'agreements':
        // Agreements are named programme-wide (one stream each).
        return new Set((await this.reads.funding(undefined)).data.agreements.map((agreement) => agreement.agreementId));
      case 'expenditures':
        return new Set(antennaId ? (await this.reads.liveExpenditures(antennaId)).map((expenditure) => expenditure.expenditureId) : []);
      case 'conventions':
        return new Set();
      case 'phases':
      case 'milestones':
      case 'courses': {
        const antenna = antennaId ? this.reads.antennaSituation(antennaId) : undefined;
        if (!antenna) return new Set();
        if (source === 'courses') return new Set(antenna.courseIds);
        if (source === 'phases') return new Set(antenna.phases.map((phase) => phase.phaseId));
        return new Set(antenna.phases.flatMap((phase) => phase.milestoneIds));
      }
    }
  }

  async options(form: FormSpec, antennaId: string | undefined): Promise<LoadedChoices> {
    const sources = new Set(form.fields.flatMap((field) => (field.options ? [field.options] : [])));
    const lists: Partial<Record<OptionSource, Option[]>> = {};
    const releasedTrancheAmounts = new Map<string, number>();

    if (sources.has('programmes')) {
      const programme = this.reads.programme();
      lists.programmes = programme ? [{ value: programme.programmeId, label: programme.name ?? programme.programmeId }] : [];
    }
    if (sources.has('openCalls')) {
      lists.openCalls = [];
      for (const [callId, title] of this.reads.callTitles()) {
        const view = await this.reads.call(callId);
        if (view.status === 'open') lists.openCalls.push({ value: callId, label: `${title}${view.closesOn ? ` (ouvert jusqu’au ${formatDate(view.closesOn)})` : ''}` });
      }
    }
    if (sources.has('submittedCandidacies') || sources.has('selectedCandidacies')) {
      const titles = this.reads.callTitles();
      const withAntenna = this.reads.candidaciesWithAntenna();
      const all = await this.reads.candidacies();
      const label = (view: (typeof all)[number]) => `${view.territory?.name ?? view.candidacyId} — ${view.callId ? (titles.get(view.callId) ?? view.callId) : ''}`;
      lists.submittedCandidacies = all.filter((view) => view.status === 'submitted').map((view) => ({ value: view.candidacyId, label: label(view) }));
      lists.selectedCandidacies = all
        .filter((view) => view.status === 'selected' && !withAntenna.has(view.candidacyId))
        .map((view) => ({ value: view.candidacyId, label: label(view) }));
    }
    if (antennaId && (sources.has('plannedPhases') || sources.has('startedPhases') || sources.has('unfinishedPhases'))) {
      const phases = this.reads.antennaSituation(antennaId)?.phases ?? [];
      const phaseOption = (phase: (typeof phases)[number]) => ({ value: phase.phaseId, label: `${phase.name} (prévue du ${formatDate(phase.plannedStart)} au ${formatDate(phase.plannedEnd)})` });
      lists.plannedPhases = phases.filter((phase) => phase.status === 'planned').map(phaseOption);
      lists.startedPhases = phases.filter((phase) => phase.status === 'started').map(phaseOption);
      lists.unfinishedPhases = phases.filter((phase) => phase.status === 'planned' || phase.status === 'started').map(phaseOption);
    }
    if (antennaId && (sources.has('plannedTranches') || sources.has('releasedTranches') || sources.has('agreements'))) {
      const agreements: readonly FundingReportAgreement[] = (await this.reads.antennaFunding(antennaId)).agreements.filter((agreement) => agreement.closed === null);
      lists.agreements = agreements.map((agreement) => ({ value: agreement.agreementId, label: `${agreement.label} — ${agreement.funder}` }));
      lists.plannedTranches = [];
      lists.releasedTranches = [];
      for (const agreement of agreements) {
        for (const [index, tranche] of agreement.tranches.entries()) {
          const value = `${agreement.agreementId}/${tranche.trancheId}`;
          const name = agreementTrancheName(agreement.label, tranche, index + 1);
          if (tranche.state === 'planned' || tranche.state === 'reversed') {
            lists.plannedTranches.push({ value, label: `${name} : ${formatEuros(tranche.scheduledCents)}, échéance ${formatDate(tranche.dueOn)}` });
          }
          if (tranche.state === 'released' && tranche.releasedCents !== null) {
            releasedTrancheAmounts.set(value, tranche.releasedCents);
            lists.releasedTranches.push({ value, label: `${name} : ${formatEuros(tranche.releasedCents)} versés le ${formatDate(tranche.releasedOn!)}` });
          }
        }
      }
    }
    if (antennaId && sources.has('openExpenditures')) {
      lists.openExpenditures = (await this.reads.liveExpenditures(antennaId))
        .filter((expenditure) => !expenditure.reversed)
        .sort((a, b) => a.expenditureId.localeCompare(b.expenditureId))
        .map(({ expenditureId, amountCents, year }) => ({ value: expenditureId, label: `${expenditureId} : ${formatEuros(amountCents)} (${year})` }));
    }
    return { lists, releasedTrancheAmounts };
  }
}

/** The first required select with nothing to offer, and why: such a form cannot be submitted. */
export function nothingToChoose(form: FormSpec, lists: LoadedChoices['lists']): string | undefined {
  const empty = form.fields.find((field) => field.required && field.options && (lists[field.options]?.length ?? 0) === 0);
  return empty?.options ? NOTHING_TO_CHOOSE[empty.options] : undefined;
}
