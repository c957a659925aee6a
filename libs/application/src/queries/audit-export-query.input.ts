import { IsOptional } from 'class-validator';
import { QueryParameter } from '../validation/query-parameters';
import { IsSlug } from '../validation/text.decorators';

/**
 * What the verifiable audit export (docs/decisions/0011) is asked for: the one declaration the API
 * (`GET /api/audit-export?antenna=`), the dashboard and `jalon export-audit --antenna` judge it by.
 * Without an antenna, the whole programme.
 */
export class AuditExportQueryInput {
  @QueryParameter({ name: 'antenna', description: 'identifiant de l’antenne (défaut : tout le programme, hors utilisateurs)' })
  @IsOptional()
  @IsSlug()
  antennaId?: string;
}
