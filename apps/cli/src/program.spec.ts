import type { Command } from 'commander';
import { buildProgram } from './program';

/**
 * What the command line prints when commander itself refuses the words typed (a missing argument,
 * an unknown option, a value an option's parser refuses): French, like every other refusal of Jalon,
 * naming the argument or option, and the exit code 1.
 */
describe('jalon: refusals of the command line itself are in French', () => {
  /** Parses `args` as `jalon …` would, returning what is written to stderr and the exit code asked for. */
  async function refused(args: readonly string[]): Promise<{ printed: string; exitCode: number }> {
    const program = buildProgram();
    let printed = '';
    const quiet = (command: Command): void => {
      command.exitOverride().configureOutput({ writeErr: (text) => (printed += text), writeOut: () => undefined });
      command.commands.forEach(quiet);
    };
    quiet(program);
    try {
      await program.parseAsync(['node', 'jalon', ...args]);
    } catch (error) {
      return { printed, exitCode: (error as { exitCode: number }).exitCode };
    }
    throw new Error(`jalon ${args.join(' ')} was not refused`);
  }

  it.each([
    [['import'], 'Erreur : argument obligatoire manquant : <fichier>'],
    [['migrate'], 'Erreur : option obligatoire manquante : --to <cible>'],
    [['migrate', '--to'], 'Erreur : l’option --to <cible> attend une valeur'],
    [['export', '--bogus'], 'Erreur : option inconnue : --bogus'],
    [['verify-export', 'a', 'b'], 'Erreur : trop d’arguments pour jalon verify-export (1 attendu(s), 2 donné(s))'],
    [['verify', '--from', 'x'], 'Erreur : l’option --from <position> n’accepte pas « x » : une position est un entier positif'],
    [['exporter'], 'Erreur : commande inconnue : exporter (vouliez-vous dire export ?)'],
    [['export', '--ou', 'x'], 'Erreur : option inconnue : --ou (vouliez-vous dire --out ?)'],
  ])('rule: `jalon %j` is refused in French naming what is wrong, exit 1', async (args, message) => {
    const { printed, exitCode } = await refused(args);

    expect(printed.split('\n')[0]).toBe(message);
    expect(printed).not.toMatch(/^error:/m);
    expect(exitCode).toBe(1);
  });
});
