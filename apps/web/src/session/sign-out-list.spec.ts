import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteSignOutList } from './secure-session-codec';

describe('the sign-out list in the read-model database', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-sign-outs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rule: a sign-out is seen by every instance sharing the file, and after a restart', () => {
    const file = join(dir, 'read-models.sqlite');
    const first = new SqliteSignOutList(file);
    const second = new SqliteSignOutList(file);
    first.add('session-a', Date.now() + 3_600_000);
    expect(second.has('session-a')).toBe(true);
    first.close();
    second.close();
    const restarted = new SqliteSignOutList(file);
    expect(restarted.has('session-a')).toBe(true);
    expect(restarted.has('session-b')).toBe(false);
    restarted.close();
  });

  it('rule: a sign-out made while the file cannot be opened is written once it can: after a restart its cookie is still refused', () => {
    const file = join(dir, 'read-models.sqlite');
    // The database file replaced by a directory: nothing can be opened there.
    mkdirSync(file);
    let now = Date.parse('2026-01-15T10:00:00Z');
    const list = new SqliteSignOutList(file, () => now);
    list.add('signed-out-during-the-fault', now + 3_600_000);
    expect(list.has('signed-out-during-the-fault')).toBe(true);

    // The fault is mended; the list tries the file again a few seconds later.
    rmSync(file, { recursive: true });
    now += 60_000;
    list.add('signed-out-after', now + 3_600_000);
    list.close();

    const restarted = new SqliteSignOutList(file);
    expect(restarted.has('signed-out-after')).toBe(true);
    expect(restarted.has('signed-out-during-the-fault')).toBe(true);
    restarted.close();
  });
});
