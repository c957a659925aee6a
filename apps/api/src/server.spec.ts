import { ListenError } from './server';

/** A service that cannot listen says so in French, with a stable code, naming what to change (PORT, HOST). */
describe('ListenError', () => {
  const config = { host: '127.0.0.1', port: 80 };
  const failure = (code: string) => Object.assign(new Error(`listen ${code}`), { code, syscall: 'listen' });

  it.each([
    ['EADDRINUSE', 'HTTP.PORT_IN_USE', 'le port 80 de 127.0.0.1 est déjà utilisé par un autre programme'],
    ['EACCES', 'HTTP.PORT_FORBIDDEN', 'choisissez un port à partir de 1024 (PORT, ou --port)'],
    ['EADDRNOTAVAIL', 'HTTP.ADDRESS_UNKNOWN', '127.0.0.1 n’est pas une adresse de cette machine'],
    ['ENOTFOUND', 'HTTP.ADDRESS_UNKNOWN', '(HOST, ou --host ; 127.0.0.1 par défaut, 0.0.0.0 pour toutes)'],
    ['EMFILE', 'HTTP.CANNOT_LISTEN', 'impossible d’écouter sur le port 80 de 127.0.0.1 (EMFILE)'],
  ])('rule: %s is refused as %s, in French', (errno, code, words) => {
    const error = new ListenError(config, failure(errno));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^le service ne démarre pas : /);
    expect(error.message).toContain(words);
  });
});
