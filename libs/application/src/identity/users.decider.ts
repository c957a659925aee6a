import { assertNever, conflict, Decider, Message } from '@jalon/domain';
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

export interface UsersState {
  readonly byId: ReadonlyMap<string, UserRegistered['data']>;
  readonly byTokenHash: ReadonlyMap<string, UserRegistered['data']>;
}

export const usersDecider: Decider<UserCommand, UserEvent, UsersState> = {
  initialState: () => ({ byId: new Map(), byTokenHash: new Map() }),
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
          byId: new Map(state.byId).set(event.data.userId, event.data),
          byTokenHash: new Map(state.byTokenHash).set(event.data.tokenHash, event.data),
        };
      default:
        return assertNever(event.type);
    }
  },
};
