import { errorMessageOf, isErrorCode } from '@jalon/application';
import { DomainError } from '@jalon/domain';
import { describeFileSystemFailure } from '@jalon/event-store';
import { optionOfField } from './commands/report-options';

/**
 * ` (option --antenna)` for a field an option gives under another name. Refusals reach the command
 * line naming fields as their input declares them (`antennaId`, `periodFrom`: the report service's and
 * `validateInput`'s default naming), and the person is told the option they typed, as `jalon report`
 * declares it (report-options.ts; other commands' `--antenna` gives the same field).
 */
const withOption = (field: string): string => {
  const option = optionOfField(field);
  return option ? ` (option ${option})` : '';
};

/** What the command line prints of an error that stops it, line by line (in French, its code first). */
export function errorLines(error: unknown): string[] {
  const e = error as { message?: string; code?: string; field?: unknown; violations?: { field: string; message: string }[] };
  // The domain's own messages are for developers; people read the French wording of the code.
  // Node's own wording of a file-system failure (`EPIPE: …`) is English: its French one instead.
  // A refusal that lists its fields says, first, its code's French wording: the lines below name each field and its rule (its own message joins them, as they read in English order).
  const listed = (e.violations?.length ?? 0) > 0 && isErrorCode(e.code);
  const message =
    error instanceof DomainError ? errorMessageOf(error.code, error.details) : listed ? errorMessageOf(e.code!) : (describeFileSystemFailure(error) ?? e.message ?? String(error));
  const option = typeof e.field === 'string' ? withOption(e.field) : '';
  // A value refused by a command's own check (commander's InvalidArgumentError, `commander.invalidArgument`) is invalid input, said under Jalon's code.
  const code = e.code?.startsWith('commander.') ? 'INPUT.INVALID' : e.code;
  return [`Erreur${code ? ` ${code}` : ''} : ${message}${option}`, ...(e.violations ?? []).map(violationLine)];
}

/**
 * One refused field, named once: a rule's message that already starts with the field's name
 * (« asOf doit être une date ISO… », as the wording module writes them) is printed as it is, the
 * option that gave the field after it, as on the first line; any other message after the field's name.
 */
function violationLine({ field, message }: { field: string; message: string }): string {
  return message.startsWith(`${field} `) ? `  - ${message}${withOption(field)}` : `  - ${field}${withOption(field)} : ${message}`;
}

/** Commander's own refusals (its wording is English), each with its French wording. */
const COMMANDER_REFUSALS: readonly [RegExp, (...parts: string[]) => string][] = [
  [/^error: missing required argument '(.+)'$/, (name) => `argument obligatoire manquant : <${name}>`],
  [/^error: required option '(.+)' not specified$/, (flags) => `option obligatoire manquante : ${flags}`],
  [/^error: option '(.+)' argument missing$/, (flags) => `l’option ${flags} attend une valeur`],
  [/^error: option '(.+)' argument '(.*)' is invalid\.\s*(.*)$/s, (flags, value, why) => `l’option ${flags} n’accepte pas « ${value} »${why ? ` : ${why}` : ''}`],
  [
    /^error: command-argument value '(.*)' is invalid for argument '(.+)'\.\s*(.*)$/s,
    (value, name, why) => `l’argument <${name}> n’accepte pas « ${value} »${why ? ` : ${why}` : ''}`,
  ],
  [/^error: unknown option '(.+)'$/, (flag) => `option inconnue : ${flag}`],
  [/^error: unknown command '(.+)'$/, (name) => `commande inconnue : ${name}`],
  [
    /^error: too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
    (command, expected, got) => `trop d’arguments${command ? ` pour jalon ${command}` : ''} (${expected} attendu(s), ${got} donné(s))`,
  ],
  [/^error: (.+) cannot be used with (.+)$/, (one, other) => `${one} ne peut pas être donnée avec ${other}`],
];

/**
 * Commander's refusal of the words typed (`error: unknown option '--x'`, then perhaps `(Did you
 * mean --y?)`), as the command line prints it: in French, under the code INPUT.INVALID, like every
 * other refusal of what was typed. A message this table does not know keeps its words.
 */
export function commanderRefusalInFrench(text: string): string {
  const [, message = text, suggestion] = /^([\s\S]*?)(?:\n\(Did you mean (?:one of )?(.+)\?\))?\n?$/.exec(text) ?? [];
  let french: string | undefined;
  for (const [pattern, word] of COMMANDER_REFUSALS) {
    const match = pattern.exec(message);
    if (match) {
      french = word(...match.slice(1).map((part) => part ?? ''));
      break;
    }
  }
  french ??= message.replace(/^error:\s*/, '');
  // Words typed wrong are invalid input: said under Jalon's code, as a value refused by a command's own check is (errorLines).
  return `Erreur INPUT.INVALID : ${french}${suggestion ? ` (vouliez-vous dire ${suggestion} ?)` : ''}\n`;
}
