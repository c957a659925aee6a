import { ReportService, systemClock } from '@jalon/application';
import { loadConfig } from '@jalon/core';
import { EventStore, ReadAllOptions, SqliteEventStore, StoredEvent } from '@jalon/event-store';
import { PROJECTIONS, ProjectionRunner, replayInMemory, SqliteProjectionStorage } from '@jalon/projections';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCore } from '../../apps/cli/src/core-context';
import { tell } from '../lib/child';

/** This process's own peak memory: VmHWM on Linux (ru_maxrss carries the parent's across fork and exec). */
function peakRssBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Child process for the read side, so that each measurement has its own peak memory (VmHWM) and
 * can be stopped after a time limit:
 *
 *   replay <dataDir>                  what `jalon replay` does: the core module, then ProjectionRunner.rebuild()
 *                                     (read models written to <dataDir>/read-models.sqlite)
 *   as-of <dataDir> <kind> <date>     ReportService.build({ kind, asOf }): the whole log replayed in memory up to the cut
 *   in-memory <dataDir>               every projection over the whole log, its documents kept in memory, nothing
 *                                     stored: what a rebuild computes, without the read-model storage
 *
 * The store is wrapped only to count the events read and report progress.
 */

class CountingStore implements EventStore {
  read = 0;
  private lastProgress = process.hrtime.bigint();

  constructor(private readonly inner: EventStore) {}

  append: EventStore['append'] = (...args) => this.inner.append(...args);
  readStream: EventStore['readStream'] = (...args) => this.inner.readStream(...args);
  subscribeToAll: EventStore['subscribeToAll'] = (...args) => this.inner.subscribeToAll(...args);
  headPosition: EventStore['headPosition'] = () => this.inner.headPosition();
  storeId: EventStore['storeId'] = () => this.inner.storeId();
  eventAt: EventStore['eventAt'] = (position) => this.inner.eventAt(position);
  close: EventStore['close'] = () => this.inner.close();

  async *readAll(options?: ReadAllOptions): AsyncGenerator<StoredEvent> {
    for await (const event of this.inner.readAll(options)) {
      this.read++;
      if ((this.read & 1023) === 0 && process.hrtime.bigint() - this.lastProgress > 2_000_000_000n) {
        this.lastProgress = process.hrtime.bigint();
        tell({ type: 'progress', events: this.read, rssBytes: process.memoryUsage.rss() });
      }
      yield event;
    }
  }
}

async function main(): Promise<void> {
  const [mode, dataDir, kind, asOf] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: read-side.ts replay|in-memory|as-of <dataDir> [kind asOf]');
  const config = loadConfig({ DATA_DIR: dataDir });
  const store = new CountingStore(SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') }));
  const head = await store.headPosition();
  const started = process.hrtime.bigint();
  try {
    if (mode === 'replay') {
      const { events, seconds } = await withCore({ config, store }, ({ app }) => app.get(ProjectionRunner).rebuild());
      tell({ type: 'result', events, seconds, head: head.toString(), maxRssBytes: peakRssBytes() });
    } else if (mode === 'in-memory') {
      await replayInMemory(store, PROJECTIONS);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      tell({ type: 'result', events: store.read, seconds, maxRssBytes: peakRssBytes() });
    } else if (mode === 'as-of') {
      const storage = SqliteProjectionStorage.open(':memory:');
      const reports = new ReportService(store, new ProjectionRunner(store, storage, PROJECTIONS), systemClock, config.timeZone);
      const report = await reports.build({ kind, asOf });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      tell({ type: 'result', events: store.read, seconds, tables: report.tables.length, maxRssBytes: peakRssBytes() });
      storage.close();
    } else {
      throw new Error(`unknown mode ${mode}`);
    }
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
