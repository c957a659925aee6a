import { demoEvents, dayAfter } from './demo-history';

describe('demo history fixture', () => {
  it('records every step of the demo, each on the day after it took effect', async () => {
    const events = await demoEvents();
    const inaugurated = events.find((e) => e.type === 'AntennaInaugurated')!;
    expect(inaugurated.data.effectiveDate).toBe('2022-06-22');
    expect(inaugurated.metadata.recordedAt).toBe(dayAfter('2022-06-22').toISOString());
    expect(events.filter((e) => e.type === 'BudgetTrancheReleased')).toHaveLength(4);
  });
});
