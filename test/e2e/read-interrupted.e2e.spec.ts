/**
 * End to end, as the compiled CLI runs: `jalon verify`, `jalon report`, `jalon status`, `jalon
 * events` and the proofs under the latest seal (`export-audit`, `prove-extends`) on a backup on a
 * read-only medium read copies made in the system's temporary folder (`jalon-lecture-*`: the log's
 * copy, the read models'). Interrupted while they read (Ctrl-C: SIGINT; SIGTERM; SIGHUP, the
 * terminal closed or the ssh session dropped), they remove those copies and end as an interrupted
 * command does: 130, 143 or 129, one French line saying so. The medium is a tmpfs remounted read-only for real (as root, `chmod`
 * stops nothing); its log is large enough (100 000 events, a few seconds of reading) to be still
 * read when the copies are seen. Each run has its own TMPDIR, so only its own copies are counted.
 */
import { chainEvents, SqliteEventStore } from '@jalon/event-store';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountSmallDisk, SmallDisk } from '../support/small-disk';
import { assertBuilt, CLI, jalon } from './cli';

const EVENTS = 100_000;
const PER_STREAM = 1_000;

/** What a run interrupted once it had made `copies` temporary copies left behind, and how it ended. */
interface Interrupted {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** What its TMPDIR still holds once it ended. */
  readonly left: string[];
}

/** Runs the CLI with a TMPDIR of its own, and sends it `signal` as soon as `copies` `jalon-lecture-*` folders are there. */
function interrupt(args: readonly string[], dataDir: string, copies: number, signal: NodeJS.Signals): Promise<Interrupted> {
  const temporary = mkdtempSync(join(tmpdir(), 'jalon-interrupted-tmp-'));
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir, TMPDIR: temporary } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  const copiesMade = () => readdirSync(temporary).filter((name) => name.startsWith('jalon-lecture-')).length;
  return new Promise((resolve) => {
    // Polled, not timed: the signal goes once the copies exist, whenever that is.
    const watch = setInterval(() => {
      if (copiesMade() < copies) return;
      clearInterval(watch);
      child.kill(signal);
    }, 5);
    child.once('exit', (code, exitSignal) => {
      clearInterval(watch);
      const left = readdirSync(temporary);
      rmSync(temporary, { recursive: true, force: true });
      resolve({ code, signal: exitSignal, stderr, left });
    });
  });
}

describe('a read of a backup on a read-only medium, interrupted', () => {
  let disk: SmallDisk;
  let dataDir: string;

  beforeAll(async () => {
    assertBuilt();
    disk = mountSmallDisk(64 * 1024);
    dataDir = join(disk.path, 'sauvegarde');
    const store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    try {
      for (let stream = 0; stream < EVENTS / PER_STREAM; stream++) {
        const streamId = `essai-${stream}`;
        const events = Array.from({ length: PER_STREAM }, (_, n) => ({
          id: randomUUID(),
          type: 'TestEventRecorded',
          version: 1,
          data: { n },
          metadata: { actor: 'user-1', role: 'admin', correlationId: 'essai', causationId: 'essai', recordedAt: '2025-01-15T09:30:00.000Z' },
        }));
        await store.append(streamId, chainEvents(streamId, undefined, events), { expectedRevision: 'no_stream' });
      }
    } finally {
      await store.close();
    }
    // Sealed once, as a backup of a sealed log is: `prove-extends --latest-seal` then reads the whole log (it verifies it) instead of refusing at once.
    const sealed = jalon(['seal'], dataDir);
    if (sealed.status !== 0) throw new Error(`jalon seal: ${sealed.stdout}${sealed.stderr}`);
    // No read models on the backup: a report brings them up to date from the first event, in its copy.
    disk.readOnly();
  }, 120_000);
  afterAll(() => {
    disk.readWrite();
    disk.unmount();
  });

  const interruptedLine = (signal: string) => `Interrompu (${signal}) : lecture abandonnée, ses copies temporaires sont effacées ; rien n’a été modifié dans le dossier de données.\n`;

  it.each([
    ['verify', 1, 'SIGINT', 130, ['verify']],
    ['verify', 1, 'SIGTERM', 143, ['verify']],
    ['report budget', 2, 'SIGINT', 130, ['report', 'budget']],
    ['report budget', 2, 'SIGTERM', 143, ['report', 'budget']],
    ['status', 2, 'SIGINT', 130, ['status']],
    // SIGHUP: the terminal closed, the ssh session dropped.
    ['verify', 1, 'SIGHUP', 129, ['verify']],
    ['report budget', 2, 'SIGHUP', 129, ['report', 'budget']],
    // The other reads of the log through the same copy (storeToRead): one signal each.
    ['events', 1, 'SIGHUP', 129, ['events', 'essai-0']],
    ['export-audit --latest-seal', 1, 'SIGINT', 130, ['export-audit', '--latest-seal']],
    ['prove-extends --latest-seal', 1, 'SIGTERM', 143, ['prove-extends', '--from-seal', String(EVENTS), '--latest-seal']],
  ] as const)(
    'rule: `%s` interrupted while it reads a read-only backup removes its temporary copies (%i) — %s ends it with %i and a French line saying it was interrupted',
    async (_name, copies, signal, code, args) => {
      const run = await interrupt(args, dataDir, copies, signal);

      expect(run.left).toEqual([]);
      expect(run.stderr.endsWith(interruptedLine(signal))).toBe(true);
      expect({ code: run.code, signal: run.signal }).toEqual({ code, signal: null });
    },
    60_000,
  );
});
