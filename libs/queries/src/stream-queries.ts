import { HistoryDocument, HistoryEntry, antennaEntries, candidacyEntries, ProjectionRunner, REPORT_PROJECTION } from '@jalon/projections';
import type { EventStore } from '@jalon/event-store';
import { fromLiveReadModel } from '@jalon/application';

/** How long a reader waits for the read models to include a given position. */
const READ_YOUR_WRITES_MS = 5000;

/**
 * What a form needs around a write: the revision of the stream it writes to (its concurrency
 * check), whether the read models include a position yet (read your writes), and what others
 * recorded on a stream since a revision (to explain a conflict).
 */
export class StreamQueries {
  constructor(
    private readonly store: Pick<EventStore, 'readStream' | 'headPosition'>,
    private readonly models: Pick<ProjectionRunner, 'view' | 'unavailability' | 'waitForPosition'>,
  ) {}

  /** The revision of the stream's last event, or `no_stream` when it holds none. */
  async revisionOf(streamId: string): Promise<number | 'no_stream'> {
    for await (const event of this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 })) return event.revision;
    return 'no_stream';
  }

  /** True once the read models include `position` (false after a few seconds). */
  async includes(position: bigint): Promise<boolean> {
    return this.models.waitForPosition(position, READ_YOUR_WRITES_MS);
  }

  /** Waits (a few seconds at most) until the read models include everything in the store. */
  async catchUpWithStore(): Promise<void> {
    await this.models.waitForPosition(await this.store.headPosition(), READ_YOUR_WRITES_MS);
  }

  /** What was recorded on a stream after `revision`, as the audit trail tells it. */
  changesSince(streamId: string, revision: number | 'no_stream', where: { readonly antennaId?: string; readonly candidacyId?: string }): HistoryEntry[] {
    const projection = REPORT_PROJECTION.history;
    return fromLiveReadModel(this.models, projection, () => {
      const view = this.models.view<HistoryDocument>(projection);
      const entries = [...(where.antennaId ? antennaEntries(view, where.antennaId) : []), ...(where.candidacyId ? candidacyEntries(view, where.candidacyId) : [])];
      const after = revision === 'no_stream' ? -1 : revision;
      return entries.filter((entry) => entry.streamId === streamId && entry.revision > after);
    });
  }
}
