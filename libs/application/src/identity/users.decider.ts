import { assertNever, conflict, Decider, Message, VersionedMap } from '@jalon/domain';
import { Role } from './roles';

/**
 * Users live in the event store like everything else (one stream), so that a deployment on
 * EventStoreDB or a migrated history keeps its users. Only a hash of each token is stored.
 */
export type UserRegistered = Message<
  'UserRegistered',
  { readonly userId: string; readonly name: string; readonly role: Role; readonly tokenHash: string; readonly effectiveDate: string }
>;
export type UserEvent = UserRegistered;

export type RegisterUser = Message<'RegisterUser', UserRegistered['data']>;
export type UserCommand = RegisterUser;

/** `VersionedMap`s, so that registering a user copies none of the others. */
export interface UsersState {
  readonly byId: VersionedMap<string, UserRegistered['data']>;
  readonly byTokenHash: VersionedMap<string, UserRegistered['data']>;
}

export const usersDecider: Decider<UserCommand, UserEvent, UsersState> = {
  initialState: () => ({ byId: VersionedMap.empty(), byTokenHash: VersionedMap.empty() }),
  decide(command, state) {
    switch (command.type) {
      case 'RegisterUser':
        if (state.byId.has(command.data.userId)) {
          throw conflict('USER.ALREADY_EXISTS', `l’utilisateur ${command.data.userId} existe déjà`, { field: 'name' });
        }
        return [{ type: 'UserRegistered', data: command.data }];
      default:
        return assertNever(command.type);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'UserRegistered':
        return {
          byId: state.byId.set(event.data.userId, event.data),
          byTokenHash: state.byTokenHash.set(event.data.tokenHash, event.data),
        };
      default:
        return assertNever(event.type);
    }
  },
};
