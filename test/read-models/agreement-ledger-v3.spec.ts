import type {
  BudgetTrancheReleased,
  Cents,
  ExpenditureRecorded,
  ExpenditureReversed,
  FundingAgreementClosed,
  FundingCommitted,
  FundingPublicDataRecorded,
  IsoDate,
  TrancheReceived,
  TrancheReleaseReversed,
} from '@jalon/domain';
import { upcast } from '@jalon/domain';
import { SqliteEventStore } from '@jalon/event-store';
import { defineProjection, InMemoryReadModel, ProjectedEvent, ProjectionRunner, ReadModelView, SqliteProjectionStorage } from '@jalon/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedStore } from '../../bench/generator/seed';
import type { Report } from '@jalon/reporting';
import { ANTENNA_ID } from '../../apps/cli/src/demo/montbeliard-history';
import { ReadModels } from '../../libs/projections/src/read-models/budget/report-helpers';
import {
  agreementLedgerProjection,
  AgreementLedger,
  DOCUMENT_ATTACHED,
  LEDGER_PAGE_REVISIONS,
  LedgerDoc,
  LedgerDocument,
  LedgerExpenditure,
  LedgerExpenditureFact,
  ledgerExpenditures,
  LedgerExpenditurePage,
  LedgerSource,
  ledgerAntennaKey,
  ledgerAmendmentPagePrefix,
  ledgerExpenditurePagePrefix,
} from '../../libs/projections/src/read-models/funding/agreement-ledger.projection';
import { comparePositions } from '../../libs/projections/src/projection';
import { buildStatementReport, StatementSeal } from '../../libs/projections/src/read-models/funding/statement.report';
import { demoEvents } from '../support/demo-history';

/**
 * The agreement ledger at version 3 keeps the facts about an antenna's expenditures in pages of
 * LEDGER_PAGE_REVISIONS revisions of its budget stream: the recordings charged to each agreement
 * (`agreement-ledger:<antenna>:expenditures:<agreement>:<page>`), and the reversals and documents of
 * them all (`agreement-ledger:<antenna>:amendments:<page>`), so that the statement of one agreement
 * reads the antenna's document and two ranges of pages, not one document per expenditure of the
 * antenna (version 2), and recording an expenditure rewrites one page of bounded size
 * (docs/decisions/0031). Rules protected here:
 * - the statement of expenditure built from the version 3 documents is the one built from the
 *   version 1 document (a verbatim copy of version 1's evolve below is the reference), byte for
 *   byte, over the demo history, seeded histories with reversals and attached documents (some
 *   before the recording they name), for several periods and seals, and over a sampled benchmark
 *   store read through the SQLite storage as the service reads it;
 * - recording an expenditure rewrites one page of at most LEDGER_PAGE_REVISIONS facts, whatever the
 *   number of expenditures the antenna already has;
 * - an antenna's pages hold its own expenditures only, not those of an antenna whose id starts with
 *   the same text; pages fold in log order even if their facts were not written in it.
 */

// ---------------------------------------------------------------------------------------------
// Reference: the version 1 projection (one document per antenna, every expenditure inside), as it was.

interface AntennaLedgerDocV1 {
  readonly antennaId: string;
  readonly antennaName: string | null;
  readonly agreements: readonly AgreementLedger[];
  readonly expenditures: readonly LedgerExpenditure[];
}

const ledgerV1 = defineProjection<AntennaLedgerDocV1>({
  name: 'agreement-ledger',
  version: 1,
  handles: agreementLedgerProjection.handles,
  keysOf(event) {
    const antennaId = event.data.antennaId;
    return typeof antennaId === 'string' ? [ledgerAntennaKey(antennaId)] : [];
  },
  evolve(doc, event, key) {
    return evolveLedger(doc ?? { antennaId: key.slice('agreement-ledger:'.length), antennaName: null, agreements: [], expenditures: [] }, event);
  },
});

function sourceOf(event: ProjectedEvent): LedgerSource {
  const { recordedAt, hash } = event.metadata;
  return {
    streamId: event.streamId,
    revision: event.revision,
    position: event.position.toString(),
    recordedAt: typeof recordedAt === 'string' ? recordedAt : null,
    hash: typeof hash === 'string' ? hash : null,
  };
}

function withAgreement(doc: AntennaLedgerDocV1, agreementId: string, change: (agreement: AgreementLedger) => AgreementLedger): AntennaLedgerDocV1 {
  if (!doc.agreements.some((agreement) => agreement.agreementId === agreementId)) return doc;
  return { ...doc, agreements: doc.agreements.map((agreement) => (agreement.agreementId === agreementId ? change(agreement) : agreement)) };
}

/** The last element of `items` matching, changed; the others as they were. */
function changeLast<T>(items: readonly T[], matches: (item: T) => boolean, change: (item: T) => T): readonly T[] {
  for (let index = items.length - 1; index >= 0; index -= 1) {
    if (matches(items[index]!)) return [...items.slice(0, index), change(items[index]!), ...items.slice(index + 1)];
  }
  return items;
}

function evolveLedger(doc: AntennaLedgerDocV1, event: ProjectedEvent): AntennaLedgerDocV1 {
  switch (event.type) {
    case 'AntennaOpened':
      return { ...doc, antennaName: typeof event.data.name === 'string' ? event.data.name : doc.antennaName };
    case 'FundingCommitted': {
      const data = event.data as FundingCommitted['data'];
      if (doc.agreements.some((agreement) => agreement.agreementId === data.agreementId)) return doc;
      // Not in version 1: each tranche's rank in the schedule (version 4), which the statement names an unlabelled tranche by.
      const tranches: Record<string, { label: string | null; rank: number; dueOn: IsoDate; amountCents: Cents }> = {};
      data.tranches.forEach((tranche, index) => {
        tranches[tranche.trancheId] = { label: tranche.label ?? null, rank: index + 1, dueOn: tranche.dueOn, amountCents: tranche.amountCents };
      });
      const agreement: AgreementLedger = {
        agreementId: data.agreementId,
        funder: data.funder,
        label: data.label,
        committedCents: data.amountCents,
        committedOn: data.effectiveDate,
        beneficiaryName: data.publicData?.beneficiaryName ?? null,
        tranches,
        releases: [],
        receipts: [],
        documents: [],
        closedOn: null,
      };
      return { ...doc, agreements: [...doc.agreements, agreement] };
    }
    case 'FundingPublicDataRecorded': {
      const data = event.data as FundingPublicDataRecorded['data'];
      return withAgreement(doc, data.agreementId, (agreement) => ({ ...agreement, beneficiaryName: data.publicData.beneficiaryName }));
    }
    case 'BudgetTrancheReleased': {
      const data = event.data as BudgetTrancheReleased['data'];
      return withAgreement(doc, data.agreementId, (agreement) => ({
        ...agreement,
        releases: [
          ...agreement.releases,
          {
            trancheId: data.trancheId,
            trancheLabel: agreement.tranches[data.trancheId]?.label ?? null,
            amountCents: data.amountCents,
            releasedOn: data.effectiveDate,
            source: sourceOf(event),
            reversal: null,
            documents: [],
          },
        ],
      }));
    }
    case 'TrancheReleaseReversed': {
      const data = event.data as TrancheReleaseReversed['data'];
      return withAgreement(doc, data.agreementId, (agreement) => ({
        ...agreement,
        releases: changeLast(
          agreement.releases,
          (release) => release.trancheId === data.trancheId && release.reversal === null,
          (release) => ({ ...release, reversal: { on: data.effectiveDate, reason: data.reason, source: sourceOf(event) } }),
        ),
      }));
    }
    case 'TrancheReceived': {
      const data = event.data as TrancheReceived['data'];
      return withAgreement(doc, data.agreementId, (agreement) => ({
        ...agreement,
        receipts: [
          ...agreement.receipts,
          {
            trancheId: data.trancheId,
            trancheLabel: agreement.tranches[data.trancheId]?.label ?? null,
            amountCents: data.amountCents,
            receivedOn: data.effectiveDate,
            bankReference: data.bankReference,
            source: sourceOf(event),
            documents: [],
          },
        ],
      }));
    }
    case 'FundingAgreementClosed': {
      const data = event.data as FundingAgreementClosed['data'];
      return withAgreement(doc, data.agreementId, (agreement) => ({ ...agreement, closedOn: data.effectiveDate }));
    }
    case 'ExpenditureRecorded': {
      const data = event.data as ExpenditureRecorded['data'] & { readonly supplier?: string; readonly invoiceNumber?: string };
      if (typeof data.fundingAgreementId !== 'string') return doc;
      const expenditure: LedgerExpenditure = {
        expenditureId: data.expenditureId,
        agreementId: data.fundingAgreementId,
        category: data.category,
        description: data.description,
        amountCents: data.amountCents,
        spentOn: data.effectiveDate,
        supplier: typeof data.supplier === 'string' ? data.supplier : null,
        invoiceNumber: typeof data.invoiceNumber === 'string' ? data.invoiceNumber : null,
        source: sourceOf(event),
        reversal: null,
        documents: [],
      };
      return { ...doc, expenditures: [...doc.expenditures, expenditure] };
    }
    case 'ExpenditureReversed': {
      const data = event.data as ExpenditureReversed['data'];
      return {
        ...doc,
        expenditures: changeLast(
          doc.expenditures,
          (expenditure) => expenditure.expenditureId === data.expenditureId && expenditure.reversal === null,
          (expenditure) => ({ ...expenditure, reversal: { on: data.effectiveDate, reason: data.reason, source: sourceOf(event) } }),
        ),
      };
    }
    case DOCUMENT_ATTACHED:
      return attachDocument(doc, event);
    default:
      return doc;
  }
}

/** `DocumentAttached`: the document goes on the line its subject names; a subject the ledger does not hold leaves it unchanged. */
function attachDocument(doc: AntennaLedgerDocV1, event: ProjectedEvent): AntennaLedgerDocV1 {
  const data = event.data;
  const subject = data.subject as Readonly<Record<string, unknown>> | undefined;
  if (!subject || typeof data.sha256 !== 'string') return doc;
  const document: LedgerDocument = {
    sha256: data.sha256,
    fileName: typeof data.fileName === 'string' ? data.fileName : '',
    sizeBytes: typeof data.sizeBytes === 'number' ? data.sizeBytes : 0,
    mediaType: typeof data.mediaType === 'string' ? data.mediaType : '',
    source: sourceOf(event),
  };
  const add = <T extends { readonly documents: readonly LedgerDocument[] }>(item: T): T => ({ ...item, documents: [...item.documents, document] });
  const agreementId = typeof subject.agreementId === 'string' ? subject.agreementId : undefined;
  const trancheId = typeof subject.trancheId === 'string' ? subject.trancheId : undefined;
  switch (subject.kind) {
    case 'funding-agreement':
      return agreementId === undefined ? doc : withAgreement(doc, agreementId, add);
    case 'tranche-release':
      return agreementId === undefined
        ? doc
        : withAgreement(doc, agreementId, (agreement) => ({ ...agreement, releases: changeLast(agreement.releases, (release) => release.trancheId === trancheId, add) }));
    case 'tranche-receipt':
      return agreementId === undefined
        ? doc
        : withAgreement(doc, agreementId, (agreement) => ({ ...agreement, receipts: changeLast(agreement.receipts, (receipt) => receipt.trancheId === trancheId, add) }));
    case 'expenditure':
      return { ...doc, expenditures: changeLast(doc.expenditures, (expenditure) => expenditure.expenditureId === subject.expenditureId, add) };
    default:
      return doc;
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * The version 1 documents seen through the version 3 shape the statement reads: the antenna's
 * expenditures given back as the facts they were folded from, in log order, on one page: the
 * recordings charged to the agreement listed, or the reversals and documents of them all.
 */
function v1AsV3(model: InMemoryReadModel<AntennaLedgerDocV1>): ReadModels {
  const view: ReadModelView<LedgerDoc> = {
    get(key) {
      const doc = model.get(key);
      return doc === undefined ? undefined : { kind: 'antenna', antennaId: doc.antennaId, antennaName: doc.antennaName, agreements: doc.agreements };
    },
    list(prefix) {
      const [, antennaId, kind, agreementId] = /^agreement-ledger:([^:]+):(expenditures|amendments):(?:([^:]+):)?$/.exec(prefix) ?? [];
      expect(prefix).toBe(kind === 'amendments' ? ledgerAmendmentPagePrefix(antennaId!) : ledgerExpenditurePagePrefix(antennaId!, agreementId!));
      const facts: { position: string; fact: LedgerExpenditureFact }[] = [];
      for (const { reversal, documents, ...recorded } of model.get(ledgerAntennaKey(antennaId!))?.expenditures ?? []) {
        if (kind === 'expenditures') {
          if (recorded.agreementId === agreementId) facts.push({ position: recorded.source.position, fact: { kind: 'recorded', ...recorded } });
          continue;
        }
        if (reversal) facts.push({ position: reversal.source.position, fact: { kind: 'reversed', expenditureId: recorded.expenditureId, ...reversal } });
        for (const document of documents) facts.push({ position: document.source.position, fact: { kind: 'document', expenditureId: recorded.expenditureId, document } });
      }
      facts.sort((x, y) => comparePositions(x.position, y.position));
      return facts.length === 0 ? [] : [{ kind: 'expenditures', facts: facts.map(({ fact }) => fact) }];
    },
  };
  return { view: <Doc>() => view as unknown as ReadModelView<Doc> };
}

/** The agreement's expenditures as the statement folds them from the v3 pages. */
const foldedOf = (model: ReadModelView<LedgerDoc>, antennaId: string, agreementId: string) =>
  ledgerExpenditures(model.list(ledgerExpenditurePagePrefix(antennaId, agreementId)), model.list(ledgerAmendmentPagePrefix(antennaId)));

function v3Models(model: ReadModelView<LedgerDoc>): ReadModels {
  return { view: <Doc>() => model as unknown as ReadModelView<Doc> };
}

function replayBoth(events: readonly ProjectedEvent[]): { v1: InMemoryReadModel<AntennaLedgerDocV1>; v3: InMemoryReadModel<LedgerDoc> } {
  const v1 = new InMemoryReadModel(ledgerV1);
  const v3 = new InMemoryReadModel(agreementLedgerProjection);
  for (const event of events) {
    v1.apply(event);
    v3.apply(event);
  }
  return { v1, v3 };
}

/** The statement as bytes, or the error it gives (class and message). */
function statementBytes(models: ReadModels, antennaId: string, agreementId: string | undefined, periodFrom?: string, periodTo?: string, seal?: StatementSeal): string {
  try {
    const report: Report = buildStatementReport(models, { antennaId, agreementId, referenceDate: '2026-01-15', periodFrom, periodTo, seal });
    return JSON.stringify(report);
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

/** A seal covering the log up to `lastPosition` (the statement keeps the lines at or before it). */
const sealAt = (lastPosition: bigint): StatementSeal => ({ treeSize: Number(lastPosition), rootHash: 'ab'.repeat(32), sealedAt: '2026-01-15T10:00:00.000Z', keyId: 'cd'.repeat(32), lastPosition: lastPosition.toString() });

/** Compares the statements of every subject, for several periods and seals; returns how many were statements (not errors). */
function expectSameStatementsOf(v1: ReadModels, v3: ReadModels, events: readonly ProjectedEvent[], subjects: readonly { antennaId: string; agreements: readonly (string | undefined)[] }[]): number {
  const last = events[events.length - 1]?.position ?? 0n;
  const seals = [undefined, sealAt(last / 2n), sealAt((last * 9n) / 10n)];
  let compared = 0;
  for (const { antennaId, agreements } of subjects) {
    for (const agreementId of agreements) {
      for (const [from, to] of [[undefined, undefined], ['2022-01-01', '2022-12-31'], ['2021-03-01', '2023-06-30']] as const) {
        for (const seal of seals) {
          const expected = statementBytes(v1, antennaId, agreementId, from, to, seal);
          expect(statementBytes(v3, antennaId, agreementId, from, to, seal)).toBe(expected);
          if (expected.startsWith('{')) compared++;
        }
      }
    }
  }
  return compared;
}

function expectSameStatements(events: readonly ProjectedEvent[], subjects: readonly { antennaId: string; agreements: readonly (string | undefined)[] }[]): number {
  const { v1, v3 } = replayBoth(events);
  return expectSameStatementsOf(v1AsV3(v1), v3Models(v3), events, subjects);
}

/** Every expenditure fact of the antenna's pages (every key under the antenna's but its own document). */
const factsOf = (model: ReadModelView<LedgerDoc>, antennaId: string): LedgerExpenditureFact[] =>
  model.list(`${ledgerAntennaKey(antennaId)}:`).flatMap((page) => (page.kind === 'expenditures' ? page.facts : []));

// A seeded history: several antennas (two whose ids share a beginning), several agreements, expenditures
// charged or not, reversals (of known, unknown and already reversed expenditures), documents attached to
// every kind of subject, positions crossing decimal lengths.

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function seededHistory(seed: number, count: number): { events: ProjectedEvent[]; antennas: Map<string, string[]> } {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const antennaIds = ['mont', 'mont-2', 'montbeliard', 'vesoul'];
  const antennas = new Map<string, string[]>(antennaIds.map((id) => [id, []]));
  const expenditures = new Map<string, string[]>(antennaIds.map((id) => [id, []]));
  // Ids reversed or given a document before any recording: some are recorded afterwards, which the amendment before must not touch.
  const amendedFirst = new Map<string, string[]>(antennaIds.map((id) => [id, []]));
  const events: ProjectedEvent[] = [];
  let position = 0n;
  const day = (): IsoDate => `202${1 + Math.floor(random() * 3)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  const push = (type: string, streamId: string, data: Record<string, unknown>): void => {
    position += 1n + BigInt(Math.floor(random() * 3));
    events.push({ type, version: 1, data, streamId, revision: events.length, position, metadata: { actor: 'seed', role: 'admin', correlationId: 'c', causationId: 'c', recordedAt: '2026-01-15T10:00:00.000Z', hash: `h${position}` } as ProjectedEvent['metadata'] });
  };
  const attach = (antennaId: string, streamId: string, subject: Record<string, unknown>): void =>
    push(DOCUMENT_ATTACHED, streamId, { antennaId, subject, sha256: `${events.length}`.padStart(64, 'a'), fileName: `piece-${events.length}.pdf`, sizeBytes: 1000 + events.length, mediaType: 'application/pdf', effectiveDate: day() });
  for (const antennaId of antennaIds) push('AntennaOpened', `antenna-${antennaId}`, { antennaId, name: `Antenne ${antennaId}` });
  for (let index = 0; index < count; index++) {
    const antennaId = pick(antennaIds);
    const agreements = antennas.get(antennaId)!;
    const spent = expenditures.get(antennaId)!;
    const roll = random();
    if (agreements.length === 0 || roll < 0.05) {
      const agreementId = `${antennaId}-conv-${agreements.length + 1}`;
      agreements.push(agreementId);
      push('FundingCommitted', `funding-${agreementId}`, {
        antennaId, agreementId, funder: 'Cnam', label: `Convention ${agreementId}`, amountCents: 10_000_000, effectiveDate: '2021-02-01',
        tranches: [{ trancheId: 't1', label: 'Tranche 1', dueOn: '2021-06-01', amountCents: 5_000_000 }, { trancheId: 't2', dueOn: '2022-06-01', amountCents: 5_000_000 }],
        ...(random() < 0.5 ? { publicData: { beneficiaryName: `Bénéficiaire ${antennaId}` } } : {}),
      });
    } else if (roll < 0.12) {
      const agreementId = pick(agreements);
      push('BudgetTrancheReleased', `funding-${agreementId}`, { antennaId, agreementId, trancheId: pick(['t1', 't2']), amountCents: 5_000_000, effectiveDate: day() });
    } else if (roll < 0.14) {
      const agreementId = pick(agreements);
      push('TrancheReleaseReversed', `funding-${agreementId}`, { antennaId, agreementId, trancheId: pick(['t1', 't2']), effectiveDate: day(), reason: 'Erreur de saisie' });
    } else if (roll < 0.18) {
      const agreementId = pick(agreements);
      push('TrancheReceived', `funding-${agreementId}`, { antennaId, agreementId, trancheId: pick(['t1', 't2']), amountCents: 5_000_000, effectiveDate: day(), bankReference: `VIR-${index}` });
    } else if (roll < 0.2) {
      const agreementId = pick(agreements);
      push('FundingPublicDataRecorded', `funding-${agreementId}`, { antennaId, agreementId, publicData: { beneficiaryName: `Nouveau bénéficiaire ${index}` } });
    } else if (roll < 0.24) {
      const agreementId = pick(agreements);
      attach(antennaId, `funding-${agreementId}`, pick([{ kind: 'funding-agreement', agreementId }, { kind: 'tranche-release', agreementId, trancheId: 't1' }, { kind: 'tranche-receipt', agreementId, trancheId: pick(['t1', 't2']) }]));
    } else if (roll < 0.25) {
      attach(antennaId, `budget-${antennaId}`, { kind: 'budget-revision', revision: 1 });
    } else if (roll < 0.7) {
      const early = amendedFirst.get(antennaId)!;
      const expenditureId = early.length > 0 && random() < 0.2 ? early.splice(Math.floor(random() * early.length), 1)[0]! : `dep-${index}`;
      spent.push(expenditureId);
      push('ExpenditureRecorded', `budget-${antennaId}`, {
        antennaId, expenditureId, category: pick(['staff', 'equipment', 'operations']), amountCents: 100 + Math.floor(random() * 1_000_000), description: `Dépense ${index}`,
        effectiveDate: day(), ...(random() < 0.85 ? { fundingAgreementId: pick(agreements) } : {}), ...(random() < 0.5 ? { supplier: `Fournisseur ${index % 7}`, invoiceNumber: `F-${index}` } : {}),
      });
    } else if (roll < 0.85) {
      // A reversal of a recorded expenditure (possibly one already reversed, or one charged to no agreement) or of an unknown one.
      const expenditureId = spent.length > 0 && random() < 0.9 ? pick(spent) : `inconnue-${index}`;
      if (!spent.includes(expenditureId)) amendedFirst.get(antennaId)!.push(expenditureId);
      push('ExpenditureReversed', `budget-${antennaId}`, { antennaId, expenditureId, amountCents: 1, category: 'staff', expenditureDate: day(), effectiveDate: day(), reason: `Motif ${index}` });
    } else {
      const expenditureId = spent.length > 0 && random() < 0.9 ? pick(spent) : `inconnue-${index}`;
      if (!spent.includes(expenditureId)) amendedFirst.get(antennaId)!.push(expenditureId);
      attach(antennaId, `budget-${antennaId}`, { kind: 'expenditure', expenditureId });
    }
  }
  return { events, antennas };
}

describe('agreement ledger v3: expenditure facts in pages of the budget stream, the statement unchanged', () => {
  it('rule: over the demo history, the statement from the v3 documents equals the one from the v1 document, byte for byte', async () => {
    const events = await demoEvents();
    const compared = expectSameStatements(events, [{ antennaId: ANTENNA_ID, agreements: [undefined] }, { antennaId: 'inconnue', agreements: [undefined] }]);
    expect(compared).toBe(9);
  });

  it('rule: over seeded histories with reversals and attached documents, every antenna, agreement, period and seal gives the same statement as v1', () => {
    for (const seed of [1, 7, 2026]) {
      const { events, antennas } = seededHistory(seed, 1_500);
      expect(events.some((event) => event.position >= 1000n)).toBe(true);
      const subjects = [...antennas].map(([antennaId, agreements]) => ({ antennaId, agreements: [undefined, ...agreements, 'inconnue'] }));
      const compared = expectSameStatements(events, subjects);
      expect(compared).toBeGreaterThan(60);
      // The histories do hold what the rule is about: expenditures reversed and documented after their recording, on several pages.
      const { v3 } = replayBoth(events);
      for (const [antennaId, agreements] of antennas) {
        const amended = agreements.flatMap((agreementId) => [...foldedOf(v3, antennaId, agreementId).amended.values()]);
        expect(amended.some((amendments) => amendments.reversal !== null)).toBe(true);
        expect(amended.some((amendments) => amendments.documents.length > 0)).toBe(true);
        expect(Math.max(...agreements.map((agreementId) => v3.list(ledgerExpenditurePagePrefix(antennaId, agreementId)).length))).toBeGreaterThan(1);
      }
    }
  });

  it('rule: on a sampled benchmark store, the statement read through the SQLite storage (one range of pages) equals the v1 statement', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jalon-ledger-v3-'));
    try {
      const seeded = await seedStore(join(dir, 'seed'), { events: 4_000, antennas: 3, seed: 'agreement-ledger-v3' });
      const store = SqliteEventStore.open({ file: seeded.file });
      const storage = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
      try {
        const runner = new ProjectionRunner(store, storage, [agreementLedgerProjection]);
        await runner.catchUp();
        const events: ProjectedEvent[] = [];
        for await (const event of store.readAll({ types: [...agreementLedgerProjection.handles] })) events.push(await upcast(event, store));
        const v1 = new InMemoryReadModel(ledgerV1);
        for (const event of events) v1.apply(event);
        const antennaIds = [...new Set(events.filter((event) => event.type === 'FundingCommitted').map((event) => event.data.antennaId as string))];
        const subjects = antennaIds.map((antennaId) => ({ antennaId, agreements: [undefined, ...(v1.get(ledgerAntennaKey(antennaId))?.agreements ?? []).map((agreement) => agreement.agreementId)] }));
        const live = runner.view<LedgerDoc>(agreementLedgerProjection.name);
        const compared = expectSameStatementsOf(v1AsV3(v1), v3Models(live), events, subjects);
        expect(compared).toBeGreaterThan(10);
        // The sample holds statements with many expenditures, read from several pages.
        const longest = Math.max(...subjects.flatMap(({ antennaId, agreements }) => agreements.flatMap((agreementId) => (agreementId ? [foldedOf(live, antennaId, agreementId).recorded.length] : []))));
        expect(longest).toBeGreaterThan(3 * LEDGER_PAGE_REVISIONS);
      } finally {
        storage.close();
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('rule: an antenna\'s pages hold its own expenditures only, not those of an antenna whose id starts with the same text', () => {
    const { events } = seededHistory(7, 1_500);
    const { v3 } = replayBoth(events);
    for (const antennaId of ['mont', 'mont-2', 'montbeliard']) {
      const own = factsOf(v3, antennaId);
      expect(own.length).toBeGreaterThan(0);
      const aboutHere = new Set(events.filter((event) => event.data.antennaId === antennaId).map((event) => event.position.toString()));
      expect(own.every((fact) => aboutHere.has(fact.kind === 'document' ? fact.document.source.position : fact.source.position))).toBe(true);
    }
  });

  it('rule: pages fold in log order even when their facts are not listed in it (a fact written on another stream)', () => {
    const { events, antennas } = seededHistory(2026, 1_500);
    const { v3 } = replayBoth(events);
    const reversedPages = (pages: readonly LedgerDoc[]): LedgerExpenditurePage[] =>
      [...pages].reverse().map((page) => ({ kind: 'expenditures', facts: page.kind === 'expenditures' ? [...page.facts].reverse() : [] }));
    let folded = 0;
    for (const agreementId of antennas.get('vesoul')!) {
      const recordings = v3.list(ledgerExpenditurePagePrefix('vesoul', agreementId));
      const amendments = v3.list(ledgerAmendmentPagePrefix('vesoul'));
      const inOrder = ledgerExpenditures(recordings, amendments);
      const shuffled = ledgerExpenditures(reversedPages(recordings), reversedPages(amendments));
      expect(shuffled.recorded).toEqual(inOrder.recorded);
      expect([...shuffled.amended]).toEqual([...inOrder.amended]);
      folded += inOrder.recorded.length;
    }
    expect(folded).toBeGreaterThan(10);
  });

  it('rule: log positions (decimal strings) compare by length, then text', () => {
    expect(['10', '9', '100', '11', '2'].sort(comparePositions)).toEqual(['2', '9', '10', '11', '100']);
    expect(comparePositions('123', '123')).toBe(0);
  });

  it('rule: recording an expenditure rewrites one page of at most LEDGER_PAGE_REVISIONS facts, whatever the antenna already has', () => {
    const antennaId = 'vesoul';
    const base = 1_000_000n;
    const event = (revision: number, type: string, data: Record<string, unknown>): ProjectedEvent => ({
      type, version: 1, data, streamId: `budget-${antennaId}`, revision, position: base + BigInt(revision), metadata: { actor: 'seed', role: 'admin', correlationId: 'c', causationId: 'c', recordedAt: '2026-01-15T10:00:00.000Z' } as ProjectedEvent['metadata'],
    });
    const expenditure = (revision: number): ProjectedEvent =>
      event(revision, 'ExpenditureRecorded', { antennaId, expenditureId: `dep-${String(revision).padStart(6, '0')}`, category: 'staff', amountCents: 12_345, description: 'Vacation', fundingAgreementId: 'vesoul-conv-1', effectiveDate: '2022-03-01' });
    // Revisions of one decimal length throughout, from the start of a page: only the number of prior expenditures differs.
    const first = 100_000;
    expect(first % LEDGER_PAGE_REVISIONS).toBe(0);
    const written = (projection: typeof agreementLedgerProjection | typeof ledgerV1, already: number): number[] => {
      const model = new InMemoryReadModel(projection as typeof agreementLedgerProjection);
      model.apply({ ...event(0, 'FundingCommitted', { antennaId, agreementId: 'vesoul-conv-1', funder: 'Cnam', label: 'Convention', amountCents: 100, effectiveDate: '2021-01-01', tranches: [] }), streamId: 'funding-vesoul-conv-1' });
      for (let revision = first; revision < first + already; revision++) model.apply(expenditure(revision));
      const next = expenditure(first + already);
      return projection.keysOf(next).map((key) => JSON.stringify(projection.evolve((model.get(key) ?? null) as never, next, key)).length);
    };
    // The same place in a page (its last fact), after one page and after 40 pages of expenditures: the same size.
    const few = written(agreementLedgerProjection, LEDGER_PAGE_REVISIONS - 1);
    const many = written(agreementLedgerProjection, 40 * LEDGER_PAGE_REVISIONS + LEDGER_PAGE_REVISIONS - 1);
    expect(few).toHaveLength(1);
    expect(many).toEqual(few);
    // A page holds at most its revisions' facts; version 1 grows with the antenna's expenditures (the test can tell).
    const model = new InMemoryReadModel(agreementLedgerProjection);
    for (let revision = 1; revision <= 10 * LEDGER_PAGE_REVISIONS; revision++) model.apply(expenditure(revision));
    expect(Math.max(...model.list(ledgerExpenditurePagePrefix(antennaId, 'vesoul-conv-1')).map((page) => (page.kind === 'expenditures' ? page.facts.length : 0)))).toBe(LEDGER_PAGE_REVISIONS);
    expect(written(ledgerV1, 300)[0]!).toBeGreaterThan(50 * written(ledgerV1, 1)[0]!);
  });
});
