import {
  BUDGET_DOCUMENT_SUBJECT_KINDS,
  budgetDecider,
  BudgetDocumentSubject,
  FUNDING_DOCUMENT_SUBJECT_KINDS,
  fundingDecider,
  FundingDocumentSubject,
  streamIdOf,
} from '@jalon/domain';
import { DOCUMENT_MEDIA_TYPE_LIST } from '@jalon/event-store';
import { IsIn, IsInt, Matches, Max, Min, ValidateIf } from 'class-validator';
import { defineCommand } from '../command-handling/command-definition';
import { BUDGET_WRITERS, FINANCE_WRITERS } from '../identity/roles';
import { NestedObject } from '../validation/nested.decorators';
import { IsIsoDate, IsSlug, IsText } from '../validation/text.decorators';
import { loadAntennaContext } from './antenna-context';

/** The largest document the command accepts (the document store's configured limit is lower or equal). */
const MAX_DOCUMENT_BYTES = 1024 * 1024 * 1024;

/** A tranche's release or receipt, or the agreement itself: `trancheId` is there for the first two only. */
export class FundingDocumentSubjectInput {
  @IsIn(FUNDING_DOCUMENT_SUBJECT_KINDS)
  kind!: FundingDocumentSubject['kind'];
  @IsSlug()
  agreementId!: string;
  @ValidateIf((subject: FundingDocumentSubjectInput) => subject.kind !== 'funding-agreement' || subject.trancheId !== undefined)
  @IsSlug()
  trancheId?: string;
}

/** An expenditure (`expenditureId`) or a revision of the forecast (`revision`, 1 for the first). */
export class BudgetDocumentSubjectInput {
  @IsIn(BUDGET_DOCUMENT_SUBJECT_KINDS)
  kind!: BudgetDocumentSubject['kind'];
  @ValidateIf((subject: BudgetDocumentSubjectInput) => subject.kind === 'expenditure' || subject.expenditureId !== undefined)
  @IsSlug()
  expenditureId?: string;
  @ValidateIf((subject: BudgetDocumentSubjectInput) => subject.kind === 'budget-revision' || subject.revision !== undefined)
  @IsInt()
  @Min(1)
  @Max(10_000)
  revision?: number;
}

/** What every attachment says of its file, which the document store holds, or the upload it comes with (stored once the command is accepted). */
class DocumentFileInput {
  @IsSlug()
  antennaId!: string;
  /** SHA-256 of the stored bytes, 64 lower-case hex digits. */
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 doit être une empreinte SHA-256 : 64 chiffres hexadécimaux en minuscules' })
  sha256!: string;
  /** The file's name, without directory; its extension agrees with its content. */
  @IsText(255)
  @Matches(/^[^/\\]+\.[A-Za-z0-9]{1,10}$/, { message: 'fileName doit être un nom de fichier sans dossier, avec son extension (ex. facture-2023-014.pdf)' })
  fileName!: string;
  @IsInt()
  @Min(1)
  @Max(MAX_DOCUMENT_BYTES)
  sizeBytes!: number;
  @IsIn(DOCUMENT_MEDIA_TYPE_LIST)
  mediaType!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class AttachFundingDocumentInput extends DocumentFileInput {
  @NestedObject(() => FundingDocumentSubjectInput)
  subject!: FundingDocumentSubjectInput;
}

export class AttachBudgetDocumentInput extends DocumentFileInput {
  @NestedObject(() => BudgetDocumentSubjectInput)
  subject!: BudgetDocumentSubjectInput;
}

/** The subject with exactly the fields of its kind. */
function fundingSubjectOf(subject: FundingDocumentSubjectInput): FundingDocumentSubject {
  return subject.kind === 'funding-agreement'
    ? { kind: subject.kind, agreementId: subject.agreementId }
    : { kind: subject.kind, agreementId: subject.agreementId, trancheId: subject.trancheId! };
}

function budgetSubjectOf(subject: BudgetDocumentSubjectInput): BudgetDocumentSubject {
  return subject.kind === 'expenditure' ? { kind: subject.kind, expenditureId: subject.expenditureId! } : { kind: subject.kind, revision: subject.revision! };
}

/** The names of the two commands, by the kind of subject: what an upload runs. */
export function attachCommandFor(kind: string): 'AttachFundingDocument' | 'AttachBudgetDocument' | undefined {
  if ((FUNDING_DOCUMENT_SUBJECT_KINDS as readonly string[]).includes(kind)) return 'AttachFundingDocument';
  if ((BUDGET_DOCUMENT_SUBJECT_KINDS as readonly string[]).includes(kind)) return 'AttachBudgetDocument';
  return undefined;
}

export const ATTACH_DOCUMENT_COMMANDS = ['AttachFundingDocument', 'AttachBudgetDocument'] as const;

/**
 * A document is attached on the stream of the fact it proves (docs/decisions/0017): an agreement
 * and its tranches on the agreement's funding stream (finance), an expenditure or a budget
 * revision on the antenna's budget stream (the budget's writers). Two commands, one per stream and
 * its decider, one event `DocumentAttached`.
 */
export const documentCommands = [
  defineCommand({
    name: 'AttachFundingDocument',
    summary: 'Joindre un justificatif déjà déposé à une convention de financement, au versement ou à la réception d’une tranche',
    input: AttachFundingDocumentInput,
    roles: FINANCE_WRITERS,
    decider: fundingDecider,
    streamId: (input) => streamIdOf('funding', input.subject.agreementId),
    loadContext: loadAntennaContext,
    toCommand: (input, context) => ({
      type: 'AttachFundingDocument' as const,
      data: { ...input, subject: fundingSubjectOf(input.subject) },
      context,
    }),
  }),
  defineCommand({
    name: 'AttachBudgetDocument',
    summary: 'Joindre un justificatif déjà déposé à une dépense ou à une révision du budget d’une antenne',
    input: AttachBudgetDocumentInput,
    roles: BUDGET_WRITERS,
    decider: budgetDecider,
    streamId: (input) => streamIdOf('budget', input.antennaId),
    loadContext: loadAntennaContext,
    toCommand: (input, context) => ({
      type: 'AttachBudgetDocument' as const,
      data: { ...input, subject: budgetSubjectOf(input.subject) },
      context,
    }),
  }),
];
