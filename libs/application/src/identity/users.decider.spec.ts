import { fold } from '@jalon/domain';
import { RegisterUser, UserRegistered, usersDecider } from './users.decider';

const registered = (userId: string, tokenHash: string): UserRegistered => ({
  type: 'UserRegistered',
  data: { userId, name: userId, role: 'finance', tokenHash, effectiveDate: '2024-03-01' },
});
const claire = registered('claire-martin', 'hash-claire');
const paul = registered('paul-durand', 'hash-paul');
const register = (event: UserRegistered): RegisterUser => ({ type: 'RegisterUser', data: event.data });

describe('users decider', () => {
  it('registers a new user', () => {
    expect(usersDecider.decide(register(claire), fold(usersDecider, []))).toEqual([claire]);
  });

  it('rule: a user id is registered once (USER.ALREADY_EXISTS)', () => {
    const again = registered('claire-martin', 'another-hash');
    expect(() => usersDecider.decide(register(again), fold(usersDecider, [claire]))).toThrow(
      expect.objectContaining({ code: 'USER.ALREADY_EXISTS', kind: 'conflict' }),
    );
  });

  it('finds a user by id and by token hash, and lists users in the order they were registered', () => {
    const state = fold(usersDecider, [claire, paul]);
    expect(state.byId.get('paul-durand')).toEqual(paul.data);
    expect(state.byTokenHash.get('hash-claire')).toEqual(claire.data);
    expect(state.byTokenHash.get('hash-unknown')).toBeUndefined();
    expect([...state.byId.values()].map((user) => user.userId)).toEqual(['claire-martin', 'paul-durand']);
  });

  it('rule: evolving a state leaves it unchanged, so a cached state may be evolved twice (after a lost race)', () => {
    const state = fold(usersDecider, [claire]);
    const withPaul = usersDecider.evolve(state, paul);
    const withOther = usersDecider.evolve(state, registered('zoe-leroy', 'hash-zoe'));
    expect([...state.byId.keys()]).toEqual(['claire-martin']);
    expect([...withPaul.byId.keys()]).toEqual(['claire-martin', 'paul-durand']);
    expect([...withOther.byId.keys()]).toEqual(['claire-martin', 'zoe-leroy']);
    expect(withOther.byTokenHash.has('hash-paul')).toBe(false);
  });
});
