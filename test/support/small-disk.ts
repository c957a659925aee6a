import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small tmpfs mounted for one test file: it fills up (SQLITE_FULL) and turns read-only for
 * real, which `chmod` cannot do for root (tests run as root in CI). Mounting needs root and
 * `mount`: when it is impossible, the tests fail, saying so; they are never skipped.
 */
export interface SmallDisk {
  readonly path: string;
  /** Fills what is left with a file of its own, until the disk refuses (ENOSPC). */
  fill(): void;
  /** Removes that file. */
  free(): void;
  /** Remounts read-only: needs every file on it closed for writing (Linux refuses otherwise). */
  readOnly(): void;
  readWrite(): void;
  unmount(): void;
}

export function mountSmallDisk(sizeKib: number): SmallDisk {
  const path = mkdtempSync(join(tmpdir(), 'jalon-small-disk-'));
  try {
    mount(['-t', 'tmpfs', '-o', `size=${sizeKib}k`, 'tmpfs', path]);
  } catch (error) {
    rmdirSync(path);
    throw new Error(`these tests mount a small tmpfs to make a disk full or read-only, and could not (they need root and mount(8)): ${(error as Error).message}`);
  }
  const filler = join(path, 'filler');
  return {
    path,
    fill() {
      const fd = openSync(filler, 'a');
      try {
        for (const size of [64 * 1024, 4 * 1024, 512]) {
          const chunk = Buffer.alloc(size, 1);
          try {
            for (;;) writeSync(fd, chunk);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    readOnly() {
      mount(['-o', 'remount,ro', path]);
    },
    readWrite() {
      mount(['-o', 'remount,rw', path]);
    },
    unmount() {
      try {
        execFileSync('umount', [path], { stdio: 'pipe' });
      } catch {
        // Still busy (a test failed with a file open): detach it now, it goes when released.
        execFileSync('umount', ['-l', path], { stdio: 'pipe' });
      }
      rmdirSync(path);
    },
  };
}

function mount(args: string[]): void {
  try {
    execFileSync('mount', args, { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`mount ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}
