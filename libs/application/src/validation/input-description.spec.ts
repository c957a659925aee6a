import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { COMMANDS, commandNamed } from '../commands';
import { describeInput, flattenFields, InputField } from './input-description';
import { NestedList, NestedObject } from './nested.decorators';
import { IsCents, IsIsoDate, IsParagraph, IsSlug, IsText } from './text.decorators';

class Line {
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;
  @IsIn(['a', 'b'])
  category!: string;
  @IsCents()
  amountCents!: number;
}

class Inner {
  @IsOptional()
  @IsText(20)
  note?: string;
}

class Sample {
  @IsSlug()
  id!: string;
  @IsText(200)
  name!: string;
  @IsOptional()
  @IsParagraph(1000)
  reason?: string;
  @NestedList(() => Line, { min: 1, max: 500 })
  lines!: Line[];
  @NestedObject(() => Inner, { optional: true })
  inner?: Inner;
  @IsText(300, { each: true })
  criteria!: string[];
  @IsIsoDate()
  effectiveDate!: string;
}

const shape = (fields: readonly InputField[]): unknown[] =>
  fields.map(({ path, kind, required, fields: inner }) => (inner ? { path, kind, required, fields: shape(inner) } : { path, kind, required }));

describe('the description of a command input, read from its class-validator rules (the one declaration)', () => {
  it('rule: fields come in declaration order, each with the kind its rule implies and whether it may be left out', () => {
    expect(shape(describeInput(Sample))).toEqual([
      { path: 'id', kind: 'slug', required: true },
      { path: 'name', kind: 'text', required: true },
      { path: 'reason', kind: 'paragraph', required: false },
      {
        path: 'lines',
        kind: 'list',
        required: true,
        fields: [
          { path: 'lines.year', kind: 'integer', required: true },
          { path: 'lines.category', kind: 'choice', required: true },
          { path: 'lines.amountCents', kind: 'cents', required: true },
        ],
      },
      { path: 'inner', kind: 'object', required: false, fields: [{ path: 'inner.note', kind: 'text', required: false }] },
      { path: 'criteria', kind: 'textList', required: true },
      { path: 'effectiveDate', kind: 'date', required: true },
    ]);
  });

  it('carries the limits the rules state: text length, number bounds, list length, the values of a choice', () => {
    const fields = flattenFields(describeInput(Sample));
    const at = (path: string) => fields.find((field) => field.path === path)!;
    expect(at('name').maxLength).toBe(200);
    expect(at('criteria').maxLength).toBe(300);
    expect([at('lines.year').min, at('lines.year').max]).toEqual([2000, 2100]);
    expect([at('lines').minItems, at('lines').maxItems]).toEqual([1, 500]);
    expect(at('lines.category').choices).toEqual(['a', 'b']);
  });

  it('describes every command of the catalogue with known kinds only (a new rule without a kind would show as a text field)', () => {
    for (const command of COMMANDS) {
      const fields = flattenFields(describeInput(command.input));
      expect({ command: command.name, empty: fields.length === 0 }).toEqual({ command: command.name, empty: false });
    }
    const commit = flattenFields(describeInput(commandNamed('CommitFunding').input));
    expect(commit.map((field) => `${field.path}:${field.kind}${field.required ? '' : '?'}`)).toEqual(
      expect.arrayContaining(['tranches:list', 'tranches.amountCents:cents', 'tranches.dueOn:date', 'tranches.label:text?', 'publicData:object?', 'publicData.nature:choice']),
    );
    const learners = flattenFields(describeInput(commandNamed('ReportLearners').input));
    expect(learners.find((field) => field.path === 'period')?.pattern?.test('2022-09')).toBe(true);
  });
});
