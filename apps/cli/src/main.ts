import 'reflect-metadata';
import { errorMessageOf } from '@jalon/application';
import { DomainError } from '@jalon/domain';
import { buildProgram } from './program';

/** The option of the command line that gives an input field the errors name. */
const OPTION_OF_FIELD: Readonly<Record<string, string>> = { antennaId: '--antenna', antenna: '--antenna', agreement: '--agreement' };

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const e = error as { message?: string; code?: string; field?: unknown; violations?: { field: string; message: string }[] };
    // The domain's own messages are for developers; people read the French wording of the code.
    const message = error instanceof DomainError ? errorMessageOf(error.code) : (e.message ?? String(error));
    const option = typeof e.field === 'string' ? OPTION_OF_FIELD[e.field] : undefined;
    console.error(`Erreur${e.code ? ` ${e.code}` : ''} : ${message}${option ? ` (option ${option})` : ''}`);
    for (const v of e.violations ?? []) console.error(`  - ${v.field} : ${v.message}`);
    process.exit(1);
  });
