import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A folder in the system's temporary folder (`os.tmpdir()`: `TMPDIR` when set) holding the copy of
 * a file of the data directory read instead of it, when the data directory cannot be written (a
 * backup on a read-only medium, docs/decisions/0052): the log's copy that a read-only store reads,
 * the read models brought up to date for a report. Named `jalon-lecture-XXXXXX`.
 */
export interface TemporaryCopyFolder {
  readonly path: string;
  /** Removes the folder and all it holds (again: nothing). */
  remove(): void;
}

/** The interruptions a person or a system sends a command (Ctrl-C, a shutdown, `kill`, its terminal closed or its ssh session dropped). */
const INTERRUPTIONS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type Interruption = (typeof INTERRUPTIONS)[number];

/** The folders made and not removed yet. */
const live = new Set<string>();
let listening = false;

/**
 * Makes a {@link TemporaryCopyFolder}. Its lifetime is its holder's: removed by `remove()` when the
 * read ends, whatever the outcome; and, should the process be interrupted before (SIGINT, SIGTERM,
 * SIGHUP), at the interruption. The process then ends as an interrupted command does, with 128 + the
 * signal's number (130, 143, 129), saying so in French on stderr, unless something else of the process
 * answers that signal too (a service's shutdown), which then ends it its own way.
 */
export function temporaryCopyFolder(): TemporaryCopyFolder {
  // Listening before the folder exists: there is no moment when it is there and an interruption would leave it.
  if (!listening) for (const signal of INTERRUPTIONS) process.on(signal, onInterruption);
  listening = true;
  const path = mkdtempSync(join(tmpdir(), 'jalon-lecture-'));
  live.add(path);
  return {
    path,
    remove() {
      rmSync(path, { recursive: true, force: true });
      if (live.delete(path) && live.size === 0) stopListeningOnceAnswered();
    },
  };
}

/**
 * Node answers a signal only when its event loop turns, which a read of pages from SQLite may not
 * do before it ends: an interruption received during the read is answered after it, once the loop
 * has turned twice (the second turn reads whatever arrived during the first), and only then is the
 * default answer (the process ends at once) given back.
 */
function stopListeningOnceAnswered(): void {
  setImmediate(() =>
    setImmediate(() => {
      if (live.size > 0 || !listening) return;
      for (const signal of INTERRUPTIONS) process.removeListener(signal, onInterruption);
      listening = false;
    }),
  );
}

function onInterruption(signal: Interruption): void {
  for (const path of live) rmSync(path, { recursive: true, force: true });
  live.clear();
  for (const other of INTERRUPTIONS) process.removeListener(other, onInterruption);
  listening = false;
  if (process.listenerCount(signal) > 0) return;
  process.stderr.write(`Interrompu (${signal}) : lecture abandonnée, ses copies temporaires sont effacées ; rien n’a été modifié dans le dossier de données.\n`);
  process.exit(128 + constants.signals[signal]);
}
