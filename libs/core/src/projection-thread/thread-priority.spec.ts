import { getPriority } from 'node:os';
import { lowerThisThread } from './thread-priority';

describe('the projection thread’s scheduling priority (docs/decisions/0033)', () => {
  it('rule: a priority the system refuses leaves the thread at its own and says why, in French, never throwing', () => {
    const before = getPriority(0);
    // Outside the system's range (-20 to 19): refused, as a system refusing it would.
    const priority = lowerThisThread(25);
    expect(priority).toMatchObject({ asked: 25, nice: before, thread: expect.any(Number) });
    expect(priority.reason).toMatch(/^priorité 25 non appliquée au fil des projections \(.+\) : il tourne à la priorité -?\d+ du processus$/);
    expect(getPriority(0)).toBe(before);
  });

  it('rule: asking for the priority the thread already has changes nothing and reports it', () => {
    const before = getPriority(0);
    expect(lowerThisThread(before)).toEqual({ asked: before, nice: before, thread: expect.any(Number) });
    expect(getPriority(0)).toBe(before);
  });
});
