import { ConfigError, DEFAULT_PROJECTION_THREAD_NICE, loadConfig, projectionsModeOf } from './config';

describe('JALON_PROJECTIONS (docs/decisions/0030)', () => {
  it('rule: an unknown value is refused at start, in French, naming the setting and the values it takes', () => {
    expect(() => loadConfig({ JALON_PROJECTIONS: 'worker' })).toThrow(ConfigError);
    expect(() => loadConfig({ JALON_PROJECTIONS: 'worker' })).toThrow(/JALON_PROJECTIONS doit valoir « thread ».*« inline ».*pas « worker »/);
  });

  it('rule: projections run in their own thread by default when read models are a file, inline when asked, and always inline in memory', () => {
    const file = '/data/read-models.sqlite';
    expect(projectionsModeOf(loadConfig({}), file)).toBe('thread');
    expect(projectionsModeOf(loadConfig({ JALON_PROJECTIONS: 'inline' }), file)).toBe('inline');
    expect(projectionsModeOf(loadConfig({ JALON_PROJECTIONS: 'thread' }), file)).toBe('thread');
    expect(projectionsModeOf(loadConfig({ JALON_PROJECTIONS: 'thread' }), ':memory:')).toBe('inline');
  });
});

describe('JALON_PROJECTION_THREAD_NICE (docs/decisions/0033)', () => {
  it('rule: the projection thread yields to the serving thread by default (nice 10), 0 to 19 when set', () => {
    expect(loadConfig({}).projectionThreadNice ?? DEFAULT_PROJECTION_THREAD_NICE).toBe(10);
    expect(loadConfig({ JALON_PROJECTION_THREAD_NICE: '0' }).projectionThreadNice).toBe(0);
    expect(loadConfig({ JALON_PROJECTION_THREAD_NICE: '19' }).projectionThreadNice).toBe(19);
  });

  it('rule: anything but an integer from 0 to 19 is refused at start, in French, naming the setting', () => {
    for (const value of ['20', '-1', '5.5', 'bas', ' 3']) {
      expect(() => loadConfig({ JALON_PROJECTION_THREAD_NICE: value })).toThrow(ConfigError);
      expect(() => loadConfig({ JALON_PROJECTION_THREAD_NICE: value })).toThrow(new RegExp(`JALON_PROJECTION_THREAD_NICE doit être un entier de 0 .* à 19 .*pas « ${value.replace('.', '\\.')} »`));
    }
  });

  it('rule: every setting that cannot be honoured is refused at start in French, naming it, the value given and what it takes', () => {
    const refusals: readonly (readonly [NodeJS.ProcessEnv, RegExp])[] = [
      [{ EVENT_STORE: 'postgres' }, /^EVENT_STORE doit valoir « sqlite » .* ou « eventstoredb » .*, pas « postgres »$/],
      [{ PORT: '70000' }, /^PORT doit être un numéro de port TCP, un entier de 0 à 65535, pas « 70000 »$/],
      [{ PORT: '1e3' }, /^PORT doit être .*pas « 1e3 »$/],
      [{ PORT: 'trois-mille' }, /^PORT doit être .*pas « trois-mille »$/],
      [{ JALON_TIMEZONE: 'Europe/Montbeliard' }, /^JALON_TIMEZONE doit être un fuseau horaire connu .*, pas « Europe\/Montbeliard »$/],
      [{ JALON_SEAL_EVERY_EVENTS: '0' }, /^JALON_SEAL_EVERY_EVENTS doit être un entier strictement positif, pas « 0 »$/],
      [{ JALON_SEAL_INTERVAL_SECONDS: '1.5' }, /^JALON_SEAL_INTERVAL_SECONDS doit être un entier strictement positif, pas « 1\.5 »$/],
      [{ JALON_DOCUMENT_MAX_MIB: '0x10' }, /^JALON_DOCUMENT_MAX_MIB doit être un entier strictement positif, pas « 0x10 »$/],
      [{ JALON_LEASE_RENEW_MS: '5000', JALON_LEASE_EXPIRY_MS: '6000' }, /^JALON_LEASE_EXPIRY_MS \(6000\) doit valoir au moins le double de JALON_LEASE_RENEW_MS \(5000\)/],
      [{ EVENT_STORE: 'eventstoredb' }, /^EVENT_STORE=eventstoredb demande EVENTSTORE_URL, l’adresse du serveur/],
      // The dashboard's and EventStoreDB's settings too, with the rest (they were refused in English, once the store was created).
      [{ JALON_SESSION_MINUTES: '0' }, /^JALON_SESSION_MINUTES doit être un nombre entier de minutes de 1 à 1440, pas « 0 »$/],
      [{ JALON_SESSION_MINUTES: 'trente' }, /^JALON_SESSION_MINUTES doit être .*pas « trente »$/],
      [{ JALON_SESSION_KEY: 'court' }, /^JALON_SESSION_KEY doit être une clé de 32 octets écrite en base64 .*, pas une valeur de 3 octet\(s\)$/],
      [{ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'http://x' }, /^EVENTSTORE_URL doit être l’adresse d’un serveur EventStoreDB, commençant par esdb:\/\/.*, pas « http:\/\/x »$/],
    ];
    for (const [env, message] of refusals) {
      let refusal: unknown;
      try {
        loadConfig(env);
      } catch (error) {
        refusal = error;
      }
      expect([env, refusal instanceof ConfigError, (refusal as Error | undefined)?.message]).toEqual([env, true, expect.stringMatching(message)]);
    }
  });

  it('rule: an empty PORT is the default port (3000); 0 lets the system choose one', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
  });

  it('rule: JALON_TRUST_PROXY lists the reverse proxies’ addresses or ranges; unset, none is trusted; anything else is refused in French, naming the entry', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ JALON_TRUST_PROXY: '' }).trustProxy).toBeUndefined();
    expect(loadConfig({ JALON_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    for (const entry of ['proxy.local', '10.0.0.0/33', '10.0.0.0/8/1', '::1/129', '300.1.1.1', '10.0.0.0/x']) {
      expect(() => loadConfig({ JALON_TRUST_PROXY: `127.0.0.1,${entry}` })).toThrow(new ConfigError(`JALON_TRUST_PROXY doit lister, séparées par des virgules, les adresses IP des relais (reverse proxies) devant le service ou leurs plages (10.0.0.0/8), pas « ${entry} »`));
    }
  });
});
