import { AUDITED_EVENT_TYPES, REPORT_KINDS, ReportKind } from '@jalon/reporting';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { QueryParameter } from '../validation/query-parameters';
import { IsInstant, IsIsoDate, IsSlug } from '../validation/text.decorators';

/**
 * A report's query: the one declaration of what the CLI, the dashboard and the API may ask
 * (`ReportService.build`). Each field the API takes from the query string says so with
 * `QueryParameter` (its name there when it differs, its French description for the API document);
 * `kind` is in the API's path.
 */
export class ReportQueryInput {
  @IsIn(REPORT_KINDS)
  kind!: ReportKind;

  @QueryParameter({ name: 'antenna', description: 'identifiant de l’antenne (ex. montbeliard)' })
  @IsOptional()
  @IsSlug()
  antennaId?: string;

  /** Effective-date cut: what had happened by the end of this day. */
  @QueryParameter({ description: 'date d’effet AAAA-MM-JJ : ce qui s’était passé à cette date' })
  @IsOptional()
  @IsIsoDate()
  asOf?: string;

  /** Recorded-time cut: what the system knew at this instant. */
  @QueryParameter({ description: 'instant ISO 8601 : ce que le système savait alors' })
  @IsOptional()
  @IsInstant()
  knownAt?: string;

  /** Funding: days after a release when a missing receipt is flagged. */
  @QueryParameter({ description: 'financement : jours après un versement au-delà desquels une réception manquante est signalée' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  receiptDelayDays?: number;

  /** Échéancier: tranches falling due within this many days are listed. */
  @QueryParameter({ description: 'échéancier : tranches à échoir dans ce nombre de jours (30 par défaut)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  withinDays?: number;

  /** État récapitulatif des dépenses: the funding agreement (may be left out when the antenna has one). */
  @QueryParameter({
    name: 'agreement',
    description: 'état récapitulatif des dépenses (etat-depenses) : la convention de financement, facultative si l’antenne n’en a qu’une',
  })
  @IsOptional()
  @IsSlug()
  agreementId?: string;

  /** État récapitulatif des dépenses: first day of the period. */
  @QueryParameter({ description: 'état récapitulatif des dépenses : premier jour de la période (AAAA-MM-JJ)' })
  @IsOptional()
  @IsIsoDate()
  periodFrom?: string;

  /** État récapitulatif des dépenses: last day of the period. */
  @QueryParameter({ description: 'état récapitulatif des dépenses : dernier jour de la période (AAAA-MM-JJ)' })
  @IsOptional()
  @IsIsoDate()
  periodTo?: string;

  /** History: effective dates from this day… */
  @QueryParameter({ description: 'historique : dates d’effet à partir de ce jour (AAAA-MM-JJ)' })
  @IsOptional()
  @IsIsoDate()
  from?: string;

  /** History: …to this day, both included (not before `from`: checked by the report service). */
  @QueryParameter({ description: 'historique : dates d’effet jusqu’à ce jour inclus (AAAA-MM-JJ)' })
  @IsOptional()
  @IsIsoDate()
  to?: string;

  /** History: the id of who recorded the facts. */
  @QueryParameter({ description: 'historique : identifiant de la personne qui a enregistré les faits' })
  @IsOptional()
  @IsSlug()
  actor?: string;

  /** History: one kind of fact (an audited event type, e.g. BudgetTrancheReleased). */
  @QueryParameter({ description: 'historique : un type d’événement' })
  @IsOptional()
  @IsIn(AUDITED_EVENT_TYPES)
  eventType?: string;

  /** History: the page (1-based) of `pageSize` entries; without page nor pageSize, every entry. */
  @QueryParameter({ description: 'historique : la page (1 pour la première), de pageSize événements' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @QueryParameter({ description: 'historique : événements par page (50 par défaut si page est donnée, 500 au plus)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;

  /** History: `asc` (log order, the default) or `desc` (the most recent first). */
  @QueryParameter({ description: 'historique : asc (ordre d’enregistrement, par défaut) ou desc (du plus récent au plus ancien)' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}
