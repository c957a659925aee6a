import { Clock, LogTrust } from '@jalon/application';
import {
  appendSeal,
  endChecks,
  auditExportLines,
  EventStore,
  feedVerifier,
  IntegrityError,
  interruptionLine,
  latestSeal,
  loadOrCreateSealKey,
  LogVerifier,
  type LogVerificationReport,
  type SealKey,
  type StoredEvent,
  type Subscription,
} from '@jalon/event-store';
import { ProjectionThread } from '../projection-thread/projection-thread';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { JalonConfig } from '../config';
import { ComponentHealth, HealthIndicator, HealthRegistry } from '../health/health-registry';
import { CLOCK, EVENT_STORE, JALON_CONFIG } from '../tokens';
import { antennaSubject, programmeSubject } from './audit-subjects';
import { sealKeyFile, SEAL_STREAM_ID, sealWriterOptions, verificationOptions } from './integrity-settings';
import { verifyAndSeal } from './seal-log';
import { recordSealWitness } from './seal-witness';

/** Leaves kept to recompute a seal's root when other events landed between its reading and its writing. */
const ROOT_WINDOW = 65_536;
const RETRY_MS = 1_000;
const PROBLEMS_SHOWN = 10;

export interface PublicSealKey {
  readonly algorithm: 'ed25519';
  /** SPKI DER, base64: what `--public-key` takes. */
  readonly publicKey: string;
  readonly keyId: string;
  readonly pem: string;
}

export interface LastVerification {
  readonly state: 'arrêté' | 'vérification initiale' | 'suivi du journal';
  readonly verifiedAt?: Date;
  readonly report?: LogVerificationReport;
  readonly lastSealFailure?: string;
}

/**
 * The running service's side of the provable history (docs/decisions/0011): verifies the whole
 * log once at start, then each event as it is appended (following the log, keeping one tip per
 * stream and the Merkle frontier); seals it at start when events are not covered yet, every
 * `sealEveryEvents` events, and every `sealIntervalSeconds` while events arrive; reports the last
 * verification to `/health` (`integrity`, degraded when it failed). A log that does not verify is
 * never sealed. With several instances on one store, every one verifies, and only the holder of
 * the projection lease seals on its own (docs/decisions/0019).
 */
@Injectable()
export class LogIntegrityService implements HealthIndicator, LogTrust {
  readonly name = 'integrity';
  private readonly logger = new Logger('Intégrité');
  private key: SealKey | undefined;
  private verifier: LogVerifier | undefined;
  private state: 'arrêté' | 'vérification initiale' | 'suivi du journal' = 'arrêté';
  private verifiedAt: Date | undefined;
  private initial: Promise<void> | undefined;
  private loop: Promise<void> | undefined;
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sealing: Promise<StoredEvent | undefined> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private lastSealFailure: string | undefined;
  /** Tree size of the last seal this service wrote: covered even before the verifier reads the seal back. */
  private writtenTreeSize = 0;
  private stopFollowingLease: (() => void) | undefined;
  /** The head found below the position verified (see checkHead): said once. */
  private shortenedAt: bigint | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(JALON_CONFIG) private readonly config: JalonConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly health: HealthRegistry,
    /**
     * With several instances on one store, only the holder of the projection lease seals on its own
     * (docs/decisions/0019): this process's projection thread or, inline, its runner (0030); absent, this service always does.
     */
    @Optional() @Inject(ProjectionThread) private readonly lease?: Pick<ProjectionThread, 'holdsLease' | 'onLeadership'>,
  ) {}

  /** The service's key, created in the data directory the first time it is needed. */
  sealKey(): { key: SealKey; created: boolean } {
    if (this.key) return { key: this.key, created: false };
    const loaded = loadOrCreateSealKey(sealKeyFile(this.config));
    this.key = loaded.key;
    return loaded;
  }

  publicKey(): PublicSealKey {
    const { key } = this.sealKey();
    return { algorithm: 'ed25519', publicKey: key.publicKey, keyId: key.keyId, pem: key.publicPem() };
  }

  /**
   * Starts verifying and sealing in the background; returns the key when this start created it
   * (its public key is then printed once, like the first administrator's token).
   */
  start(): { createdKey?: SealKey } {
    if (this.loop) return {};
    const { key, created } = this.sealKey();
    this.stopping = false;
    this.verifier = new LogVerifier({ ...verificationOptions(this.config), trustedKeyIds: [key.keyId], rootWindow: ROOT_WINDOW });
    this.health.register(this);
    this.state = 'vérification initiale';
    this.initial = this.verifyAtStart();
    this.loop = this.initial.then(() => this.follow());
    this.timer = setInterval(() => void this.sealIfDue(), this.config.sealIntervalSeconds * 1_000);
    this.timer.unref();
    // An instance that takes the lease over seals what its predecessor left uncovered.
    // Once the verification at start is over (its own seal may have been skipped while the lease was not yet held).
    this.stopFollowingLease = this.lease?.onLeadership(() => void this.initial?.then(() => (this.stopping ? undefined : this.sealQuietly('bail des projections'))));
    return created ? { createdKey: key } : {};
  }

  /** Stops following and sealing (the core module calls it before closing the store). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopFollowingLease?.();
    this.stopFollowingLease = undefined;
    this.wake?.();
    await this.subscription?.unsubscribe();
    await this.loop?.catch(() => undefined);
    await this.sealing?.catch(() => undefined);
    this.loop = undefined;
    this.state = 'arrêté';
  }

  /** The last verification, as far as the log has been read. */
  report(): LogVerificationReport | undefined {
    return this.verifier?.report();
  }

  /**
   * The last verification as the dashboard shows it: the service's state, when it last read the
   * log (undefined before the initial verification ends), the report so far, the last failure to seal.
   */
  lastVerification(): LastVerification {
    const report = this.verifier?.report();
    return {
      state: this.state,
      ...(this.verifiedAt ? { verifiedAt: this.verifiedAt } : {}),
      ...(report ? { report } : {}),
      ...(this.lastSealFailure ? { lastSealFailure: this.lastSealFailure } : {}),
    };
  }

  /** While the log does not verify, what every report and dashboard page says of its figures (LogTrust). */
  untrusted(): string | undefined {
    // Asked by every report and every page: the whole report is built only when there is something to say.
    if (!this.verifier || this.verifier.ok) return undefined;
    const report = this.verifier.report();
    return (
      `Attention : le journal des événements ne se vérifie pas (${report.problemCount} problème(s), dont « ${report.problems[0]?.message ?? ''} ») : ` +
      'ces chiffres peuvent reposer sur des faits altérés. Voir l’intégrité du journal (/health, jalon verify).'
    );
  }

  async check(): Promise<ComponentHealth> {
    await this.checkHead();
    const report = this.verifier?.report();
    if (!report) return { status: 'ok', state: this.state };
    const lastSeal = report.lastSeal && { position: report.lastSeal.position, treeSize: report.lastSeal.treeSize, sealedAt: report.lastSeal.sealedAt };
    const details = {
      state: this.state,
      ...(this.verifiedAt ? { verifiedAt: this.verifiedAt.toISOString() } : {}),
      upToPosition: report.lastPosition ?? '0',
      events: report.events,
      beforeChain: report.beforeChain,
      ...(lastSeal ? { lastSeal } : {}),
      eventsAfterLastSeal: report.eventsAfterLastSeal,
      ...(this.lastSealFailure ? { lastSealFailure: this.lastSealFailure } : {}),
    };
    if (report.ok) return { status: 'ok', ...details };
    return {
      status: 'degraded',
      reason: `le journal ne se vérifie pas : ${report.problemCount} problème(s), dont « ${report.problems[0]?.message ?? ''} »`,
      ...details,
      problems: report.problems.slice(0, PROBLEMS_SHOWN).map((problem) => problem.message),
    };
  }

  /**
   * The latest seal, written first if events are not covered yet (an audit export or a proof is
   * made under it). Running, it waits for the initial verification, and for the verification to
   * reach the head as it was when asked; not running (a process that did not start it), it
   * verifies the whole log first. A log that does not verify gets no seal and no proof.
   */
  async sealedLatest(): Promise<StoredEvent> {
    if (this.loop) {
      await this.initial;
      const head = await this.store.headPosition();
      const deadline = Date.now() + 5_000;
      while ((this.verifier!.position ?? 0n) < head && Date.now() < deadline && !this.stopping) await delay(20);
      if (!this.verifier!.ok) throw notVerified(this.verifier!.report());
      await this.seal();
    } else {
      const outcome = await verifyAndSeal(this.store, this.config, this.clock);
      if (!outcome.report.ok) throw notVerified(outcome.report);
    }
    const seal = await latestSeal(this.store, SEAL_STREAM_ID);
    if (!seal) throw new IntegrityError('INTEGRITY.NO_SEAL', 'le journal est vide : aucun sceau');
    return seal;
  }

  /**
   * The verifiable audit export (docs/decisions/0011) of the programme, or of one antenna, under
   * the latest seal: the file's lines, each ending in a newline. Its first line is read before this
   * resolves, after the log was checked against the seal, so that a refusal (IntegrityError: a log
   * that does not verify, an antenna never opened) is thrown here, never in the middle of a file
   * already being sent. What the API and the dashboard both serve.
   */
  async auditExport(antennaId?: string): Promise<AsyncIterable<string>> {
    const seal = await this.sealedLatest();
    const subject = antennaId === undefined ? programmeSubject() : await antennaSubject(this.store, antennaId);
    // Signed as a whole by the service's key (docs/decisions/0057), when it is the one that signed the seal.
    const lines = auditExportLines(this.store, { subject, seal, signer: this.sealKey().key })[Symbol.asyncIterator]();
    const first = await lines.next();
    const interrupted = (error: unknown) => this.exportInterrupted(error, antennaId);
    return (async function* () {
      if (!first.done) yield `${first.value}\n`;
      try {
        for (let next = await lines.next(); !next.done; next = await lines.next()) yield `${next.value}\n`;
      } catch (error) {
        // The file says why it ends there; the download is then cut, so that it is not taken whole.
        yield `${interrupted(error)}\n`;
        throw error;
      }
    })();
  }

  /**
   * An export stopped after its first line: said in the log, and, when an event no longer gives the
   * hash verified earlier, in the verification (`/health` degraded, nothing sealed or proved over
   * it). The file's last line, {@link interruptionLine}, gives the reason.
   */
  private exportInterrupted(error: unknown, antennaId: string | undefined): string {
    const message = error instanceof Error ? error.message : String(error);
    const subject = antennaId === undefined ? 'du programme' : `de l’antenne ${antennaId}`;
    this.logger.error(`Export d’audit ${subject} interrompu : ${message}`);
    if (error instanceof IntegrityError && error.code === 'INTEGRITY.LOG_NOT_VERIFIED') {
      this.verifier?.changedAfterVerification(`Export d’audit interrompu : ${message}.`);
    }
    return interruptionLine(error instanceof IntegrityError ? error.code : 'STORE.UNAVAILABLE', message);
  }

  /**
   * A log whose last event is before the last position verified lost events since (a row deleted,
   * a file replaced by an older copy): a change to what was verified, found at the next health
   * check or sealing interval rather than at the next append.
   */
  private async checkHead(): Promise<void> {
    const verifier = this.verifier;
    const verified = verifier?.position;
    if (!verifier || verified === undefined || this.shortenedAt !== undefined || this.state !== 'suivi du journal') return;
    let head: bigint;
    try {
      head = await this.store.headPosition();
    } catch {
      return; // The store's own health says why it cannot be read.
    }
    if (head >= verified || this.shortenedAt !== undefined) return;
    this.shortenedAt = head;
    const message = `Le journal s’arrête à la position ${head}, avant la position ${verified} déjà vérifiée : des événements vérifiés n’y sont plus.`;
    this.logger.error(message);
    verifier.changedAfterVerification(message, head + 1n);
  }

  private async verifyAtStart(): Promise<void> {
    const options = verificationOptions(this.config, this.store);
    await feedVerifier(this.store, this.verifier!, {
      densePositions: options.densePositions ?? false,
      pause: () => new Promise((resolve) => setImmediate(resolve)),
      shouldStop: () => this.stopping,
    });
    if (this.stopping) return;
    this.verifier!.checkEnd(await endChecks(options));
    this.verifiedAt = this.clock.now();
    const report = this.verifier!.report();
    if (!report.ok) {
      this.logger.error(`Le journal ne se vérifie pas (${report.problemCount} problème(s)) ; premier : ${report.problems[0]?.message ?? ''}`);
      return;
    }
    await this.sealQuietly('démarrage');
  }

  /** Follows the log after what was verified; reads again from there after any failure. */
  private async follow(): Promise<void> {
    const options = verificationOptions(this.config);
    this.state = 'suivi du journal';
    while (!this.stopping) {
      try {
        // Catch up first with a read that yields undecodable rows instead of failing on them.
        await feedVerifier(this.store, this.verifier!, { densePositions: options.densePositions ?? false, shouldStop: () => this.stopping });
        this.verifiedAt = this.clock.now();
        if (this.stopping) return;
        const after = this.verifier!.position ?? 0n;
        this.subscription = this.store.subscribeToAll({ after });
        for await (const event of this.subscription) {
          this.verifier!.accept(event);
          this.verifiedAt = this.clock.now();
          if (this.verifier!.uncoveredEvents(this.writtenTreeSize) >= this.config.sealEveryEvents) await this.sealQuietly('nombre d’événements');
          if (this.stopping) return;
        }
      } catch (error) {
        if (this.stopping) return;
        this.logger.warn(`Suivi du journal interrompu : ${(error as Error).message} ; reprise dans ${RETRY_MS} ms`);
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, RETRY_MS).unref();
        });
      } finally {
        await this.subscription?.unsubscribe().catch(() => undefined);
        this.subscription = undefined;
      }
    }
  }

  /** What the interval runs: a seal if events arrived since the last one (never during the initial verification). */
  async sealIfDue(): Promise<void> {
    await this.checkHead();
    if (this.state === 'suivi du journal') await this.sealQuietly('intervalle');
  }

  /** The seals this service makes on its own (at start, by count, by interval); on demand (an export, a proof), any instance seals. */
  private async sealQuietly(why: string): Promise<void> {
    // Another instance holds the lease: it seals; this one only verifies.
    if (this.lease && !this.lease.holdsLease()) return;
    try {
      const seal = await this.seal();
      if (seal) this.logger.log(`Journal scellé (${why}) : ${(seal.data as { treeSize: number }).treeSize} événement(s), position ${seal.position}`);
      this.lastSealFailure = undefined;
    } catch (error) {
      this.lastSealFailure = (error as Error).message;
      this.logger.error(`Scellement impossible : ${(error as Error).message}`);
    }
  }

  /** Seals what has been verified, if the log verifies and events are not covered; one seal at a time. */
  private async seal(): Promise<StoredEvent | undefined> {
    while (this.sealing) await this.sealing.catch(() => undefined);
    const verifier = this.verifier!;
    if (!verifier.ok || verifier.uncoveredEvents(this.writtenTreeSize) === 0) return undefined;
    this.sealing = appendSeal(this.store, verifier, sealWriterOptions(this.config, this.sealKey().key, this.clock.now()));
    try {
      const seal = await this.sealing;
      if (seal) {
        this.writtenTreeSize = (seal.data as { treeSize: number }).treeSize;
        const notKept = await recordSealWitness(this.config, seal);
        if (notKept) this.logger.warn(`Sceau posé, mais ${notKept}`);
      }
      return seal;
    } finally {
      this.sealing = undefined;
    }
  }
}

function notVerified(report: LogVerificationReport): IntegrityError {
  return new IntegrityError(
    'INTEGRITY.LOG_NOT_VERIFIED',
    `le journal ne se vérifie pas (${report.problemCount} problème(s), dont « ${report.problems[0]?.message ?? ''} ») : aucune preuve n’est produite sur un journal altéré`,
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
