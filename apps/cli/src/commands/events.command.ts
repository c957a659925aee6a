import { shownData } from '@jalon/application';
import { JalonConfig } from '@jalon/core';
import { StoredEvent } from '@jalon/event-store';
import { Command } from 'commander';
import { storeToRead } from './integrity-seals';

export function eventsCommand(config: () => JalonConfig): Command {
  return new Command('events')
    .description('afficher les événements d’un flux, dans l’ordre (ex. antenna-montbeliard)')
    .argument('<flux>', 'nom du flux, <catégorie>-<id>')
    .option('--json', 'une ligne JSON par événement')
    .action(async (streamId: string, options: { json?: boolean }) => {
      // Read-only, as `verify`: reading a stream changes nothing, and a backup may be on a read-only medium.
      const store = await storeToRead(config(), 'lu');
      try {
        let count = 0;
        for await (const event of store.readStream(streamId)) {
          console.log(options.json ? JSON.stringify(jsonOf(event)) : describe(event));
          count++;
        }
        if (!options.json) console.log(count === 0 ? `Aucun événement dans le flux ${streamId}.` : `${count} événement(s).`);
      } finally {
        await store.close();
      }
    });
}

/** Token hashes stay in the store, even for the server's own administrator. */
function jsonOf(event: StoredEvent) {
  return { ...event, data: shownData(event.data), position: event.position.toString() };
}

function describe(event: StoredEvent): string {
  const { effectiveDate, ...data } = shownData(event.data) as { effectiveDate?: string };
  const meta = event.metadata;
  const reason = meta.reason ? `  motif : ${meta.reason}` : '';
  return (
    `#${event.revision}  ${event.type} v${event.version}  effet ${effectiveDate ?? '—'}  enregistré ${meta.recordedAt}  ` +
    `par ${meta.actorName ?? meta.actor} (${meta.role})${reason}\n    ${JSON.stringify(data)}`
  );
}
