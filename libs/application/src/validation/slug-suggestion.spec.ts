import { isSlug, SLUG_MAX_LENGTH } from '@jalon/domain';
import { slugOf, suggestSlug } from './slug-suggestion';

describe('identifiers proposed from names (users never invent a technical identifier)', () => {
  it('turns a French name into a slug: lower case, accents and ligatures spelled out, one hyphen between words', () => {
    expect(slugOf('Cnam Pays de Montbéliard')).toBe('cnam-pays-de-montbeliard');
    expect(slugOf('  Au cœur des territoires — 2ᵉ AMI !  ')).toBe('au-coeur-des-territoires-2-ami');
    expect(slugOf('Phase 2 : Portes du Jura (2023–2024)')).toBe('phase-2-portes-du-jura-2023-2024');
    expect(slugOf('Île-de-France')).toBe('ile-de-france');
  });

  it(`rule: the suggestion is always a valid identifier, cut at a word boundary to ${SLUG_MAX_LENGTH} characters`, () => {
    const long = 'Convention de partenariat entre le ministère de la Cohésion des territoires et le Cnam';
    const slug = slugOf(long);
    expect(isSlug(slug)).toBe(true);
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
    expect(long.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').startsWith(slug)).toBe(true);
    expect(slug.endsWith('-')).toBe(false);
  });

  it('rule: a name already taken gets the first free suffix, -2, -3…', () => {
    expect(suggestSlug('Tranche 1', [])).toBe('tranche-1');
    expect(suggestSlug('Tranche 1', ['tranche-1'])).toBe('tranche-1-2');
    expect(suggestSlug('Tranche 1', ['tranche-1', 'tranche-1-2', 'tranche-1-3'])).toBe('tranche-1-4');
  });

  it('rule: a suffixed suggestion still fits the maximum length and stays valid', () => {
    const base = slugOf('a'.repeat(40) + ' ' + 'b'.repeat(23));
    expect(base.length).toBe(SLUG_MAX_LENGTH);
    const suggestion = suggestSlug(base, [base]);
    expect(isSlug(suggestion)).toBe(true);
    expect(suggestion.endsWith('-2')).toBe(true);
    expect(suggestion.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
  });

  it('uses the fallback when the name gives no letter or digit', () => {
    expect(suggestSlug('« — »', [], 'phase')).toBe('phase');
    expect(suggestSlug('東京', ['antenne'], 'antenne')).toBe('antenne-2');
  });
});
