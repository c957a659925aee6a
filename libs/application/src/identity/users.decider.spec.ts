import { fold } from '@jalon/domain';
import { Role } from './roles';
import { accountOfToken, RegisterUser, UserEvent, UserRegistered, usersDecider } from './users.decider';

const registered = (userId: string, tokenHash: string, role: Role = 'finance'): UserRegistered => ({
  type: 'UserRegistered',
  data: { userId, name: userId, role, tokenHash, effectiveDate: '2024-03-01' },
});
const claire = registered('claire-martin', 'hash-claire');
const paul = registered('paul-durand', 'hash-paul');
const admin = registered('admin', 'hash-admin', 'admin');
const register = (event: UserRegistered): RegisterUser => ({ type: 'RegisterUser', data: event.data });
const on = { effectiveDate: '2024-03-02' };
const deactivated = (userId: string): UserEvent => ({ type: 'UserDeactivated', data: { userId, ...on } });
const revoked = (userId: string): UserEvent => ({ type: 'UserTokenRevoked', data: { userId, ...on } });
const issued = (userId: string, tokenHash: string): UserEvent => ({ type: 'UserTokenIssued', data: { userId, tokenHash, ...on } });

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
    expect(state.byId.get('paul-durand')).toEqual({ userId: 'paul-durand', name: 'paul-durand', role: 'finance', active: true, tokenHash: 'hash-paul', deactivations: 0 });
    expect(accountOfToken(state, 'hash-claire')?.userId).toBe('claire-martin');
    expect(accountOfToken(state, 'hash-unknown')).toBeUndefined();
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

  it('rule: a deactivated user’s token is refused until the user is reactivated; repeats change nothing', () => {
    const given = [admin, claire];
    expect(usersDecider.decide({ type: 'DeactivateUser', data: { userId: 'claire-martin', ...on } }, fold(usersDecider, given))).toEqual([deactivated('claire-martin')]);
    const off = fold(usersDecider, [...given, deactivated('claire-martin')]);
    expect(accountOfToken(off, 'hash-claire')).toBeUndefined();
    expect(usersDecider.decide({ type: 'DeactivateUser', data: { userId: 'claire-martin', ...on } }, off)).toEqual([]);
    const reactivated: UserEvent = { type: 'UserReactivated', data: { userId: 'claire-martin', ...on } };
    expect(usersDecider.decide({ type: 'ReactivateUser', data: { userId: 'claire-martin', ...on } }, off)).toEqual([reactivated]);
    expect(accountOfToken(usersDecider.evolve(off, reactivated), 'hash-claire')).toMatchObject({ userId: 'claire-martin', deactivations: 1 });
    expect(usersDecider.decide({ type: 'ReactivateUser', data: { userId: 'claire-martin', ...on } }, fold(usersDecider, given))).toEqual([]);
  });

  it('rule: the last active administrator cannot be deactivated, nor lose their token without a new one (USER.LAST_ADMIN)', () => {
    const alone = fold(usersDecider, [admin, claire]);
    expect(() => usersDecider.decide({ type: 'DeactivateUser', data: { userId: 'admin', ...on } }, alone)).toThrow(
      expect.objectContaining({ code: 'USER.LAST_ADMIN', kind: 'rule' }),
    );
    expect(() => usersDecider.decide({ type: 'RevokeUserToken', data: { userId: 'admin', ...on } }, alone)).toThrow(
      expect.objectContaining({ code: 'USER.LAST_ADMIN' }),
    );
    // A second administrator who is deactivated does not count; an active one does.
    const second = registered('second-admin', 'hash-second', 'admin');
    expect(() => usersDecider.decide({ type: 'DeactivateUser', data: { userId: 'admin', ...on } }, fold(usersDecider, [admin, second, deactivated('second-admin')]))).toThrow(
      expect.objectContaining({ code: 'USER.LAST_ADMIN' }),
    );
    expect(usersDecider.decide({ type: 'DeactivateUser', data: { userId: 'admin', ...on } }, fold(usersDecider, [admin, second]))).toEqual([deactivated('admin')]);
    // Rotating the last administrator's token is always possible.
    expect(usersDecider.decide({ type: 'RotateUserToken', data: { userId: 'admin', tokenHash: 'hash-new', ...on } }, alone)).toEqual([revoked('admin'), issued('admin', 'hash-new')]);
  });

  it('rule: an administrator may be deactivated only while another active administrator holds a working token (USER.LAST_ADMIN)', () => {
    const second = registered('second-admin', 'hash-second', 'admin');
    const tokenless = fold(usersDecider, [admin, second, revoked('second-admin')]);
    expect(() => usersDecider.decide({ type: 'DeactivateUser', data: { userId: 'admin', ...on } }, tokenless)).toThrow(
      expect.objectContaining({ code: 'USER.LAST_ADMIN', kind: 'rule' }),
    );
    // The administrator without a token may go; once given a new one, so may the first.
    expect(usersDecider.decide({ type: 'DeactivateUser', data: { userId: 'second-admin', ...on } }, tokenless)).toEqual([deactivated('second-admin')]);
    const reissued = fold(usersDecider, [admin, second, revoked('second-admin'), issued('second-admin', 'hash-second-2')]);
    expect(usersDecider.decide({ type: 'DeactivateUser', data: { userId: 'admin', ...on } }, reissued)).toEqual([deactivated('admin')]);
  });

  it('rule: a revoked token never works again; a rotation revokes the old token and issues the new one', () => {
    const given = [admin, claire];
    expect(usersDecider.decide({ type: 'RevokeUserToken', data: { userId: 'claire-martin', ...on } }, fold(usersDecider, given))).toEqual([revoked('claire-martin')]);
    const withoutToken = fold(usersDecider, [...given, revoked('claire-martin')]);
    expect(accountOfToken(withoutToken, 'hash-claire')).toBeUndefined();
    expect(usersDecider.decide({ type: 'RevokeUserToken', data: { userId: 'claire-martin', ...on } }, withoutToken)).toEqual([]);
    expect(usersDecider.decide({ type: 'RotateUserToken', data: { userId: 'claire-martin', tokenHash: 'hash-2', ...on } }, withoutToken)).toEqual([issued('claire-martin', 'hash-2')]);

    const rotated = fold(usersDecider, [...given, revoked('claire-martin'), issued('claire-martin', 'hash-2')]);
    expect(accountOfToken(rotated, 'hash-2')?.userId).toBe('claire-martin');
    expect(accountOfToken(rotated, 'hash-claire')).toBeUndefined();
    // The same rotation again is a repeat; an old hash cannot be issued again (USER.TOKEN_ALREADY_USED).
    expect(usersDecider.decide({ type: 'RotateUserToken', data: { userId: 'claire-martin', tokenHash: 'hash-2', ...on } }, rotated)).toEqual([]);
    expect(() => usersDecider.decide({ type: 'RotateUserToken', data: { userId: 'claire-martin', tokenHash: 'hash-claire', ...on } }, rotated)).toThrow(
      expect.objectContaining({ code: 'USER.TOKEN_ALREADY_USED', kind: 'conflict' }),
    );
  });

  it('rule: a command about an unknown user is refused (USER.NOT_FOUND)', () => {
    for (const type of ['DeactivateUser', 'ReactivateUser', 'RevokeUserToken'] as const) {
      expect(() => usersDecider.decide({ type, data: { userId: 'personne', ...on } }, fold(usersDecider, [admin]))).toThrow(
        expect.objectContaining({ code: 'USER.NOT_FOUND', kind: 'not-found' }),
      );
    }
  });
});
