import { IdentityService, SYSTEM_ACTOR } from '@jalon/application';
import { ready } from '@jalon/api';
import { loadConfig } from '@jalon/core';
import { EventStore } from '@jalon/event-store';
import { INestApplication } from '@nestjs/common';
import { createJalonApp } from '@jalon/web';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

export interface StoreUnderTest {
  readonly store: EventStore;
  /** Files holding the store's data, when it has any: "nothing written" is then checked byte for byte. */
  readonly files?: readonly string[];
  dispose(): Promise<void>;
}

export interface ApiUnderTest {
  readonly app: INestApplication;
  readonly http: ReturnType<INestApplication['getHttpServer']>;
  readonly store: EventStore;
  readonly tokens: Readonly<Record<'admin' | 'programme-manager' | 'finance' | 'auditor', string>>;
  /** A digest of every event in the store, in order, and of its files: equal digests mean nothing was written. */
  fingerprint(): Promise<string>;
  close(): Promise<void>;
}

/** The clock the HTTP tests run at: effective dates after this day are "in the future". */
export const TEST_NOW = new Date('2026-01-15T10:00:00Z');

/** `dataDir`: for what keeps files beside the store (the seal key, when a test seals the log); none by default. */
export async function startApi(openStore: () => Promise<StoreUnderTest>, options: { readonly dataDir?: string; readonly env?: NodeJS.ProcessEnv } = {}): Promise<ApiUnderTest> {
  const { store, dispose, files = [] } = await openStore();
  const app = await createJalonApp({
    config: loadConfig({ ...options.env, DATA_DIR: options.dataDir ?? '/nonexistent-the-store-is-given' }),
    store,
    readModelsFile: ':memory:',
    clock: { now: () => TEST_NOW },
    logger: false,
  });
  await app.init();
  await ready(app);
  const identity = app.get(IdentityService);
  const admin = await identity.bootstrapAdmin();
  if (!admin) throw new Error('the test store was not empty');
  const add = async (name: string, role: string) => (await identity.addUser({ name, role }, SYSTEM_ACTOR)).token;
  const tokens = {
    admin: admin.token,
    'programme-manager': await add('Claire Martin', 'programme-manager'),
    finance: await add('Julien Bernard', 'finance'),
    auditor: await add('Inès Auditrice', 'auditor'),
  };
  return {
    app,
    http: app.getHttpServer(),
    store,
    tokens,
    async fingerprint() {
      const hash = createHash('sha256');
      for await (const event of store.readAll()) hash.update(JSON.stringify({ ...event, position: event.position.toString() }));
      for (const file of files) hash.update(existsSync(file) ? readFileSync(file) : 'absent');
      return hash.digest('hex');
    },
    async close() {
      await app.close();
      await dispose();
    },
  };
}
