import { systemClock } from '@jalon/application';
import { JalonConfig, SEAL_STREAM_ID, verifyAndSeal } from '@jalon/core';
import { IntegrityError, sealEventFromText, sealOfSize, type EventStore, type StoredEvent } from '@jalon/event-store';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { verificationLines } from './integrity-output';

/** The latest seal, after verifying the log and sealing what is not covered yet. */
export async function sealedLatest(store: EventStore, config: JalonConfig, say: (line: string) => void): Promise<StoredEvent> {
  const outcome = await verifyAndSeal(store, config, systemClock);
  if (outcome.createdKey) say(`Clé de scellement créée ; clé publique : ${outcome.key.publicKey}`);
  if (!outcome.report.ok) {
    for (const line of verificationLines(outcome.report, config.timeZone)) say(line);
    throw new IntegrityError('INTEGRITY.LOG_NOT_VERIFIED', 'le journal ne se vérifie pas : aucune preuve n’est produite sur un journal altéré');
  }
  if (outcome.sealed) say(`Journal scellé : position ${outcome.sealed.position}.`);
  if (!outcome.latest) throw new IntegrityError('INTEGRITY.NO_SEAL', `journal vide : aucun sceau dans ${SEAL_STREAM_ID}`);
  return outcome.latest;
}

/** `--from-seal`: a tree size (a seal of this log) or a file holding a seal event. */
export async function findSeal(store: EventStore, value: string): Promise<StoredEvent> {
  if (/^\d+$/.test(value) && !existsSync(value)) {
    const seal = await sealOfSize(store, SEAL_STREAM_ID, Number(value));
    if (!seal) throw new IntegrityError('INTEGRITY.SEAL_NOT_FOUND', `aucun sceau de ${value} événement(s) dans le journal (voir jalon events ${SEAL_STREAM_ID})`);
    return seal;
  }
  if (!existsSync(value)) throw new IntegrityError('INTEGRITY.SEAL_NOT_FOUND', `${value} n’est ni une taille de sceau ni un fichier`);
  if (statSync(value).isDirectory()) throw new IntegrityError('INTEGRITY.SEAL_NOT_FOUND', `${value} est un dossier, pas un fichier de sceau`);
  const seal = sealEventFromText(readFileSync(value, 'utf8'));
  if (!seal) throw new IntegrityError('INTEGRITY.SEAL_NOT_FOUND', `le fichier ${value} ne contient pas de sceau (événement LogSealed)`);
  return { ...seal, position: /^\d+$/.test(String(seal.position)) ? BigInt(seal.position) : 0n };
}
