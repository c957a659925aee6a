import { ConfigError, loadConfig, projectionsModeOf } from './config';

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
