import { localDate } from './ports';

describe('localDate', () => {
  it('rule: the local date turns exactly at local midnight, however often it is asked around it', () => {
    const at = (iso: string) => localDate(new Date(iso), 'Europe/Paris');
    expect(at('2024-03-30T22:59:59.000Z')).toBe('2024-03-30');
    expect(at('2024-03-30T22:59:59.999Z')).toBe('2024-03-30');
    expect(at('2024-03-30T23:00:00.000Z')).toBe('2024-03-31');
    // Summer time: midnight in Paris is 22:00 UTC.
    expect(at('2024-06-30T21:59:59.999Z')).toBe('2024-06-30');
    expect(at('2024-06-30T22:00:00.000Z')).toBe('2024-07-01');
    expect(at('2024-06-30T21:59:59.500Z')).toBe('2024-06-30');
  });

  it('keeps each time zone apart', () => {
    const now = new Date('2024-06-30T22:30:00Z');
    expect(localDate(now, 'Europe/Paris')).toBe('2024-07-01');
    expect(localDate(now, 'UTC')).toBe('2024-06-30');
    expect(localDate(now, 'Europe/Paris')).toBe('2024-07-01');
  });
});
