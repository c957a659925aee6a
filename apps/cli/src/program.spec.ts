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
    [['import'], 'Erreur INPUT.INVALID : argument obligatoire manquant : <fichier>'],
    [['migrate'], 'Erreur INPUT.INVALID : option obligatoire manquante : --to <cible>'],
    [['migrate', '--to'], 'Erreur INPUT.INVALID : l’option --to <cible> attend une valeur'],
    [['export', '--bogus'], 'Erreur INPUT.INVALID : option inconnue : --bogus'],
    [['verify-export', 'a', 'b'], 'Erreur INPUT.INVALID : trop d’arguments pour jalon verify-export (1 attendu(s), 2 donné(s))'],
    [['verify', '--from', 'x'], 'Erreur INPUT.INVALID : l’option --from <position> n’accepte pas « x » : une position est un entier positif'],
    [['exporter'], 'Erreur INPUT.INVALID : commande inconnue : exporter (vouliez-vous dire export ?)'],
    [['export', '--ou', 'x'], 'Erreur INPUT.INVALID : option inconnue : --ou (vouliez-vous dire --out ?)'],
  ])('rule: `jalon %j` is refused in French naming what is wrong, under the code INPUT.INVALID as every refusal of what was typed, exit 1', async (args, message) => {
    const { printed, exitCode } = await refused(args);

    expect(printed.split('\n')[0]).toBe(message);
    expect(printed).not.toMatch(/^error:/m);
    expect(exitCode).toBe(1);
  });
});

describe('jalon --help: the help of every command is in French', () => {
  it('rule: no heading, option, default or command of the help is left in commander’s English', () => {
    const all = (command: Command): Command[] => [command, ...command.commands.flatMap(all)];
    const commands = all(buildProgram());
    expect(commands.length).toBeGreaterThan(20);
    for (const command of commands) {
      const help = command.helpInformation();
      expect([command.name(), help.match(/Usage:|Arguments:|Options:|Commands:|display help|default:|\[command\]/g)]).toEqual([command.name(), null]);
      expect([command.name(), help]).toEqual([command.name(), expect.stringMatching(/^Utilisation : jalon/)]);
    }
    const report = commands.find((command) => command.name() === 'report')!.helpInformation();
    expect(report).toMatch(/\(défaut :\s+"table"\)/);
    expect(buildProgram().helpInformation()).toContain('help [commande]');
  });
});
