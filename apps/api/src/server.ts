import { IdentityService } from '@jalon/application';
import { assertDataDirWritable, existingSealKey, JalonConfig, LogIntegrityService } from '@jalon/core';
import { INestApplication } from '@nestjs/common';
import { createServer } from 'node:net';
import { createApiApp } from './create-api-app';
import { HttpExtension } from './http/http-extension';

/**
 * Starts the HTTP service: on first start with no user, creates the administrator and prints its
 * token once; then listens and prints where. `extensions` are served on the same port (`jalon serve`
 * mounts the dashboard, apps/web).
 */
export async function startServer(config: JalonConfig, print: (line: string) => void = console.log, extensions: readonly HttpExtension[] = []): Promise<INestApplication> {
  // A port already taken (or an address not of this machine) is refused first, before anything is
  // created or printed: not after the first administrator's token, shown only once, was printed.
  await assertCanListen(config);
  assertDataDirWritable(config);
  // A seal key that cannot be read (a folder in its place) is refused, naming the file, before
  // anything is written: not after the first administrator's token, printed only once, was shown.
  existingSealKey(config);
  for (const extension of extensions) extension.assertCanStart?.(config);
  const app = await createApiApp({ config }, extensions);
  const admin = await app.get(IdentityService).bootstrapAdmin();
  if (admin) {
    print('Premier démarrage : un administrateur a été créé.');
    print(`Jeton administrateur (affiché une seule fois, conservez-le) : ${admin.token}`);
  }
  // Verifies the log, then follows and seals it (docs/decisions/0011); the HTTP tests, given a
  // store and no data directory, do not start it.
  const { createdKey } = app.get(LogIntegrityService).start();
  if (createdKey) {
    print('Clé de scellement du journal créée (clé privée : seal-key.pem dans le répertoire de données, à sauvegarder).');
    print(`Clé publique de scellement (à transmettre aux contrôleurs, aussi servie sur /api/integrity/public-key) : ${createdKey.publicKey}`);
  }
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw new ListenError(config, error);
  }
  const address = `http://${config.host}:${(app.getHttpServer().address() as { port: number }).port}`;
  print(`Jalon écoute sur ${address} (magasin : ${config.eventStore === 'sqlite' ? config.dataDir : config.eventStoreUrl})`);
  for (const extension of extensions) if (extension.announce) print(extension.announce(address));
  print(`Documentation de l’API : ${address}/api/docs — santé : ${address}/health`);
  return app;
}

/**
 * Listens where the service will, then lets go at once: the refusal the service's own `listen`
 * would meet, met before the start. (A program taking the port in between is still refused by that
 * `listen`, with the same error.)
 */
async function assertCanListen(config: Pick<JalonConfig, 'host' | 'port'>): Promise<void> {
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(config.port, config.host, resolve);
    });
  } catch (error) {
    throw new ListenError(config, error);
  }
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** The service could not listen where it was told (`PORT`/`--port`, `HOST`/`--host`): in French, saying what to change. */
export class ListenError extends Error {
  readonly code: string;

  constructor(config: Pick<JalonConfig, 'host' | 'port'>, cause: unknown) {
    const errno = (cause as { code?: unknown } | null)?.code;
    const where = `le port ${config.port} de ${config.host}`;
    const [code, why] =
      errno === 'EADDRINUSE'
        ? ['HTTP.PORT_IN_USE', `${where} est déjà utilisé par un autre programme (un autre Jalon ?) : arrêtez-le, ou choisissez un autre port (PORT, ou --port)`]
        : errno === 'EACCES'
          ? ['HTTP.PORT_FORBIDDEN', `${where} est réservé aux administrateurs du système (ports en dessous de 1024) : choisissez un port à partir de 1024 (PORT, ou --port)`]
          : errno === 'EADDRNOTAVAIL' || errno === 'ENOTFOUND' || errno === 'EAI_AGAIN'
            ? ['HTTP.ADDRESS_UNKNOWN', `${config.host} n’est pas une adresse de cette machine : donnez-en une (HOST, ou --host ; 127.0.0.1 par défaut, 0.0.0.0 pour toutes)`]
            : ['HTTP.CANNOT_LISTEN', `impossible d’écouter sur ${where}${typeof errno === 'string' ? ` (${errno})` : ''}`];
    super(`le service ne démarre pas : ${why}.`, { cause });
    this.name = 'ListenError';
    this.code = code;
  }
}
