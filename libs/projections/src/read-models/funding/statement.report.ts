import type { Cents, IsoDate } from '@jalon/domain';
import { formatDate, ReportParameterError, ReportSubjectNotFoundError, trancheName, type Report, type ReportParameters, type ReportTable, type Row } from '@jalon/reporting';
import { comparePositions } from '../../projection';
import { categoryLabel, ReadModels, UnknownAntennaError } from '../budget/report-helpers';
import {
  agreementLedgerProjection,
  AgreementLedger,
  AntennaLedgerDoc,
  LedgerDoc,
  LedgerDocument,
  ledgerExpenditures,
  ledgerAmendmentPagePrefix,
  ledgerExpenditurePagePrefix,
  LedgerSource,
  ledgerAntennaKey,
  NO_DOCUMENTS,
} from './agreement-ledger.projection';

/**
 * The seal a statement is produced under: the statement lists only facts the seal covers (global
 * position at most `lastPosition`), so a funder holding the seal's public key can check every line
 * against the verifiable audit export (`jalon export-audit`, `jalon verify-export`).
 */
export interface StatementSeal {
  /** Number of events the seal covers (the size of its Merkle tree). */
  readonly treeSize: number;
  /** Root of the Merkle tree over those events (hex). */
  readonly rootHash: string;
  /** When the seal was made (ISO 8601). */
  readonly sealedAt: string;
  /** SHA-256 (hex) of the sealing public key. */
  readonly keyId: string;
  /** Global position of the last event the seal covers (a decimal string). */
  readonly lastPosition: string;
}

export interface StatementParameters extends ReportParameters {
  /** The agreement; may be left out when the antenna has only one. */
  readonly agreementId?: string;
  /** First day of the period (default: the agreement's commitment). */
  readonly periodFrom?: IsoDate;
  /** Last day of the period (default: the reference date, i.e. as-of or today). */
  readonly periodTo?: IsoDate;
  /** The seal the statement is produced under; without one the statement says it is not sealed. */
  readonly seal?: StatementSeal;
}

export interface StatementLine {
  readonly on: IsoDate;
  readonly kind: 'release' | 'release-reversal' | 'receipt' | 'expenditure' | 'expenditure-reversal';
  readonly label: string;
  readonly amountCents: Cents;
  readonly documents: readonly LedgerDocument[];
  readonly source: LedgerSource;
}

export interface StatementReportData {
  readonly antennaId: string;
  readonly antennaName: string | null;
  readonly agreementId: string;
  readonly funder: string;
  readonly agreementLabel: string;
  readonly beneficiaryName: string | null;
  readonly committedCents: Cents;
  readonly periodFrom: IsoDate;
  readonly periodTo: IsoDate;
  readonly releases: readonly StatementLine[];
  readonly receipts: readonly StatementLine[];
  readonly expenditures: readonly (StatementLine & { readonly category: string; readonly supplier: string | null; readonly invoiceNumber: string | null })[];
  readonly totals: {
    readonly releasedCents: Cents;
    readonly receivedCents: Cents;
    readonly spentCents: Cents;
    /** Received − spent over the period. */
    readonly balanceCents: Cents;
  };
  readonly seal: StatementSeal | null;
}

export const STATEMENT_TITLE = 'État récapitulatif des dépenses';

const NOT_AMENDED = { reversal: null, documents: NO_DOCUMENTS } as const;

/**
 * The statement of expenditure of one funding agreement (« état récapitulatif des dépenses ») over
 * a period: the releases and their reversals, the receipts, the expenditures charged to the
 * agreement and their reversals, each with its date, amount, supporting documents and place in the
 * log, and the seal it was produced under. Reversals are lines of their own, dated when they took
 * effect, so that a period's totals are the sum of its lines.
 */
export function buildStatementReport(models: ReadModels, parameters: StatementParameters): Report<StatementReportData> {
  const antennaId = parameters.antennaId;
  if (antennaId === undefined) throw parameterError('antennaId', 'L’état récapitulatif des dépenses porte sur une antenne : précisez laquelle.');
  const ledger = models.view<LedgerDoc>(agreementLedgerProjection.name);
  const found = ledger.get(ledgerAntennaKey(antennaId));
  if (found?.kind !== 'antenna') throw new UnknownAntennaError(antennaId, parameters);
  const doc: AntennaLedgerDoc = found;
  const agreement = chooseAgreement(doc, parameters.agreementId);
  const periodFrom = parameters.periodFrom ?? agreement.committedOn;
  const periodTo = parameters.periodTo ?? parameters.referenceDate;
  if (periodFrom > periodTo) {
    throw parameterError('periodFrom', `La période est vide : son début (${formatDate(periodFrom)}) est après sa fin (${formatDate(periodTo)}).`, 'notAfterPeriodTo');
  }
  const seal = parameters.seal ?? null;
  // Positions compared as decimal strings (comparePositions): no bigint per line.
  const kept = (on: IsoDate, source: LedgerSource): boolean =>
    on >= periodFrom && on <= periodTo && (seal === null || comparePositions(source.position, seal.lastPosition) <= 0);

  const tranche = (trancheId: string, label: string | null): string => trancheName({ trancheId, label }, agreement.tranches[trancheId]?.rank);
  const releases: StatementLine[] = [];
  for (const release of agreement.releases) {
    const label = tranche(release.trancheId, release.trancheLabel);
    if (kept(release.releasedOn, release.source)) {
      releases.push({ on: release.releasedOn, kind: 'release', label, amountCents: release.amountCents, documents: release.documents, source: release.source });
    }
    if (release.reversal && kept(release.reversal.on, release.reversal.source)) {
      releases.push({
        on: release.reversal.on,
        kind: 'release-reversal',
        label: `Annulation du versement du ${formatDate(release.releasedOn)} (${label}) : ${release.reversal.reason}`,
        amountCents: -release.amountCents,
        documents: [],
        source: release.reversal.source,
      });
    }
  }
  const receipts: StatementLine[] = agreement.receipts
    .filter((receipt) => kept(receipt.receivedOn, receipt.source))
    .map((receipt) => ({
      on: receipt.receivedOn,
      kind: 'receipt' as const,
      label: `${tranche(receipt.trancheId, receipt.trancheLabel)} — référence bancaire ${receipt.bankReference}`,
      amountCents: receipt.amountCents,
      documents: receipt.documents,
      source: receipt.source,
    }));
  const expenditures: StatementReportData['expenditures'][number][] = [];
  // The agreement's expenditure pages and the antenna's amendments (two range reads, in key order), in log order of recording.
  const { recorded, amended } = ledgerExpenditures(ledger.list(ledgerExpenditurePagePrefix(antennaId, agreement.agreementId)), ledger.list(ledgerAmendmentPagePrefix(antennaId)));
  for (const expenditure of recorded) {
    const { reversal, documents } = amended.get(expenditure.expenditureId) ?? NOT_AMENDED;
    const category = categoryLabel(expenditure.category);
    // Written out rather than spread from a shared part: a spread copies property by property, and
    // this runs once per line of the longest statements. The key order is the report's (JSON bytes).
    if (kept(expenditure.spentOn, expenditure.source)) {
      expenditures.push({
        category,
        supplier: expenditure.supplier,
        invoiceNumber: expenditure.invoiceNumber,
        on: expenditure.spentOn,
        kind: 'expenditure',
        label: expenditure.description,
        amountCents: expenditure.amountCents,
        documents,
        source: expenditure.source,
      });
    }
    if (reversal && kept(reversal.on, reversal.source)) {
      expenditures.push({
        category,
        supplier: expenditure.supplier,
        invoiceNumber: expenditure.invoiceNumber,
        on: reversal.on,
        kind: 'expenditure-reversal',
        label: `Annulation de la dépense du ${formatDate(expenditure.spentOn)} (${expenditure.description}) : ${reversal.reason}`,
        amountCents: -expenditure.amountCents,
        documents: [],
        source: reversal.source,
      });
    }
  }
  const byDate = (a: StatementLine, b: StatementLine): number => (a.on < b.on ? -1 : a.on > b.on ? 1 : comparePositions(a.source.position, b.source.position));
  releases.sort(byDate);
  receipts.sort(byDate);
  expenditures.sort(byDate);
  const sum = (lines: readonly StatementLine[]): Cents => lines.reduce((total, line) => total + line.amountCents, 0);
  const receivedCents = sum(receipts);
  const spentCents = sum(expenditures);
  const totals = { releasedCents: sum(releases), receivedCents, spentCents, balanceCents: receivedCents - spentCents };
  const data: StatementReportData = {
    antennaId,
    antennaName: doc.antennaName,
    agreementId: agreement.agreementId,
    funder: agreement.funder,
    agreementLabel: agreement.label,
    beneficiaryName: agreement.beneficiaryName,
    committedCents: agreement.committedCents,
    periodFrom,
    periodTo,
    releases,
    receipts,
    expenditures,
    totals,
    seal,
  };
  return {
    kind: 'etat-depenses',
    title: `${STATEMENT_TITLE} — ${agreement.label} (${agreement.funder})`,
    parameters,
    ...(doc.antennaName ? { antennaName: doc.antennaName } : {}),
    tables: statementTables(data),
    notes: statementNotes(data),
    data,
  };
}

/**
 * A parameter the statement cannot do without or cannot use, named by its field of the statement's
 * parameters (the report query's field, `antennaId`): the report service tells its caller the name
 * the caller gave it (`antenna` in the API's query, `--antenna` on the command line).
 */
function parameterError(field: keyof StatementParameters & string, message: string, rule?: string): ReportParameterError {
  return new ReportParameterError(field, message, rule);
}

function chooseAgreement(doc: AntennaLedgerDoc, agreementId: string | undefined): AgreementLedger {
  if (agreementId !== undefined) {
    const agreement = doc.agreements.find((item) => item.agreementId === agreementId);
    if (!agreement) throw new ReportSubjectNotFoundError(`Convention de financement inconnue pour l’antenne ${doc.antennaName ?? doc.antennaId} : « ${agreementId} ».`);
    return agreement;
  }
  if (doc.agreements.length === 1) return doc.agreements[0]!;
  if (doc.agreements.length === 0) throw new ReportSubjectNotFoundError(`L’antenne ${doc.antennaName ?? doc.antennaId} n’a aucune convention de financement.`);
  throw parameterError(
    'agreementId',
    `L’antenne ${doc.antennaName ?? doc.antennaId} a ${doc.agreements.length} conventions de financement : précisez laquelle parmi ${doc.agreements.map((item) => item.agreementId).join(', ')}.`,
  );
}

function documentNames(documents: readonly LedgerDocument[]): string {
  return documents.length === 0 ? '' : documents.map((document) => document.fileName).join(' ; ');
}

function lineRow(line: StatementLine): Row {
  return { on: line.on, label: line.label, amount: line.amountCents, documents: documentNames(line.documents), position: line.source.position };
}

function statementTables(data: StatementReportData): ReportTable[] {
  const lineColumns = [
    { key: 'on', label: 'Date', kind: 'date' as const },
    { key: 'label', label: 'Objet', kind: 'text' as const },
    { key: 'amount', label: 'Montant', kind: 'money' as const },
    { key: 'documents', label: 'Pièces justificatives', kind: 'text' as const },
    { key: 'position', label: 'N° au journal', kind: 'text' as const },
  ];
  const documents: Row[] = [];
  for (const lines of [data.releases, data.receipts, data.expenditures]) {
    for (const line of lines) {
      for (const document of line.documents) documents.push({ on: line.on, line: line.label, fileName: document.fileName, size: document.sizeBytes, sha256: document.sha256 });
    }
  }
  const tables: ReportTable[] = [
    {
      title: 'Convention',
      columns: [
        { key: 'funder', label: 'Financeur', kind: 'text' },
        { key: 'agreement', label: 'Convention', kind: 'text' },
        { key: 'beneficiary', label: 'Bénéficiaire', kind: 'text' },
        { key: 'antenna', label: 'Antenne', kind: 'text' },
        { key: 'committed', label: 'Montant engagé', kind: 'money' },
        { key: 'from', label: 'Période du', kind: 'date' },
        { key: 'to', label: 'au', kind: 'date' },
      ],
      rows: [
        {
          funder: data.funder,
          agreement: data.agreementLabel,
          beneficiary: data.beneficiaryName,
          antenna: data.antennaName ?? data.antennaId,
          committed: data.committedCents,
          from: data.periodFrom,
          to: data.periodTo,
        },
      ],
    },
    { title: 'Versements du financeur', columns: lineColumns, rows: data.releases.map(lineRow), totals: { label: 'Total versé', amount: data.totals.releasedCents } },
    { title: 'Encaissements', columns: lineColumns, rows: data.receipts.map(lineRow), totals: { label: 'Total encaissé', amount: data.totals.receivedCents } },
    {
      title: 'Dépenses imputées',
      columns: [
        { key: 'on', label: 'Date', kind: 'date' },
        { key: 'category', label: 'Catégorie', kind: 'text' },
        { key: 'label', label: 'Objet', kind: 'text' },
        { key: 'supplier', label: 'Fournisseur', kind: 'text' },
        { key: 'invoice', label: 'N° de facture', kind: 'text' },
        { key: 'amount', label: 'Montant', kind: 'money' },
        { key: 'documents', label: 'Pièces justificatives', kind: 'text' },
        { key: 'position', label: 'N° au journal', kind: 'text' },
      ],
      rows: data.expenditures.map((line) => ({
        on: line.on,
        label: line.label,
        amount: line.amountCents,
        documents: documentNames(line.documents),
        position: line.source.position,
        category: line.category,
        supplier: line.supplier,
        invoice: line.invoiceNumber,
      })),
      totals: { label: 'Total dépensé', amount: data.totals.spentCents },
    },
    {
      title: 'Synthèse de la période',
      columns: [
        { key: 'released', label: 'Versé', kind: 'money' },
        { key: 'received', label: 'Encaissé', kind: 'money' },
        { key: 'spent', label: 'Dépensé', kind: 'money' },
        { key: 'balance', label: 'Solde (encaissé − dépensé)', kind: 'money' },
      ],
      rows: [{ released: data.totals.releasedCents, received: data.totals.receivedCents, spent: data.totals.spentCents, balance: data.totals.balanceCents }],
    },
    {
      title: 'Pièces justificatives',
      columns: [
        { key: 'on', label: 'Date', kind: 'date' },
        { key: 'line', label: 'Ligne', kind: 'text' },
        { key: 'fileName', label: 'Fichier', kind: 'text' },
        { key: 'size', label: 'Taille (octets)', kind: 'integer' },
        { key: 'sha256', label: 'Empreinte SHA-256', kind: 'text' },
      ],
      rows: documents,
    },
  ];
  if (data.seal) {
    tables.push({
      title: 'Scellement du journal',
      columns: [
        { key: 'treeSize', label: 'Événements scellés', kind: 'integer' },
        { key: 'lastPosition', label: 'Dernier n° au journal', kind: 'text' },
        { key: 'sealedAt', label: 'Scellé le', kind: 'timestamp' },
        { key: 'rootHash', label: 'Racine (SHA-256)', kind: 'text' },
        { key: 'keyId', label: 'Empreinte de la clé publique', kind: 'text' },
      ],
      rows: [{ treeSize: data.seal.treeSize, lastPosition: data.seal.lastPosition, sealedAt: data.seal.sealedAt, rootHash: data.seal.rootHash, keyId: data.seal.keyId }],
    });
  }
  return tables;
}

function statementNotes(data: StatementReportData): string[] {
  const notes = [`Période du ${formatDate(data.periodFrom)} au ${formatDate(data.periodTo)} ; les annulations sont des lignes de montant négatif, datées du jour où elles ont pris effet.`];
  if (data.seal) {
    notes.push(
      `Produit sous le sceau du journal couvrant ses ${data.seal.treeSize} premiers événements (jusqu’au n° ${data.seal.lastPosition}), de racine ${data.seal.rootHash} : ` +
        'chaque ligne porte son n° au journal, qui la retrouve dans l’export vérifiable (jalon export-audit) : celui-ci prouve sous ce sceau le fait qu’elle reprend (son contenu, son flux, sa révision), que jalon verify-export FICHIER --public-key CLÉ vérifie hors ligne.',
    );
  } else {
    notes.push('Non scellé : ces lignes ne sont pas encore couvertes par un sceau du journal.');
  }
  return notes;
}
