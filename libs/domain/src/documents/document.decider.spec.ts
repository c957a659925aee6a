import { AttachBudgetDocument, budgetDecider, BudgetForecastRevised, BudgetForecastSet, ExpenditureRecorded } from '../budget';
import { AttachFundingDocument, BudgetTrancheReleased, FundingCommitted, fundingDecider, TrancheReceived } from '../funding';
import { AntennaView } from '../shared';
import { specificationFor } from '../testing/decider-specification';
import { DocumentAttached } from './document.events';

const budget = specificationFor(budgetDecider);
const funding = specificationFor(fundingDecider);

const antenna: AntennaView = { antennaId: 'montbeliard', status: 'active', openedOn: '2021-01-11', candidacyId: 'ami-2--pays-de-montbeliard' };
const sha256 = 'a'.repeat(64);
const file = { sha256, fileName: 'facture-2023-014.pdf', sizeBytes: 48_213, mediaType: 'application/pdf' };

const forecastSet: BudgetForecastSet = {
  type: 'BudgetForecastSet',
  data: { antennaId: 'montbeliard', lines: [{ year: 2023, category: 'premises', amountCents: 5_000_000 }], totalCents: 5_000_000, effectiveDate: '2021-03-15' },
};
const revised: BudgetForecastRevised = {
  type: 'BudgetForecastRevised',
  data: {
    antennaId: 'montbeliard',
    revision: 1,
    lines: [{ year: 2023, category: 'premises', amountCents: 6_500_000 }],
    totalCents: 6_500_000,
    previousTotalCents: 5_000_000,
    previousLines: forecastSet.data.lines,
    reason: 'Travaux de la polyclinique',
    effectiveDate: '2022-09-01',
  },
};
const expenditure: ExpenditureRecorded = {
  type: 'ExpenditureRecorded',
  data: {
    antennaId: 'montbeliard',
    expenditureId: 'dep-2023-014',
    category: 'premises',
    amountCents: 1_250_000,
    description: 'Aménagement de l’espace d’accueil',
    supplier: 'Menuiserie Peugeot Frères',
    invoiceNumber: 'F-2023-014',
    effectiveDate: '2023-03-02',
  },
};

const attachToExpenditure = (overrides: Partial<AttachBudgetDocument['data']> = {}): AttachBudgetDocument => ({
  type: 'AttachBudgetDocument',
  data: { antennaId: 'montbeliard', subject: { kind: 'expenditure', expenditureId: 'dep-2023-014' }, ...file, effectiveDate: '2023-03-10', ...overrides },
  context: { antenna },
});
const attachedToExpenditure: DocumentAttached = {
  type: 'DocumentAttached',
  data: { antennaId: 'montbeliard', subject: { kind: 'expenditure', expenditureId: 'dep-2023-014' }, ...file, effectiveDate: '2023-03-10' },
};

describe('Attaching a document to an expenditure or a budget revision (budget stream)', () => {
  it('rule: a document is attached to a recorded expenditure, recording its hash, name, size and type', () => {
    budget.given([forecastSet, expenditure]).when(attachToExpenditure()).then([attachedToExpenditure]);
  });

  it('rule: the subject must exist: an expenditure never recorded is EXPENDITURE.NOT_FOUND', () => {
    budget.given([forecastSet]).when(attachToExpenditure()).thenThrows('EXPENDITURE.NOT_FOUND', 'not-found');
  });

  it('rule: a budget revision that does not exist is DOCUMENT.SUBJECT_NOT_FOUND; revision 1 once revised takes the document', () => {
    const toRevision = attachToExpenditure({ subject: { kind: 'budget-revision', revision: 1 }, effectiveDate: '2022-09-05' });
    budget.given([forecastSet]).when(toRevision).thenThrows('DOCUMENT.SUBJECT_NOT_FOUND', 'not-found');
    budget.given([forecastSet, revised]).when(toRevision).then([{ type: 'DocumentAttached', data: { ...toRevision.data } }]);
    budget.given([forecastSet, revised]).when({ ...toRevision, data: { ...toRevision.data, subject: { kind: 'budget-revision', revision: 2 } } }).thenThrows('DOCUMENT.SUBJECT_NOT_FOUND');
  });

  it('rule: a document is not attached before the fact it proves took effect', () => {
    budget.given([forecastSet, expenditure]).when(attachToExpenditure({ effectiveDate: '2023-03-01' })).thenThrows('DOCUMENT.ATTACHED_BEFORE_SUBJECT', 'rule');
    budget.given([forecastSet, revised]).when(attachToExpenditure({ subject: { kind: 'budget-revision', revision: 1 }, effectiveDate: '2022-08-31' })).thenThrows('DOCUMENT.ATTACHED_BEFORE_SUBJECT');
  });

  it('rule: the same file attached again to the same subject is a repeat; under another name, a conflict', () => {
    budget.given([forecastSet, expenditure, attachedToExpenditure]).when(attachToExpenditure()).thenNothingHappens();
    budget.given([forecastSet, expenditure, attachedToExpenditure]).when(attachToExpenditure({ fileName: 'autre-nom.pdf' })).thenThrows('DOCUMENT.ALREADY_ATTACHED', 'conflict');
  });

  it('rule: another file attached to the same expenditure is a second document', () => {
    const other = { sha256: 'b'.repeat(64), fileName: 'devis.pdf' };
    budget.given([forecastSet, expenditure, attachedToExpenditure]).when(attachToExpenditure(other)).then([{ type: 'DocumentAttached', data: { ...attachedToExpenditure.data, ...other } }]);
  });

  it('rule: a closed antenna accepts no document', () => {
    const closed = attachToExpenditure();
    budget.given([forecastSet, expenditure]).when({ ...closed, context: { antenna: { ...antenna, status: 'closed' } } }).thenThrows('ANTENNA.CLOSED');
  });
});

const committed: FundingCommitted = {
  type: 'FundingCommitted',
  data: {
    agreementId: 'bdt-amorcage',
    antennaId: 'montbeliard',
    funder: 'Banque des Territoires',
    label: 'Enveloppe d’amorçage',
    amountCents: 10_000_000,
    tranches: [
      { trancheId: 't1', amountCents: 4_000_000, dueOn: '2021-09-30' },
      { trancheId: 't2', amountCents: 6_000_000, dueOn: '2022-06-30' },
    ],
    effectiveDate: '2021-07-01',
  },
};
const released: BudgetTrancheReleased = {
  type: 'BudgetTrancheReleased',
  data: { agreementId: 'bdt-amorcage', antennaId: 'montbeliard', trancheId: 't1', amountCents: 4_000_000, effectiveDate: '2021-10-14' },
};
const received: TrancheReceived = {
  type: 'TrancheReceived',
  data: { agreementId: 'bdt-amorcage', antennaId: 'montbeliard', trancheId: 't1', amountCents: 4_000_000, bankReference: 'VIR-2021-10-18', effectiveDate: '2021-10-18' },
};
const attachToFunding = (subject: AttachFundingDocument['data']['subject'], effectiveDate = '2021-11-02'): AttachFundingDocument => ({
  type: 'AttachFundingDocument',
  data: { antennaId: 'montbeliard', subject, ...file, fileName: 'convention-signee.pdf', effectiveDate },
  context: { antenna },
});

describe('Attaching a document to an agreement, a release or a receipt (funding stream)', () => {
  it('rule: the signed agreement, a tranche’s release and its receipt each take a document', () => {
    for (const subject of [
      { kind: 'funding-agreement', agreementId: 'bdt-amorcage' },
      { kind: 'tranche-release', agreementId: 'bdt-amorcage', trancheId: 't1' },
      { kind: 'tranche-receipt', agreementId: 'bdt-amorcage', trancheId: 't1' },
    ] as const) {
      const command = attachToFunding(subject);
      funding.given([committed, released, received]).when(command).then([{ type: 'DocumentAttached', data: command.data }]);
    }
  });

  it('rule: the subject must exist: an unknown agreement, an unknown tranche, a release or receipt not recorded', () => {
    funding.given([]).when(attachToFunding({ kind: 'funding-agreement', agreementId: 'bdt-amorcage' })).thenThrows('FUNDING.NOT_FOUND', 'not-found');
    funding.given([committed]).when(attachToFunding({ kind: 'tranche-release', agreementId: 'bdt-amorcage', trancheId: 't9' })).thenThrows('TRANCHE.NOT_FOUND');
    funding.given([committed]).when(attachToFunding({ kind: 'tranche-release', agreementId: 'bdt-amorcage', trancheId: 't1' })).thenThrows('DOCUMENT.SUBJECT_NOT_FOUND');
    funding.given([committed, released]).when(attachToFunding({ kind: 'tranche-receipt', agreementId: 'bdt-amorcage', trancheId: 't1' })).thenThrows('DOCUMENT.SUBJECT_NOT_FOUND');
  });

  it('rule: a document is not attached before the fact it proves (here, the receipt of 18/10/2021)', () => {
    funding.given([committed, released, received]).when(attachToFunding({ kind: 'tranche-receipt', agreementId: 'bdt-amorcage', trancheId: 't1' }, '2021-10-17')).thenThrows('DOCUMENT.ATTACHED_BEFORE_SUBJECT');
  });

  it('rule: a closed agreement still takes documents (the evidence outlives the payments)', () => {
    const closed = { type: 'FundingAgreementClosed' as const, data: { agreementId: 'bdt-amorcage', antennaId: 'montbeliard', effectiveDate: '2021-11-01' } };
    const command = attachToFunding({ kind: 'funding-agreement', agreementId: 'bdt-amorcage' });
    funding.given([committed, closed]).when(command).then([{ type: 'DocumentAttached', data: command.data }]);
  });
});
