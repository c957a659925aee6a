import { formatDate, formatKnownAt } from '../format/french';

/**
 * Why a report on one antenna has nothing to show: its read model does not know the antenna, at the
 * report's cut if it has one. ONE message for every report (budget, phases, funding, statement,
 * history…), so that a controller asking two of them about the same antenna at the same cut reads
 * the same thing. At a cut, the antenna may well exist today: the message says what the cut saw
 * (no opening recorded at that date, or known at that instant), never that it was never opened.
 */
export function unknownAntennaMessage(antennaId: string, cut: { readonly asOf?: string | undefined; readonly knownAt?: string | undefined } = {}): string {
  const unknown = `Antenne inconnue : « ${antennaId} ».`;
  if (cut.knownAt !== undefined) {
    const asOf = cut.asOf === undefined ? '' : ` à la date du ${formatDate(cut.asOf)}`;
    return `${unknown} Connu au ${formatKnownAt(cut.knownAt)}, aucune ouverture de cette antenne n’était enregistrée${asOf}.`;
  }
  if (cut.asOf !== undefined) return `${unknown} Aucune ouverture de cette antenne n’est enregistrée à la date du ${formatDate(cut.asOf)}.`;
  return `${unknown} Aucune antenne portant cet identifiant n’a été ouverte.`;
}
