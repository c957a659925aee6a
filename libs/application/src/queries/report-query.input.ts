import { AUDITED_EVENT_TYPES, REPORT_KINDS, ReportKind } from '@jalon/reporting';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsInstant, IsIsoDate, IsSlug } from '../validation/text.decorators';

export class ReportQueryInput {
  @IsIn(REPORT_KINDS)
  kind!: ReportKind;

  @IsOptional()
  @IsSlug()
  antennaId?: string;

  /** Effective-date cut: what had happened by the end of this day. */
  @IsOptional()
  @IsIsoDate()
  asOf?: string;

  /** Recorded-time cut: what the system knew at this instant. */
  @IsOptional()
  @IsInstant()
  knownAt?: string;

  /** Funding: days after a release when a missing receipt is flagged. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  receiptDelayDays?: number;

  /** Échéancier: tranches falling due within this many days are listed. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  withinDays?: number;

  /** État récapitulatif des dépenses: the funding agreement (may be left out when the antenna has one). */
  @IsOptional()
  @IsSlug()
  agreementId?: string;

  /** État récapitulatif des dépenses: first day of the period. */
  @IsOptional()
  @IsIsoDate()
  periodFrom?: string;

  /** État récapitulatif des dépenses: last day of the period. */
  @IsOptional()
  @IsIsoDate()
  periodTo?: string;

  /** History: effective dates from this day… */
  @IsOptional()
  @IsIsoDate()
  from?: string;

  /** History: …to this day, both included (not before `from`: checked by the report service). */
  @IsOptional()
  @IsIsoDate()
  to?: string;

  /** History: the id of who recorded the facts. */
  @IsOptional()
  @IsSlug()
  actor?: string;

  /** History: one kind of fact (an audited event type, e.g. BudgetTrancheReleased). */
  @IsOptional()
  @IsIn(AUDITED_EVENT_TYPES)
  eventType?: string;

  /** History: the page (1-based) of `pageSize` entries; without page nor pageSize, every entry. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;

  /** History: `asc` (log order, the default) or `desc` (the most recent first). */
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}
