/**
 * What every report is, whatever its format: titled tables of typed cells. Builders produce a
 * Report from read models; renderers (table, CSV, XLSX, JSON) turn it into bytes. Money cells are
 * integers of cents, rates are integers of basis points (5000 = 50,00 %): no floating point.
 */
import { PUBLIC_DATA_FIELD_LABELS } from './wording/labels';

export type ColumnKind = 'text' | 'money' | 'money-change' | 'date' | 'timestamp' | 'integer' | 'percent' | 'year' | 'month';

export interface Column {
  readonly key: string;
  /** French label shown to users. */
  readonly label: string;
  readonly kind: ColumnKind;
}

/**
 * money: cents; money-change: cents, a variation (a revision's change), read with its sign always
 * shown (« +99 333,33 € », « −1 234,56 € »); date: `YYYY-MM-DD`; timestamp: ISO 8601; percent: basis points; integer: a count;
 * year: a year number (`2022`, never grouped; a text such as « Total » in a totals row stays text);
 * month: `YYYY-MM`.
 */
export type CellValue = string | number | null;
export type Row = Readonly<Record<string, CellValue>>;

export interface ReportTable {
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  /** A totals row, shown last and set apart. */
  readonly totals?: Row;
}

export const REPORT_KINDS = ['budget', 'phases', 'history', 'funding', 'kpis', 'echeancier', 'subventions', 'etat-depenses'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportParameters {
  readonly antennaId?: string;
  /** Effective-date cut: what had happened by the end of this day. */
  readonly asOf?: string;
  /** Recorded-time cut: what the system knew at this instant. */
  readonly knownAt?: string;
  /** The day lateness and overdue receipts are judged against (asOf, or today). */
  readonly referenceDate: string;
}

/** `D`: the shape of `data`, given per kind by the builders (see `ReportOf` in @jalon/projections). */
export interface Report<D = unknown> {
  readonly kind: ReportKind;
  readonly title: string;
  readonly parameters: ReportParameters;
  /**
   * The name of the antenna the report is about (`parameters.antennaId`), as the line under its
   * title says it (« Antenne : Cnam Montbéliard — Au cœur des territoires »): each report names
   * the antenna from the documents it read, at its cut; absent when they do not know its name.
   */
  readonly antennaName?: string;
  readonly tables: readonly ReportTable[];
  /** Remarks in French, shown under the tables (e.g. discrepancies found). */
  readonly notes?: readonly string[];
  /** The same content as plain JSON for `--format json` (cents as integers). */
  readonly data: D;
}

/** The report is about something the read models do not know (an unknown antenna): the API answers 404. */
export class ReportSubjectNotFoundError extends Error {
  readonly code = 'REPORT.SUBJECT_NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'ReportSubjectNotFoundError';
  }
}

/**
 * The report needs a parameter it was not given (the statement of expenditure needs an antenna), or
 * was given one it cannot use (a period that ends before it starts): the API answers 400. `field` is the report's parameter as the
 * report query declares it (`antennaId`); the report service names it to its caller as the caller
 * named it (`antenna` in the API's query).
 */
export class ReportParameterError extends Error {
  /** `REPORT.PARAMETER_REQUIRED` for a parameter not given (rule `isDefined`), `REPORT.PARAMETER_INVALID` for one given that cannot be used. */
  readonly code: 'REPORT.PARAMETER_REQUIRED' | 'REPORT.PARAMETER_INVALID';
  constructor(
    readonly field: string,
    message: string,
    /** The rule the parameter breaks, as validation names rules: `isDefined` when it is missing. */
    readonly rule: string = 'isDefined',
  ) {
    super(message);
    this.code = rule === 'isDefined' ? 'REPORT.PARAMETER_REQUIRED' : 'REPORT.PARAMETER_INVALID';
    this.name = 'ReportParameterError';
  }
}

/**
 * An agreement lacks a field the national format of grant agreements (SCDL « subventions »)
 * requires: no file is written (an invalid file is worse than none). The API answers 422. Its
 * message names the agreement, its antenna and the field as people know them (its label, its
 * funder, the antenna's name, the form's label of the field); the ids stay in the error's fields.
 */
export class SubventionsMissingFieldError extends Error {
  readonly code = 'SUBVENTIONS.MISSING_FIELD';
  readonly agreementId: string;
  readonly antennaId: string;
  constructor(
    agreement: { readonly agreementId: string; readonly antennaId: string; readonly label: string; readonly funder: string },
    antennaName: string | null,
    /** The SCDL field, e.g. `idAttribuant`. */
    readonly field: string,
    /** The Jalon field to fill in, e.g. `publicData.funderSiret`. */
    readonly source: string,
  ) {
    const publicField = source.startsWith('publicData.') ? source.slice('publicData.'.length) : undefined;
    const named = publicField !== undefined && Object.hasOwn(PUBLIC_DATA_FIELD_LABELS, publicField) ? PUBLIC_DATA_FIELD_LABELS[publicField as keyof typeof PUBLIC_DATA_FIELD_LABELS] : source;
    super(
      `la convention « ${agreement.label} » (${agreement.funder}) de l’antenne ${antennaName ?? agreement.antennaId} n’a pas de valeur pour « ${named} », ` +
        `champ obligatoire ${field} du format national des subventions : renseignez-le dans les données publiques de la convention avant l’export`,
    );
    this.agreementId = agreement.agreementId;
    this.antennaId = agreement.antennaId;
    this.name = 'SubventionsMissingFieldError';
  }
}
