import { antennaDecider, fundingDecider, streamIdOf } from '@jalon/domain';
import { IsBoolean, IsOptional } from 'class-validator';
import { defineCommand } from '../command-handling/command-definition';
import { FINANCE_WRITERS } from '../identity/roles';
import { NestedList, NestedObject } from '../validation/nested.decorators';
import { IsAidNature, IsCents, IsIsoDate, IsNotFormula, IsParagraph, IsRna, IsSiret, IsSlug, IsText } from '../validation/text.decorators';
import { loadAgreementContext, loadAntennaContext, loadCommitmentContext, loadLatestBudgetFactOn } from './antenna-context';

/** One planned payment of a funding agreement. */
export class FundingTrancheInput {
  @IsSlug()
  trancheId!: string;
  @IsOptional()
  @IsText(200)
  label?: string;
  /** Integer euro cents. */
  @IsCents()
  amountCents!: number;
  /** A plan: may lie in the future. */
  @IsIsoDate()
  dueOn!: string;
  @IsOptional()
  @IsParagraph(1000)
  conditions?: string;
}

/**
 * What the national open-data format of grant agreements (SCDL « subventions ») needs of an
 * agreement that Jalon cannot derive (docs/decisions/0014-scdl-subventions.md). Its texts are
 * published as typed (the format forbids altering them on export): none may start as a formula.
 */
export class FundingPublicDataInput {
  /** `nomAttribuant` when the funder's official name differs from `funder` (e.g. the Caisse des dépôts for the Banque des Territoires). */
  @IsOptional()
  @IsText(200)
  @IsNotFormula()
  funderLegalName?: string;
  /** `idAttribuant`. */
  @IsSiret()
  funderSiret!: string;
  /** `dateConvention` when the agreement was signed on another day than its commitment. */
  @IsOptional()
  @IsIsoDate()
  agreementDate?: string;
  /** `referenceDecision`: the award decision's internal reference. */
  @IsText(200)
  @IsNotFormula()
  decisionReference!: string;
  /** `nomBeneficiaire`: the body that receives the money for the antenna. */
  @IsText(200)
  @IsNotFormula()
  beneficiaryName!: string;
  /** `idBeneficiaire`; may be left out only for an in-kind grant to an association given by its RNA number. */
  @IsOptional()
  @IsSiret()
  beneficiarySiret?: string;
  /** `rnaBeneficiaire`. */
  @IsOptional()
  @IsRna()
  beneficiaryRna?: string;
  /** `objet`, 256 characters at most. */
  @IsText(256)
  @IsNotFormula()
  object!: string;
  @IsAidNature()
  nature!: 'aide en numéraire' | 'aide en nature' | 'aide en numéraire;aide en nature' | 'aide en nature;aide en numéraire';
  /** `notificationUE`. */
  @IsBoolean({ message: 'euNotified doit valoir true ou false : l’aide a-t-elle été notifiée à la Commission européenne ?' })
  euNotified!: boolean;
  /** `idRAE`, 4 characters at most. */
  @IsOptional()
  @IsText(4)
  @IsNotFormula()
  raeId?: string;
  /** `dispositifAide`. */
  @IsOptional()
  @IsText(200)
  @IsNotFormula()
  aidScheme?: string;
}

export class RecordFundingPublicDataInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  agreementId!: string;
  @NestedObject(() => FundingPublicDataInput)
  publicData!: FundingPublicDataInput;
  @IsIsoDate()
  effectiveDate!: string;
}

export class CommitFundingInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  agreementId!: string;
  /** `nomAttribuant` of the open data when no `publicData.funderLegalName` is given. */
  @IsText(200)
  @IsNotFormula()
  funder!: string;
  @IsText(300)
  label!: string;
  @IsCents()
  amountCents!: number;
  @NestedList(() => FundingTrancheInput, { min: 1, max: 100 })
  tranches!: FundingTrancheInput[];
  /** Optional: may be recorded later (RecordFundingPublicData). */
  @NestedObject(() => FundingPublicDataInput, { optional: true })
  publicData?: FundingPublicDataInput;
  @IsIsoDate()
  effectiveDate!: string;
}

export class ReleaseTrancheInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  agreementId!: string;
  @IsSlug()
  trancheId!: string;
  /** Defaults to the tranche's scheduled amount. */
  @IsOptional()
  @IsCents()
  amountCents?: number;
  @IsIsoDate()
  effectiveDate!: string;
}

export class RecordTrancheReceiptInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  agreementId!: string;
  @IsSlug()
  trancheId!: string;
  /** What arrived, which may differ from what was released. */
  @IsCents()
  amountCents!: number;
  @IsText(200)
  bankReference!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class ReverseTrancheReleaseInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  agreementId!: string;
  @IsSlug()
  trancheId!: string;
  @IsParagraph(1000)
  reason!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class CloseFundingAgreementInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  agreementId!: string;
  @IsOptional()
  @IsParagraph(1000)
  reason?: string;
  @IsIsoDate()
  effectiveDate!: string;
}

const fundingStream = (input: { agreementId: string }) => streamIdOf('funding', input.agreementId);

/**
 * The first step of committing a funding agreement (see `runCommand`): the antenna lists the
 * agreement on its own stream, with its expected revision, so that its closing follows the
 * agreement's facts (docs/decisions/0060-an-antenna-knows-its-agreements.md). Not in the
 * catalogue: it only ever runs as part of CommitFunding, with the same input, roles and validation.
 */
export const attachFundingAgreement = defineCommand({
  name: 'AttachFundingAgreement',
  summary: 'Rattacher une convention de financement à son antenne (première étape de son engagement)',
  input: CommitFundingInput,
  roles: FINANCE_WRITERS,
  decider: antennaDecider,
  streamId: (input) => streamIdOf('antenna', input.antennaId),
  loadContext: loadAgreementContext,
  toCommand: (input, context) => ({ type: 'AttachFundingAgreement' as const, data: input, context }),
});

export const fundingCommands = [
  defineCommand({
    name: 'CommitFunding',
    // Run through `runCommand`, which attaches the agreement to its antenna first: on its own, this
    // step refuses a commitment its antenna has not attached (FUNDING.COMMITMENT_NOT_CLAIMED).
    summary: 'Enregistrer l’engagement d’un financeur envers une antenne, avec son échéancier de tranches',
    input: CommitFundingInput,
    roles: FINANCE_WRITERS,
    decider: fundingDecider,
    streamId: fundingStream,
    loadContext: loadCommitmentContext,
    toCommand: (input, context) => ({ type: 'CommitFunding' as const, data: input, context }),
  }),
  defineCommand({
    name: 'RecordFundingPublicData',
    summary: 'Enregistrer ou corriger les données publiques d’une convention (format national des subventions : SIRET, décision, objet, nature…)',
    input: RecordFundingPublicDataInput,
    roles: FINANCE_WRITERS,
    decider: fundingDecider,
    streamId: fundingStream,
    loadContext: loadAntennaContext,
    toCommand: (input, context) => ({ type: 'RecordFundingPublicData' as const, data: input, context }),
  }),
  defineCommand({
    name: 'ReleaseTranche',
    summary: 'Enregistrer le versement d’une tranche par le financeur',
    input: ReleaseTrancheInput,
    roles: FINANCE_WRITERS,
    decider: fundingDecider,
    streamId: fundingStream,
    loadContext: loadAntennaContext,
    toCommand: (input, context) => ({ type: 'ReleaseTranche' as const, data: input, context }),
  }),
  defineCommand({
    name: 'RecordTrancheReceipt',
    summary: 'Constater la réception d’une tranche sur le compte de l’antenne',
    input: RecordTrancheReceiptInput,
    roles: FINANCE_WRITERS,
    decider: fundingDecider,
    streamId: fundingStream,
    loadContext: loadAntennaContext,
    toCommand: (input, context) => ({ type: 'RecordTrancheReceipt' as const, data: input, context }),
  }),
  defineCommand({
    name: 'ReverseTrancheRelease',
    summary: 'Annuler le versement d’une tranche non encore reçue (avec un motif)',
    input: ReverseTrancheReleaseInput,
    roles: FINANCE_WRITERS,
    decider: fundingDecider,
    streamId: fundingStream,
    loadContext: loadAntennaContext,
    toCommand: (input, context) => ({ type: 'ReverseTrancheRelease' as const, data: input, context }),
  }),
  defineCommand({
    name: 'CloseFundingAgreement',
    summary: 'Clore une convention de financement',
    input: CloseFundingAgreementInput,
    roles: FINANCE_WRITERS,
    decider: fundingDecider,
    streamId: fundingStream,
    loadContext: async (input, loader) => {
      const latestChargedExpenditureOn = await loadLatestBudgetFactOn(input.antennaId, loader, input.agreementId);
      return { ...(await loadAntennaContext(input, loader)), ...(latestChargedExpenditureOn === undefined ? {} : { latestChargedExpenditureOn }) };
    },
    toCommand: (input, context) => ({ type: 'CloseFundingAgreement' as const, data: input, context }),
  }),
];
