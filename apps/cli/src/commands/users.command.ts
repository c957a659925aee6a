import { ROLES } from '@jalon/application';
import { JalonConfig } from '@jalon/core';
import { Command } from 'commander';
import { localAdministrator, withCore } from '../core-context';

/**
 * Only `add` may create the store (the first user of a new installation); the other commands read
 * users recorded in the log, so a store that does not exist is a mistyped DATA_DIR, refused.
 */
export function usersCommand(config: () => JalonConfig): Command {
  const users = new Command('users').description('gérer les utilisateurs et leurs jetons');
  users
    .command('add')
    .description('créer un utilisateur et afficher son jeton (une seule fois)')
    .requiredOption('--name <nom>', 'nom affiché de l’utilisateur')
    .requiredOption('--role <rôle>', `rôle : ${ROLES.join(', ')}`)
    .action(async (options: { name: string; role: string }) => {
      await withCore({ config: config() }, async ({ identity }) => {
        const issued = await identity.addUser({ name: options.name, role: options.role }, localAdministrator());
        console.log(`Utilisateur ${issued.user.id} (${issued.user.role}) créé.`);
        console.log(`Jeton (affiché une seule fois) : ${issued.token}`);
      });
    });
  users
    .command('list')
    .description('lister les utilisateurs')
    .action(async () => {
      await withCore({ config: config(), existingStore: true }, async ({ identity }) => {
        for (const user of await identity.listUsers()) {
          console.log(`${user.id}\t${user.role}\t${user.active ? 'actif' : 'désactivé'}\t${user.hasToken ? 'jeton en service' : 'jeton révoqué'}\t${user.name}`);
        }
      });
    });
  users
    .command('deactivate')
    .description('désactiver un utilisateur : son jeton est refusé et ses sessions prennent fin, jusqu’à sa réactivation')
    .argument('<identifiant>', 'identifiant de l’utilisateur (voir users list)')
    .action(async (userId: string) => {
      await withCore({ config: config(), existingStore: true }, async ({ identity }) => {
        const user = await identity.deactivateUser(userId, localAdministrator());
        console.log(`Utilisateur ${user.id} désactivé : son jeton est refusé.`);
      });
    });
  users
    .command('reactivate')
    .description('réactiver un utilisateur, avec son jeton s’il n’a pas été révoqué')
    .argument('<identifiant>', 'identifiant de l’utilisateur')
    .action(async (userId: string) => {
      await withCore({ config: config(), existingStore: true }, async ({ identity }) => {
        const user = await identity.reactivateUser(userId, localAdministrator());
        console.log(`Utilisateur ${user.id} réactivé${user.hasToken ? '.' : ' ; il n’a pas de jeton : users rotate-token pour lui en donner un.'}`);
      });
    });
  users
    .command('revoke-token')
    .description('révoquer le jeton d’un utilisateur, sans le remplacer')
    .argument('<identifiant>', 'identifiant de l’utilisateur')
    .action(async (userId: string) => {
      await withCore({ config: config(), existingStore: true }, async ({ identity }) => {
        const user = await identity.revokeToken(userId, localAdministrator());
        console.log(`Jeton de ${user.id} révoqué : il ne fonctionne plus.`);
      });
    });
  users
    .command('rotate-token')
    .description('donner un nouveau jeton à un utilisateur (affiché une seule fois) ; l’ancien est révoqué')
    .argument('<identifiant>', 'identifiant de l’utilisateur')
    .action(async (userId: string) => {
      await withCore({ config: config(), existingStore: true }, async ({ identity }) => {
        const issued = await identity.rotateToken(userId, localAdministrator());
        console.log(`Nouveau jeton de ${issued.user.id} ; l’ancien ne fonctionne plus.`);
        console.log(`Jeton (affiché une seule fois) : ${issued.token}`);
      });
    });
  return users;
}
