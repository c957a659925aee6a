/**
 * The keys a rebuild has committed so far, kept as 32-bit fingerprints in an open-addressing
 * table: about 8 bytes a key, where a `Set` of the keys themselves takes a hundred (a rebuild of
 * 1,000,000 events commits over 2,000,000 documents). `mayHave` is never wrong when it says no
 * (the key was never added); when it says yes, the key was added or shares a fingerprint with
 * one that was (about one chance in 2,000 at 2,000,000 keys): the caller then reads the key from
 * storage, which answers null for a document it never wrote. So a rebuild asks storage nothing
 * about the documents it creates, and its memory does not grow with the read model.
 */
export class WrittenKeys {
  private table = new Uint32Array(1 << 12);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(key: string): void {
    if (this.count * 2 >= this.table.length) this.grow();
    if (place(this.table, fingerprint(key))) this.count++;
  }

  mayHave(key: string): boolean {
    const table = this.table;
    const mask = table.length - 1;
    const print = fingerprint(key);
    for (let slot = spread(print) & mask; ; slot = (slot + 1) & mask) {
      const held = table[slot]!;
      if (held === 0) return false;
      if (held === print) return true;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    for (const print of old) if (print !== 0) place(this.table, print);
  }
}

/** Puts `print` in its slot, or finds it there; true when it was not there. */
function place(table: Uint32Array, print: number): boolean {
  const mask = table.length - 1;
  for (let slot = spread(print) & mask; ; slot = (slot + 1) & mask) {
    const held = table[slot]!;
    if (held === print) return false;
    if (held === 0) {
      table[slot] = print;
      return true;
    }
  }
}

/** FNV-1a over the key's UTF-16 code units, never 0 (0 marks an empty slot). */
function fingerprint(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  return hash >>> 0 || 1;
}

/** Mixes the fingerprint's bits before taking the low ones as a slot (keys sharing a long prefix differ in a few bits). */
function spread(print: number): number {
  let mixed = Math.imul(print ^ (print >>> 16), 0x45d9f3b);
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x45d9f3b);
  return (mixed ^ (mixed >>> 16)) >>> 0;
}
