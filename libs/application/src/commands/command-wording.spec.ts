import { describeInput, flattenFields } from '../validation/input-description';
import { COMMANDS } from './catalogue';
import { COMMAND_WORDING } from './command-wording';

describe('the French wording of the commands’ forms (one table, keyed by command and field path)', () => {
  it('rule: every command of the catalogue has its wording', () => {
    expect(COMMANDS.map((command) => command.name).filter((name) => !COMMAND_WORDING[name])).toEqual([]);
    expect(Object.keys(COMMAND_WORDING).filter((name) => !COMMANDS.some((command) => command.name === name))).toEqual([]);
  });

  it('rule: every field a command declares has a French label, and no label names a field the command does not declare', () => {
    const missing: string[] = [];
    const unknown: string[] = [];
    for (const command of COMMANDS) {
      const paths = flattenFields(describeInput(command.input)).map((field) => field.path);
      const wording = COMMAND_WORDING[command.name]!.fields;
      missing.push(...paths.filter((path) => !wording[path]?.label).map((path) => `${command.name}: ${path}`));
      unknown.push(...Object.keys(wording).filter((path) => !paths.includes(path)).map((path) => `${command.name}: ${path}`));
    }
    expect({ missing, unknown }).toEqual({ missing: [], unknown: [] });
  });

  it('rule: a choice with French names names every value the command accepts', () => {
    for (const command of COMMANDS) {
      for (const field of flattenFields(describeInput(command.input))) {
        const names = COMMAND_WORDING[command.name]!.fields[field.path]?.choices;
        if (names) expect({ field: `${command.name}: ${field.path}`, unnamed: (field.choices ?? []).filter((value) => !names[value]) }).toEqual({ field: `${command.name}: ${field.path}`, unnamed: [] });
      }
    }
  });

  it('rule: a list names its rows', () => {
    for (const command of COMMANDS) {
      for (const field of flattenFields(describeInput(command.input)).filter((candidate) => candidate.kind === 'list')) {
        expect({ field: `${command.name}: ${field.path}`, item: COMMAND_WORDING[command.name]!.fields[field.path]?.item !== undefined }).toEqual({ field: `${command.name}: ${field.path}`, item: true });
      }
    }
  });
});
