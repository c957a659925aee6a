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
import { defineProjection, InMemoryReadModel, ProjectedEvent, ReadModelView } from '@jalon/projections';
import type { Report } from '@jalon/reporting';
import { ANTENNA_ID } from '../../apps/cli/src/demo/montbeliard-history';
import { ReadModels } from '../../libs/projections/src/read-models/budget/report-helpers';
import {
  agreementLedgerProjection,
  AgreementLedger,
  DOCUMENT_ATTACHED,
  LedgerDoc,
  LedgerDocument,
  LedgerExpenditure,
  LedgerSource,
  ledgerAntennaKey,
  ledgerExpenditurePrefix,
} from '../../libs/projections/src/read-models/funding/agreement-ledger.projection';
import { comparePositions } from '../../libs/projections/src/projection';
import { buildStatementReport } from '../../libs/projections/src/read-models/funding/statement.report';
import { demoEvents } from '../support/demo-history';

/**
 * The agreement ledger at version 2 keeps each expenditure in a document of its own
 * (`agreement-ledger:<antenna>:expenditure:<id>`) instead of one antenna document holding them all,
 * so that recording an expenditure no longer rewrites a document that grows with the antenna.
 * Rules protected here:
 * - the statement of expenditure built from the version 2 documents is the one built from the
 *   version 1 document (a verbatim copy of version 1's evolve below is the reference), byte for
 *   byte, over the demo history and a seeded history with reversals and attached documents;
 * - recording an expenditure changes only documents whose size does not depend on how many
 *   expenditures the antenna already has;
 * - an antenna's expenditures are listed without catching those of an antenna whose id starts
 *   with the same text, and are ordered by log position (decimal strings: by length, then text).
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
      const tranches: Record<string, { label: string | null; dueOn: IsoDate; amountCents: Cents }> = {};
      for (const tranche of data.tranches) tranches[tranche.trancheId] = { label: tranche.label ?? null, dueOn: tranche.dueOn, amountCents: tranche.amountCents };
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

/** The version 1 documents seen through the version 2 shape the statement reads (expenditures in their version 1 array order). */
function v1AsV2(model: InMemoryReadModel<AntennaLedgerDocV1>): ReadModels {
  const view: ReadModelView<LedgerDoc> = {
    get(key) {
      const doc = model.get(key);
      return doc === undefined ? undefined : { kind: 'antenna', antennaId: doc.antennaId, antennaName: doc.antennaName, agreements: doc.agreements };
    },
    list(prefix) {
      const antennaId = prefix.slice('agreement-ledger:'.length, -':expenditure:'.length);
      expect(prefix).toBe(ledgerExpenditurePrefix(antennaId));
      return (model.get(ledgerAntennaKey(antennaId))?.expenditures ?? []).map((expenditure) => ({ kind: 'expenditure' as const, ...expenditure }));
    },
  };
  return { view: <Doc>() => view as unknown as ReadModelView<Doc> };
}

function v2Models(model: InMemoryReadModel<LedgerDoc>): ReadModels {
  return { view: <Doc>() => model as unknown as ReadModelView<Doc> };
}

function replayBoth(events: readonly ProjectedEvent[]): { v1: InMemoryReadModel<AntennaLedgerDocV1>; v2: InMemoryReadModel<LedgerDoc> } {
  const v1 = new InMemoryReadModel(ledgerV1);
  const v2 = new InMemoryReadModel(agreementLedgerProjection);
  for (const event of events) {
    v1.apply(event);
    v2.apply(event);
  }
  return { v1, v2 };
}

/** The statement as bytes, or the error it gives (class and message). */
function statementBytes(models: ReadModels, antennaId: string, agreementId: string | undefined, periodFrom?: string, periodTo?: string): string {
  try {
    const report: Report = buildStatementReport(models, { antennaId, agreementId, referenceDate: '2026-01-15', periodFrom, periodTo });
    return JSON.stringify(report);
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

function expectSameStatements(events: readonly ProjectedEvent[], subjects: readonly { antennaId: string; agreements: readonly (string | undefined)[] }[]): number {
  const { v1, v2 } = replayBoth(events);
  let compared = 0;
  for (const { antennaId, agreements } of subjects) {
    for (const agreementId of agreements) {
      for (const [from, to] of [[undefined, undefined], ['2022-01-01', '2022-12-31'], ['2021-03-01', '2023-06-30']] as const) {
        const expected = statementBytes(v1AsV2(v1), antennaId, agreementId, from, to);
        expect(statementBytes(v2Models(v2), antennaId, agreementId, from, to)).toBe(expected);
        if (expected.startsWith('{')) compared++;
      }
    }
  }
  return compared;
}

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
      const expenditureId = `dep-${index}`;
      spent.push(expenditureId);
      push('ExpenditureRecorded', `budget-${antennaId}`, {
        antennaId, expenditureId, category: pick(['staff', 'equipment', 'operations']), amountCents: 100 + Math.floor(random() * 1_000_000), description: `Dépense ${index}`,
        effectiveDate: day(), ...(random() < 0.85 ? { fundingAgreementId: pick(agreements) } : {}), ...(random() < 0.5 ? { supplier: `Fournisseur ${index % 7}`, invoiceNumber: `F-${index}` } : {}),
      });
    } else if (roll < 0.85) {
      // A reversal of a recorded expenditure (possibly one already reversed, or one charged to no agreement) or of an unknown one.
      const expenditureId = spent.length > 0 && random() < 0.9 ? pick(spent) : `inconnue-${index}`;
      push('ExpenditureReversed', `budget-${antennaId}`, { antennaId, expenditureId, amountCents: 1, category: 'staff', expenditureDate: day(), effectiveDate: day(), reason: `Motif ${index}` });
    } else {
      const expenditureId = spent.length > 0 && random() < 0.9 ? pick(spent) : `inconnue-${index}`;
      attach(antennaId, `budget-${antennaId}`, { kind: 'expenditure', expenditureId });
    }
  }
  return { events, antennas };
}

describe('agreement ledger v2: one document per expenditure, the statement unchanged', () => {
  it('rule: over the demo history, the statement from the v2 documents equals the one from the v1 document, byte for byte', async () => {
    const events = await demoEvents();
    const compared = expectSameStatements(events, [{ antennaId: ANTENNA_ID, agreements: [undefined] }, { antennaId: 'inconnue', agreements: [undefined] }]);
    expect(compared).toBe(3);
  });

  it('rule: over seeded histories with reversals and attached documents, every antenna and agreement gives the same statement as v1', () => {
    for (const seed of [1, 7, 2026]) {
      const { events, antennas } = seededHistory(seed, 1_500);
      expect(events.some((event) => event.position >= 1000n)).toBe(true);
      const subjects = [...antennas].map(([antennaId, agreements]) => ({ antennaId, agreements: [undefined, ...agreements, 'inconnue'] }));
      const compared = expectSameStatements(events, subjects);
      expect(compared).toBeGreaterThan(20);
      // The histories do hold what the rule is about: reversed expenditures and expenditures with documents in the statements.
      const { v2 } = replayBoth(events);
      const docs = [...antennas.keys()].flatMap((antennaId) => v2.list(ledgerExpenditurePrefix(antennaId)));
      expect(docs.some((doc) => doc.kind === 'expenditure' && doc.reversal !== null)).toBe(true);
      expect(docs.some((doc) => doc.kind === 'expenditure' && doc.documents.length > 0)).toBe(true);
    }
  });

  it('rule: an antenna lists its own expenditures only, not those of an antenna whose id starts with the same text', () => {
    const { events } = seededHistory(7, 1_500);
    const { v2 } = replayBoth(events);
    for (const antennaId of ['mont', 'mont-2', 'montbeliard']) {
      const own = v2.list(ledgerExpenditurePrefix(antennaId));
      expect(own.length).toBeGreaterThan(0);
      const recordedHere = new Set(events.filter((event) => event.type === 'ExpenditureRecorded' && event.data.antennaId === antennaId).map((event) => event.data.expenditureId as string));
      expect(own.every((doc) => doc.kind === 'expenditure' && recordedHere.has(doc.expenditureId))).toBe(true);
    }
  });

  it('rule: log positions (decimal strings) compare by length, then text', () => {
    expect(['10', '9', '100', '11', '2'].sort(comparePositions)).toEqual(['2', '9', '10', '11', '100']);
    expect(comparePositions('123', '123')).toBe(0);
  });

  it('rule: recording an expenditure writes documents whose size does not depend on how many expenditures the antenna already has', () => {
    const sizesAfter = (projection: typeof agreementLedgerProjection | typeof ledgerV1, already: number): number[] => {
      const { events } = seededHistory(3, 0);
      const antennaId = 'vesoul';
      // Positions of one decimal length throughout, so that only the number of prior expenditures differs.
      const base = 1_000_000n;
      const event = (offset: number, type: string, data: Record<string, unknown>): ProjectedEvent => ({
        type, version: 1, data, streamId: `budget-${antennaId}`, revision: offset, position: base + BigInt(offset), metadata: { actor: 'seed', role: 'admin', correlationId: 'c', causationId: 'c', recordedAt: '2026-01-15T10:00:00.000Z' } as ProjectedEvent['metadata'],
      });
      const expenditure = (offset: number, n: number): ProjectedEvent =>
        event(offset, 'ExpenditureRecorded', { antennaId, expenditureId: `dep-${String(n).padStart(6, '0')}`, category: 'staff', amountCents: 12_345, description: 'Vacation', fundingAgreementId: 'vesoul-conv-1', effectiveDate: '2022-03-01' });
      const model = new InMemoryReadModel(projection as typeof agreementLedgerProjection);
      for (const opening of events) model.apply(opening);
      model.apply(event(1, 'FundingCommitted', { antennaId, agreementId: 'vesoul-conv-1', funder: 'Cnam', label: 'Convention', amountCents: 100, effectiveDate: '2021-01-01', tranches: [] }));
      for (let n = 0; n < already; n++) model.apply(expenditure(2 + n, n));
      const next = expenditure(900_000, 999_999);
      return projection.keysOf(next).map((key) => JSON.stringify(projection.evolve((model.get(key) ?? null) as never, next, key)).length);
    };
    const fewV2 = sizesAfter(agreementLedgerProjection, 1);
    const manyV2 = sizesAfter(agreementLedgerProjection, 300);
    expect(fewV2).toHaveLength(1);
    expect(manyV2).toEqual(fewV2);
    // The same measure on version 1 grows with the antenna's expenditures: the test can tell.
    expect(sizesAfter(ledgerV1, 300)[0]!).toBeGreaterThan(50 * sizesAfter(ledgerV1, 1)[0]!);
  });
});
