import { FieldViolation } from '../errors';

/**
 * One problem of an imported spreadsheet: where it is (the sheet's line number, 1 being the header
 * line, and the column's heading) and which rule it breaks, in French. `row` is absent for a
 * problem of the whole file or of a parameter (the effective date of a forecast, its reason);
 * `column` for a problem of a whole row. `field` is the input field the cell fills.
 */
export interface ImportProblem extends FieldViolation {
  readonly row?: number;
  readonly column?: string;
}

/** The file could not be read as a sheet of this kind: not CSV or XLSX, no header line, unknown or missing columns, too many rows. */
export class ImportFileError extends Error {
  readonly code = 'IMPORT.UNREADABLE_FILE';
  constructor(readonly problems: readonly ImportProblem[]) {
    super(problems.map(describeProblem).join(' ; '));
    this.name = 'ImportFileError';
  }
}

/** Some rows break a rule: every problem is listed (the file's and the parameters' first, then by row), and nothing was written. */
export class ImportRejectedError extends Error {
  readonly code = 'IMPORT.INVALID_ROWS';
  readonly problems: readonly ImportProblem[];
  constructor(problems: readonly ImportProblem[]) {
    super(problems.map(describeProblem).join(' ; '));
    this.problems = [...problems].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    this.name = 'ImportRejectedError';
  }
}

/** « Ligne 4, colonne « Montant » : … », as the CLI prints it and the dashboard lists it. */
export function describeProblem(problem: ImportProblem): string {
  const where = [
    problem.row === undefined ? undefined : `Ligne ${problem.row}`,
    problem.column === undefined ? undefined : `colonne « ${problem.column} »`,
  ].filter((part) => part !== undefined);
  const place = where.length === 0 ? '' : `${where.join(', ')} : `;
  return `${place}${problem.message}`;
}
