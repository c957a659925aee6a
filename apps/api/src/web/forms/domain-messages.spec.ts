import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hasFrenchMessage } from './domain-messages';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('French wording of domain errors', () => {
  it('covers every error code the domain can raise', () => {
    const domain = join(__dirname, '..', '..', '..', '..', '..', 'libs', 'domain', 'src');
    const codes = new Set(sources(domain).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/'([A-Z]+\.[A-Z_]+)'/g)].map((match) => match[1]!)));
    expect(codes.size).toBeGreaterThan(50);
    expect([...codes].filter((code) => !hasFrenchMessage(code))).toEqual([]);
  });
});
