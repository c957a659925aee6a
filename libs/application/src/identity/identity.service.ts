import { streamIdOf } from '@jalon/domain';
import { IsIn } from 'class-validator';
import { createHash, randomBytes } from 'node:crypto';
import { CommandDefinition, defineCommand } from '../command-handling/command-definition';
import { CommandExecutor } from '../command-handling/command-executor';
import { AuthenticationError } from '../errors';
import { Clock, localDate } from '../ports';
import { IsSlug, IsText } from '../validation/text.decorators';
import { validateInput } from '../validation/validate-input';
import { Actor, ADMINS, Role, ROLES } from './roles';
import { usersDecider } from './users.decider';

export const USERS_STREAM = streamIdOf('identity', 'users');

/** The actor of what Jalon writes by itself (the first administrator, for instance). */
export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'Jalon', role: 'admin' };

export class NewUserInput {
  @IsText(100)
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
    const hash = hashToken(token);
    // Users known to this process are served from the cache; an unknown token is looked up again
    // in the store before it is refused, so a user added by another process is known at once.
    const user =
      (await this.executor.current(usersDecider, USERS_STREAM)).state.byTokenHash.get(hash) ??
      (await this.executor.load(usersDecider, USERS_STREAM)).state.byTokenHash.get(hash);
    if (!user) throw new AuthenticationError('jeton d’accès inconnu');
    return { id: user.userId, name: user.name, role: user.role };
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

  async listUsers(): Promise<Actor[]> {
    const { state } = await this.executor.load(usersDecider, USERS_STREAM);
    return [...state.byId.values()].map((u) => ({ id: u.userId, name: u.name, role: u.role }));
  }

  private async register(user: { name: string; role: Role }, by: Actor, expectedRevision?: 'no_stream'): Promise<IssuedToken> {
    const token = `jalon_${randomBytes(32).toString('base64url')}`;
    const userId = slugify(user.name);
    await this.executor.execute(
      registerUser,
      { userId, name: user.name, role: user.role, tokenHash: hashToken(token), effectiveDate: localDate(this.clock.now(), this.timeZone) },
      by,
      expectedRevision ? { expectedRevision } : {},
    );
    return { user: { id: userId, name: user.name, role: user.role }, token };
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function slugify(name: string): string {
  return (
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64) || 'utilisateur'
  );
}
