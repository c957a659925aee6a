import { IdentityService } from '@jalon/application';
import { assertDataDirWritable, JalonConfig, LogIntegrityService } from '@jalon/core';
import { INestApplication } from '@nestjs/common';
import { createApiApp } from './create-api-app';

/**
 * Starts the HTTP service: on first start with no user, creates the administrator and prints its
 * token once; then listens and prints where.
 */
export async function startServer(config: JalonConfig, print: (line: string) => void = console.log): Promise<INestApplication> {
  assertDataDirWritable(config);
  const app = await createApiApp({ config });
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
  await app.listen(config.port, config.host);
  const address = `http://${config.host}:${(app.getHttpServer().address() as { port: number }).port}`;
  print(`Jalon écoute sur ${address} (magasin : ${config.eventStore === 'sqlite' ? config.dataDir : config.eventStoreUrl})`);
  print(`Tableau de bord : ${address}/ (connexion avec un jeton d’accès)`);
  print(`Documentation de l’API : ${address}/api/docs — santé : ${address}/health`);
  return app;
}
