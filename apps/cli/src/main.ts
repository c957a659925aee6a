import 'reflect-metadata';
import { buildProgram } from './program';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const e = error as { message?: string; code?: string; violations?: { field: string; message: string }[] };
    console.error(`Erreur${e.code ? ` ${e.code}` : ''} : ${e.message ?? String(error)}`);
    for (const v of e.violations ?? []) console.error(`  - ${v.field} : ${v.message}`);
    process.exit(1);
  });
