import { mayReadStream, shownData } from './stream-access';

describe('stream access', () => {
  it('rule: identity and idempotency streams are read by administrators only; the programme’s streams and integrity seals by every role', () => {
    for (const stream of ['identity-users', 'idempotency-0a1b', 'identity-', 'idempotency']) {
      expect([stream, mayReadStream('auditor', stream)]).toEqual([stream, false]);
      expect([stream, mayReadStream('finance', stream)]).toEqual([stream, false]);
      expect([stream, mayReadStream('admin', stream)]).toEqual([stream, true]);
    }
    for (const stream of ['antenna-montbeliard', 'programme-au-coeur-des-territoires', 'integrity-log', 'identityx-users']) {
      expect([stream, mayReadStream('auditor', stream)]).toEqual([stream, true]);
    }
  });

  it('rule: token hashes are left out of every event shown, and nothing else is changed', () => {
    const data = { userId: 'claire-martin', tokenHash: 'a'.repeat(64), effectiveDate: '2024-03-01' };
    expect(shownData(data)).toEqual({ userId: 'claire-martin', effectiveDate: '2024-03-01' });
    expect(data.tokenHash).toBe('a'.repeat(64));
    const other = { antennaId: 'montbeliard' };
    expect(shownData(other)).toBe(other);
    const stored = JSON.parse('{"__proto__":{"x":1},"tokenHash":"h"}') as Record<string, unknown>;
    const shown = shownData(stored);
    expect(Object.keys(shown)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(shown)).toBe(Object.prototype);
  });
});
