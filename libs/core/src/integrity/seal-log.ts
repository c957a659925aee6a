import { Clock } from '@jalon/application';
import {
  appendSeal,
  endChecks,
  DocumentStore,
  feedVerifier,
  latestSeal,
  loadOrCreateSealKey,
  readSealKey,
  LogVerifier,
  SealKey,
  verifyLog,
  type EventStore,
  type LogVerificationReport,
  type StoredEvent,
} from '@jalon/event-store';
import { documentsDirOf, JalonConfig } from '../config';
import { attachedDocumentFiles } from '../documents/attached-document-files';
import { sealKeyFile, sealWriterOptions, verificationOptions } from './integrity-settings';
import { recordSealWitness } from './seal-witness';

/** The service's key when its file exists (`jalon verify` never creates it); an unreadable one is refused, naming the file. */
export function existingSealKey(config: JalonConfig): SealKey | undefined {
  return readSealKey(sealKeyFile(config));
}

/** `jalon verify`: the whole log (or from a seal), checked against the service's key when there is one. */
export function verifyStore(store: EventStore, config: JalonConfig, options: { from?: bigint; onProgress?: (events: number) => void } = {}): Promise<LogVerificationReport> {
  const key = existingSealKey(config);
  return verifyLog(store, {
    ...verificationOptions(config, store),
    // Every supporting document an event names: stored, and still the bytes of its hash (docs/decisions/0017).
    files: attachedDocumentFiles(new DocumentStore(documentsDirOf(config))),
    ...(key ? { trustedKeyIds: [key.keyId] } : {}),
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

export interface SealOutcome {
  readonly report: LogVerificationReport;
  /** The seal written now, when events were not covered. */
  readonly sealed?: StoredEvent;
  /** The latest seal of the log (the one just written, or the one before). */
  readonly latest?: StoredEvent;
  readonly key: SealKey;
  /** True when the key was created now (its public key is then printed). */
  readonly createdKey: boolean;
  /** Why the seal written now could not be recorded as the last one (docs/decisions/0056); the seal stands. */
  readonly witnessNotKept?: string;
}

/**
 * `jalon seal`, and what an audit export or a proof starts with: verifies the whole log and, if it
 * verifies and events are not covered by the last seal, seals it. A log that does not verify is
 * reported, never sealed.
 */
export async function verifyAndSeal(store: EventStore, config: JalonConfig, clock: Clock): Promise<SealOutcome> {
  const { key, created } = loadOrCreateSealKey(sealKeyFile(config));
  const options = verificationOptions(config, store);
  const verifier = new LogVerifier({ ...options, trustedKeyIds: [key.keyId] });
  await feedVerifier(store, verifier, { until: await store.headPosition(), densePositions: options.densePositions ?? false });
  verifier.checkEnd(await endChecks(options));
  const report = verifier.report();
  const base = { report, key, createdKey: created };
  if (!report.ok) return base;
  const sealed = verifier.needsSeal ? await appendSeal(store, verifier, sealWriterOptions(config, key, clock.now())) : undefined;
  const witnessNotKept = sealed && (await recordSealWitness(config, sealed));
  const latest = sealed ?? (await latestSeal(store, options.sealStreamId));
  return { ...base, ...(sealed ? { sealed } : {}), ...(latest ? { latest } : {}), ...(witnessNotKept ? { witnessNotKept } : {}) };
}
