import { BUDGET_CATEGORIES } from '@jalon/domain';
import { BUDGET_CATEGORY_LABELS, excelJs } from '@jalon/reporting';
import { layoutOf, MAX_SHEET_ROWS, SheetKind, SheetLayout } from './sheet-layouts';
import { TEMPLATE_HELP_SHEET } from './sheet-reader';

/** Euro amounts as the reports' workbooks show them (`786 000,00 €` in French Excel). */
const MONEY_FORMAT = '#,##0.00 "€"';
const DATE_FORMAT = 'dd/mm/yyyy';

/** The template's file name: `jalon-modele-depenses.xlsx`, `jalon-modele-budget.csv`. */
export function templateFileName(kind: SheetKind, format: 'xlsx' | 'csv'): string {
  return `jalon-modele-${kind === 'budget' ? 'budget' : 'depenses'}.${format}`;
}

/** What a budget sheet asks besides its rows (given with the import, not in the file). */
const BUDGET_PARAMETERS = [
  'Date d’effet : le jour où le prévisionnel (ou sa révision) prend effet, donnée à l’import (JJ/MM/AAAA).',
  'Motif de la révision : obligatoire quand le prévisionnel de l’antenne est déjà établi ; le fichier le remplace alors en entier.',
];

/** The instructions of a sheet, one line each: its columns, then the rules of the whole file. */
export function templateInstructions(layout: SheetLayout): string[] {
  return [
    layout.title,
    '',
    ...layout.columns.map((column) => `${column.heading}${column.required ? '' : ' (facultatif)'} : ${column.description}. Exemple : ${column.example}`),
    '',
    ...(layout.kind === 'budget' ? BUDGET_PARAMETERS : []),
    'La première ligne porte les titres des colonnes, dans n’importe quel ordre ; une ligne par fait, sans ligne de total.',
    `Montants en euros (30 000,00), dates au format JJ/MM/AAAA ; ${MAX_SHEET_ROWS} lignes au plus.`,
    'En CSV : UTF-8, séparateur point-virgule (« CSV UTF-8 » dans Excel, LibreOffice : jeu de caractères Unicode UTF-8).',
    'Vérifiez d’abord (« Vérifier », --dry-run) : chaque problème est nommé par sa ligne et sa colonne, et rien n’est écrit tant qu’une ligne est invalide.',
    'Importer de nouveau le même fichier n’écrit rien.',
  ];
}

/**
 * The downloadable template of a sheet: the first worksheet holds the headings (bold, frozen), with
 * amounts and dates formatted and the categories offered as a list; a second one, « Mode
 * d’emploi », the instructions (which the reader knows are no data). As CSV: the heading line only (UTF-8 with BOM, `;`).
 */
export async function sheetTemplate(kind: SheetKind, format: 'xlsx' | 'csv'): Promise<Buffer> {
  const layout = layoutOf(kind);
  if (format === 'csv') return Buffer.from(`\ufeff${layout.columns.map((column) => column.heading).join(';')}\r\n`, 'utf8');
  const workbook = new (excelJs().Workbook)();
  workbook.creator = 'Jalon';
  workbook.title = layout.title;
  const sheet = workbook.addWorksheet(layout.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = layout.columns.map((column) => ({ header: column.heading, key: column.field, width: Math.max(14, column.heading.length + 4, column.example.length + 4) }));
  sheet.getRow(1).font = { bold: true };
  const categories = `"${BUDGET_CATEGORIES.map((category) => BUDGET_CATEGORY_LABELS[category]).join(',')}"`;
  layout.columns.forEach((column, index) => {
    const letter = sheet.getColumn(index + 1).letter;
    for (let row = 2; row <= MAX_SHEET_ROWS + 1; row++) {
      const cell = sheet.getCell(`${letter}${row}`);
      if (column.kind === 'amount') cell.numFmt = MONEY_FORMAT;
      if (column.kind === 'date') cell.numFmt = DATE_FORMAT;
      if (column.kind === 'category') {
        cell.dataValidation = { type: 'list', allowBlank: true, formulae: [categories], showErrorMessage: true, errorTitle: 'Catégorie', error: 'Choisissez une catégorie de la liste.' };
      }
    }
  });
  const help = workbook.addWorksheet(TEMPLATE_HELP_SHEET);
  help.getColumn(1).width = 120;
  templateInstructions(layout).forEach((line, index) => {
    help.getCell(`A${index + 1}`).value = line;
    if (index === 0) help.getCell('A1').font = { bold: true };
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
