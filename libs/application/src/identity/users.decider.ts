import { assertNever, conflict, Decider, Message, notFound, ruleBroken, VersionedMap } from '@jalon/domain';
import { RESERVED_ACTOR_IDS, Role } from './roles';

/**
 * Users live in the event store like everything else (one stream), so that a deployment on
 * EventStoreDB or a migrated history keeps its users. Only a hash of each token is stored, and
 * no read lets it out (see `stream-access.ts`).
 *
 * A user holds at most one token at a time: issuing one (rotation) revokes the one before, and a
 * revoked token never works again. A deactivated user keeps their token but it is refused until
 * they are reactivated.
 */
export type UserRegistered = Message<
  'UserRegistered',
  { readonly userId: string; readonly name: string; readonly role: Role; readonly tokenHash: string; readonly effectiveDate: string }
>;
export type UserDeactivated = Message<'UserDeactivated', { readonly userId: string; readonly effectiveDate: string }>;
export type UserReactivated = Message<'UserReactivated', { readonly userId: string; readonly effectiveDate: string }>;
export type UserTokenRevoked = Message<'UserTokenRevoked', { readonly userId: string; readonly effectiveDate: string }>;
export type UserTokenIssued = Message<'UserTokenIssued', { readonly userId: string; readonly tokenHash: string; readonly effectiveDate: string }>;
export type UserEvent = UserRegistered | UserDeactivated | UserReactivated | UserTokenRevoked | UserTokenIssued;

export type RegisterUser = Message<'RegisterUser', UserRegistered['data']>;
export type DeactivateUser = Message<'DeactivateUser', UserDeactivated['data']>;
export type ReactivateUser = Message<'ReactivateUser', UserReactivated['data']>;
export type RevokeUserToken = Message<'RevokeUserToken', UserTokenRevoked['data']>;
/** Revokes the user's token, if any, and issues the one whose hash it carries. */
export type RotateUserToken = Message<'RotateUserToken', UserTokenIssued['data']>;
export type UserCommand = RegisterUser | DeactivateUser | ReactivateUser | RevokeUserToken | RotateUserToken;

export interface UserAccount {
  readonly userId: string;
  readonly name: string;
  readonly role: Role;
  readonly active: boolean;
  /** The hash of the one token that works, or null once it is revoked (until a new one is issued). */
  readonly tokenHash: string | null;
  /**
   * How many times the user was deactivated: a dashboard session keeps the count it began with, and
   * ends once it grows, even if the user was reactivated before the session's next request.
   */
  readonly deactivations: number;
}

/** `VersionedMap`s, so that a change to one user copies none of the others. */
export interface UsersState {
  readonly byId: VersionedMap<string, UserAccount>;
  /**
   * Every token hash ever issued, to the user it was issued to. A map never forgets, so a revoked
   * hash stays here: a token is good only while it is its user's current one (see {@link accountOfToken}).
   */
  readonly byTokenHash: VersionedMap<string, string>;
}

/** The active user whose current token has this hash, if any. */
export function accountOfToken(state: UsersState, tokenHash: string): UserAccount | undefined {
  const userId = state.byTokenHash.get(tokenHash);
  const account = userId === undefined ? undefined : state.byId.get(userId);
  return account && account.active && account.tokenHash === tokenHash ? account : undefined;
}

function existing(state: UsersState, userId: string): UserAccount {
  const account = state.byId.get(userId);
  if (!account) throw notFound('USER.NOT_FOUND', `aucun utilisateur n’a l’identifiant ${userId}`, { field: 'userId' });
  return account;
}

/**
 * Whether another administrator than `userId` can still act: active and holding a token. Deactivation
 * and revocation both keep one such administrator, so users can always be managed over HTTP (an
 * active administrator without a token counts for neither: no one could give them one but an administrator).
 */
function anotherWorkingAdmin(state: UsersState, userId: string): boolean {
  for (const account of state.byId.values()) {
    if (account.userId !== userId && account.role === 'admin' && account.active && account.tokenHash !== null) return true;
  }
  return false;
}

function assertUnusedToken(state: UsersState, tokenHash: string): void {
  if (state.byTokenHash.has(tokenHash)) throw conflict('USER.TOKEN_ALREADY_USED', 'ce jeton a déjà été attribué : il ne peut pas servir une seconde fois');
}

export const usersDecider: Decider<UserCommand, UserEvent, UsersState> = {
  initialState: () => ({ byId: VersionedMap.empty(), byTokenHash: VersionedMap.empty() }),
  decide(command, state) {
    switch (command.type) {
      case 'RegisterUser':
        if (state.byId.has(command.data.userId)) {
          throw conflict('USER.ALREADY_EXISTS', `l’utilisateur ${command.data.userId} existe déjà`, { field: 'name' });
        }
        if (RESERVED_ACTOR_IDS.includes(command.data.userId)) {
          throw conflict('USER.ALREADY_EXISTS', `l’identifiant ${command.data.userId} est celui sous lequel Jalon enregistre ses propres écritures : donnez un autre nom`, {
            field: 'name',
          });
        }
        assertUnusedToken(state, command.data.tokenHash);
        return [{ type: 'UserRegistered', data: command.data }];
      case 'DeactivateUser': {
        const account = existing(state, command.data.userId);
        if (!account.active) return [];
        if (account.role === 'admin' && !anotherWorkingAdmin(state, account.userId)) {
          throw ruleBroken('USER.LAST_ADMIN', 'le dernier administrateur actif muni d’un jeton ne peut pas être désactivé : activez ou créez d’abord un autre administrateur, ou donnez un nouveau jeton à un administrateur actif', {
            field: 'userId',
          });
        }
        return [{ type: 'UserDeactivated', data: command.data }];
      }
      case 'ReactivateUser':
        return existing(state, command.data.userId).active ? [] : [{ type: 'UserReactivated', data: command.data }];
      case 'RevokeUserToken': {
        const account = existing(state, command.data.userId);
        if (account.tokenHash === null) return [];
        if (account.role === 'admin' && account.active && !anotherWorkingAdmin(state, account.userId)) {
          throw ruleBroken(
            'USER.LAST_ADMIN',
            'le jeton du dernier administrateur actif ne peut pas être révoqué sans être remplacé : demandez plutôt un nouveau jeton',
            { field: 'userId' },
          );
        }
        return [{ type: 'UserTokenRevoked', data: command.data }];
      }
      case 'RotateUserToken': {
        const account = existing(state, command.data.userId);
        if (account.tokenHash === command.data.tokenHash) return [];
        assertUnusedToken(state, command.data.tokenHash);
        const { userId, effectiveDate } = command.data;
        return [
          ...(account.tokenHash === null ? [] : [{ type: 'UserTokenRevoked' as const, data: { userId, effectiveDate } }]),
          { type: 'UserTokenIssued', data: command.data },
        ];
      }
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'UserRegistered': {
        const { userId, name, role, tokenHash } = event.data;
        return {
          byId: state.byId.set(userId, { userId, name, role, active: true, tokenHash, deactivations: 0 }),
          byTokenHash: state.byTokenHash.set(tokenHash, userId),
        };
      }
      case 'UserDeactivated':
        return withAccount(state, event.data.userId, (account) => ({ ...account, active: false, deactivations: account.deactivations + 1 }));
      case 'UserReactivated':
        return withAccount(state, event.data.userId, (account) => ({ ...account, active: true }));
      case 'UserTokenRevoked':
        return withAccount(state, event.data.userId, (account) => ({ ...account, tokenHash: null }));
      case 'UserTokenIssued': {
        const { userId, tokenHash } = event.data;
        const changed = withAccount(state, userId, (account) => ({ ...account, tokenHash }));
        return { ...changed, byTokenHash: changed.byTokenHash.set(tokenHash, userId) };
      }
      default:
        return assertNever(event);
    }
  },
};

function withAccount(state: UsersState, userId: string, change: (account: UserAccount) => UserAccount): UsersState {
  const account = state.byId.get(userId);
  // An event about a user the stream never registered cannot have been decided here: skip it.
  return account ? { ...state, byId: state.byId.set(userId, change(account)) } : state;
}
