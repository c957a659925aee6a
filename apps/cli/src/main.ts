import 'reflect-metadata';
import { errorLines } from './error-output';
import { buildProgram } from './program';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    for (const line of errorLines(error)) console.error(line);
    process.exit(1);
  });
