import { ATTACH_DOCUMENT_COMMANDS, COMMAND_WORDING, COMMANDS, commandNamed, describeInput, flattenFields } from '@jalon/application';
import { FORMS, formWithRows, rowCounts, withoutRow } from './form-catalogue';

/** Every input path a form fills, rows of lists included (`tranches.trancheId`). */
function pathsOf(slug: string): string[] {
  const form = FORMS.find((candidate) => candidate.slug === slug)!;
  return [
    ...form.fields.flatMap((field) => (field.row ? [] : (field.splits ?? [field.name]))),
    ...form.lists.flatMap((list) => [list.path, ...list.fields.map((field) => field.name)]),
  ];
}

describe('the dashboard’s forms, generated from the commands’ input declarations', () => {
  it('rule: every command of the catalogue has a form (one per command, each address once; attaching a document is an upload, with its own form)', () => {
    const uploads: readonly string[] = ATTACH_DOCUMENT_COMMANDS;
    expect(COMMANDS.map((command) => command.name).filter((name) => !uploads.includes(name) && !FORMS.some((form) => form.command === name))).toEqual([]);
    expect(new Set(FORMS.map((form) => `${form.scope}/${form.slug}`)).size).toBe(FORMS.length);
    expect(new Set(FORMS.map((form) => form.command)).size).toBe(FORMS.length);
  });

  it('rule: a form asks for every field its command declares, and only those (antenna from the address; public data of a commitment has its own form)', () => {
    for (const form of FORMS) {
      const declared = flattenFields(describeInput(commandNamed(form.command).input))
        .filter((field) => field.kind !== 'object')
        .map((field) => field.path)
        .filter((path) => !(form.scope === 'antenna' && path === 'antennaId'))
        .filter((path) => !(form.command === 'CommitFunding' && path.startsWith('publicData')));
      const asked = pathsOf(form.slug);
      expect({ form: form.slug, missing: declared.filter((path) => !asked.includes(path)), unknown: asked.filter((path) => !declared.includes(path)) }).toEqual({
        form: form.slug,
        missing: [],
        unknown: [],
      });
    }
  });

  it('rule: labels and titles come from the one wording table', () => {
    const commit = FORMS.find((form) => form.command === 'CommitFunding')!;
    expect(commit.title).toBe(COMMAND_WORDING.CommitFunding!.title);
    expect(commit.fields.find((field) => field.name === 'funder')?.label).toBe(COMMAND_WORDING.CommitFunding!.fields.funder!.label);
    expect(commit.lists[0]?.fields.find((field) => field.name === 'tranches.amountCents')?.kind).toBe('money');
  });

  it('rule: a field is marked required exactly when its command requires it (and every object above it), but for an identifier proposed from a name', () => {
    for (const form of FORMS) {
      const declared = new Map(flattenFields(describeInput(commandNamed(form.command).input)).map((field) => [field.path, field]));
      for (const field of form.fields.filter((candidate) => !candidate.row && !candidate.splits)) {
        const parts = field.name.split('.');
        const chain = parts.map((_, index) => declared.get(parts.slice(0, index + 1).join('.'))!);
        const emptyList = field.kind === 'lines' && !chain[chain.length - 1]!.minItems;
        const expected = chain.every((link) => link.required) && !field.suggest && field.kind !== 'checkbox' && !emptyList;
        expect({ form: form.slug, field: field.name, required: field.required === true }).toEqual({ form: form.slug, field: field.name, required: expected });
      }
    }
  });

  it('rule: ids are proposed from names: no form asks a person to invent an identifier without one', () => {
    for (const form of FORMS) {
      const slugs = flattenFields(describeInput(commandNamed(form.command).input)).filter((field) => field.kind === 'slug');
      const typed = [...form.fields, ...form.lists.flatMap((list) => list.fields)].filter((field) => field.kind === 'text' && slugs.some((slug) => slug.path === field.name));
      expect({ form: form.slug, invented: typed.filter((field) => !field.suggest).map((field) => field.name) }).toEqual({ form: form.slug, invented: [] });
    }
  });

  it('rule: lists have no fixed length: rows follow what was sent, « Ajouter une ligne » adds one, « Retirer » removes one and keeps the others’ values', () => {
    const commit = FORMS.find((form) => form.command === 'CommitFunding')!;
    expect(rowCounts(commit, {}).get('tranches')).toBe(1);
    const sent = { 'tranches.0.label': 'Première', 'tranches.1.label': 'Deuxième', 'tranches.2.label': 'Troisième', 'tranches.2.amountCents': '40 000' };
    expect(rowCounts(commit, sent).get('tranches')).toBe(3);
    expect(rowCounts(commit, sent, 'ajouter:tranches').get('tranches')).toBe(4);
    const afterRemoval = withoutRow(commit, sent, 'retirer:tranches.1');
    expect(afterRemoval).toEqual({ 'tranches.0.label': 'Première', 'tranches.1.label': 'Troisième', 'tranches.1.amountCents': '40 000' });
    expect(rowCounts(commit, afterRemoval).get('tranches')).toBe(2);
    const thirteen = Object.fromEntries(Array.from({ length: 13 }, (_, index) => [`tranches.${index}.label`, `Tranche ${index + 1}`]));
    const expanded = formWithRows(commit, rowCounts(commit, thirteen));
    expect(expanded.fields.filter((field) => field.name.endsWith('.amountCents') && field.row).length).toBe(13);
    expect(expanded.fields.find((field) => field.name === 'tranches.12.trancheId')?.suggest?.from).toBe('tranches.12.label');
  });

  it('rule: choices among what exists are offered for references (calls, candidacies, phases, tranches, agreements), never typed', () => {
    const select = (slug: string, name: string) => FORMS.find((form) => form.slug === slug)!.fields.find((field) => field.name === name);
    expect(select('deposer-candidature', 'callId')?.options).toBe('openCalls');
    expect(select('ecarter-candidature', 'candidacyId')?.options).toBe('submittedCandidacies');
    expect(select('ouvrir-antenne', 'candidacyId')?.options).toBe('selectedCandidacies');
    expect(select('replanifier-phase', 'phaseId')?.options).toBe('unfinishedPhases');
    expect(select('verser-tranche', 'tranche')?.options).toBe('plannedTranches');
    expect(select('recevoir-tranche', 'tranche')?.options).toBe('releasedTranches');
    for (const form of FORMS) {
      const references = flattenFields(describeInput(commandNamed(form.command).input)).filter((field) => field.kind === 'candidacyId');
      for (const reference of references) expect(form.fields.find((field) => field.name === reference.path)?.options).toBeDefined();
    }
  });
});
