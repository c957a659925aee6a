import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountSmallDisk, SmallDisk } from '../../../../test/support/small-disk';
import { DocumentError } from './document-error';
import { collect } from '../event-store.port';
import { DocumentStore } from './document-store';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const convention = Buffer.from('%PDF-1.7\nConvention d’amorçage Banque des Territoires – Montbéliard\n%%EOF\n', 'utf8');

/** Every file under `dir`, relative. */
function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

describe('DocumentStore: supporting documents’ bytes, content-addressed', () => {
  let dir: string;
  let store: DocumentStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-documents-'));
    store = new DocumentStore(join(dir, 'documents'), 0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rule: a file is stored under its SHA-256, in two levels of shard directories, and read back byte for byte', async () => {
    const stored = await store.put(convention);
    const sha = sha256(convention);
    expect(stored).toEqual({ sha256: sha, sizeBytes: convention.length, written: true });
    expect(filesUnder(join(dir, 'documents'))).toEqual([`${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`]);
    expect((await store.read(sha)).equals(convention)).toBe(true);
    expect(await store.check(sha)).toEqual({ state: 'ok', sizeBytes: convention.length });
  });

  it('rule: list names every file of the directory (a folder’s files in name order, then its folders’): the documents where put leaves them by their hash, anything else (a temporary left by a stop, a file in the wrong place) by its path alone', async () => {
    const documents = join(dir, 'documents');
    expect(await collect(store.list())).toEqual([]);
    await store.put(convention);
    const sha = sha256(convention);
    const shard = join(documents, sha.slice(0, 2), sha.slice(2, 4));
    writeFileSync(join(shard, `.${sha}.0a1b2c3d4e5f.tmp`), 'moitié');
    writeFileSync(join(documents, sha), convention);
    expect(await collect(store.list())).toEqual([
      { path: join(documents, sha), sizeBytes: convention.length },
      { path: join(shard, `.${sha}.0a1b2c3d4e5f.tmp`), sizeBytes: Buffer.byteLength('moitié') },
      { path: join(shard, sha), sizeBytes: convention.length, sha256: sha },
    ]);
  });

  it('rule: the same bytes again write nothing (dedupe), and leave no temporary file behind', async () => {
    await store.put(convention);
    const path = store.pathOf(sha256(convention));
    const before = statSync(path).mtimeMs;
    expect(await store.put(Buffer.from(convention))).toMatchObject({ written: false });
    expect(statSync(path).mtimeMs).toBe(before);
    expect(filesUnder(join(dir, 'documents')).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('rule: an altered file is never served: read refuses it naming both hashes, check says altered; a missing one is not found', async () => {
    const { sha256: sha } = await store.put(convention);
    writeFileSync(store.pathOf(sha), 'convention réécrite');
    await expect(store.read(sha)).rejects.toMatchObject({ code: 'DOCUMENT.ALTERED', details: { sha256: sha, actualSha256: sha256(Buffer.from('convention réécrite')) } });
    expect(await store.check(sha)).toMatchObject({ state: 'altered' });
    rmSync(store.pathOf(sha));
    expect(await store.check(sha)).toEqual({ state: 'missing' });
    await expect(store.read(sha)).rejects.toMatchObject({ code: 'DOCUMENT.NOT_FOUND' });
  });

  it('rule: storing the right bytes again puts an altered file back (the content of a name never changes)', async () => {
    const { sha256: sha } = await store.put(convention);
    writeFileSync(store.pathOf(sha), 'abîmé');
    expect(await store.put(convention)).toMatchObject({ written: true });
    expect(readFileSync(store.pathOf(sha)).equals(convention)).toBe(true);
  });

  it('rule: only a SHA-256 names a file: no path can be reached through the name', async () => {
    expect(() => store.pathOf('../../etc/passwd')).toThrow(DocumentError);
    await expect(store.read('A'.repeat(64))).rejects.toMatchObject({ code: 'DOCUMENT.NOT_FOUND' });
  });

  it('rule: a file replaced by a directory cannot be read nor written: DOCUMENT.STORE_UNAVAILABLE, nothing half-written', async () => {
    const sha = sha256(convention);
    mkdirSync(store.pathOf(sha), { recursive: true });
    await expect(store.put(convention)).rejects.toMatchObject({ code: 'DOCUMENT.STORE_UNAVAILABLE' });
    await expect(store.read(sha)).rejects.toMatchObject({ code: 'DOCUMENT.STORE_UNAVAILABLE' });
    expect(await store.check(sha)).toMatchObject({ state: 'unreadable' });
    expect(filesUnder(join(dir, 'documents'))).toEqual([]);
    rmSync(store.pathOf(sha), { recursive: true });
    expect((await store.put(convention)).written).toBe(true);
  });

  it('rule: a shard directory replaced by a file: writes fail, writeHealth says so (its probe writes where the write failed) until the fault is gone', async () => {
    const sha = sha256(convention);
    const shard = join(dir, 'documents', sha.slice(0, 2));
    mkdirSync(join(dir, 'documents'), { recursive: true });
    writeFileSync(shard, 'pas un dossier');
    await expect(store.put(convention)).rejects.toMatchObject({ code: 'DOCUMENT.STORE_UNAVAILABLE' });
    expect(await store.writeHealth()).toMatchObject({ writable: false, lastWriteError: { code: 'DOCUMENT.STORE_UNAVAILABLE' } });
    rmSync(shard);
    expect(await store.writeHealth()).toEqual({ writable: true });
    expect((await store.put(convention)).written).toBe(true);
  });

  it('rule: a documents directory that cannot be written (a file in its place) is said by writeHealth before any upload fails on it, and creates nothing', async () => {
    const blocked = join(dir, 'pas-un-dossier');
    writeFileSync(blocked, 'un fichier');
    const onFile = new DocumentStore(blocked, 0);
    expect(await onFile.writeHealth()).toMatchObject({ writable: false, lastWriteError: { code: 'DOCUMENT.STORE_UNAVAILABLE' } });
    // A directory not made yet (before the first upload) is no fault: its folder is written to, nothing is left there.
    expect(await store.writeHealth()).toEqual({ writable: true });
    expect(readdirSync(dir)).toEqual(['pas-un-dossier']);
  });

  describe('on a disk that fills up (a small tmpfs, root only)', () => {
    let disk: SmallDisk;
    beforeAll(() => {
      disk = mountSmallDisk(256);
    });
    afterAll(() => disk.unmount());

    it('rule: a full disk refuses the write with a French reason, leaves neither the file nor a temporary one, and the store recovers once space is freed', async () => {
      const onDisk = new DocumentStore(join(disk.path, 'documents'), 0);
      const scan = Buffer.alloc(64 * 1024, 0x41);
      disk.fill();
      const refused = await onDisk.put(scan).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DocumentError);
      expect((refused as DocumentError).code).toBe('DOCUMENT.STORE_UNAVAILABLE');
      expect((refused as DocumentError).message).toMatch(/disque plein \(ENOSPC\)/);
      expect(filesUnder(join(disk.path, 'documents')).filter((name) => !name.startsWith('.probe'))).toEqual([]);
      expect(await onDisk.check(sha256(scan))).toEqual({ state: 'missing' });
      expect((await onDisk.writeHealth()).writable).toBe(false);
      disk.free();
      expect(await onDisk.writeHealth()).toEqual({ writable: true });
      expect((await onDisk.put(scan)).written).toBe(true);
      expect((await onDisk.read(sha256(scan))).equals(scan)).toBe(true);
    });

    it('rule: a disk that filled up while no upload came is said by writeHealth before one fails on it', async () => {
      const idle = new DocumentStore(join(disk.path, 'idle-documents'), 0);
      disk.fill();
      try {
        expect(await idle.writeHealth()).toMatchObject({ writable: false, lastWriteError: { message: expect.stringMatching(/disque plein/) } });
      } finally {
        disk.free();
      }
      expect(await idle.writeHealth()).toEqual({ writable: true });
    });
  });
});
