import { VersionedMap } from './versioned-map';

const entriesOf = <K, V>(map: ReadonlyMap<K, V>) => [...map];

describe('VersionedMap', () => {
  describe('lookups', () => {
    it('an empty map has no entries', () => {
      const map = VersionedMap.empty<string, number>();
      expect(map.size).toBe(0);
      expect(map.has('a')).toBe(false);
      expect(map.get('a')).toBeUndefined();
      expect(entriesOf(map)).toEqual([]);
    });

    it('set returns a map with the entry; the map it was called on is unchanged', () => {
      const empty = VersionedMap.empty<string, number>();
      const one = empty.set('a', 1);
      expect([one.get('a'), one.has('a'), one.size]).toEqual([1, true, 1]);
      expect([empty.get('a'), empty.has('a'), empty.size]).toEqual([undefined, false, 0]);
    });

    it('setting a key again replaces its value and keeps the size', () => {
      const first = VersionedMap.empty<string, number>().set('a', 1).set('b', 2);
      const second = first.set('a', 10);
      expect([second.get('a'), second.size]).toEqual([10, 2]);
      expect(first.get('a')).toBe(1);
    });

    it('undefined is a value: has tells it from an absent key', () => {
      const map = VersionedMap.empty<string, number | undefined>().set('a', undefined);
      expect([map.has('a'), map.has('b'), map.size]).toEqual([true, false, 1]);
    });

    it('a key that names an Object member is an ordinary key', () => {
      const empty = VersionedMap.empty<string, number>();
      expect(['constructor', '__proto__', 'toString'].map((key) => empty.has(key))).toEqual([false, false, false]);
      const map = empty.set('constructor', 1).set('__proto__', 2);
      expect([map.get('constructor'), map.get('__proto__'), map.size]).toEqual([1, 2, 2]);
    });

    it('from: like new Map(entries), a key given twice keeps its first place and its last value', () => {
      const map = VersionedMap.from([
        ['a', 1],
        ['b', 2],
        ['a', 3],
      ]);
      expect(entriesOf(map)).toEqual([
        ['a', 3],
        ['b', 2],
      ]);
      expect(map.size).toBe(2);
    });
  });

  describe('versions', () => {
    it('evolving an older map leaves newer maps unchanged', () => {
      const base = VersionedMap.empty<string, number>().set('a', 1);
      const newer = base.set('b', 2);
      // `base` is no longer the newest version: this is a branch (a state evolved twice).
      const other = base.set('c', 3).set('a', 4);
      expect(entriesOf(newer)).toEqual([
        ['a', 1],
        ['b', 2],
      ]);
      expect(entriesOf(other)).toEqual([
        ['a', 4],
        ['c', 3],
      ]);
      expect(entriesOf(base)).toEqual([['a', 1]]);
    });

    it('evolving the same map twice in the same way gives equal maps', () => {
      const base = VersionedMap.empty<string, number>().set('a', 1);
      expect(base.set('b', 2)).toEqual(base.set('b', 2));
    });

    it('an older map reads its own values however often a key was set since', () => {
      const versions = [VersionedMap.empty<string, number>().set('k', 0)];
      for (let i = 1; i < 100; i++) versions.push(versions[i - 1]!.set('k', i).set(`other-${i}`, i));
      expect(versions.map((map) => map.get('k'))).toEqual(versions.map((_, i) => i));
      expect(versions.map((map) => map.size)).toEqual(versions.map((_, i) => i + 1));
      expect(versions[10]!.has('other-11')).toBe(false);
    });

    it('every version reads what a copy of a Map made at that point would read, whatever the order of writes', () => {
      // A model check: random writes on random earlier versions (many branches, branches of
      // branches), each version compared with a native Map copied at the same point.
      let seed = 42;
      const random = (n: number) => {
        seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
        return (seed >>> 16) % n;
      };
      const keys = Array.from({ length: 20 }, (_, k) => `k${k}`);
      const versions: { map: VersionedMap<string, number>; model: Map<string, number> }[] = [
        { map: VersionedMap.empty(), model: new Map() },
      ];
      for (let step = 0; step < 500; step++) {
        // Mostly the newest version, as a fold does; sometimes an older one.
        const from = random(4) === 0 ? versions[random(versions.length)]! : versions[versions.length - 1]!;
        const key = keys[random(keys.length)]!;
        versions.push({ map: from.map.set(key, step), model: new Map(from.model).set(key, step) });
      }
      const read = (map: ReadonlyMap<string, number>) => ({
        entries: [...map],
        size: map.size,
        found: keys.map((key) => [map.has(key), map.get(key)]),
      });
      expect(versions.map(({ map }) => read(map))).toEqual(versions.map(({ model }) => read(model)));
    });
  });

  describe('iteration', () => {
    it('follows insertion order; a key set again keeps its place', () => {
      const map = VersionedMap.empty<string, number>().set('b', 1).set('a', 2).set('c', 3).set('b', 4);
      expect(entriesOf(map)).toEqual([
        ['b', 4],
        ['a', 2],
        ['c', 3],
      ]);
      expect([...map.keys()]).toEqual(['b', 'a', 'c']);
      expect([...map.values()]).toEqual([4, 2, 3]);
      const seen: [string, number][] = [];
      map.forEach((value, key) => seen.push([key, value]));
      expect(seen).toEqual(entriesOf(map));
    });

    it('an older map iterates only over what it held', () => {
      const older = VersionedMap.empty<string, number>().set('a', 1).set('b', 2);
      older.set('c', 3).set('a', 10);
      expect(entriesOf(older)).toEqual([
        ['a', 1],
        ['b', 2],
      ]);
    });

    it('maps compare equal (toEqual) by their entries, whatever their history', () => {
      const direct = VersionedMap.from([
        ['a', 1],
        ['b', 2],
      ]);
      const base = VersionedMap.empty<string, number>().set('a', 0);
      base.set('z', 9); // makes the next write on `base` a branch
      const branched = base.set('a', 1).set('b', 2);
      expect(branched).toEqual(direct);
      expect(branched.set('b', 3)).not.toEqual(direct);
    });
  });
});
