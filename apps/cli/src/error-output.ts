import { errorMessageOf } from '@jalon/application';
import { DomainError } from '@jalon/domain';

/**
 * The options of the command line that give an input field under another name. Refusals reach the
 * command line naming fields as their input declares them (`antennaId`, `periodFrom`: the report
 * service's and `validateInput`'s default naming), and the person is told the option they typed.
 * `jalon report` gives a statement's period with `--from`/`--to` (`periodFrom`/`periodTo`), as the
 * history's dates (`from`/`to`, named alike).
 */
const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  antennaId: '--antenna',
  agreementId: '--agreement',
  asOf: '--as-of',
  knownAt: '--known-at',
  periodFrom: '--from',
  periodTo: '--to',
  eventType: '--event',
  receiptDelayDays: '--receipt-delay-days',
  withinDays: '--within-days',
  pageSize: '--page-size',
};

const withOption = (field: string): string => (Object.hasOwn(OPTION_OF_FIELD, field) ? ` (option ${OPTION_OF_FIELD[field]})` : '');

/** What the command line prints of an error that stops it, line by line (in French, its code first). */
export function errorLines(error: unknown): string[] {
  const e = error as { message?: string; code?: string; field?: unknown; violations?: { field: string; message: string }[] };
  // The domain's own messages are for developers; people read the French wording of the code.
  const message = error instanceof DomainError ? errorMessageOf(error.code) : (e.message ?? String(error));
  const option = typeof e.field === 'string' ? withOption(e.field) : '';
  return [`Erreur${e.code ? ` ${e.code}` : ''} : ${message}${option}`, ...(e.violations ?? []).map((v) => `  - ${v.field}${withOption(v.field)} : ${v.message}`)];
}
