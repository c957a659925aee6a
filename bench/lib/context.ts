import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SeedResult, seedStore } from '../generator/seed';
import { BenchOptions } from './args';
import { Profile } from './measure';
import { Row } from './report';

export interface SeededStore {
  readonly events: number;
  readonly antennas: number;
  /** Data directory: `jalon.sqlite`, and `read-models.sqlite` once replayed. */
  readonly dir: string;
  readonly file: string;
  readonly seed: SeedResult;
  /** Antennas still open at the end of the history (commands may still be sent to them). */
  readonly openAntennaIds: readonly string[];
}

/** Figures that other sections' targets are ratios of. */
export interface Shared {
  rawSingleAppendPerSecond?: number;
  /** Read-and-parse rate, by store size. */
  readonly rawReadPerSecond: Map<number, number>;
  /** Replays that completed, by store size (their read models are in the store's data dir). */
  readonly replayed: Set<number>;
}

export class BenchContext {
  readonly rows: Row[] = [];
  readonly data: Record<string, unknown> = {};
  readonly shared: Shared = { rawReadPerSecond: new Map(), replayed: new Set() };
  /** Stores seeded (or reused) so far in this run. */
  readonly seededStores: SeededStore[] = [];
  private readonly stores = new Map<string, Promise<SeededStore>>();

  constructor(
    readonly options: BenchOptions,
    readonly profile: Profile,
    /** Scratch space of this run (removed at the end). */
    readonly workDir: string,
    /** Where seeded stores live: `--data-dir`, or a folder of the work dir. */
    readonly storesDir: string,
    readonly log: (line: string) => void,
  ) {}

  add(...rows: Row[]): void {
    this.rows.push(...rows);
  }

  /** A new empty folder of the work dir. */
  tempDir(name: string): string {
    const dir = join(this.workDir, `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * A copy of a seeded store (and of its read models, when built) for a section that writes: the
   * seeded store itself stays as seeded, for the other sections and for the next run (`--data-dir`).
   */
  async writableCopy(events: number): Promise<SeededStore> {
    const seeded = await this.seeded(events);
    const dir = this.tempDir(`copy-${events}`);
    for (const file of ['jalon.sqlite', 'jalon.sqlite-wal', 'read-models.sqlite', 'read-models.sqlite-wal']) {
      if (existsSync(join(seeded.dir, file))) copyFileSync(join(seeded.dir, file), join(dir, file));
    }
    return { ...seeded, dir, file: join(dir, 'jalon.sqlite') };
  }

  /** Store sizes the replay is measured at: 100,000 and the run's size (1,000,000 by default). */
  replaySizes(): number[] {
    return [...new Set([Math.min(100_000, this.options.events), this.options.events])];
  }

  antennasFor(events: number): number {
    if (events === this.options.events) return this.options.antennas;
    return Math.max(3, Math.round((this.options.antennas * events) / this.options.events));
  }

  /** The synthetic programme of `events` events, seeded once per run (or reused from `--data-dir`). */
  seeded(events: number): Promise<SeededStore> {
    const antennas = this.antennasFor(events);
    const key = `${events}-${antennas}-${this.options.seed}`;
    let store = this.stores.get(key);
    if (!store) {
      store = (async () => {
        const dir = join(this.storesDir, `programme-${key}`);
        this.log(`Seeding ${events.toLocaleString('en-US')} events, ${antennas} antennas (seed "${this.options.seed}") in ${dir}`);
        const seed = await seedStore(dir, { events, antennas, seed: this.options.seed }, this.log);
        this.log(
          seed.reused
            ? `  reused ${seed.events.toLocaleString('en-US')} events seeded earlier`
            : `  ${seed.events.toLocaleString('en-US')} events from ${seed.commands.toLocaleString('en-US')} commands in ${seed.seconds.toFixed(1)} s (${seed.appends.toLocaleString('en-US')} appends)`,
        );
        const seeded: SeededStore = {
          events: seed.events,
          antennas,
          dir,
          file: seed.file,
          seed,
          openAntennaIds: seed.manifest.antennas.filter((a) => !a.closed).map((a) => a.antennaId),
        };
        this.seededStores.push(seeded);
        return seeded;
      })();
      this.stores.set(key, store);
    }
    return store;
  }
}
