import type { ReportQueryInput } from '@jalon/application';
import { InvalidArgumentError, Option } from 'commander';

/** A field of the report query. */
type ReportField = keyof ReportQueryInput & string;

/** One option of `jalon report` that fills a field of the report query. */
interface ReportQueryOption {
  readonly flags: string;
  readonly description: string;
  /** The field it fills, or, for `--from`/`--to`, the history's and the other reports' (a statement's period). */
  readonly field: ReportField | { readonly history: ReportField; readonly otherwise: ReportField };
  readonly parse?: (value: string) => number;
}

/**
 * The options of `jalon report` that fill the report query, each declared once: commander reads them
 * from here ({@link reportQueryOptions}), the query is built from here ({@link reportQueryOf}), and a
 * refusal naming a field is told the option that gave it ({@link optionOfField}).
 */
const REPORT_QUERY_OPTIONS: readonly ReportQueryOption[] = [
  { flags: '--antenna <id>', description: 'une antenne (ex. montbeliard)', field: 'antennaId' },
  { flags: '--as-of <date>', description: 'date d’effet AAAA-MM-JJ : ce qui s’était passé à cette date', field: 'asOf' },
  { flags: '--known-at <instant>', description: 'instant ISO 8601 : ce que le système savait alors (avant les corrections ultérieures)', field: 'knownAt' },
  { flags: '--receipt-delay-days <jours>', description: 'financement : jours après un versement au-delà desquels une réception manquante est signalée', field: 'receiptDelayDays', parse: days },
  { flags: '--within-days <jours>', description: 'échéancier : tranches à échoir dans ce nombre de jours (30 par défaut)', field: 'withinDays', parse: days },
  { flags: '--agreement <id>', description: 'état récapitulatif des dépenses : la convention de financement (facultatif si l’antenne n’en a qu’une)', field: 'agreementId' },
  {
    flags: '--from <date>',
    description: 'état récapitulatif des dépenses : premier jour de la période (AAAA-MM-JJ ; défaut : l’engagement) ; historique : dates d’effet à partir de ce jour',
    field: { history: 'from', otherwise: 'periodFrom' },
  },
  {
    flags: '--to <date>',
    description: 'état récapitulatif des dépenses : dernier jour de la période (AAAA-MM-JJ ; défaut : --as-of ou aujourd’hui) ; historique : dates d’effet jusqu’à ce jour inclus',
    field: { history: 'to', otherwise: 'periodTo' },
  },
  { flags: '--actor <id>', description: 'historique : les faits enregistrés par cette personne (son identifiant, voir users list)', field: 'actor' },
  { flags: '--event <type>', description: 'historique : un type d’événement (ex. BudgetTrancheReleased)', field: 'eventType' },
  { flags: '--page <n>', description: 'historique : la page (1 pour la première) de --page-size événements', field: 'page', parse: wholeNumber },
  { flags: '--page-size <n>', description: 'historique : événements par page (50 par défaut avec --page, 500 au plus)', field: 'pageSize', parse: wholeNumber },
  { flags: '--order <ordre>', description: 'historique : asc (ordre d’enregistrement, par défaut) ou desc (du plus récent au plus ancien)', field: 'order' },
];

const commanderOption = (declared: ReportQueryOption): Option => {
  const option = new Option(declared.flags, declared.description);
  return declared.parse ? option.argParser(declared.parse) : option;
};

/** The options, for commander. */
export function reportQueryOptions(): Option[] {
  return REPORT_QUERY_OPTIONS.map(commanderOption);
}

/** The report query of `kind` that the options commander parsed (keyed by its attribute names) give. */
export function reportQueryOf(kind: string, parsed: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const query: Record<string, unknown> = { kind };
  for (const declared of REPORT_QUERY_OPTIONS) {
    const value = parsed[commanderOption(declared).attributeName()];
    if (value === undefined) continue;
    query[typeof declared.field === 'string' ? declared.field : kind === 'history' ? declared.field.history : declared.field.otherwise] = value;
  }
  return query;
}

/**
 * The option (`--antenna`) that gives `field` (`antennaId`) under another name, when one of `jalon
 * report` does: refusals name fields as the query declares them. None for a field its option names
 * as it is (`--actor`, `--from` for the history's `from`): the refusal already says it.
 */
export function optionOfField(field: string): string | undefined {
  const declared = REPORT_QUERY_OPTIONS.find((option) => (typeof option.field === 'string' ? option.field === field : option.field.history === field || option.field.otherwise === field));
  const flag = declared?.flags.split(' ')[0];
  return flag === undefined || flag === `--${field}` ? undefined : flag;
}

function days(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('un nombre entier de jours est attendu');
  return Number(value);
}

function wholeNumber(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('un nombre entier est attendu');
  return Number(value);
}
