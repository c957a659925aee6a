import { originFormOf } from './request-target';

/** RFC 9112 §3.2.2: the absolute form of a request target names the same resource as its origin form. */
describe('originFormOf', () => {
  it('rule: the absolute form is routed by its path and query, whatever its scheme case and authority', () => {
    expect(originFormOf('http://127.0.0.1:3000/api/programmes')).toBe('/api/programmes');
    expect(originFormOf('HTTPS://Jalon.example.org/api/streams/x/events?from=2')).toBe('/api/streams/x/events?from=2');
    expect(originFormOf('http://user@jalon.example.org:8080/health')).toBe('/health');
  });

  it('rule: an authority without a path is the root `/`, its query kept', () => {
    expect(originFormOf('http://127.0.0.1:3000')).toBe('/');
    expect(originFormOf('http://127.0.0.1:3000?vue=1')).toBe('/?vue=1');
  });

  it('rule: a path in the query is not taken for the target’s path', () => {
    expect(originFormOf('http://127.0.0.1?retour=/api/users')).toBe('/?retour=/api/users');
  });

  it('rule: the origin form, the asterisk form and other schemes are left as they are', () => {
    for (const target of ['/api/programmes', '//api/programmes', '/http://x/y', '*', 'ftp://127.0.0.1/api/programmes', '127.0.0.1:443']) {
      expect(originFormOf(target)).toBe(target);
    }
  });
});
