import fastifySecureSession from '@fastify/secure-session';
import { useWriteAheadLog } from '@jalon/event-store';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemorySignOutList, SessionCodec, SignOutList } from './web-sessions';
import { ConfigError, SESSION_KEY_BYTES, sessionKeyOf } from '@jalon/core';

export const SESSION_KEY_FILE = 'session-key';

/**
 * The key that seals dashboard cookies: `JALON_SESSION_KEY` (32 bytes in base64, the same for every
 * instance, judged by the configuration: sessionKeyOf), else `$DATA_DIR/session-key`, created on
 * first start (mode 0600). `undefined` when nothing is kept on disk (tests): a key for this process only.
 */
export function sessionKey(env: NodeJS.ProcessEnv, dataDir: string | undefined): Buffer {
  const given = sessionKeyOf(env);
  if (given !== undefined) return given;
  if (dataDir === undefined) return randomBytes(SESSION_KEY_BYTES);
  const file = join(dataDir, SESSION_KEY_FILE);
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(SESSION_KEY_BYTES).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      // Another instance created it at the same moment: read theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return keptSessionKey(file)!;
}

/**
 * The key kept in `file`, or undefined when there is none yet; refused in French naming the file
 * when it cannot be read (a folder in its place) or holds no key. `jalon serve` asks it before
 * anything is created (existingSessionKey).
 */
function keptSessionKey(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    const why = code === 'EISDIR' ? 'c’est un dossier, pas un fichier' : `il ne peut pas être lu (${code ?? String(error)})`;
    throw new ConfigError(`la clé des sessions du tableau de bord, ${file}, ne peut pas être lue : ${why} ; remettez le fichier de sauvegarde, ou supprimez-le pour en créer une nouvelle (les sessions ouvertes prennent fin)`);
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== SESSION_KEY_BYTES) {
    throw new ConfigError(
      `${file} ne contient pas une clé de ${SESSION_KEY_BYTES} octets en base64 : remettez le fichier de sauvegarde, ou supprimez-le pour en créer une nouvelle (les sessions ouvertes prennent fin)`,
    );
  }
  return key;
}

/** Refuses, before anything is created, a `$DATA_DIR/session-key` that is there and cannot be used (unused when JALON_SESSION_KEY is set). */
export function existingSessionKey(env: NodeJS.ProcessEnv, dataDir: string): void {
  if (sessionKeyOf(env) === undefined) keptSessionKey(join(dataDir, SESSION_KEY_FILE));
}

const NAMES = { session: 'jalonSession', signIn: 'jalonSignIn' } as const;

interface SecureSessionDecorations {
  createSecureSession(data: object): unknown;
  encodeSecureSession(session: unknown, sessionName: string): string;
  decodeSecureSession(cookie: string, log: unknown, sessionName: string): { data(): Record<string, unknown> } | null;
}

/**
 * Registers `@fastify/secure-session` (XSalsa20-Poly1305 with the key) and returns a codec over its
 * encode/decode. Jalon writes its cookies itself (names, paths, `Secure` behind a proxy), so the
 * plugin's own cookie names are ones no browser sends.
 *
 * The plugin is registered in a scope of its own that holds no route: its hooks (and those of
 * `@fastify/cookie`, which it brings), which parse cookies and open sessions Jalon never reads,
 * then run on no request, and an API request pays nothing for the dashboard's sessions.
 */
export async function registerSecureSessions(fastify: FastifyInstance, key: Buffer, maxHours: number): Promise<SessionCodec> {
  const expiry = maxHours * 3600 + 60;
  let scope: FastifyInstance | undefined;
  await fastify.register(async (child) => {
    await child.register(fastifySecureSession, [
      { sessionName: NAMES.session, cookieName: '__jalon_unused_session', key, expiry, cookie: { path: '/' } },
      { sessionName: NAMES.signIn, cookieName: '__jalon_unused_sign_in', key, expiry, cookie: { path: '/' } },
    ]);
    scope = child;
  });
  if (!scope) throw new Error('@fastify/secure-session was not registered');
  const decorated = scope as unknown as SecureSessionDecorations;
  return {
    // Both kinds share the key: each says what it is, so that one cannot pass for the other.
    seal: (kind, data) => decorated.encodeSecureSession(decorated.createSecureSession({ ...data, kind }), NAMES[kind]),
    open: (kind, value) => {
      let data: Record<string, unknown> | undefined;
      try {
        data = decorated.decodeSecureSession(value, fastify.log, NAMES[kind])?.data();
      } catch {
        return undefined;
      }
      if (data?.kind !== kind) return undefined;
      const { kind: _kind, ...rest } = data;
      return rest;
    },
  };
}

/**
 * The sign-out list in the read-model database (a table of its own, shared by the instances that
 * share the file): one indexed lookup per dashboard request. That file may be unwritable (a full
 * or read-only disk): the service must start and sign people out all the same, so every sign-out
 * is also kept in this process's memory, and the table is opened again at most every few seconds
 * until it works; the sign-outs made meanwhile are then written to it, so that a restart or another
 * instance still refuses their cookies. Meanwhile another instance may not see a sign-out made here.
 */
export class SqliteSignOutList implements SignOutList {
  private table: SignOutTable | undefined;
  private nextAttempt = 0;
  private readonly memory = new InMemorySignOutList();

  constructor(
    private readonly file: string,
    /** Milliseconds since the epoch; tests move time forward. */
    private readonly now: () => number = Date.now,
  ) {
    this.open();
  }

  add(id: string, until: number): void {
    this.memory.add(id, until);
    this.use((table) => table.insert.run(id, until));
  }

  has(id: string): boolean {
    return this.memory.has(id) || this.use((table) => table.find.get(id) !== undefined) === true;
  }

  sweep(now: number): void {
    this.memory.sweep(now);
    this.use((table) => table.purge.run(now));
  }

  close(): void {
    this.table?.db.close();
    this.table = undefined;
  }

  private use<T>(work: (table: SignOutTable) => T): T | undefined {
    const table = this.table ?? this.open();
    if (!table) return undefined;
    try {
      return work(table);
    } catch {
      this.close();
      this.nextAttempt = this.now() + RETRY_MS;
      return undefined;
    }
  }

  private open(): SignOutTable | undefined {
    if (this.now() < this.nextAttempt) return undefined;
    let db: Database.Database | undefined;
    try {
      db = new Database(this.file);
      useWriteAheadLog(db);
      db.exec('CREATE TABLE IF NOT EXISTS web_sign_outs (id TEXT PRIMARY KEY, until INTEGER NOT NULL) WITHOUT ROWID');
      this.table = {
        db,
        insert: db.prepare('INSERT OR REPLACE INTO web_sign_outs (id, until) VALUES (?, ?)'),
        find: db.prepare('SELECT 1 FROM web_sign_outs WHERE id = ?'),
        purge: db.prepare('DELETE FROM web_sign_outs WHERE until < ?'),
      };
      // Sign-outs made while the table could not be used (none on the first opening).
      const { insert } = this.table;
      db.transaction(() => {
        for (const [id, until] of this.memory.entries()) insert.run(id, until);
      })();
      return this.table;
    } catch {
      this.table = undefined;
      db?.close();
      this.nextAttempt = this.now() + RETRY_MS;
      return undefined;
    }
  }
}

/** How long an unusable sign-out table is left alone before it is opened again. */
const RETRY_MS = 5_000;

interface SignOutTable {
  readonly db: Database.Database;
  readonly insert: Database.Statement<[string, number]>;
  readonly find: Database.Statement<[string]>;
  readonly purge: Database.Statement<[number]>;
}
