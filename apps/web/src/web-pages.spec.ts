import { localPath } from './web-pages';

describe('return path after signing in', () => {
  it('rule: only a path on this site is kept, parsed as a URL relative to the site; anything else is the overview', () => {
    const hostile = [
      '/\t/evil.example',
      '/\\evil.example',
      '//evil.example',
      '/.//evil.example',
      '/\u0000x',
      '/\u007fx',
      '/\u2028x',
      'https://evil.example/',
      'evil.example',
      '',
      '/connexion?retour=/x',
      '/deconnexion',
      '/' + 'a'.repeat(2000),
      42,
      undefined,
    ];
    for (const candidate of hostile) expect([candidate, localPath(candidate)]).toEqual([candidate, '/programme']);
  });

  it('keeps a local path with its query and fragment, percent-encoded and with dot segments resolved', () => {
    expect(localPath('/antennes/montbeliard?asOf=2022-06-21#historique')).toBe('/antennes/montbeliard?asOf=2022-06-21#historique');
    expect(localPath('/antennes/Montbéliard')).toBe('/antennes/Montb%C3%A9liard');
    expect(localPath('/a/../financements')).toBe('/financements');
    expect(localPath('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example'); // an encoded slash is part of a path, never an authority
    expect(localPath('/%2e/%2fevil')).toBe('/%2fevil');
  });
});
