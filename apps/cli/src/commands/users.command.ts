import { ROLES } from '@jalon/application';
import { JalonConfig } from '@jalon/core';
import { Command } from 'commander';
import { localAdministrator, withCore } from '../core-context';

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
      await withCore({ config: config() }, async ({ identity }) => {
        for (const user of await identity.listUsers()) console.log(`${user.id}\t${user.role}\t${user.name}`);
      });
    });
  return users;
}
