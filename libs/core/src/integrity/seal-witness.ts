import { frenchInstant, writeWholeContent, type EventStore, type LogSealedData, type StoredEvent } from '@jalon/event-store';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JalonConfig } from '../config';

/**
 * The last seal written from this data directory, kept beside the store (docs/decisions/0056): a
 * log whose seals were removed, or rewritten and sealed again from scratch, verified « intact » by
 * itself; against this record it does not. Whoever can write the directory can remove it too: it
 * makes the removal of seals a deliberate act on two files instead of one row, and what only a seal
 * kept elsewhere proves (`prove-extends --from-seal`) stays so.
 */
export interface SealWitness {
  readonly format: typeof WITNESS_FORMAT;
  readonly streamId: string;
  readonly revision: number;
  readonly id: string;
  readonly position: string;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly sealedAt: string;
  readonly keyId: string;
}

const WITNESS_FORMAT = 'jalon-last-seal';

export function sealWitnessFile(config: Pick<JalonConfig, 'dataDir'>): string {
  return join(config.dataDir, 'last-seal.json');
}

/** Keeps `seal` as the last one written; undefined when kept (or a later one is), otherwise why not (in French: the seal itself stands). */
export async function recordSealWitness(config: Pick<JalonConfig, 'dataDir'>, seal: StoredEvent): Promise<string | undefined> {
  const data = seal.data as unknown as LogSealedData;
  const witness: SealWitness = {
    format: WITNESS_FORMAT,
    streamId: seal.streamId,
    revision: seal.revision,
    id: seal.id,
    position: seal.position.toString(),
    treeSize: data.treeSize,
    rootHash: data.rootHash,
    sealedAt: data.sealedAt,
    keyId: data.keyId,
  };
  const file = sealWitnessFile(config);
  // Never back: another process sealing the same log (jalon seal beside the service) may have
  // recorded a later seal meanwhile.
  const recorded = recordedWitness(file, seal.streamId);
  if (recorded !== undefined && recorded.revision > witness.revision) return undefined;
  try {
    // Whole or not at all, and on the disk before it is renamed: a cut or empty record would be read as a removed seal.
    await writeWholeContent(file, `${JSON.stringify(witness, null, 2)}\n`);
    return undefined;
  } catch (error) {
    return `le relevé du dernier sceau n’a pas pu être écrit (${(error as Error).message})`;
  }
}

/**
 * The last seal written from this directory, if it is no longer in the log as it was: one French
 * message (none when there is no record, or the seal is there). A record that cannot be read is a
 * message too: it is never taken as « no record ».
 */
export async function removedSeals(config: Pick<JalonConfig, 'dataDir'>, store: EventStore, sealStreamId: string): Promise<string[]> {
  const file = sealWitnessFile(config);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    return [`Le relevé du dernier sceau posé (${file}) ne peut pas être lu (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}) : le journal n’a pas pu être comparé à ce sceau.`];
  }
  const witness = witnessOf(text, sealStreamId);
  if (!witness) return [`Le relevé du dernier sceau posé (${file}) n’est pas un relevé de sceau de Jalon : le journal n’a pas pu être comparé à ce sceau.`];
  let found: StoredEvent | undefined;
  for await (const event of store.readStream(witness.streamId, { fromRevision: witness.revision, maxCount: 1 })) found = event;
  const data = found?.data as Partial<LogSealedData> | undefined;
  if (found && found.id === witness.id && data?.rootHash === witness.rootHash && data.treeSize === witness.treeSize) return [];
  const which = `Le sceau du ${frenchInstant(witness.sealedAt)} (${witness.treeSize} événements, position ${witness.position}), le dernier posé depuis ce dossier de données`;
  const what = found ? 'a été remplacé par un autre dans le journal' : 'n’est plus dans le journal';
  return [
    `${which}, ${what} : des sceaux, ou des événements scellés, ont été retirés. ` +
      `Si une sauvegarde plus ancienne a été restaurée sciemment, comparez-la à un sceau conservé ailleurs (jalon prove-extends --from-seal) puis supprimez ${file}.`,
  ];
}

/** The record in `file` when there is a readable one (what cannot be read is for the verification to say). */
function recordedWitness(file: string, sealStreamId: string): SealWitness | undefined {
  try {
    return witnessOf(readFileSync(file, 'utf8'), sealStreamId);
  } catch {
    return undefined;
  }
}

function witnessOf(text: string, sealStreamId: string): SealWitness | undefined {
  try {
    const value = JSON.parse(text) as Partial<SealWitness> | null;
    if (
      value?.format === WITNESS_FORMAT &&
      value.streamId === sealStreamId &&
      Number.isSafeInteger(value.revision) &&
      value.revision! >= 0 &&
      typeof value.id === 'string' &&
      typeof value.position === 'string' &&
      Number.isSafeInteger(value.treeSize) &&
      typeof value.rootHash === 'string' &&
      typeof value.sealedAt === 'string' &&
      !Number.isNaN(Date.parse(value.sealedAt)) &&
      typeof value.keyId === 'string'
    ) {
      return value as SealWitness;
    }
  } catch {
    // Not JSON: said as not a record.
  }
  return undefined;
}
