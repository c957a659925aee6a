import type { Cents, FundingPublicData } from '@jalon/domain';
import { formatCount, SubventionsMissingFieldError, type Report, type ReportParameters, type ReportTable, type Row } from '@jalon/reporting';
import { ReadModels } from '../budget/report-helpers';
import { joined, PartsByDocument } from '../report-parts';
import { fundingDocsOf } from './funding-docs';
import { AntennaFundingDoc, FundingAgreementDoc } from './funding.projection';

/** The fields of the SCDL « subventions » format, in its order (../shared/standards/scdl-subventions.md). */
export const SCDL_SUBVENTIONS_FIELDS = [
  'nomAttribuant',
  'idAttribuant',
  'dateConvention',
  'referenceDecision',
  'nomBeneficiaire',
  'idBeneficiaire',
  'rnaBeneficiaire',
  'objet',
  'montant',
  'nature',
  'conditionsVersement',
  'datesPeriodeVersement',
  'idRAE',
  'notificationUE',
  'pourcentageSubvention',
  'dispositifAide',
] as const;
export type ScdlSubventionsField = (typeof SCDL_SUBVENTIONS_FIELDS)[number];

/** `data` of the subventions report: one row per agreement, keyed by the format's fields. */
export interface SubventionsReportData {
  readonly rows: readonly Row[];
}

/** Where each field comes from in Jalon, named in the error when a mandatory one is missing. */
const SOURCES: Readonly<Partial<Record<ScdlSubventionsField, string>>> = {
  idAttribuant: 'publicData.funderSiret',
  referenceDecision: 'publicData.decisionReference',
  nomBeneficiaire: 'publicData.beneficiaryName',
  idBeneficiaire: 'publicData.beneficiarySiret',
  objet: 'publicData.object',
  nature: 'publicData.nature',
  notificationUE: 'publicData.euNotified',
};

/** Mandatory fields; `idBeneficiaire` may be empty only for an in-kind grant to an association with its RNA number. */
const MANDATORY: readonly ScdlSubventionsField[] = [
  'nomAttribuant',
  'idAttribuant',
  'dateConvention',
  'referenceDecision',
  'nomBeneficiaire',
  'idBeneficiaire',
  'objet',
  'montant',
  'nature',
  'conditionsVersement',
  'datesPeriodeVersement',
  'notificationUE',
  'pourcentageSubvention',
];

/**
 * The « données essentielles des conventions de subvention » of every funding agreement (or one
 * antenna's), one row per agreement, in the national SCDL « subventions » format: values already
 * written as the format wants them (ISO dates, `100000.00`, `oui`/`non`). An agreement that lacks
 * a mandatory field stops the export with {@link SubventionsMissingFieldError} naming it and the
 * field: never an invalid file. Agreements in the order the funding read model holds them.
 */
export function buildSubventionsReport(models: ReadModels, parameters: ReportParameters): Report<SubventionsReportData> {
  const docs = fundingDocsOf(models, parameters.antennaId, parameters);
  const rows = joined(docs.map(rowsOf));
  const table: ReportTable = {
    title: 'Données essentielles des conventions de subvention',
    columns: SCDL_SUBVENTIONS_FIELDS.map((key) => ({ key, label: key, kind: 'text' as const })),
    rows,
  };
  return {
    kind: 'subventions',
    title: 'Conventions de subvention — format national SCDL « subventions »',
    parameters,
    ...(parameters.antennaId !== undefined && docs[0]?.antennaName ? { antennaName: docs[0].antennaName } : {}),
    tables: [table],
    notes: [`${formatCount(rows.length, 'convention')} ; CSV en UTF-8, séparateur virgule, montants avec un point décimal, dates AAAA-MM-JJ.`],
    data: { rows },
  };
}

/**
 * One antenna's rows, or the missing field that stops the export, kept with its committed funding
 * document (decision 0026): the rows depend on that document alone (no reference date), so a
 * whole-programme export words again only the antennas a write changed.
 */
type SubventionsPart = { readonly rows: readonly Row[] } | { readonly missing: SubventionsMissingFieldError };
const SUBVENTIONS_PARTS = new PartsByDocument<AntennaFundingDoc, SubventionsPart>(1);

function rowsOf(doc: AntennaFundingDoc): readonly Row[] {
  const part = SUBVENTIONS_PARTS.of(doc, '', antennaPart);
  if ('missing' in part) throw part.missing;
  return part.rows;
}

function antennaPart(doc: AntennaFundingDoc): SubventionsPart {
  try {
    return { rows: doc.agreements.map((agreement) => scdlRow(agreement, doc.antennaName)) };
  } catch (error) {
    if (error instanceof SubventionsMissingFieldError) return { missing: error };
    throw error;
  }
}

/** One agreement as a row of the format; throws when a mandatory field has no value (naming the antenna by `antennaName` when known). */
export function scdlRow(agreement: FundingAgreementDoc, antennaName: string | null = null): Row {
  const publicData: Partial<FundingPublicData> = agreement.publicData ?? {};
  const dueDates = agreement.tranches.map((tranche) => tranche.dueOn).sort();
  const first = dueDates[0];
  const last = dueDates[dueDates.length - 1];
  const row: Record<ScdlSubventionsField, string> = {
    nomAttribuant: publicData.funderLegalName ?? agreement.funder,
    idAttribuant: publicData.funderSiret ?? '',
    dateConvention: publicData.agreementDate ?? agreement.committedOn,
    referenceDecision: publicData.decisionReference ?? '',
    nomBeneficiaire: publicData.beneficiaryName ?? '',
    idBeneficiaire: publicData.beneficiarySiret ?? '',
    rnaBeneficiaire: publicData.beneficiaryRna ?? '',
    objet: publicData.object ?? '',
    montant: decimal(agreement.committedCents),
    nature: publicData.nature ?? '',
    conditionsVersement: agreement.tranches.length > 1 ? 'échelonné' : 'unique',
    datesPeriodeVersement: first === undefined || last === undefined ? '' : first === last ? first : `${first}/${last}`,
    idRAE: publicData.raeId ?? '',
    notificationUE: publicData.euNotified === undefined ? '' : publicData.euNotified ? 'oui' : 'non',
    pourcentageSubvention: '1.00',
    dispositifAide: publicData.aidScheme ?? '',
  };
  const inKindToAssociation = publicData.nature === 'aide en nature' && row.rnaBeneficiaire !== '';
  for (const field of MANDATORY) {
    if (row[field] !== '') continue;
    if (field === 'idBeneficiaire' && inKindToAssociation) continue;
    throw new SubventionsMissingFieldError(agreement, antennaName, field, SOURCES[field] ?? field);
  }
  return row;
}

/** Cents as the format's number: a point and two decimals (`4780020` → `47800.20`), no grouping. */
function decimal(cents: Cents): string {
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
