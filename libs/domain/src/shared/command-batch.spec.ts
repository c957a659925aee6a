import { batchDecider, CommandBatch, Decider, decideEach } from './decider';
import { DomainError, ruleBroken } from './domain-error';

/** A counter that accepts positive additions only: enough to see each command decided on the state the previous ones left. */
type Add = { readonly type: 'Add'; readonly data: { readonly amount: number; readonly atMost?: number } };
type Added = { readonly type: 'Added'; readonly data: { readonly amount: number } };
const counter: Decider<Add, Added, number> = {
  decide: ({ data }, total) => {
    if (data.amount <= 0) throw ruleBroken('MONEY.NOT_POSITIVE_CENTS', 'positive only', { field: 'amount' });
    if (data.atMost !== undefined && total + data.amount > data.atMost) throw ruleBroken('FUNDING.RELEASE_EXCEEDS_COMMITMENT', 'too much');
    return [{ type: 'Added', data: { amount: data.amount } }];
  },
  evolve: (total, event) => total + event.data.amount,
  initialState: () => 0,
};
const add = (amount: number, atMost?: number): Add => ({ type: 'Add', data: { amount, ...(atMost === undefined ? {} : { atMost }) } });
const batch = (...commands: Add[]): CommandBatch<Add> => ({ type: 'CommandBatch', data: { field: 'rows', commands } });

describe('a batch of commands decided as one decision', () => {
  it('rule: each command is decided on the state the previous ones left, and all their events come out together', () => {
    expect(batchDecider(counter).decide(batch(add(2), add(3, 5)), 0)).toEqual([
      { type: 'Added', data: { amount: 2 } },
      { type: 'Added', data: { amount: 3 } },
    ]);
  });

  it('rule: one refused command refuses the batch, its field prefixed with its place', () => {
    const refusal = (() => {
      try {
        batchDecider(counter).decide(batch(add(2), add(-1), add(-4)), 0);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'MONEY.NOT_POSITIVE_CENTS', details: { field: 'rows[1].amount', index: 1 } });
  });

  it('rule: deciding each lists every refusal, a refused command leaving the state as it was for the next', () => {
    const outcome = decideEach(counter, [add(4), add(-1), add(2, 5), add(1, 5)], 0);
    expect(outcome.refusals.map(({ index, error }) => [index, error.code])).toEqual([
      [1, 'MONEY.NOT_POSITIVE_CENTS'],
      [2, 'FUNDING.RELEASE_EXCEEDS_COMMITMENT'],
    ]);
    expect(outcome.state).toBe(5);
    expect(outcome.decided.map((events) => events.length)).toEqual([1, 0, 0, 1]);
  });

  it('rule: a check of each command’s events (a date in the future) refuses that command only', () => {
    const outcome = decideEach(counter, [add(1), add(7), add(1)], 0, (events) => {
      if (events.some((event) => event.data.amount > 5)) throw ruleBroken('EVENT.EFFECTIVE_DATE_IN_FUTURE', 'checked');
    });
    expect(outcome.refusals.map(({ index }) => index)).toEqual([1]);
    expect(outcome.events).toHaveLength(2);
  });
});
