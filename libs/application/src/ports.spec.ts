import { timeOrderedIdGenerator, timeOrderedIds, uuidFromSeed } from './ports';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The Unix milliseconds a version 7 UUID carries in its first 48 bits. */
const millisecondsOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('time-ordered ids (docs/decisions/0034)', () => {
  it('rule: an id is an RFC 9562 UUID of version 7 carrying the clock’s milliseconds', () => {
    const at = Date.UTC(2026, 11, 3, 14, 30, 0, 123);
    const id = timeOrderedIdGenerator(() => at).uuid();
    expect(id).toMatch(UUID_V7);
    expect(millisecondsOf(id)).toBe(at);
  });

  it('rule: ids sort in the order they were made, within one millisecond too', () => {
    const ids = Array.from({ length: 10_000 }, () => timeOrderedIds.uuid());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('rule: ids keep their order when the clock steps back', () => {
    const clock = [5_000, 5_001, 4_000, 4_000, 5_001, 5_002];
    const ids = timeOrderedIdGenerator(() => clock.shift()!);
    const made = Array.from({ length: 6 }, () => ids.uuid());
    expect([...made].sort()).toEqual(made);
    // Made while the clock stood behind: they carry the last millisecond seen, not the clock's.
    expect(made.slice(2, 5).map(millisecondsOf)).toEqual([5_001, 5_001, 5_001]);
    expect(millisecondsOf(made[5]!)).toBe(5_002);
  });

  it('rule: past 4,096 ids in one millisecond, the next ones borrow the following millisecond and stay in order', () => {
    const ids = timeOrderedIdGenerator(() => 7_000);
    const made = Array.from({ length: 4_100 }, () => ids.uuid());
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
    expect(millisecondsOf(made[4_095]!)).toBe(7_000);
    expect(millisecondsOf(made[4_096]!)).toBe(7_001);
    expect(made.every((id) => UUID_V7.test(id))).toBe(true);
  });

  it('rule: an id derived from an idempotency seed stays the same for the same seed (version 8)', () => {
    expect(uuidFromSeed('clé:0')).toBe(uuidFromSeed('clé:0'));
    expect(uuidFromSeed('clé:0')).not.toBe(uuidFromSeed('clé:1'));
    expect(uuidFromSeed('clé:0')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
