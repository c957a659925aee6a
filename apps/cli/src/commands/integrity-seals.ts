import { systemClock } from '@jalon/application';
import { embeddedStoreFile, JalonConfig, openEventStore, readCopyOf, SEAL_STREAM_ID, verifyAndSeal, verifyStore } from '@jalon/core';
import { cannotWriteBeside, IntegrityError, latestSeal, sealEventFromText, sealOfSize, type EventStore, type LogVerificationReport, type StoredEvent } from '@jalon/event-store';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { verificationLines } from './integrity-output';

/** The latest seal, after verifying the log and sealing what is not covered yet. */
export async function sealedLatest(store: EventStore, config: JalonConfig, say: (line: string) => void): Promise<StoredEvent> {
  const outcome = await verifyAndSeal(store, config, systemClock);
  if (outcome.createdKey) say(`Clé de scellement créée ; clé publique : ${outcome.key.publicKey}`);
  refuseUnverified(outcome.report, config, say);
  if (outcome.sealed) say(`Journal scellé : position ${outcome.sealed.position}.`);
  if (!outcome.latest) throw new IntegrityError('INTEGRITY.NO_SEAL', `journal vide : aucun sceau dans ${SEAL_STREAM_ID}`);
  return outcome.latest;
}

/**
 * `--latest-seal`: the latest seal already in the log, after verifying the log as `jalon verify`
 * does, sealing nothing and needing no key (a backup, a read-only medium). The events recorded
 * after that seal are not proved, and are said to be left out.
 */
export async function verifiedLatestSeal(store: EventStore, config: JalonConfig, say: (line: string) => void): Promise<StoredEvent> {
  const report = await verifyStore(store, config);
  refuseUnverified(report, config, say);
  const latest = await latestSeal(store, SEAL_STREAM_ID);
  if (!latest) throw new IntegrityError('INTEGRITY.NO_SEAL', `aucun sceau dans ${SEAL_STREAM_ID} : rien ne peut être prouvé sans sceau (jalon seal, sur le journal d’origine)`);
  const after = report.eventsAfterLastSeal;
  say(`Sceau utilisé : le dernier du journal, position ${latest.position}${after > 0 ? ` ; ${after} événement(s) enregistré(s) après lui n’y figure(nt) pas` : ''}.`);
  return latest;
}

/**
 * The store a proof is made from (`export-audit`, `prove-extends`): under `--latest-seal` only read
 * (docs/decisions/0052), with the notice of a copy when it is read from one; otherwise opened to
 * seal, and when that fails on a medium that cannot be written, the refusal names `--latest-seal`.
 */
export async function storeForProof(config: JalonConfig, latestSealOnly: boolean): Promise<EventStore> {
  if (latestSealOnly) return storeToRead(config, 'lu');
  return openEventStore(config, { existing: true }).catch((error: unknown) => {
    if (config.eventStore === 'sqlite' && cannotWriteBeside(embeddedStoreFile(config))) {
      console.error('Une sauvegarde qu’on ne peut pas modifier se prouve sous son dernier sceau, sans rien y écrire : ajoutez --latest-seal.');
    }
    throw error;
  });
}

/**
 * The store opened only to be read (`verify`, `events`, a proof under the latest seal), as it is on
 * a backup too: when it is read from a copy (a read-only medium), stderr says where (`what`: « lu »,
 * « vérifié »), and that the copy is removed at the end.
 */
export async function storeToRead(config: JalonConfig, what: string): Promise<EventStore> {
  const store = await openEventStore(config, { existing: true, readOnly: true });
  const copy = readCopyOf(store);
  if (copy !== undefined) console.error(`Support en lecture seule : le journal est ${what} sur une copie, ${copy}, supprimée à la fin.`);
  return store;
}

/** The seal a proof is made under: the latest already in the log (`--latest-seal`), or the log sealed now. */
export function sealForProof(store: EventStore, config: JalonConfig, latestSealOnly: boolean, say: (line: string) => void): Promise<StoredEvent> {
  return latestSealOnly ? verifiedLatestSeal(store, config, say) : sealedLatest(store, config, say);
}

/** A log that does not verify is never sealed, exported or proved over: its problems are said, then it is refused. */
function refuseUnverified(report: LogVerificationReport, config: JalonConfig, say: (line: string) => void): void {
  if (report.ok) return;
  for (const line of verificationLines(report, config.timeZone)) say(line);
  throw new IntegrityError('INTEGRITY.LOG_NOT_VERIFIED', 'le journal ne se vérifie pas : aucune preuve n’est produite sur un journal altéré');
}

/** `--from-seal`: a tree size (a seal of this log) or a file holding a seal event. */
export async function findSeal(store: EventStore, value: string): Promise<StoredEvent> {
  if (/^\d+$/.test(value) && !existsSync(value)) {
    const seal = await sealOfSize(store, SEAL_STREAM_ID, Number(value));
    if (!seal) throw new IntegrityError('INTEGRITY.SEAL_NOT_FOUND', `aucun sceau de ${value} événement(s) dans le journal (voir jalon events ${SEAL_STREAM_ID})`);
    return seal;
  }
  if (!existsSync(value)) throw new IntegrityError('INTEGRITY.SEAL_NOT_FOUND', `${value} n’est ni une taille de sceau ni un fichier`);
  return sealInFile(value);
}

/** A file holding a seal event (an audit export, a consistency proof, `events integrity-seals --json`): `--from-seal FILE`, with a log or offline. */
export function sealInFile(path: string): StoredEvent {
  if (!existsSync(path)) throw new IntegrityError('INTEGRITY.SEAL_NOT_FOUND', `le fichier ${path} n’existe pas`);
  if (statSync(path).isDirectory()) throw new IntegrityError('INTEGRITY.SEAL_NOT_FOUND', `${path} est un dossier, pas un fichier de sceau`);
  const seal = sealEventFromText(readFileSync(path, 'utf8'));
  if (!seal) throw new IntegrityError('INTEGRITY.SEAL_NOT_FOUND', `le fichier ${path} ne contient pas de sceau (événement LogSealed)`);
  return { ...seal, position: /^\d+$/.test(String(seal.position)) ? BigInt(seal.position) : 0n };
}
