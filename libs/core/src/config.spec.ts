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
});
