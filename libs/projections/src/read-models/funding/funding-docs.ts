import { ReadModels, UnknownAntennaError } from '../budget/report-helpers';
import { AntennaFundingDoc, FUNDING_KEY_PREFIX, fundingAntennaKey, fundingProjection } from './funding.projection';

/**
 * The funding documents a report covers: one antenna's (refused when unknown, the refusal naming
 * `cut`, the report's asOf / knownAt), or every antenna's.
 */
export function fundingDocsOf(models: ReadModels, antennaId: string | undefined, cut: { readonly asOf?: string; readonly knownAt?: string } = {}): AntennaFundingDoc[] {
  const view = models.view<AntennaFundingDoc>(fundingProjection.name);
  if (antennaId === undefined) return view.list(FUNDING_KEY_PREFIX);
  const doc = view.get(fundingAntennaKey(antennaId));
  if (doc === undefined) throw new UnknownAntennaError(antennaId, cut);
  return [doc];
}
