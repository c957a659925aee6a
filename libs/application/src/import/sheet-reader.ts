import { excelJs, formatPercent } from '@jalon/reporting';
import type ExcelJS from 'exceljs';
import { checkZipInflation, MAX_XLSX_INFLATED_BYTES } from './zip-inflation';
import { ImportFileError } from './import-problems';

/** A cell as the file holds it: CSV cells are text; XLSX cells may be numbers, dates or booleans. */
export type SheetCell = string | number | boolean | Date | null;

/**
 * What a spreadsheet shows for a date cell that holds no real day (a damaged serial): how the
 * reader gives such a heading and how messages show such a cell (french-cells.ts). Its home is
 * here, beside `SheetCell`, which french-cells.ts already imports (the other way is a cycle).
 */
export const INVALID_DATE = '#DATE!';

export interface SheetRow {
  /** The row's number in the sheet, as a spreadsheet shows it (the header is line 1). */
  readonly line: number;
  readonly cells: readonly SheetCell[];
}

export interface SheetTable {
  readonly format: 'csv' | 'xlsx';
  /** The headings of the first non-empty line, trimmed. */
  readonly header: readonly string[];
  readonly headerLine: number;
  /** The lines below the header that hold at least one value (empty lines are skipped, not renumbered). */
  readonly rows: readonly SheetRow[];
}

/** The sheet of instructions the downloadable template adds after its data sheet (sheet-template.ts): not data. */
export const TEMPLATE_HELP_SHEET = 'Mode d’emploi';

/** The media types of the two formats, as HTTP bodies and downloads carry them. */
export const CSV_MEDIA_TYPE = 'text/csv';
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];
/** More cells than any layout has columns: a line is read this wide; a value beyond makes the file unreadable (never dropped). */
const MAX_COLUMNS = 100;

/** The first `MAX_COLUMNS` cells of a line, or a refusal naming the line and column of a value beyond them. */
function withinWidth(line: number, cells: readonly SheetCell[]): SheetCell[] {
  const beyond = cells.findIndex((cell, index) => index >= MAX_COLUMNS && !isBlank(cell));
  if (beyond >= 0) {
    throw new ImportFileError([
      { row: line, field: 'file', rule: 'maxColumns', message: `la colonne n° ${beyond + 1} contient une valeur : une feuille d’import compte ${MAX_COLUMNS} colonnes au plus` },
    ]);
  }
  return cells.slice(0, MAX_COLUMNS);
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

const fileProblem = (message: string) => new ImportFileError([{ field: 'file', rule: 'isReadableSheet', message }]);

/**
 * Reads an XLSX workbook (its first worksheet: another sheet holding values, or a hidden row or column
 * holding values, makes it unreadable rather than being left out) or a CSV file (UTF-8 with or without BOM, `;` as
 * French spreadsheets write it, or `,` or a tab when the header line has no `;`; cells quoted with
 * `"` may hold separators, quotes doubled and line breaks). The format is told by the content,
 * not by a name or a media type: an XLSX file is a ZIP archive.
 */
export async function readSheet(bytes: Uint8Array): Promise<SheetTable> {
  if (bytes.length === 0) throw fileProblem('le fichier est vide');
  if (startsWith(bytes, OLE_MAGIC)) {
    throw fileProblem('les classeurs Excel 97-2003 (.xls) ne sont pas lus : enregistrez le fichier au format .xlsx ou CSV (séparateur point-virgule)');
  }
  const lines = startsWith(bytes, ZIP_MAGIC) ? await xlsxLines(bytes) : csvLines(bytes);
  return tableOf(startsWith(bytes, ZIP_MAGIC) ? 'xlsx' : 'csv', lines);
}

function isBlank(cell: SheetCell): boolean {
  return cell === null || (typeof cell === 'string' && cell.trim() === '');
}

function tableOf(format: SheetTable['format'], lines: readonly SheetRow[]): SheetTable {
  const filled = lines.filter((line) => line.cells.some((cell) => !isBlank(cell)));
  const [first, ...rows] = filled;
  if (first === undefined) throw fileProblem('le fichier ne contient aucune ligne : la première ligne doit porter les titres des colonnes');
  const header = first.cells.map((cell) => (cell === null ? '' : cell instanceof Date ? (Number.isNaN(cell.getTime()) ? INVALID_DATE : cell.toISOString()) : String(cell)).trim());
  return { format, header, headerLine: first.line, rows };
}

// ——— CSV ———

function csvLines(bytes: Uint8Array): SheetRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fileProblem('le fichier n’est ni un classeur XLSX ni un CSV en UTF-8 : enregistrez-le au format « CSV UTF-8 (délimité par des points-virgules) » ou .xlsx');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const separator = separatorOf(text);
  const records = parseCsv(text, separator);
  return records.map((cells, index) => ({ line: index + 1, cells: withinWidth(index + 1, cells) }));
}

/** `;` unless the first line has none and has a tab or a comma (outside quotes). */
function separatorOf(text: string): string {
  let inQuotes = false;
  const counts: Record<string, number> = { ';': 0, '\t': 0, ',': 0 };
  for (const char of text) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (char === '\n' || char === '\r')) break;
    else if (!inQuotes && char in counts) counts[char]!++;
  }
  if (counts[';']! > 0) return ';';
  if (counts['\t']! > 0) return '\t';
  return counts[',']! > 0 ? ',' : ';';
}

/** RFC 4180 with the separator given; CRLF, LF or CR end a record outside quotes. */
export function parseCsv(text: string, separator = ';'): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let inQuotes = false;
  let quotedCell = false;
  let recordStart = 1;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (inQuotes) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          cell += '"';
          index++;
        } else {
          inQuotes = false;
        }
      } else {
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell === '' && !quotedCell) {
      inQuotes = true;
      quotedCell = true;
    } else if (char === separator) {
      record.push(cell);
      cell = '';
      quotedCell = false;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      quotedCell = false;
      recordStart = records.length + 1;
    } else {
      cell += char;
    }
  }
  if (inQuotes) {
    throw new ImportFileError([
      { row: recordStart, field: 'file', rule: 'isClosedQuote', message: 'un guillemet ouvert n’est jamais refermé : la fin du fichier est dans une cellule entre guillemets' },
    ]);
  }
  if (cell !== '' || quotedCell || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records;
}

// ——— XLSX ———

async function xlsxLines(bytes: Uint8Array): Promise<SheetRow[]> {
  // ExcelJS inflates the whole archive in memory: its inflated size is bounded first, by inflating it.
  const inflation = checkZipInflation(bytes);
  if (!inflation.ok && inflation.why === 'too-large') {
    throw fileProblem(`le classeur décompressé dépasse ${MAX_XLSX_INFLATED_BYTES / (1024 * 1024)} Mio, bien plus qu’aucune feuille d’import : enregistrez la seule feuille à importer, ou en CSV`);
  }
  if (!inflation.ok) throw fileProblem('le fichier n’est pas un classeur XLSX lisible : enregistrez-le de nouveau au format .xlsx, ou en CSV');
  const workbook = new (excelJs().Workbook)();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw fileProblem('le fichier n’est pas un classeur XLSX lisible : enregistrez-le de nouveau au format .xlsx, ou en CSV');
  }
  const [sheet, ...others] = workbook.worksheets;
  if (sheet === undefined) throw fileProblem('le classeur ne contient aucune feuille');
  // Only the first sheet is read: values on another one would be left out without a word.
  const filled = others.filter((other) => !isTemplateHelp(other) && filledCells(other).length > 0).map((other) => `« ${other.name} »`);
  if (filled.length > 0) {
    throw new ImportFileError([
      {
        field: 'file',
        rule: 'isSingleSheet',
        message: `seule la première feuille du classeur, « ${sheet.name} », est importée, mais ${filled.length > 1 ? `les feuilles ${filled.join(', ')} contiennent` : `la feuille ${filled[0]!} contient`} aussi des valeurs : importez chaque feuille dans son propre fichier, ou supprimez les autres feuilles`,
      },
    ]);
  }
  const lines: SheetRow[] = [];
  const hidden: number[] = [];
  const width = Math.min(sheet.columnCount, MAX_COLUMNS);
  // Hidden columns, by number: the first row where one holds a value names it.
  const hiddenColumns = new Map(
    Array.from({ length: width }, (_, i) => sheet.getColumn(i + 1))
      .filter((column) => column.hidden)
      .map((column) => [column.number, column.letter] as const),
  );
  const hiddenFilled = new Map<string, number>();
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    // A hidden (or filtered out) row or column is not seen by whoever checks the sheet: never imported unseen.
    if (row.hidden || hiddenColumns.size > 0) {
      const filled = filledCells(row);
      if (row.hidden && filled.length > 0) hidden.push(line);
      for (const cell of filled) {
        const letter = hiddenColumns.get(Number(cell.col));
        if (letter !== undefined && !hiddenFilled.has(letter)) hiddenFilled.set(letter, line);
      }
    }
    const cells: SheetCell[] = [];
    for (let column = 1; column <= width; column++) cells.push(shownValueOf(row.getCell(column)));
    // Only a row reaching past the last column read can hold a value beyond it.
    if (row.cellCount > MAX_COLUMNS) {
      const beyond: SheetCell[] = Array.from({ length: row.cellCount }, (): SheetCell => null);
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        if (column > MAX_COLUMNS) beyond[column - 1] = shownValueOf(cell);
      });
      withinWidth(line, beyond);
    }
    lines.push({ line, cells });
  });
  if (hidden.length > 0 || hiddenFilled.size > 0) {
    throw new ImportFileError([
      ...hidden.map((line) => ({
        row: line,
        field: 'file',
        rule: 'isVisibleRow',
        message: `la ligne ${line} est masquée (ou écartée par un filtre) mais contient des valeurs : affichez-la pour la vérifier, ou supprimez-la`,
      })),
      ...[...hiddenFilled].map(([letter, line]) => ({
        row: line,
        field: 'file',
        rule: 'isVisibleColumn',
        message: `la colonne ${letter} est masquée mais contient des valeurs (dès la ligne ${line}) : affichez-la pour la vérifier, ou supprimez-la`,
      })),
    ]);
  }
  return lines;
}

/** The cells of a sheet or a row that hold a value (a formula counts, even saved without its result). */
function filledCells(within: ExcelJS.Worksheet | ExcelJS.Row): ExcelJS.Cell[] {
  const cells: ExcelJS.Cell[] = [];
  const ofRow = (row: ExcelJS.Row) =>
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (cell.isMerged && cell.master.address !== cell.address) return;
      const { value } = cell;
      const formula = typeof value === 'object' && value !== null && ('formula' in value || 'sharedFormula' in value);
      if (formula || !isBlank(cellValueOf(value))) cells.push(cell);
    });
  if ('eachRow' in within) within.eachRow({ includeEmpty: false }, ofRow);
  else ofRow(within);
  return cells;
}

/** The template's own instructions, as it writes them: texts in the first column of its help sheet. */
function isTemplateHelp(sheet: ExcelJS.Worksheet): boolean {
  return sheet.name === TEMPLATE_HELP_SHEET && filledCells(sheet).every((cell) => Number(cell.col) === 1 && typeof cell.value === 'string');
}

/**
 * Whether a number format shows its number as a percentage (`0%`, `0.00 %`): a `%` outside quoted
 * text, escaped characters and brackets (`0" %"` shows the number itself followed by « % »).
 */
function isPercentFormat(format: string | undefined): boolean {
  return format !== undefined && /%/.test(format.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, ''));
}

/**
 * What the sheet shows in a cell. A cell covered by a merge shows nothing (its master's value
 * belongs to the master's column and row only, as the spreadsheet's own formulas read it). A text
 * cell whose shared text is missing (the archive lacks its shared-strings part) would read as the
 * text's number: the workbook is damaged, not read.
 */
function shownValueOf(cell: ExcelJS.Cell): SheetCell {
  if (cell.isMerged && cell.master.address !== cell.address) return null;
  if (cell.type === excelJs().ValueType.String && typeof cell.value !== 'string') {
    throw fileProblem('le fichier n’est pas un classeur XLSX lisible (ses textes partagés manquent) : enregistrez-le de nouveau au format .xlsx, ou en CSV');
  }
  // A workbook written by a program rather than a spreadsheet may hold formulas without their result: not an empty cell.
  const { value } = cell;
  if (typeof value === 'object' && value !== null && ('formula' in value || 'sharedFormula' in value) && (value as { result?: unknown }).result === undefined) {
    throw new ImportFileError([
      {
        row: Number(cell.row),
        field: 'file',
        rule: 'hasFormulaResult',
        message: `la cellule ${cell.address} contient une formule enregistrée sans son résultat : ouvrez le classeur dans un tableur et enregistrez-le, ou saisissez la valeur`,
      },
    ]);
  }
  const shown = cellValueOf(value);
  // A number shown as a percentage is the percentage the sheet shows (0.5 shown « 50 % »), never the bare 0,5.
  if (typeof shown === 'number' && Number.isFinite(shown) && isPercentFormat(cell.numFmt)) return formatPercent(Math.round(shown * 10_000));
  return shown;
}

/** What a cell shows: the result of a formula, the text of rich text or of a link; an error cell is its text (`#REF!`). */
function cellValueOf(value: ExcelJS.CellValue): SheetCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return cellValueOf((value.result ?? null) as ExcelJS.CellValue);
    if ('formula' in value || 'sharedFormula' in value) return null;
    // A link's text: plain, or rich text when the linked words are formatted.
    if ('text' in value) return cellValueOf(value.text as ExcelJS.CellValue);
    if ('error' in value) return String(value.error);
  }
  return String(value as unknown);
}
