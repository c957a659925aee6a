import { assertNotInFuture, budgetDecider, BudgetState, decideEach, DomainError, streamIdOf, todayIn } from '@jalon/domain';
import { CommandDefinition, StateLoader } from '../command-handling/command-definition';
import { CommandExecutor, CommandResult, ExecuteOptions } from '../command-handling/command-executor';
import { BudgetForecastLineInput, RecordExpenditureInput } from '../commands/budget.commands';
import { commandNamed } from '../commands/catalogue';
import { runCommand } from '../commands/run-command';
import { errorMessageOf } from '../error-messages';
import { FieldViolation, ForbiddenError, InputValidationError } from '../errors';
import { Actor } from '../identity/roles';
import { Clock } from '../ports';
import { validateInput } from '../validation/validate-input';
import { IsSlug } from '../validation/text.decorators';
import { AMOUNT_RANGE, parseDateCell, shownCell } from './french-cells';
import { ImportFileError, ImportProblem, ImportRejectedError } from './import-problems';
import { recordExpenditures, RecordExpendituresInput } from './record-expenditures.command';
import { layoutOf, MAX_SHEET_ROWS, parseCell, SheetColumn, SheetKind, SheetLayout, columnNamed } from './sheet-layouts';
import { readSheet, SheetTable } from './sheet-reader';

export interface SheetImportRequest {
  readonly kind: SheetKind;
  readonly antennaId: string;
  /** The file as uploaded: XLSX or CSV, told apart by its content. */
  readonly file: Uint8Array;
  /** Check everything, write nothing. */
  readonly dryRun?: boolean;
  /** Budget sheets: the day the forecast (or its revision) takes effect, `22/06/2022` or ISO. */
  readonly effectiveDate?: string;
  /** Budget sheets: why the forecast already set is revised. */
  readonly reason?: string;
  readonly correlationId?: string;
}

export interface SheetImportOutcome {
  readonly kind: SheetKind;
  readonly antennaId: string;
  readonly format: SheetTable['format'];
  readonly dryRun: boolean;
  /** The command the sheet goes through: `SetBudgetForecast`, `ReviseBudgetForecast` or `RecordExpenditures`. */
  readonly command: string;
  /** Rows read below the header. */
  readonly rows: number;
  /** Rows whose fact is already recorded as the sheet says (the same sheet imported again): nothing to write for them. */
  readonly alreadyRecorded: number;
  /** Events written, or for a dry run that would be written. */
  readonly events: number;
  readonly written: boolean;
  /** The command path's result, when something was written. */
  readonly result?: CommandResult;
}

/** Parameters of a budget sheet, shown as the « columns » their problems name. */
const EFFECTIVE_DATE = 'Date d’effet';
const REASON = 'Motif de la révision';

interface SheetRowValues {
  readonly line: number;
  readonly values: Record<string, unknown>;
  /** Each field's cell as the user sees it, for messages. */
  readonly shown: Record<string, string>;
}

/**
 * Imports a spreadsheet of budget forecast lines or of expenditures through the one command path.
 *
 * Every row is read, validated by the same class-validator declaration as the command's, then
 * decided by the same decider on the antenna's current budget, each on the state the previous
 * rows left (a dry run); every problem is listed by row, column and rule, and nothing is written
 * unless there is none. Then the whole sheet is ONE command and ONE append: the forecast (set, or
 * revised when one is set already), or the batch of expenditures (`RecordExpenditures`), which the
 * executor authorises, validates and decides again. A sheet imported again decides nothing new
 * (forecast lines equal to those recorded; expenditures by their id) and writes nothing.
 */
export class SheetImportService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  async importSheet(request: SheetImportRequest, actor: Actor): Promise<SheetImportOutcome> {
    const layout = layoutOf(request.kind);
    const authority = request.kind === 'budget' ? commandNamed('SetBudgetForecast') : recordExpenditures;
    if (!authority.roles.includes(actor.role)) throw new ForbiddenError(actor.role, 'l’import d’un tableur de budget ou de dépenses');
    // The antenna is the request's, not a row's: a wrong id is said once, as any invalid input.
    validateInput(ImportTargetInput, { antennaId: request.antennaId });
    // Each expenditure row carries its own date, and an expenditure has no reason: the forecast's
    // parameters given to a sheet of expenditures are refused, never ignored while the sheet is written.
    if (request.kind === 'expenditures') {
      const given = (['effectiveDate', 'reason'] as const).filter((field) => request[field] !== undefined);
      if (given.length > 0) {
        throw new InputValidationError(
          given.map((field) => ({ field, rule: 'budgetOnly', message: `${field} ne s’applique qu’à l’import du budget prévisionnel : chaque dépense porte sa date dans sa ligne` })),
        );
      }
    }
    const table = await readSheet(request.file);
    const rows = rowsOf(table, layout);
    const options: ExecuteOptions = request.correlationId ? { correlationId: request.correlationId } : {};
    return request.kind === 'budget'
      ? this.importForecast(request, table, rows, actor, options)
      : this.importExpenditures(request, table, rows, actor, options);
  }

  private async importForecast(
    request: SheetImportRequest,
    table: SheetTable,
    read: { rows: SheetRowValues[]; problems: ImportProblem[] },
    actor: Actor,
    options: ExecuteOptions,
  ): Promise<SheetImportOutcome> {
    const problems = [...read.problems];
    for (const row of read.rows) problems.push(...violationsOf(BudgetForecastLineInput, row.values, row, BUDGET_FIELDS));
    let effectiveDate: string | undefined;
    if (request.effectiveDate === undefined || request.effectiveDate.trim() === '') {
      problems.push({ column: EFFECTIVE_DATE, field: 'effectiveDate', rule: 'isDefined', message: 'la date d’effet du prévisionnel est obligatoire (JJ/MM/AAAA)' });
    } else {
      const date = parseDateCell(request.effectiveDate);
      if (date.ok) effectiveDate = date.value;
      else problems.push({ column: EFFECTIVE_DATE, field: 'effectiveDate', rule: date.rule, message: date.message });
    }
    if (problems.length > 0 || effectiveDate === undefined) throw new ImportRejectedError(problems);

    const lines = read.rows.map((row) => row.values);
    const set = { antennaId: request.antennaId, lines, effectiveDate };
    const state = await this.budgetOf(request.antennaId);
    // The decider tells which command the sheet is: a forecast not set yet, the same forecast again, or a revision.
    let definition = commandNamed('SetBudgetForecast');
    let input: Record<string, unknown> = set;
    const asSet = await this.dryRun(definition, set, state);
    if (asSet.refusal?.code === 'BUDGET.FORECAST_ALREADY_SET') {
      definition = commandNamed('ReviseBudgetForecast');
      input = { ...set, ...(request.reason === undefined ? {} : { reason: request.reason }) };
    }
    const decided = definition.name === 'SetBudgetForecast' ? asSet : await this.dryRun(definition, input, state);
    if (decided.violations.length > 0 || decided.refusal) {
      const reasonGiven = request.reason !== undefined && request.reason.trim() !== '';
      const forecastProblems = decided.violations.map((violation) => forecastProblemOf(violation, read.rows, reasonGiven));
      if (decided.refusal) forecastProblems.push(forecastRefusalOf(decided.refusal, read.rows));
      throw new ImportRejectedError(forecastProblems);
    }
    const outcome = { kind: request.kind, antennaId: request.antennaId, format: table.format, command: definition.name, rows: read.rows.length };
    const alreadyRecorded = decided.events === 0 ? read.rows.length : 0;
    if (request.dryRun || decided.events === 0) return { ...outcome, dryRun: request.dryRun === true, alreadyRecorded, events: decided.events, written: false };
    const result = await runCommand(this.executor, definition.name, input, actor, options);
    return { ...outcome, dryRun: false, alreadyRecorded, events: result.events.length, written: result.written, result };
  }

  private async importExpenditures(
    request: SheetImportRequest,
    table: SheetTable,
    read: { rows: SheetRowValues[]; problems: ImportProblem[] },
    actor: Actor,
    options: ExecuteOptions,
  ): Promise<SheetImportOutcome> {
    const problems = [...read.problems];
    const valid: SheetRowValues[] = [];
    for (const row of read.rows) {
      const values = { antennaId: request.antennaId, ...row.values };
      const own = violationsOf(RecordExpenditureInput, values, row, EXPENDITURE_FIELDS);
      problems.push(...own);
      if (own.length === 0) valid.push({ ...row, values });
    }

    let events = 0;
    let alreadyRecorded = 0;
    if (valid.length > 0) {
      // Every row satisfies RecordExpenditureInput already: the batch's input is valid as it is.
      const input = { antennaId: request.antennaId, expenditures: valid.map((row) => row.values) } as unknown as RecordExpendituresInput;
      const state = await this.budgetOf(request.antennaId);
      const context = await recordExpenditures.loadContext!(input, this.loader);
      const batch = recordExpenditures.toCommand(input, context);
      const today = todayIn(this.clock.now(), this.timeZone);
      const outcome = decideEach(budgetDecider, batch.data.commands, state, (own) => assertNotInFuture(own, today));
      problems.push(...refusalProblems(outcome.refusals, valid));
      events = outcome.events.length;
      alreadyRecorded = outcome.decided.filter((own, index) => own.length === 0 && !outcome.refusals.some((refusal) => refusal.index === index)).length;
    }
    if (problems.length > 0) throw new ImportRejectedError(problems);

    const outcome = { kind: request.kind, antennaId: request.antennaId, format: table.format, command: recordExpenditures.name, rows: read.rows.length, alreadyRecorded };
    if (request.dryRun || events === 0) return { ...outcome, dryRun: request.dryRun === true, events, written: false };
    const input = { antennaId: request.antennaId, expenditures: valid.map((row) => row.values) };
    let result;
    try {
      result = await this.executor.execute(recordExpenditures, input, actor, options);
    } catch (error) {
      // Someone recorded a contradicting fact since the dry run: the batch's refusal names its item, said of its row.
      const index = error instanceof DomainError ? error.details.index : undefined;
      if (!(error instanceof DomainError) || typeof index !== 'number') throw error;
      const { field: prefixed, ...details } = error.details;
      const field = String(prefixed ?? '').replace(/^expenditures\[\d+\]\.?/, '');
      const own = new DomainError(error.code, error.kind, error.message, field === '' ? details : { ...details, field });
      throw new ImportRejectedError(refusalProblems([{ index, error: own }], valid));
    }
    return { ...outcome, dryRun: false, events: result.events.length, written: result.written, result };
  }

  /** Other streams (the antenna, funding agreements), as the command path follows them. */
  private readonly loader: StateLoader = {
    state: async (decider, streamId) => (await this.executor.current(decider, streamId)).state,
    firstOfType: (type) => this.executor.firstOfType(type),
  };

  /** The antenna's budget as the command path follows it. */
  private async budgetOf(antennaId: string): Promise<BudgetState> {
    return (await this.executor.current(budgetDecider, streamIdOf('budget', antennaId))).state;
  }

  /** Validates and decides one command on `state` without writing: its violations, or its refusal, or how many events it would append. */
  private async dryRun(
    definition: CommandDefinition,
    raw: Record<string, unknown>,
    state: BudgetState,
  ): Promise<{ violations: readonly FieldViolation[]; refusal?: DomainError; events: number }> {
    let input: object;
    try {
      input = validateInput(definition.input, raw);
    } catch (error) {
      if (error instanceof InputValidationError) return { violations: error.violations, events: 0 };
      throw error;
    }
    try {
      const context = definition.loadContext ? await definition.loadContext(input, this.loader) : undefined;
      const events = definition.decider.decide(definition.toCommand(input, context), state) as readonly { type: string; data: { effectiveDate: string } }[];
      assertNotInFuture(events, todayIn(this.clock.now(), this.timeZone));
      return { violations: [], events: events.length };
    } catch (error) {
      if (error instanceof DomainError) return { violations: [], refusal: error, events: 0 };
      throw error;
    }
  }
}

class ImportTargetInput {
  @IsSlug()
  antennaId!: string;
}

const BUDGET_FIELDS = new Map(layoutOf('budget').columns.map((column) => [column.field, column]));
const EXPENDITURE_FIELDS = new Map(layoutOf('expenditures').columns.map((column) => [column.field, column]));

/**
 * The rows of a sheet as input values, keyed by field: headings are matched to the layout's
 * columns (case, accents and apostrophes aside); an unknown, repeated or missing column makes the
 * file unreadable; an empty required cell, or one that cannot be read, is a problem of its row, and
 * so is an id given by an earlier row (`identifiedBy`).
 */
export function rowsOf(table: SheetTable, layout: SheetLayout): { rows: SheetRowValues[]; problems: ImportProblem[] } {
  const fileProblems: ImportProblem[] = [];
  const columns: (SheetColumn | undefined)[] = [];
  const headings = layout.columns.map((column) => `« ${column.heading} »`).join(', ');
  // Cells right of the last heading count as columns without a title (a row cut by an unquoted `;` must not lose its end).
  const width = table.rows.reduce((widest, row) => Math.max(widest, row.cells.length), table.header.length);
  Array.from({ length: width }, (_, index) => table.header[index] ?? '').forEach((heading, index) => {
    if (heading === '') {
      const filled = table.rows.find((row) => shownCell(row.cells[index] ?? null) !== '');
      if (filled) fileProblems.push({ row: table.headerLine, field: 'file', rule: 'hasHeading', message: `la colonne n° ${index + 1} n’a pas de titre mais contient des valeurs (ligne ${filled.line}) : les colonnes attendues sont ${headings}` });
      columns.push(undefined);
      return;
    }
    const column = columnNamed(layout, heading);
    if (column === undefined) {
      fileProblems.push({ row: table.headerLine, column: heading, field: 'file', rule: 'isKnownColumn', message: `colonne inconnue : les colonnes d’une feuille « ${layout.sheetName} » sont ${headings}` });
    } else if (columns.includes(column)) {
      fileProblems.push({ row: table.headerLine, column: heading, field: 'file', rule: 'isUniqueColumn', message: 'cette colonne figure deux fois' });
    }
    columns.push(column);
  });
  for (const column of layout.columns) {
    if (column.required && !columns.includes(column)) {
      fileProblems.push({ row: table.headerLine, column: column.heading, field: 'file', rule: 'hasColumn', message: `colonne obligatoire absente : ${column.description}` });
    }
  }
  if (table.rows.length > MAX_SHEET_ROWS) {
    fileProblems.push({ field: 'file', rule: 'maxRows', message: `le fichier compte ${table.rows.length} lignes : ${MAX_SHEET_ROWS} au plus par import` });
  }
  if (table.rows.length === 0) fileProblems.push({ field: 'file', rule: 'hasRows', message: 'le fichier ne contient aucune ligne sous les titres des colonnes' });
  if (fileProblems.length > 0) throw new ImportFileError(fileProblems);

  const problems: ImportProblem[] = [];
  const rows = table.rows.map((row): SheetRowValues => {
    const values: Record<string, unknown> = {};
    const shown: Record<string, string> = {};
    columns.forEach((column, index) => {
      if (column === undefined) return;
      const cell = row.cells[index] ?? null;
      shown[column.field] = shownCell(cell);
      if (shown[column.field] === '') {
        if (column.required) problems.push({ row: row.line, column: column.heading, field: column.field, rule: 'isDefined', message: `la cellule est vide : ${column.description}` });
        return;
      }
      const parsed = parseCell(column, cell);
      if (parsed.ok) values[column.field] = parsed.value;
      else problems.push({ row: row.line, column: column.heading, field: column.field, rule: parsed.rule, message: parsed.message });
    });
    return { line: row.line, values, shown };
  });
  problems.push(...repeatedIds(rows, layout));
  // A row whose cells could not all be read, or that repeats an id, is not validated further: its problems are already said.
  const unread = new Set(problems.map((problem) => problem.row));
  return { rows: rows.filter((row) => !unread.has(row.line)), problems };
}

/** Each row whose id an earlier row of the file has already, naming that row: the file is refused, however the two rows compare. */
function repeatedIds(rows: readonly SheetRowValues[], layout: SheetLayout): ImportProblem[] {
  const column = layout.columns.find((candidate) => candidate.field === layout.identifiedBy);
  if (column === undefined) return [];
  const firstLine = new Map<unknown, number>();
  const problems: ImportProblem[] = [];
  for (const row of rows) {
    const id = row.values[column.field];
    if (id === undefined) continue;
    const first = firstLine.get(id);
    if (first === undefined) firstLine.set(id, row.line);
    else problems.push({ row: row.line, column: column.heading, field: column.field, rule: 'isUniqueInFile', message: `même identifiant que la ligne ${first} : chaque ligne du fichier porte un identifiant différent` });
  }
  return problems;
}

/** The violations of one row's values by the input class, placed on its row and columns. */
function violationsOf(type: new () => object, values: Record<string, unknown>, row: SheetRowValues, fields: ReadonlyMap<string, SheetColumn>): ImportProblem[] {
  try {
    validateInput(type, values);
    return [];
  } catch (error) {
    if (!(error instanceof InputValidationError)) throw error;
    return error.violations.map((violation) => cellProblem(violation, violation.field, row, fields.get(violation.field.split('.')[0]!)));
  }
}

/**
 * A violation of `path` (the field as the validator names it), said of the cell: « Loyer 2024 » doit
 * être un identifiant… An amount's bounds are said in the euros of its column, not in cents.
 */
function cellProblem(violation: FieldViolation, path: string, row: SheetRowValues | undefined, column: SheetColumn | undefined): ImportProblem {
  const field = path.split('.').pop() ?? path;
  const named = violation.message.startsWith(`${path} `);
  const rest = column?.kind === 'amount' && violation.rule === 'isCents' ? AMOUNT_RANGE : named ? violation.message.slice(path.length + 1) : violation.message;
  const shown = column && row ? row.shown[column.field] : undefined;
  const message = rest === violation.message ? rest : shown ? `« ${shown} » ${rest}` : `la valeur ${rest}`;
  return { ...(row ? { row: row.line } : {}), ...(column ? { column: column.heading } : {}), field, rule: violation.rule, message };
}

/** `lines.3.amountCents` is the fourth row's « Montant »; `effectiveDate` and `reason` are parameters (a reason missing, or given and invalid). */
function forecastProblemOf(violation: FieldViolation, rows: readonly SheetRowValues[], reasonGiven: boolean): ImportProblem {
  const line = /^lines\.(\d+)(?:\.(\w+))?/.exec(violation.field);
  if (line) {
    const row = rows[Number(line[1])];
    return cellProblem(violation, violation.field, row, line[2] ? BUDGET_FIELDS.get(line[2]) : undefined);
  }
  if (violation.field === 'reason' && reasonGiven) {
    const rule = violation.message.startsWith('reason ') ? violation.message.slice('reason '.length) : violation.message;
    return { column: REASON, field: 'reason', rule: violation.rule, message: `le motif de la révision ${rule}` };
  }
  if (violation.field === 'reason') {
    return { column: REASON, field: 'reason', rule: violation.rule, message: 'le prévisionnel de cette antenne est déjà établi : un motif de révision est obligatoire pour le réviser' };
  }
  return { ...(violation.field === 'effectiveDate' ? { column: EFFECTIVE_DATE } : {}), field: violation.field, rule: violation.rule, message: violation.message };
}

/** A refusal of the forecast by its decider, placed on the row (`lines[3]`) or the parameter it names. */
function forecastRefusalOf(error: DomainError, rows: readonly SheetRowValues[]): ImportProblem {
  const field = typeof error.details.field === 'string' ? error.details.field : undefined;
  const line = field === undefined ? null : /^lines\[(\d+)\](?:\.(\w+))?/.exec(field);
  const problem = { field: field ?? '', rule: error.code, message: errorMessageOf(error.code) };
  if (line) {
    // The decider names the line in the order it was given, which is the sheet's.
    const row = rows[Number(line[1])];
    const column = line[2] ? BUDGET_FIELDS.get(line[2]) : undefined;
    return { ...problem, ...(row ? { row: row.line } : {}), ...(column ? { column: column.heading } : {}) };
  }
  if (field === 'effectiveDate') return { ...problem, column: EFFECTIVE_DATE };
  if (field === 'reason') return { ...problem, column: REASON };
  return problem;
}

/** Each refused row on its line and column; a refusal of the antenna itself (not opened, no forecast) is said once. */
function refusalProblems(refusals: readonly { index: number; error: DomainError }[], rows: readonly SheetRowValues[]): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const said = new Set<string>();
  for (const { index, error } of refusals) {
    const field = typeof error.details.field === 'string' ? error.details.field : undefined;
    const base = { field: field ?? '', rule: error.code, message: errorMessageOf(error.code) };
    if (field === undefined || field === 'antennaId') {
      if (!said.has(error.code)) problems.push(base);
      said.add(error.code);
      continue;
    }
    const column = EXPENDITURE_FIELDS.get(field);
    problems.push({ ...base, row: rows[index]!.line, ...(column ? { column: column.heading } : {}) });
  }
  return problems;
}
