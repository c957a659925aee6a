import { BUDGET_CATEGORIES } from '@jalon/domain';
import { BUDGET_CATEGORY_LABELS } from '@jalon/reporting';
import { categoryParser, foldForMatch, parseAmountCell, parseDateCell, Parsed, parseTextCell, parseYearCell } from './french-cells';
import type { SheetCell } from './sheet-reader';

/** The two kinds of sheet Jalon imports. */
export const SHEET_KINDS = ['budget', 'expenditures'] as const;
export type SheetKind = (typeof SHEET_KINDS)[number];

export function isSheetKind(value: unknown): value is SheetKind {
  return typeof value === 'string' && (SHEET_KINDS as readonly string[]).includes(value);
}

/** No sheet holds more rows than a forecast holds lines (and a batch of expenditures, items). */
export const MAX_SHEET_ROWS = 500;

export type CellKind = 'year' | 'category' | 'amount' | 'date' | 'text';

/** One column of a sheet: its heading, the input field it fills, and how its cells are read. */
export interface SheetColumn {
  readonly heading: string;
  readonly field: string;
  readonly kind: CellKind;
  readonly required: boolean;
  /** What the column holds, for the template's instructions and the README. */
  readonly description: string;
  readonly example: string;
}

export interface SheetLayout {
  readonly kind: SheetKind;
  /** The name of the data sheet of the template. */
  readonly sheetName: string;
  readonly title: string;
  readonly columns: readonly SheetColumn[];
  /**
   * The field that identifies a row's fact, once per file: two rows with the same id would be
   * decided as one fact recorded twice (the second « already recorded »), never as two.
   */
  readonly identifiedBy?: string;
}

const CATEGORY_LIST = BUDGET_CATEGORIES.map((category) => BUDGET_CATEGORY_LABELS[category]).join(', ');

const PARSERS: Readonly<Record<CellKind, (cell: SheetCell) => Parsed<unknown>>> = {
  year: parseYearCell,
  category: categoryParser(BUDGET_CATEGORY_LABELS),
  amount: parseAmountCell,
  date: parseDateCell,
  text: parseTextCell,
};

export function parseCell(column: SheetColumn, cell: SheetCell): Parsed<unknown> {
  return PARSERS[column.kind](cell);
}

const category: SheetColumn = {
  heading: 'Catégorie',
  field: 'category',
  kind: 'category',
  required: true,
  description: `une catégorie budgétaire : ${CATEGORY_LIST}`,
  example: 'Personnel',
};
const amount: SheetColumn = {
  heading: 'Montant',
  field: 'amountCents',
  kind: 'amount',
  required: true,
  description: 'en euros, deux décimales au plus (30 000,00 ou 30000)',
  example: '70 000,00',
};

export const BUDGET_LAYOUT: SheetLayout = {
  kind: 'budget',
  sheetName: 'Budget prévisionnel',
  title: 'Lignes du budget prévisionnel (par année et par catégorie)',
  columns: [
    { heading: 'Année', field: 'year', kind: 'year', required: true, description: 'l’année de la ligne, de 2000 à 2100', example: '2021' },
    category,
    amount,
  ],
};

export const EXPENDITURES_LAYOUT: SheetLayout = {
  kind: 'expenditures',
  sheetName: 'Dépenses',
  title: 'Dépenses de l’antenne (une par ligne)',
  identifiedBy: 'expenditureId',
  columns: [
    {
      heading: 'Identifiant',
      field: 'expenditureId',
      kind: 'text',
      required: true,
      description: 'l’identifiant de la dépense, unique pour l’antenne : minuscules, chiffres et tirets',
      example: 'amenagement-aioa-2021',
    },
    { heading: 'Date', field: 'effectiveDate', kind: 'date', required: true, description: 'le jour de la dépense, JJ/MM/AAAA (pas dans le futur)', example: '15/10/2021' },
    { ...category, example: 'Locaux' },
    { ...amount, example: '18 500,00' },
    { heading: 'Description', field: 'description', kind: 'text', required: true, description: 'ce qui a été payé', example: 'Aménagement de l’espace AIOA' },
    {
      heading: 'Accord de financement',
      field: 'fundingAgreementId',
      kind: 'text',
      required: false,
      description: 'l’identifiant de l’accord de financement imputé',
      example: 'bdt-amorcage-montbeliard',
    },
    { heading: 'Fournisseur', field: 'supplier', kind: 'text', required: false, description: 'le fournisseur payé', example: 'Mattern Lab' },
    { heading: 'N° de facture', field: 'invoiceNumber', kind: 'text', required: false, description: 'le numéro de la facture du fournisseur', example: 'F-2021-118' },
  ],
};

export function layoutOf(kind: SheetKind): SheetLayout {
  return kind === 'budget' ? BUDGET_LAYOUT : EXPENDITURES_LAYOUT;
}

/** The column a heading names, whatever its case, accents or apostrophe (`Categorie`, `N° de facture`). */
export function columnNamed(layout: SheetLayout, heading: string): SheetColumn | undefined {
  const folded = foldForMatch(heading);
  return layout.columns.find((column) => foldForMatch(column.heading) === folded);
}
