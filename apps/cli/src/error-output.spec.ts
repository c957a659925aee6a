import { loadConfig } from '@jalon/core';
import { SqliteEventStore } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordDemoHistory } from '../../../test/support/demo-history';
import { reportCommand } from './commands/report.command';
import { errorLines } from './error-output';
import { InvalidArgumentError } from 'commander';
import { InputValidationError } from '@jalon/application';

/**
 * A refusal reaches the command line naming fields as the report query declares them (the report
 * service's default naming, `antennaId`), whoever refused: the rules of the query, the service's own
 * or the report itself. The person is told the option they typed (`--antenna`, `--from`, `--as-of`),
 * never the API's query parameter.
 */
describe('jalon report: refusals name the command line’s options', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-cli-refusals-'));
    const store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    await recordDemoHistory(store);
    await store.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  beforeEach(() => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  /** What `jalon report …` prints when it is refused (main.ts prints errorLines), and the field the error names. */
  async function refusal(args: readonly string[]): Promise<{ field: unknown; lines: string[] }> {
    try {
      await reportCommand(() => loadConfig({ DATA_DIR: dataDir })).parseAsync([...args, '--format', 'json'], { from: 'user' });
    } catch (error) {
      return { field: (error as { field?: unknown }).field, lines: errorLines(error) };
    }
    throw new Error(`jalon report ${args.join(' ')} was not refused`);
  }

  it('rule: a statement without an antenna names --antenna (the report names the field antennaId, not the API’s antenna)', async () => {
    const { field, lines } = await refusal(['etat-depenses']);
    expect(field).toBe('antennaId');
    expect(lines).toEqual(['Erreur REPORT.PARAMETER_REQUIRED : L’état récapitulatif des dépenses porte sur une antenne : précisez laquelle. (option --antenna)']);
  }, 30_000);

  it('rule: a statement’s empty period names --from, the option that gave its first day (periodFrom)', async () => {
    const { field, lines } = await refusal(['etat-depenses', '--antenna', 'montbeliard', '--from', '2023-01-01', '--to', '2022-01-01']);
    expect(field).toBe('periodFrom');
    expect(lines).toEqual(['Erreur REPORT.PARAMETER_INVALID : La période est vide : son début (01/01/2023) est après sa fin (01/01/2022). (option --from)']);
  }, 30_000);

  it('rule: the report service’s own refusals (a cut in the future, a history filter on another report) name each field with its option', async () => {
    const future = await refusal(['budget', '--antenna', 'montbeliard', '--as-of', '2099-01-01']);
    expect(future.lines.slice(1)).toEqual([expect.stringMatching(/^ {2}- asOf \(2099-01-01\) est dans l’avenir, qui n’est pas encore enregistré.* \(option --as-of\)$/)]);
    const filter = await refusal(['budget', '--event', 'BudgetTrancheReleased']);
    expect(filter.lines.slice(1)).toEqual(['  - eventType ne s’applique qu’à l’historique (rapport history) (option --event)']);
  }, 30_000);

  it('rule: a refusal listing its fields says its code’s French wording first, then each field with its rule once (not the joined field messages again)', () => {
    const refused = new InputValidationError([{ field: 'funder', rule: 'noFormula', message: 'funder ne doit pas commencer par =' }]);
    expect(errorLines(refused)).toEqual([
      'Erreur INPUT.INVALID : La requête est invalide : chaque champ en cause est nommé avec la règle qu’il enfreint.',
      '  - funder ne doit pas commencer par =',
    ]);
  });

  it('rule: each refused field is named once on its line: a message that starts with the field is not preceded by it again; the option that gave it follows', () => {
    const refused = new InputValidationError([
      { field: 'asOf', rule: 'isIsoDate', message: 'asOf doit être une date ISO valide (AAAA-MM-JJ)' },
      { field: 'antennaId', rule: 'custom', message: 'l’antenne doit être précisée' },
    ]);
    expect(errorLines(refused).slice(1)).toEqual(['  - asOf doit être une date ISO valide (AAAA-MM-JJ) (option --as-of)', '  - antennaId (option --antenna) : l’antenne doit être précisée']);
  });

  it('rule: a value a command refuses itself is said under Jalon’s code INPUT.INVALID, not commander’s internal `commander.invalidArgument`', () => {
    expect(errorLines(new InvalidArgumentError('--format : json, csv, xlsx, pdf, table'))).toEqual(['Erreur INPUT.INVALID : --format : json, csv, xlsx, pdf, table']);
  });
});
