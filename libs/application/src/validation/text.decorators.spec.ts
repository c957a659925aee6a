import { IsOptional } from 'class-validator';
import { FieldViolation, InputValidationError } from '../errors';
import { CommitFundingInput, RecordFundingPublicDataInput } from '../commands/funding.commands';
import { isCalendarInstant, IsParagraph, IsText } from './text.decorators';
import { validateInput } from './validate-input';
import { NewUserInput } from '../identity/identity.service';

class Note {
  @IsText(30)
  title!: string;
  @IsOptional()
  @IsParagraph(100)
  reason?: string;
  @IsOptional()
  @IsText(30, { each: true })
  tags?: string[];
}

function refusal(input: Record<string, unknown>): FieldViolation[] {
  try {
    validateInput(Note, { title: 'Titre', ...input });
  } catch (error) {
    if (error instanceof InputValidationError) return [...error.violations];
    throw error;
  }
  return [];
}

const rules = (input: Record<string, unknown>) => refusal(input).map((v) => `${v.field}:${v.rule}`);

describe('text typed by a person (rule isText: IsText on one line, IsParagraph over several)', () => {
  it('accepts ordinary French text, accents, apostrophes, emoji and right-to-left scripts', () => {
    expect(rules({ title: 'Au cœur des territoires', reason: 'Report d’un an.\nVoir le compte rendu.', tags: ['Numérique', 'عربي', '🚀 lancement'] })).toEqual([]);
  });

  it('rule: a one-line text refuses CR, LF and the Unicode line separators; a paragraph accepts line breaks', () => {
    for (const title of ['ligne\nsuite', 'ligne\rsuite', 'ligne\r\nsuite', 'ligne\u2028suite', 'ligne\u2029suite']) expect(rules({ title })).toEqual(['title:isText']);
    expect(rules({ reason: 'ligne\r\nsuite\nfin' })).toEqual([]);
    expect(refusal({ title: 'a\nb' })[0]!.message).toBe('title doit tenir sur une ligne, sans retour à la ligne');
  });

  it('rule: no character that reverses the reading direction (U+202A–U+202E, U+2066–U+2069), which makes « abc‮gnp.exe » read « abcexe.png »', () => {
    for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      expect(rules({ title: `abc${String.fromCharCode(code)}gnp.exe` })).toEqual(['title:isText']);
      expect(rules({ reason: `abc${String.fromCharCode(code)}gnp.exe` })).toEqual(['reason:isText']);
    }
    expect(refusal({ title: 'abc\u202Egnp.exe' })[0]!.message).toMatch(/^title ne doit pas contenir de caractère qui inverse le sens d’écriture/);
  });

  it('rule: no half of a UTF-16 surrogate pair on its own (it would be stored as U+FFFD)', () => {
    expect(rules({ title: 'a\uD800b' })).toEqual(['title:isText']);
    expect(rules({ title: 'a\uDC00' })).toEqual(['title:isText']);
    expect(rules({ title: '\uDFFF\uD800' })).toEqual(['title:isText']);
    expect(rules({ title: 'a\uD83D\uDE80' })).toEqual([]);
    expect(refusal({ title: '\uD800' })[0]!.message).toMatch(/^title contient un caractère Unicode invalide/);
  });

  it('rule: not blank, nor made only of invisible characters (zero-width, format, filler)', () => {
    for (const title of ['', '   ', '\u200B', '\u200B\u200C\u200D', '\uFEFF', '\u2060', '\u00AD', '\u3164', '\u2800', ' \u200E ', '\u034F', '\uFE0F']) {
      expect({ title, rules: rules({ title }) }).toEqual({ title, rules: ['title:isText'] });
    }
    expect(rules({ reason: '\n\n\u200B' })).toEqual(['reason:isText']);
    expect(refusal({ title: '\u200B' })[0]!.message).toBe('title ne doit pas être vide ni fait seulement d’espaces ou de caractères invisibles');
    expect(rules({ title: 'a\u200B' })).toEqual([]);
  });

  it('rule: no control character, C0 or C1, in either kind of text', () => {
    for (const control of ['\u0000', '\u0007', '\u001B', '\u007F', '\u0085', '\u009B']) {
      expect(rules({ title: `bip${control}` })).toEqual(['title:isText']);
      expect(rules({ reason: `bip${control}` })).toEqual(['reason:isText']);
    }
  });

  it('rule: bounded length, said in the message', () => {
    expect(refusal({ title: 'x'.repeat(31) })).toEqual([{ field: 'title', rule: 'isText', message: 'title doit compter 30 caractères au plus' }]);
    expect(rules({ title: 42 })).toEqual(['title:isText']);
  });

  it('names the item at fault in a list of texts', () => {
    expect(refusal({ tags: ['ok', 'a\nb'] })).toEqual([{ field: 'tags', rule: 'isText', message: 'tags : l’élément n° 2 doit tenir sur une ligne, sans retour à la ligne' }]);
  });
});

describe('instants typed by a person (rule isInstant)', () => {
  it('rule: a known-at instant names a real time: no 30 February nor 31 April (Date.parse rolls them into March and May), no hour 24, an offset always', () => {
    for (const instant of ['2023-07-12T00:00:00Z', '2023-07-12T02:00:00+02:00', '2024-02-29T23:59:59.999Z', '2023-07-12T10:00Z']) expect(isCalendarInstant(instant)).toBe(true);
    for (const instant of ['2023-02-30T00:00:00Z', '2023-04-31T12:00:00Z', '2023-02-29T00:00:00Z', '2023-01-01T24:00:00Z', '2023-07-12T00:00:00', '0000-01-01T00:00:00Z', '2101-01-01T00:00:00Z', '2023-07-12', 20230712]) {
      expect({ instant, valid: isCalendarInstant(instant) }).toEqual({ instant, valid: false });
    }
  });
});

describe('text published as typed in open data (rule isNotFormula)', () => {
  const publicData = {
    funderLegalName: 'Caisse des dépôts et consignations',
    funderSiret: '99900000100019',
    decisionReference: 'CP-2021-118',
    beneficiaryName: 'Pays de Montbéliard Agglomération',
    beneficiarySiret: '99900000200017',
    object: 'Amorçage de l’antenne',
    nature: 'aide en numéraire',
    euNotified: false,
    raeId: 'SA12',
    aidScheme: 'Territoires d’industrie',
  };
  function violations(type: new () => object, input: Record<string, unknown>): FieldViolation[] {
    try {
      validateInput(type, input);
      return [];
    } catch (error) {
      if (error instanceof InputValidationError) return [...error.violations];
      throw error;
    }
  }
  const recorded = (fields: Record<string, unknown>) =>
    violations(RecordFundingPublicDataInput, { antennaId: 'montbeliard', agreementId: 'bdt-amorcage', effectiveDate: '2024-01-10', publicData: { ...publicData, ...fields } });

  it('rule: an SCDL text field starting with =, +, - or @ (a spreadsheet formula), after spaces or not, or with a tab, is refused naming the field and the rule', () => {
    expect(recorded({})).toEqual([]);
    for (const field of ['funderLegalName', 'decisionReference', 'beneficiaryName', 'object', 'aidScheme']) {
      for (const typed of ['=HYPERLINK("https://exemple.fr";"x")', '+33 1 23', '-2+3', '@SUM(A1)', '  =1+1', '\tcellule']) {
        expect({ field, typed, violations: recorded({ [field]: typed }) }).toEqual({
          field,
          typed,
          violations: [
            {
              field: `publicData.${field}`,
              rule: 'isNotFormula',
              message: `publicData.${field} ne doit pas commencer par =, +, - ou @ (ni par une tabulation) : ce texte est publié tel quel en données ouvertes (format SCDL), où un tableur le lirait comme une formule`,
            },
          ],
        });
      }
    }
    expect(recorded({ raeId: '=A1' })).toEqual([expect.objectContaining({ field: 'publicData.raeId', rule: 'isNotFormula' })]);
    // Inside the text, those characters are ordinary.
    expect(recorded({ object: 'Amorçage (phase 1-2) : 50 % = la moitié, contact@exemple.fr' })).toEqual([]);
  });

  it('rule: the funder named at commitment, published when no legal name is given, is refused the same', () => {
    const commit = { antennaId: 'montbeliard', agreementId: 'bdt', label: 'Amorçage', amountCents: 100, effectiveDate: '2024-01-10', tranches: [{ trancheId: 't1', amountCents: 100, dueOn: '2024-02-01' }] };
    expect(violations(CommitFundingInput, { ...commit, funder: 'Banque des Territoires' })).toEqual([]);
    expect(violations(CommitFundingInput, { ...commit, funder: '=1+1' })).toEqual([expect.objectContaining({ field: 'funder', rule: 'isNotFormula' })]);
    expect(violations(CommitFundingInput, { ...commit, funder: 'Région', publicData: { ...publicData, beneficiaryName: '@x' } })).toEqual([
      expect.objectContaining({ field: 'publicData.beneficiaryName', rule: 'isNotFormula' }),
    ]);
  });
});

describe('a user’s name, as the audit trail shows it (rule isUnambiguousName)', () => {
  const refusals = (name: string) => {
    try {
      validateInput(NewUserInput, { name, role: 'auditor' });
      return [];
    } catch (error) {
      if (error instanceof InputValidationError) return error.violations.map((v) => `${v.field}:${v.rule}:${v.message}`);
      throw error;
    }
  };

  it('rule: no letter of another alphabet inside a word (a Cyrillic « е » in « Tеst admin »), which makes two people look alike in « Par »', () => {
    expect(refusals('T\u0435st admin')).toEqual([expect.stringMatching(/^name:isUnambiguousName:name mêle dans un même mot \(« T.st »\) des lettres de plusieurs alphabets \(latin et cyrillique\)/)]);
    expect(refusals('Omar Ηamid')).toHaveLength(1);
  });

  it('rule: no compatibility character (full-width « ａ », superscripts, ligatures), which imitates an ordinary letter', () => {
    expect(refusals('Test \uff41dmin')).toEqual([expect.stringContaining('name:isUnambiguousName:name contient des caractères de compatibilité')]);
    expect(refusals('Ef\ufb01cace')).toHaveLength(1);
  });

  it('accepts names in one alphabet each, accents and apostrophes included, and names in other scripts', () => {
    for (const name of ['Marie-Hélène d’Arcy', 'Олег Петров', 'Νίκος Παπαδόπουλος', '中文', 'Zoë O\'Brien', 'Jean Dupont (Ville de Montbéliard)']) expect(refusals(name)).toEqual([]);
  });
});

