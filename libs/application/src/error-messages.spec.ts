import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_MESSAGES, errorMessageOf, isErrorCode } from './error-messages';

const ROOT = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Codes written in the sources the way errors carry them: `'AREA.RULE'` given to a domain error helper, or `code = 'AREA.RULE'`. */
function codesIn(dirs: readonly string[], pattern: RegExp): Set<string> {
  return new Set(dirs.flatMap((dir) => sources(join(ROOT, dir)).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(pattern)].map((match) => match[1]!))));
}

describe('the French wording of error codes (one table for the API, the CLI and the dashboard)', () => {
  it('covers every code the domain can raise, including codes handed to a helper through a variable', () => {
    // The DomainErrorCode union makes a missing code a compile error; this also catches a code
    // that reaches `ruleBroken` through a parameter typed too loosely.
    const codes = codesIn(['libs/domain/src', 'libs/application/src/identity'], /'([A-Z]+\.[A-Z_]+)'/g);
    expect(codes.size).toBeGreaterThan(70);
    expect([...codes].filter((code) => !isErrorCode(code))).toEqual([]);
  });

  it('covers every error code the application, the stores, the reports and the API declare', () => {
    const codes = codesIn(['libs/application/src', 'libs/reporting/src', 'libs/projections/src', 'apps/api/src'], /code\s*=\s*'([A-Z_]+\.[A-Z_]+)'/g);
    // Failures of the read side's own machinery: logged, and answered as `INTERNAL`.
    codes.delete('PROJECTION.FAILED');
    codes.delete('PROJECTION.CONFLICT');
    codes.delete('READ_MODEL.STORAGE_FAILED');
    expect([...codes].filter((code) => !isErrorCode(code))).toEqual([]);
  });

  it('is French prose: a sentence for each code, no English developer message', () => {
    for (const [code, message] of Object.entries(ERROR_MESSAGES)) {
      expect({ code, message }).toEqual({ code, message: expect.stringMatching(/^[A-ZÀ-Ý].+\.$/) });
      expect({ code, message }).not.toEqual({ code, message: expect.stringMatching(/\b(the|has|been|must|cannot|already|before)\b/) });
    }
  });

  it('gives a general French sentence for a code it does not know', () => {
    expect(errorMessageOf('ANTENNA.NOT_FOUND')).toBe('Cette antenne n’a pas été ouverte.');
    expect(errorMessageOf('AUTRE.CHOSE')).toMatch(/^La saisie contredit/);
  });

  it('rule: a second programme’s launch is worded naming the programme the installation follows (PROGRAMME.ANOTHER_LAUNCHED, decision 0061); without its details, the code’s wording', () => {
    expect(errorMessageOf('PROGRAMME.ANOTHER_LAUNCHED', { field: 'programmeId', programmeId: 'au-coeur-des-territoires', name: 'Au cœur des territoires' })).toBe(
      'Cette installation de Jalon suit déjà le programme « Au cœur des territoires » (au-coeur-des-territoires) : une installation suit un seul programme, un autre ne peut pas y être lancé.',
    );
    // The dashboard knows the launch date from its read models, and says it in the French format.
    expect(errorMessageOf('PROGRAMME.ANOTHER_LAUNCHED', { programmeId: 'au-coeur-des-territoires', name: 'Au cœur des territoires', launchedOn: '2019-01-15' })).toBe(
      'Cette installation de Jalon suit déjà le programme « Au cœur des territoires » (au-coeur-des-territoires), lancé le 15/01/2019 : une installation suit un seul programme, un autre ne peut pas y être lancé.',
    );
    expect(errorMessageOf('PROGRAMME.ANOTHER_LAUNCHED')).toBe(ERROR_MESSAGES['PROGRAMME.ANOTHER_LAUNCHED']);
    expect(errorMessageOf('PROGRAMME.ANOTHER_LAUNCHED', { field: 'programmeId' })).toBe(ERROR_MESSAGES['PROGRAMME.ANOTHER_LAUNCHED']);
    expect(errorMessageOf('ANTENNA.NOT_FOUND', { field: 'antennaId' })).toBe('Cette antenne n’a pas été ouverte.');
  });

  it('rule: a closing refused by what it would precede says which fact and when, in French (ANTENNA.CLOSED_BEFORE_LAST_FACT, CALL.CLOSED_BEFORE_LAST_CANDIDACY), and a commitment held at another date gives that date (ANTENNA.FUNDING_ALREADY_ATTACHED)', () => {
    expect(
      errorMessageOf('ANTENNA.CLOSED_BEFORE_LAST_FACT', { field: 'effectiveDate', latestFactOn: '2025-09-01', agreementId: 'bdt-amorcage', trancheId: 'solde', fact: 'receipt' }),
    ).toBe('Une antenne ne peut pas fermer avant la réception de la tranche « solde » de sa convention de financement « bdt-amorcage », le 01/09/2025.');
    expect(errorMessageOf('ANTENNA.CLOSED_BEFORE_LAST_FACT', { field: 'effectiveDate', latestFactOn: '2024-05-01' })).toBe(
      'Une antenne ne peut pas fermer avant le dernier fait enregistré sur elle, sur son budget ou sur ses conventions de financement, le 01/05/2024.',
    );
    expect(errorMessageOf('CALL.CLOSED_BEFORE_LAST_CANDIDACY', { field: 'effectiveDate', latestCandidacyOn: '2020-12-10', candidacyId: 'ami-2--pays-de-montbeliard' })).toBe(
      'Un appel ne peut pas être clos avant la dernière candidature qu’il a reçue, déposée le 10/12/2020.',
    );
    expect(errorMessageOf('ANTENNA.FUNDING_ALREADY_ATTACHED', { field: 'effectiveDate', agreementId: 'region', attachedOn: '2021-07-01' })).toBe(
      'Un accord portant cet identifiant a déjà été rattaché à cette antenne pour un engagement au 01/07/2021 : renvoyez l’engagement à cette date, ou sous un autre identifiant.',
    );
  });
});
