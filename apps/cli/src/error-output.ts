import { errorMessageOf } from '@jalon/application';
import { DomainError } from '@jalon/domain';
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
  const message = error instanceof DomainError ? errorMessageOf(error.code) : (e.message ?? String(error));
  const option = typeof e.field === 'string' ? withOption(e.field) : '';
  return [`Erreur${e.code ? ` ${e.code}` : ''} : ${message}${option}`, ...(e.violations ?? []).map((v) => `  - ${v.field}${withOption(v.field)} : ${v.message}`)];
}
