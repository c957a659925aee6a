import { COMMAND_WORDING, commandNamed, describeInput, FieldWording, InputField } from '@jalon/application';
import { BUDGET_CATEGORY_LABELS } from '@jalon/reporting';

/**
 * The dashboard's forms, one per command of the catalogue. Their fields are GENERATED from the
 * command's input class (`describeInput`: the same class-validator rules that validate the input
 * on every path) with their French labels and hints from the one wording table
 * (`COMMAND_WORDING`). What is declared here is only what the dashboard adds: the form's address,
 * which fields are chosen among what exists now, which identifiers are proposed from a name, and
 * when the form makes sense at all.
 */

export type FieldKind = 'text' | 'textarea' | 'lines' | 'date' | 'money' | 'integer' | 'decimal' | 'select' | 'checkbox';

/** Where a select finds its options among what exists now; the controller loads only those a form names. */
export type OptionSource =
  | 'programmes'
  | 'openCalls'
  | 'submittedCandidacies'
  | 'selectedCandidacies'
  | 'plannedPhases'
  | 'startedPhases'
  | 'unfinishedPhases'
  | 'plannedTranches'
  | 'releasedTranches'
  | 'agreements'
  | 'openExpenditures';

/** Existing identifiers a proposed one must not collide with. */
export type TakenSource = 'programmes' | 'calls' | 'territories' | 'antennas' | 'phases' | 'milestones' | 'courses' | 'agreements' | 'expenditures' | 'conventions';

/**
 * When a form makes sense (otherwise it says why and cannot be submitted). An antenna's form:
 * `antennaOpened` even once the antenna is closed (the agreement's public data, docs/decisions/0035,
 * and its closing, 0054); every other one only while it is not closed. A programme's form:
 * `noProgrammeLaunched` until a programme is launched (an installation follows one, 0061).
 */
export type Availability = AntennaAvailability | ProgrammeAvailability;
export type AntennaAvailability = 'antennaOpened' | 'antennaNotClosed' | 'antennaActive' | 'antennaSuspended' | 'notInaugurated' | 'noForecast' | 'forecastSet';
export type ProgrammeAvailability = 'noProgrammeLaunched';

export interface Option {
  readonly value: string;
  readonly label: string;
}

export interface Suggestion {
  /** Control whose text the identifier is proposed from (`name`, `tranches.0.label`). */
  readonly from: string;
  readonly fallback: string;
  readonly taken?: TakenSource;
}

export interface FieldSpec {
  /** Control name; also the dotted path it fills in the command input (`territory.region`, `tranches.0.amountCents`). */
  readonly name: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly required?: boolean;
  readonly hint?: string;
  /** Options among what exists now. */
  readonly options?: OptionSource;
  /** Options fixed by the command's declaration (a choice). */
  readonly choices?: readonly Option[];
  readonly autocomplete?: string;
  /** Rows of a repeated group (`tranches.0`): a row left entirely empty is ignored. */
  readonly row?: string;
  /** The object this field belongs to (`territory`), shown as a group with its legend. */
  readonly group?: { readonly path: string; readonly legend: string };
  /**
   * A select whose value `a/b` fills two input paths (an agreement and one of its tranches):
   * messages on either path are shown next to this field.
   */
  readonly splits?: readonly [string, string];
  /** An identifier proposed from another field when left empty. */
  readonly suggest?: Suggestion;
  /** A list of lines the command requires but may be empty: left blank, it is sent as an empty list. */
  readonly emptyList?: boolean;
}

/** A list of objects of any length (tranches, partners, budget lines): rows are added and removed by buttons. */
export interface ListSpec {
  readonly path: string;
  readonly label: string;
  /** Name of one row (`Tranche`), numbered on the form. */
  readonly item: string;
  readonly hint?: string;
  readonly minItems: number;
  readonly maxItems: number;
  /** The command requires the list (maybe empty): with every row left blank, it is sent empty. */
  readonly required: boolean;
  /** The fields of one row, named `<path>.<field>` (no index). */
  readonly fields: readonly FieldSpec[];
}

export interface FormSpec {
  /** URL segment: `/antennes/:antennaId/<slug>` or `/programme/<slug>`. */
  readonly slug: string;
  readonly command: string;
  readonly scope: 'programme' | 'antenna';
  readonly title: string;
  readonly intro: string;
  readonly submit: string;
  /** Shown after a successful write. */
  readonly done: string;
  /** Section of the antenna page to come back to. */
  readonly section?: string;
  /** The form's fields in the order of the command's declaration; rows of lists are `row` fields (see {@link formWithRows}). */
  readonly fields: readonly FieldSpec[];
  readonly lists: readonly ListSpec[];
  /**
   * Whether the form carries the revision of the stream it writes to (an optimistic-concurrency
   * check): not for forms that create a stream named by what is typed.
   */
  readonly tracksRevision: boolean;
  /** The select that decides which stream the command writes to; without one, the stream follows from the URL (the antenna). */
  readonly streamField?: string;
  /** Query parameter → field it preselects (`?tranche=…` on a tranche's action link). */
  readonly preselect?: Readonly<Record<string, string>>;
  readonly availability?: Availability;
}

/** What the dashboard adds to a command's declaration to make it a form. */
interface FormPlan {
  readonly slug: string;
  readonly command: string;
  readonly scope: FormSpec['scope'];
  readonly section?: string;
  readonly tracksRevision: boolean;
  /** Input path → where its options come from. */
  readonly choose?: Readonly<Record<string, OptionSource>>;
  /** The agreement and tranche of a funding command, chosen together in one select. */
  readonly tranche?: OptionSource;
  /** Identifier path → the path it is proposed from (for a list's field: `tranches.trancheId` from `tranches.label`). */
  readonly suggest?: Readonly<Record<string, { readonly from: string; readonly fallback: string; readonly taken?: TakenSource }>>;
  /** Optional parts recorded by another form (the public data of a commitment). */
  readonly omit?: readonly string[];
  readonly autocomplete?: Readonly<Record<string, string>>;
  readonly streamField?: string;
  readonly preselect?: Readonly<Record<string, string>>;
  readonly availability?: Availability;
}

const candidacy = (slug: string, command: string, source: OptionSource = 'submittedCandidacies'): FormPlan => ({
  slug,
  command,
  scope: 'programme',
  tracksRevision: true,
  choose: { candidacyId: source },
  streamField: 'candidacyId',
  preselect: { candidature: 'candidacyId' },
});

/** A form of an antenna's page, back to `section`, carrying the revision of the stream it writes to. */
const onAntenna = (slug: string, command: string, section: string, availability: AntennaAvailability, more: Partial<FormPlan> = {}): FormPlan => ({
  slug,
  command,
  scope: 'antenna',
  section,
  tracksRevision: true,
  availability,
  ...more,
});

/** A form about one of the antenna's phases, chosen among `source` (preselected by a phase's action link). */
const phase = (slug: string, command: string, source: OptionSource, more: Partial<FormPlan> = {}): FormPlan =>
  onAntenna(slug, command, 'phases', 'antennaNotClosed', { choose: { phaseId: source }, preselect: { phase: 'phaseId' }, ...more });

/** A form about one tranche of the antenna's agreements, chosen among `source` (agreement and tranche in one select). */
const tranche = (slug: string, command: string, source: OptionSource): FormPlan => onAntenna(slug, command, 'financements', 'antennaNotClosed', { tranche: source });

/** A form about one of the antenna's agreements, which decides the stream it writes to (preselected by an agreement's link). */
const agreement = (slug: string, command: string, availability: AntennaAvailability = 'antennaNotClosed'): FormPlan =>
  onAntenna(slug, command, 'financements', availability, { choose: { agreementId: 'agreements' }, streamField: 'agreementId', preselect: { accord: 'agreementId' } });

const PLANS: readonly FormPlan[] = [
  // Once one is launched, only its own launch again could pass (a no-op): the form says which programme is followed instead.
  {
    slug: 'lancer-programme',
    command: 'LaunchProgramme',
    scope: 'programme',
    tracksRevision: false,
    suggest: { programmeId: { from: 'name', fallback: 'programme', taken: 'programmes' } },
    availability: 'noProgrammeLaunched',
  },
  { slug: 'reviser-objectifs', command: 'ReviseProgrammeTargets', scope: 'programme', tracksRevision: true, choose: { programmeId: 'programmes' }, streamField: 'programmeId' },
  {
    slug: 'signer-convention',
    command: 'SignConvention',
    scope: 'programme',
    tracksRevision: true,
    choose: { programmeId: 'programmes' },
    streamField: 'programmeId',
    suggest: { conventionId: { from: 'title', fallback: 'convention', taken: 'conventions' } },
  },
  {
    slug: 'ouvrir-appel',
    command: 'OpenCallForApplications',
    scope: 'programme',
    tracksRevision: false,
    choose: { programmeId: 'programmes' },
    suggest: { callId: { from: 'title', fallback: 'appel', taken: 'calls' } },
  },
  { slug: 'clore-appel', command: 'CloseCallForApplications', scope: 'programme', tracksRevision: true, choose: { callId: 'openCalls' }, streamField: 'callId', preselect: { appel: 'callId' } },
  {
    slug: 'deposer-candidature',
    command: 'SubmitCandidacy',
    scope: 'programme',
    tracksRevision: false,
    choose: { callId: 'openCalls' },
    suggest: { 'territory.id': { from: 'territory.name', fallback: 'territoire', taken: 'territories' } },
    autocomplete: { 'territory.name': 'organization', 'territory.region': 'address-level1' },
    preselect: { appel: 'callId' },
  },
  candidacy('ajouter-partenaire', 'AddCandidacyPartner'),
  candidacy('retenir-candidature', 'SelectCandidacy'),
  candidacy('ecarter-candidature', 'RejectCandidacy'),
  candidacy('retirer-candidature', 'WithdrawCandidacy'),
  {
    slug: 'ouvrir-antenne',
    command: 'OpenAntenna',
    scope: 'programme',
    tracksRevision: false,
    choose: { candidacyId: 'selectedCandidacies' },
    suggest: { antennaId: { from: 'name', fallback: 'antenne', taken: 'antennas' } },
    autocomplete: { town: 'address-level2' },
    preselect: { candidature: 'candidacyId' },
  },
  onAntenna('planifier-phase', 'PlanPhase', 'phases', 'antennaNotClosed', { suggest: { phaseId: { from: 'name', fallback: 'phase', taken: 'phases' } } }),
  phase('demarrer-phase', 'StartPhase', 'plannedPhases'),
  phase('replanifier-phase', 'ReschedulePhase', 'unfinishedPhases'),
  phase('enregistrer-jalon', 'ReachMilestone', 'startedPhases', { suggest: { milestoneId: { from: 'name', fallback: 'jalon', taken: 'milestones' } } }),
  phase('terminer-phase', 'CompletePhase', 'startedPhases'),
  onAntenna('inaugurer', 'InaugurateAntenna', 'synthese', 'notInaugurated'),
  onAntenna('ouvrir-formation', 'OpenTrainingCourse', 'synthese', 'antennaNotClosed', { suggest: { courseId: { from: 'title', fallback: 'formation', taken: 'courses' } } }),
  onAntenna('declarer-apprenants', 'ReportLearners', 'synthese', 'antennaNotClosed'),
  onAntenna('suspendre', 'SuspendAntenna', 'synthese', 'antennaActive'),
  onAntenna('reprendre', 'ResumeAntenna', 'synthese', 'antennaSuspended'),
  onAntenna('fermer', 'CloseAntenna', 'synthese', 'antennaNotClosed'),
  onAntenna('etablir-budget', 'SetBudgetForecast', 'budget', 'noForecast'),
  onAntenna('reviser-budget', 'ReviseBudgetForecast', 'budget', 'forecastSet'),
  onAntenna('enregistrer-depense', 'RecordExpenditure', 'budget', 'forecastSet', {
    choose: { fundingAgreementId: 'agreements' },
    suggest: { expenditureId: { from: 'description', fallback: 'depense', taken: 'expenditures' } },
  }),
  onAntenna('annuler-depense', 'ReverseExpenditure', 'budget', 'forecastSet', { choose: { expenditureId: 'openExpenditures' }, preselect: { depense: 'expenditureId' } }),
  // A commitment creates the agreement's stream, named by what is typed: no revision to carry.
  onAntenna('engager-financement', 'CommitFunding', 'financements', 'antennaNotClosed', {
    tracksRevision: false,
    suggest: {
      agreementId: { from: 'label', fallback: 'financement', taken: 'agreements' },
      'tranches.trancheId': { from: 'tranches.label', fallback: 'tranche' },
    },
    omit: ['publicData'],
    autocomplete: { funder: 'organization' },
  }),
  // The forms a closed antenna keeps: the funder's duty to publish outlives it (0035), and its agreements close (0054).
  agreement('donnees-publiques', 'RecordFundingPublicData', 'antennaOpened'),
  tranche('verser-tranche', 'ReleaseTranche', 'plannedTranches'),
  tranche('recevoir-tranche', 'RecordTrancheReceipt', 'releasedTranches'),
  tranche('annuler-versement', 'ReverseTrancheRelease', 'releasedTranches'),
  agreement('clore-financement', 'CloseFundingAgreement', 'antennaOpened'),
];

const KIND_OF: Readonly<Record<InputField['kind'], FieldKind | undefined>> = {
  slug: 'text',
  candidacyId: 'select',
  text: 'text',
  paragraph: 'textarea',
  date: 'date',
  cents: 'money',
  integer: 'integer',
  decimal: 'decimal',
  boolean: 'checkbox',
  choice: 'select',
  textList: 'lines',
  object: undefined,
  list: undefined,
};

/** French names of a choice's values: the wording table's, or the budget categories' own. */
function choicesOf(field: InputField, wording: FieldWording | undefined): Option[] | undefined {
  if (!field.choices) return undefined;
  const names: Readonly<Record<string, string>> = wording?.choices ?? (BUDGET_CATEGORY_LABELS as Readonly<Record<string, string>>);
  return field.choices.map((value) => ({ value, label: names[value] ?? value }));
}

function buildForm(plan: FormPlan): FormSpec {
  const definition = commandNamed(plan.command);
  const wording = COMMAND_WORDING[plan.command];
  if (!wording) throw new Error(`no wording for command ${plan.command}`);
  const fixed = new Set(plan.scope === 'antenna' ? ['antennaId'] : []);
  const lists: ListSpec[] = [];
  const fields: FieldSpec[] = [];

  const fieldOf = (field: InputField, required: boolean, group?: FieldSpec['group']): FieldSpec | undefined => {
    const kind = KIND_OF[field.kind];
    if (!kind) return undefined;
    const words = wording.fields[field.path];
    const suggestion = plan.suggest?.[field.path];
    const choices = choicesOf(field, words);
    const source = plan.choose?.[field.path];
    // A required list of lines with no minimum may be left blank: it is then an empty list.
    const emptyList = kind === 'lines' && required && !field.minItems;
    return {
      name: field.path,
      label: words?.label ?? field.path,
      kind: source ? 'select' : kind,
      // An identifier proposed from a name may be left empty: the proposal fills it.
      required: required && suggestion === undefined && kind !== 'checkbox' && !emptyList,
      ...(words?.hint ? { hint: suggestion ? `${words.hint} Laissé vide, il est proposé à partir du champ « ${wording.fields[suggestion.from]?.label ?? suggestion.from} ».` : words.hint } : {}),
      ...(source ? { options: source } : {}),
      ...(choices && !source ? { choices } : {}),
      ...(plan.autocomplete?.[field.path] ? { autocomplete: plan.autocomplete[field.path] } : {}),
      ...(group ? { group } : {}),
      ...(suggestion ? { suggest: suggestion } : {}),
      ...(emptyList ? { emptyList } : {}),
    };
  };

  const visit = (described: readonly InputField[], parentRequired: boolean, group?: FieldSpec['group']) => {
    for (const field of described) {
      if (fixed.has(field.path) || plan.omit?.includes(field.path)) continue;
      const required = parentRequired && field.required;
      if (plan.tranche && (field.path === 'agreementId' || field.path === 'trancheId')) {
        if (field.path === 'agreementId') {
          fields.push({ name: 'tranche', label: wording.fields.trancheId?.label ?? 'Tranche', kind: 'select', options: plan.tranche, required: true, splits: ['agreementId', 'trancheId'] });
        }
        continue;
      }
      if (field.kind === 'object') {
        visit(field.fields ?? [], required, { path: field.path, legend: wording.fields[field.path]?.label ?? field.path });
        continue;
      }
      if (field.kind === 'list') {
        const words = wording.fields[field.path];
        lists.push({
          path: field.path,
          label: words?.label ?? field.path,
          item: words?.item ?? 'Ligne',
          ...(words?.hint ? { hint: words.hint } : {}),
          minItems: field.minItems ?? 0,
          maxItems: field.maxItems ?? 100,
          required,
          fields: (field.fields ?? []).flatMap((item) => {
            const spec = fieldOf(item, item.required);
            return spec ? [spec] : [];
          }),
        });
        // A placeholder where the rows go, in declaration order.
        fields.push({ name: field.path, label: words?.label ?? field.path, kind: 'text', row: `${field.path}.*` });
        continue;
      }
      const spec = fieldOf(field, required, group);
      if (spec) fields.push(spec);
    }
  };
  visit(describeInput(definition.input), true);

  return {
    slug: plan.slug,
    command: plan.command,
    scope: plan.scope,
    title: wording.title,
    intro: wording.intro,
    submit: wording.submit,
    done: wording.done,
    ...(plan.section ? { section: plan.section } : {}),
    fields,
    lists,
    tracksRevision: plan.tracksRevision,
    ...(plan.streamField ? { streamField: plan.streamField } : plan.tranche ? { streamField: 'tranche' } : {}),
    ...(plan.preselect ? { preselect: plan.preselect } : plan.tranche ? { preselect: { tranche: 'tranche' } } : {}),
    ...(plan.availability ? { availability: plan.availability } : {}),
  };
}

export const FORMS: readonly FormSpec[] = PLANS.map(buildForm);

/**
 * The spreadsheet import (imports.controller.ts): not one command's form, but offered on an antenna's
 * page as its forms are, to those who may record expenditures, while the antenna accepts it.
 */
export const SPREADSHEET_IMPORT = { slug: 'import', command: 'RecordExpenditure', scope: 'antenna', availability: 'antennaNotClosed' } as const satisfies Pick<FormSpec, 'slug' | 'command' | 'scope' | 'availability'>;

export function formNamed(scope: FormSpec['scope'], slug: string): FormSpec | undefined {
  return FORMS.find((form) => form.scope === scope && form.slug === slug);
}

export function formOf(command: string): FormSpec | undefined {
  return FORMS.find((form) => form.command === command);
}

/** How many rows each list shows: as many as were sent (at least its minimum, and one), changed by an add or remove button. */
export function rowCounts(form: FormSpec, values: Readonly<Record<string, string>>, action?: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const list of form.lists) {
    let sent = 0;
    const prefix = `${list.path}.`;
    for (const name of Object.keys(values)) {
      if (!name.startsWith(prefix)) continue;
      const index = /^(\d{1,4})\./.exec(name.slice(prefix.length));
      if (index) sent = Math.max(sent, Number(index[1]) + 1);
    }
    counts.set(list.path, Math.min(list.maxItems, Math.max(sent, list.minItems, 1)));
  }
  const add = action?.startsWith('ajouter:') ? action.slice('ajouter:'.length) : undefined;
  if (add !== undefined && counts.has(add)) {
    const list = form.lists.find((candidate) => candidate.path === add)!;
    counts.set(add, Math.min(list.maxItems, counts.get(add)! + 1));
  }
  return counts;
}

/**
 * The row removed by a « Retirer » button (`retirer:tranches.1`), and the values with the rows
 * after it moved up one place, so that what was typed stays with its row.
 */
export function withoutRow(form: FormSpec, values: Readonly<Record<string, string>>, action: string | undefined): Record<string, string> {
  const match = /^retirer:([A-Za-z]+)\.(\d{1,4})$/.exec(action ?? '');
  const list = match ? form.lists.find((candidate) => candidate.path === match[1]) : undefined;
  if (!match || !list) return { ...values };
  const removed = Number(match[2]);
  const prefix = `${list.path}.`;
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const row = name.startsWith(prefix) ? /^(\d{1,4})\.(.+)$/.exec(name.slice(prefix.length)) : null;
    if (!row) {
      kept[name] = value;
      continue;
    }
    const index = Number(row[1]);
    if (index === removed) continue;
    kept[`${prefix}${index > removed ? index - 1 : index}.${row[2]}`] = value;
  }
  // Removing the last row still leaves one empty row to fill.
  return kept;
}

/** The form with its lists' rows as concrete fields (`tranches.0.amountCents`…), `counts` rows each. */
export function formWithRows(form: FormSpec, counts: ReadonlyMap<string, number>): FormSpec {
  const fields = form.fields.flatMap((field): FieldSpec[] => {
    if (!field.row?.endsWith('.*')) return [field];
    const list = form.lists.find((candidate) => candidate.path === field.name)!;
    const rows = counts.get(list.path) ?? Math.max(list.minItems, 1);
    return Array.from({ length: rows }, (_, index) => {
      const row = `${list.path}.${index}`;
      return list.fields.map((template) => {
        const name = `${row}${template.name.slice(list.path.length)}`;
        const suggest = template.suggest ? { ...template.suggest, from: `${row}${template.suggest.from.slice(list.path.length)}` } : undefined;
        const { suggest: _ignored, ...rest } = template;
        return { ...rest, name, row, ...(suggest ? { suggest } : {}) };
      });
    }).flat();
  });
  return { ...form, fields };
}
