import type { JalonConfig } from '@jalon/core';
import type { LogVerificationReport, SealSummary } from '@jalon/event-store';
import { formatFileSize, formatInteger, formatSeconds, formatTimestamp } from '@jalon/reporting';
import { existsSync, readFileSync } from 'node:fs';

/** The lines `jalon verify` (and `jalon seal`, when it refuses) prints: problems first, then the summary. */
export function verificationLines(report: LogVerificationReport, timeZone: string): string[] {
  const lines: string[] = [];
  if (report.ok) lines.push('Journal vérifié : intact.');
  else {
    lines.push(`Journal altéré : ${formatInteger(report.problemCount)} problème(s).`);
    for (const problem of report.problems) lines.push(`  ${problem.message}`);
    if (report.problemCount > report.problems.length) lines.push(`  … et ${formatInteger(report.problemCount - report.problems.length)} autre(s).`);
  }
  const positions = report.firstPosition === undefined ? '' : ` (positions ${report.firstPosition} à ${report.lastPosition})`;
  if (report.startedFromSeal) {
    lines.push(`  Vérifié à partir du sceau en position ${report.startedFromSeal.position} (${formatInteger(report.startedFromSeal.treeSize)} événement(s) couverts, non relus).`);
  }
  lines.push(`  ${formatInteger(report.events)} événement(s)${positions}, ${formatInteger(report.streams)} flux.`);
  lines.push(`  ${formatInteger(report.chained)} chaîné(s) (empreinte et empreinte précédente), ${formatInteger(report.beforeChain)} antérieur(s) à la chaîne d’empreintes.`);
  if (report.beforeChainPositions) {
    const covered = report.lastSeal !== undefined;
    lines.push(
      `  Antérieurs à la chaîne : positions ${report.beforeChainPositions.first} à ${report.beforeChainPositions.last} ; ils ne portent pas d’empreinte, ` +
        (covered ? 'les sceaux les couvrent tels qu’ils étaient au premier scellement.' : 'aucun sceau ne les couvre encore (jalon seal).'),
    );
  }
  if (report.unreadable > 0) lines.push(`  ${formatInteger(report.unreadable)} événement(s) illisible(s).`);
  if (report.documents !== undefined) lines.push(`  ${formatInteger(report.documents)} fichier(s) justificatif(s) relu(s) et comparé(s) à leur empreinte.`);
  lines.push(...unnamedFilesLines(report));
  lines.push(`  ${formatInteger(report.seals)} sceau(x) ; ${report.lastSeal ? `dernier : ${sealLine(report.lastSeal, timeZone)}` : 'aucun.'}`);
  if (report.eventsAfterLastSeal > 0) lines.push(`  ${formatInteger(report.eventsAfterLastSeal)} événement(s) après le dernier sceau (pas encore scellés).`);
  lines.push(`  Durée : ${formatSeconds(report.durationMs / 1000)}.`);
  return lines;
}

/** The files of the documents' directory no event names: not a fault of the log, but nothing stays unseen. */
function unnamedFilesLines(report: LogVerificationReport): string[] {
  const unnamed = report.unnamedFiles;
  if (unnamed === undefined) return [];
  if ('notListed' in unnamed) return [`  Le dossier des justificatifs n’a pas pu être parcouru pour y chercher des fichiers qu’aucun événement ne nomme : ${unnamed.notListed}.`];
  if (unnamed.count === 0) return [];
  const more = unnamed.count > unnamed.paths.length ? [`    … et ${formatInteger(unnamed.count - unnamed.paths.length)} autre(s).`] : [];
  return [
    `  ${formatInteger(unnamed.count)} fichier(s) du dossier des justificatifs (${formatFileSize(unnamed.bytes)}) ne sont nommés par aucun événement : ` +
      'un dépôt refusé ou interrompu après l’enregistrement de ses octets (ou en cours) les y a laissés, ou ils y ont été copiés à la main. ' +
      'Ils ne prouvent rien ; ils peuvent être retirés à la main, service arrêté :',
    ...unnamed.paths.map((path) => `    ${path}`),
    ...more,
  ];
}

export function sealLine(seal: SealSummary, timeZone: string): string {
  return `position ${seal.position}, ${formatInteger(seal.treeSize)} événement(s) couverts, scellé le ${formatTimestamp(seal.sealedAt, timeZone)} (clé ${seal.keyId.slice(0, 16)}…)`;
}

/** `--public-key`: a file holding the key (PEM), or the key itself (base64 SPKI DER, PEM text, or its id). */
export function publicKeyArgument(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return existsSync(value) ? readFileSync(value, 'utf8') : value;
}

/** JSON with bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item), 2);
}

/** Offline checks need no configuration; a bad JALON_TIMEZONE only falls back to Paris. */
export function safeTimeZone(config: () => JalonConfig): string {
  try {
    return config().timeZone;
  } catch {
    return 'Europe/Paris';
  }
}
