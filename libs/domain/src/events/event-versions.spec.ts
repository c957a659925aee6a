import { currentVersionOf, EVENT_VERSIONS, schemaVersionOf } from './event-versions';
import { UPCAST_STEPS } from './upcasting';

describe('event versions', () => {
  it('rule: the four correction events that gained fields in commit 41c8fe2 are at version 2', () => {
    expect({
      ExpenditureReversed: EVENT_VERSIONS.ExpenditureReversed,
      TrancheReleaseReversed: EVENT_VERSIONS.TrancheReleaseReversed,
      BudgetForecastRevised: EVENT_VERSIONS.BudgetForecastRevised,
      LearnersReported: EVENT_VERSIONS.LearnersReported,
    }).toEqual({ ExpenditureReversed: 2, TrancheReleaseReversed: 2, BudgetForecastRevised: 2, LearnersReported: 2 });
  });

  it('rule: every older version of every type has an upcaster to the next one, and no upcaster starts at or beyond its type’s current version', () => {
    const steps = new Set(UPCAST_STEPS.map(({ upcaster }) => `${upcaster.type}@${upcaster.from}`));
    const missing: string[] = [];
    for (const [type, version] of Object.entries(EVENT_VERSIONS)) {
      for (let from = 1; from < version; from++) if (!steps.has(`${type}@${from}`)) missing.push(`${type}@${from}`);
    }
    expect(missing).toEqual([]);
    const dead = UPCAST_STEPS.filter(({ upcaster }) => !(upcaster.from >= 1 && upcaster.from < (currentVersionOf(upcaster.type) ?? 1)));
    expect(dead.map(({ upcaster }) => `${upcaster.type}@${upcaster.from}`)).toEqual([]);
    expect(steps.size).toBe(UPCAST_STEPS.length);
  });

  it('rule: the command path writes each type at its current version, and a type the registry does not know at version 1', () => {
    expect(schemaVersionOf('ExpenditureReversed')).toBe(2);
    expect(schemaVersionOf('ExpenditureRecorded')).toBe(2);
    expect(schemaVersionOf('DocumentAttached')).toBe(1);
    expect(schemaVersionOf('UserRegistered')).toBe(1);
    expect(schemaVersionOf('LogSealed')).toBe(1);
    expect(schemaVersionOf('SomethingOfATest')).toBe(1);
    expect(currentVersionOf('SomethingOfATest')).toBeUndefined();
  });

  it('versions are whole numbers from 1', () => {
    expect(Object.entries(EVENT_VERSIONS).filter(([, version]) => !Number.isInteger(version) || version < 1)).toEqual([]);
  });
});
