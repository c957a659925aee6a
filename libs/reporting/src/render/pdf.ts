import type { Content, TableCell, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces';
import { formatCell, formatParameters, type FormatOptions } from '../format/french';
import type { Column, Report, ReportTable, Row } from '../report';
import { pdfMake } from './libraries';

/**
 * A report as a PDF (A4, French, Roboto embedded so that every French character and no-break space
 * prints): title, parameters, each table with its header repeated on every page, totals set apart,
 * notes, then « Page n / N » and when it was produced in the footer. Wide reports (a table of more
 * than six columns) are laid out in landscape. Built with pdfmake on the server; no network, no
 * font outside the package.
 */
export interface PdfOptions extends FormatOptions {
  /** When the document was produced (ISO 8601); printed in the footer and stored as its creation date. */
  readonly generatedAt?: string;
}

// pdfmake has no type-safe CommonJS entry: its printer and the Roboto files it ships (base64).
type PdfPrinter = new (fonts: TFontDictionary) => { createPdfKitDocument(definition: TDocumentDefinitions): PdfKitDocument };
interface PdfKitDocument {
  on(event: 'data', listener: (chunk: Buffer) => void): void;
  on(event: 'end', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  end(): void;
}

let printer: InstanceType<PdfPrinter> | undefined;

function printerWithRoboto(): InstanceType<PdfPrinter> {
  if (printer) return printer;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vfs = require('pdfmake/build/vfs_fonts') as Record<string, string>;
  const font = (file: string): Buffer => Buffer.from(vfs[file]!, 'base64');
  const Printer = pdfMake<PdfPrinter>();
  printer = new Printer({
    Roboto: {
      normal: font('Roboto-Regular.ttf'),
      bold: font('Roboto-Medium.ttf'),
      italics: font('Roboto-Italic.ttf'),
      bolditalics: font('Roboto-MediumItalic.ttf'),
    },
  });
  return printer;
}

const WIDE_TABLE_COLUMNS = 6;
/** A long run without spaces (a SHA-256 in hex) gets break opportunities, so it wraps inside its cell. */
const LONG_TOKEN = /[^\s]{33,}/g;

function breakable(text: string): string {
  return printable(text).replace(LONG_TOKEN, (token) => token.replace(/(.{16})(?=.)/g, '$1\u200b'));
}

/**
 * Roboto has no glyph for the narrow no-break space (U+202F) that the French formats put between
 * thousands: it would print as the font's empty box (`786☐000,00 €`). The no-break space (U+00A0),
 * which it has, keeps a figure on one line as well. Every text of the document goes through here.
 */
function printable(text: string): string {
  return text.replace(/\u202f/g, '\u00a0');
}

function cellOf(row: Row, column: Column, options: FormatOptions, bold = false): TableCell {
  const text = breakable(formatCell(row[column.key] ?? null, column.kind, options));
  return { text, alignment: column.kind === 'text' ? 'left' : 'right', bold, noWrap: column.kind === 'money' || column.kind === 'money-change' || column.kind === 'date' };
}

function tableContent(table: ReportTable, options: FormatOptions): Content[] {
  const { columns } = table;
  const body: TableCell[][] = [columns.map((column) => ({ text: printable(column.label), style: 'header', alignment: column.kind === 'text' ? 'left' : 'right' }))];
  for (const row of table.rows) body.push(columns.map((column) => cellOf(row, column, options)));
  if (table.totals) body.push(columns.map((column) => cellOf(table.totals!, column, options, true)));
  const content: Content[] = [{ text: printable(table.title), style: 'tableTitle' }];
  if (table.rows.length === 0) {
    content.push({ text: 'Aucune ligne.', italics: true, margin: [0, 0, 0, 8] });
    if (!table.totals) return content;
  }
  content.push({
    // A row may go on over the next page: with rows kept whole, pdfmake leaves out a row taller than
    // a page (a description of 1,000 characters in a narrow column), while the totals still count it.
    table: { headerRows: 1, dontBreakRows: false, widths: columns.map((column) => (column.kind === 'text' ? '*' : 'auto')), body },
    layout: 'lightHorizontalLines',
    margin: [0, 0, 0, 10],
  });
  return content;
}

/** The report as PDF bytes. */
export function renderPdf(report: Report, options: PdfOptions = {}): Promise<Buffer> {
  const generatedAt = options.generatedAt ?? new Date().toISOString();
  const generated = printable(formatCell(generatedAt, 'timestamp', options));
  const wide = report.tables.some((table) => table.columns.length > WIDE_TABLE_COLUMNS);
  const parameters = printable(formatParameters(report, options));
  const content: Content[] = [{ text: printable(report.title), style: 'title' }];
  if (parameters !== '') content.push({ text: parameters, margin: [0, 0, 0, 8] });
  for (const table of report.tables) content.push(...tableContent(table, options));
  const notes = report.notes ?? [];
  if (notes.length > 0) content.push({ ul: notes.map((note) => breakable(note)), margin: [0, 4, 0, 0] });
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageOrientation: wide ? 'landscape' : 'portrait',
    pageMargins: [36, 40, 36, 48],
    info: { title: printable(report.title), creator: 'Jalon', producer: 'Jalon', creationDate: new Date(generatedAt) },
    defaultStyle: { font: 'Roboto', fontSize: 8.5, lineHeight: 1.15 },
    styles: {
      title: { fontSize: 14, bold: true, margin: [0, 0, 0, 6] },
      tableTitle: { fontSize: 10.5, bold: true, margin: [0, 6, 0, 4] },
      header: { bold: true },
    },
    content,
    footer: (currentPage: number, pageCount: number): Content => ({
      columns: [
        { text: `Produit par Jalon le ${generated}`, alignment: 'left' },
        { text: `Page ${currentPage} / ${pageCount}`, alignment: 'right' },
      ],
      margin: [36, 16, 36, 0],
      fontSize: 7.5,
    }),
  };
  return new Promise((resolve, reject) => {
    const document = printerWithRoboto().createPdfKitDocument(definition);
    const chunks: Buffer[] = [];
    document.on('data', (chunk) => chunks.push(chunk));
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
    document.end();
  });
}
