import { isSlug } from '@jalon/domain';
import { userIdOf } from './identity.service';

describe('a new user’s id comes from their name by the one slug rule (the forms’ slugOf)', () => {
  it('rule: a French name gives its slug, accents spelled out, one hyphen between words', () => {
    expect(userIdOf('Claire Martin')).toBe('claire-martin');
    expect(userIdOf('Inès Lefèvre')).toBe('ines-lefevre');
    expect(userIdOf('  Jean-Éric  d’Hérouville ')).toBe('jean-eric-d-herouville');
  });

  it('rule: ligatures are spelled out, as in every other identifier Jalon proposes (Lœtitia → loetitia)', () => {
    expect(userIdOf('Lœtitia Cœur')).toBe('loetitia-coeur');
  });

  it('rule: a name of 100 characters still gives a valid id, cut at a word boundary, never ending in a hyphen', () => {
    const name = `${'a'.repeat(63)} ${'b'.repeat(36)}`;
    expect(name).toHaveLength(100);
    expect(userIdOf(name)).toBe('a'.repeat(63));
    expect(isSlug(userIdOf(name))).toBe(true);
  });

  it('rule: a name that gives no slug (another script, no letter) gets an id of its own, the same for the same name', () => {
    expect(userIdOf('— ? —')).toMatch(/^utilisateur-[0-9a-f]{8}$/);
    expect(userIdOf('中文')).toMatch(/^utilisateur-[0-9a-f]{8}$/);
    expect(userIdOf('中文')).not.toBe(userIdOf('日本語'));
    expect(userIdOf(' 中文 ')).toBe(userIdOf('中文'));
    expect(isSlug(userIdOf('中文'))).toBe(true);
  });
});
