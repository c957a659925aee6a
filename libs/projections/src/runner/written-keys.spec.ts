import { WrittenKeys } from './written-keys';

describe('WrittenKeys (the documents a rebuild has committed, as fingerprints)', () => {
  const key = (antenna: number, expenditure: number) => `expenditure:antenna-${antenna}/d${expenditure}`;

  it('rule: a key added is always found (a document written is read back from storage, never taken for absent)', () => {
    const written = new WrittenKeys();
    for (let antenna = 0; antenna < 100; antenna++) for (let expenditure = 0; expenditure < 1_000; expenditure++) written.add(key(antenna, expenditure));
    expect(written.size).toBe(100_000);
    const missed: string[] = [];
    for (let antenna = 0; antenna < 100; antenna++) for (let expenditure = 0; expenditure < 1_000; expenditure++) if (!written.mayHave(key(antenna, expenditure))) missed.push(key(antenna, expenditure));
    expect(missed).toEqual([]);
  });

  it('rule: a key never added is nearly always told absent (storage is asked about almost none of the documents a rebuild creates)', () => {
    const written = new WrittenKeys();
    for (let antenna = 0; antenna < 100; antenna++) for (let expenditure = 0; expenditure < 1_000; expenditure++) written.add(key(antenna, expenditure));
    let taken = 0;
    for (let antenna = 0; antenna < 100; antenna++) for (let expenditure = 1_000; expenditure < 2_000; expenditure++) if (written.mayHave(key(antenna, expenditure))) taken++;
    // 100,000 fingerprints of 32 bits: about 2 of 100,000 other keys share one.
    expect(taken).toBeLessThan(20);
    expect(new WrittenKeys().mayHave(key(1, 1))).toBe(false);
  });

  it('adds a key once however often it is added', () => {
    const written = new WrittenKeys();
    for (let round = 0; round < 3; round++) written.add('programme');
    expect(written.size).toBe(1);
  });
});
