import { streamIdOf, todayIn } from '@jalon/domain';
import { IsIn } from 'class-validator';
import { createHash, randomBytes } from 'node:crypto';
import { CommandDefinition, defineCommand } from '../command-handling/command-definition';
import { CommandExecutor } from '../command-handling/command-executor';
import { AuthenticationError } from '../errors';
import { Clock } from '../ports';
import { slugOf } from '../validation/slug-suggestion';
import { IsSlug, IsText, IsUnambiguousName } from '../validation/text.decorators';
import { validateInput } from '../validation/validate-input';
import { Actor, ADMINS, Role, ROLES, SYSTEM_ACTOR_ID } from './roles';
import { accountOfToken, UserAccount, usersDecider, UsersState } from './users.decider';

export const USERS_STREAM = streamIdOf('identity', 'users');

/** The actor of what Jalon writes by itself (the first administrator, for instance). */
export const SYSTEM_ACTOR: Actor = { id: SYSTEM_ACTOR_ID, name: 'Jalon', role: 'admin' };

export class NewUserInput {
  @IsText(100)
  @IsUnambiguousName()
  name!: string;

  @IsIn(ROLES)
  role!: Role;
}

class RegisterUserInput {
  @IsSlug()
  userId!: string;
  @IsText(100)
  name!: string;
  @IsIn(ROLES)
  role!: Role;
  @IsText(64)
  tokenHash!: string;
  @IsText(10)
  effectiveDate!: string;
}

const registerUser: CommandDefinition = defineCommand({
  name: 'RegisterUser',
  summary: 'Enregistrer un utilisateur',
  input: RegisterUserInput,
  roles: ADMINS,
  decider: usersDecider,
  streamId: () => USERS_STREAM,
  toCommand: (input) => ({ type: 'RegisterUser' as const, data: { ...input } }),
});

/** The user a command about one user names (deactivation, reactivation, revocation, rotation). */
class UserIdInput {
  @IsSlug()
  userId!: string;
  @IsText(10)
  effectiveDate!: string;
}

class RotateTokenInput extends UserIdInput {
  @IsText(64)
  tokenHash!: string;
}

const userCommand = (name: 'DeactivateUser' | 'ReactivateUser' | 'RevokeUserToken', summary: string): CommandDefinition =>
  defineCommand({
    name,
    summary,
    input: UserIdInput,
    roles: ADMINS,
    decider: usersDecider,
    streamId: () => USERS_STREAM,
    toCommand: (input) => ({ type: name, data: { userId: input.userId, effectiveDate: input.effectiveDate } }),
  });

const deactivateUser = userCommand('DeactivateUser', 'Désactiver un utilisateur');
const reactivateUser = userCommand('ReactivateUser', 'Réactiver un utilisateur');
const revokeUserToken = userCommand('RevokeUserToken', 'Révoquer le jeton d’un utilisateur');
const rotateUserToken: CommandDefinition = defineCommand({
  name: 'RotateUserToken',
  summary: 'Remplacer le jeton d’un utilisateur',
  input: RotateTokenInput,
  roles: ADMINS,
  decider: usersDecider,
  streamId: () => USERS_STREAM,
  toCommand: (input) => ({ type: 'RotateUserToken' as const, data: { userId: input.userId, tokenHash: input.tokenHash, effectiveDate: input.effectiveDate } }),
});

/** A user as lists show them: never their token or its hash. */
export interface UserSummary extends Actor {
  readonly active: boolean;
  /** Whether the user holds a token that works (revoked until a new one is issued). */
  readonly hasToken: boolean;
}

/** What a dashboard session keeps of the token it was opened with (never the token itself). */
export interface SessionGrant {
  readonly actor: Actor;
  readonly tokenHash: string;
  /** The user's count of deactivations at sign-in (see {@link IdentityService.authenticateHash}). */
  readonly deactivations: number;
}

export interface IssuedToken {
  readonly user: Actor;
  /** Shown once; only its hash is stored. */
  readonly token: string;
}

/**
 * Bearer tokens: random, shown once, stored as SHA-256 hashes (a token has 256 bits of entropy,
 * so a slow password hash would add nothing but latency to every request).
 */
export class IdentityService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  async authenticate(token: string | undefined): Promise<Actor> {
    if (!token) throw new AuthenticationError();
    return this.authenticateHash(hashToken(token));
  }

  /** Checks a token as {@link authenticate} does, and returns what a dashboard session keeps of it. */
  async authenticateForSession(token: string | undefined): Promise<SessionGrant> {
    if (!token) throw new AuthenticationError();
    const tokenHash = hashToken(token);
    const user = await this.accountOfHash(tokenHash);
    return { actor: actorOf(user), tokenHash, deactivations: user.deactivations };
  }

  /**
   * The user a token stands for now, by the token's hash (what a dashboard session keeps): refused
   * when unknown, revoked, replaced, or its user deactivated; and, given the user's count of
   * deactivations when the session began, refused once the user has been deactivated since (even if
   * reactivated after). This process's own changes count at once; another process's (the CLI's) as
   * soon as the log watch sees them (docs/decisions/0009).
   */
  async authenticateHash(hash: string, deactivationsAtSignIn?: number): Promise<Actor> {
    const user = await this.accountOfHash(hash);
    if (deactivationsAtSignIn !== undefined && user.deactivations > deactivationsAtSignIn) {
      throw new AuthenticationError('compte désactivé depuis l’ouverture de la session');
    }
    return actorOf(user);
  }

  private async accountOfHash(hash: string): Promise<UserAccount> {
    // Users known to this process are served from the cache; a token the cache refuses is looked
    // up again in the store before it is refused, so a user added by another process is known at once.
    const user =
      accountOfToken((await this.executor.current(usersDecider, USERS_STREAM)).state, hash) ??
      accountOfToken((await this.executor.load(usersDecider, USERS_STREAM)).state, hash);
    if (!user) throw new AuthenticationError('jeton d’accès inconnu, révoqué ou remplacé, ou compte désactivé');
    return user;
  }

  async addUser(request: unknown, by: Actor): Promise<IssuedToken> {
    const { name, role } = validateInput(NewUserInput, request);
    return this.register({ name, role }, by);
  }

  /** On first start, with no user yet, creates the administrator and returns its token (once). */
  async bootstrapAdmin(): Promise<IssuedToken | undefined> {
    const { revision } = await this.executor.load(usersDecider, USERS_STREAM);
    if (revision !== 'no_stream') return undefined;
    try {
      return await this.register({ name: 'admin', role: 'admin' }, SYSTEM_ACTOR, 'no_stream');
    } catch (error) {
      // Another process created the first administrator at the same moment: it printed the token.
      if ((error as { code?: string }).code === 'STREAM.WRONG_EXPECTED_REVISION') return undefined;
      throw error;
    }
  }

  async listUsers(): Promise<UserSummary[]> {
    const { state } = await this.executor.load(usersDecider, USERS_STREAM);
    return [...state.byId.values()].map(summaryOf);
  }

  /** Refuses the user's token until reactivation; the last active administrator cannot be deactivated. */
  async deactivateUser(userId: unknown, by: Actor): Promise<UserSummary> {
    return this.change(deactivateUser, userId, by);
  }

  async reactivateUser(userId: unknown, by: Actor): Promise<UserSummary> {
    return this.change(reactivateUser, userId, by);
  }

  /** The user's token stops working at once; they have none until a new one is issued. */
  async revokeToken(userId: unknown, by: Actor): Promise<UserSummary> {
    return this.change(revokeUserToken, userId, by);
  }

  /** Issues a new token (shown once) and revokes the user's previous one. */
  async rotateToken(userId: unknown, by: Actor): Promise<IssuedToken> {
    const token = newToken();
    const state = await this.changed(rotateUserToken, { userId, tokenHash: hashToken(token) }, by);
    return { user: actorOf(state.byId.get(String(userId))!), token };
  }

  private async change(definition: CommandDefinition, userId: unknown, by: Actor): Promise<UserSummary> {
    const state = await this.changed(definition, { userId }, by);
    return summaryOf(state.byId.get(String(userId))!);
  }

  private async changed(definition: CommandDefinition, input: Record<string, unknown>, by: Actor): Promise<UsersState> {
    await this.executor.execute(definition, { ...input, effectiveDate: todayIn(this.clock.now(), this.timeZone) }, by);
    return (await this.executor.load(usersDecider, USERS_STREAM)).state;
  }

  private async register(user: { name: string; role: Role }, by: Actor, expectedRevision?: 'no_stream'): Promise<IssuedToken> {
    const token = newToken();
    const userId = userIdOf(user.name);
    await this.executor.execute(
      registerUser,
      { userId, name: user.name, role: user.role, tokenHash: hashToken(token), effectiveDate: todayIn(this.clock.now(), this.timeZone) },
      by,
      expectedRevision ? { expectedRevision } : {},
    );
    return { user: { id: userId, name: user.name, role: user.role }, token };
  }
}

function newToken(): string {
  return `jalon_${randomBytes(32).toString('base64url')}`;
}

function actorOf(account: UserAccount): Actor {
  return { id: account.userId, name: account.name, role: account.role };
}

function summaryOf(account: UserAccount): UserSummary {
  return { ...actorOf(account), active: account.active, hasToken: account.tokenHash !== null };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * A user's id: the slug of their name (the one slug rule, shared with the forms). A name that gives
 * none (written in another script: `中文`, or without a letter) gets `utilisateur-` and the first
 * 8 hex digits of the SHA-256 of the name as typed (trimmed): the same name, the same id (so that it
 * is refused as already taken), two different names, two ids. Before, they all got `utilisateur`,
 * and the second was refused as a name already taken.
 */
export function userIdOf(name: string): string {
  return slugOf(name) || `utilisateur-${createHash('sha256').update(name.trim(), 'utf8').digest('hex').slice(0, 8)}`;
}
