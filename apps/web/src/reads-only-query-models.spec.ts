import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Layer rule, by name: the dashboard reads only the typed query models of @jalon/queries. The
 * dependency rules (.dependency-cruiser.js, `web-reads-only-query-models`) forbid the projections'
 * files; this spec forbids what the other barrels also export: the command executor (which loads
 * the write model), the projection runner, the store and its token, the deciders, and any
 * read-model document type.
 */
const ROOT = __dirname;
const FORBIDDEN = /\b(CommandExecutor|ProjectionRunner|EventStore|EVENT_STORE|PROJECTION_STORAGE|ReportService|[a-z][A-Za-z]*Decider|[A-Z][A-Za-z]*(Document|Doc))\b/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The names a file imports from other modules (`import { A, B as C } from '…'`, type imports included). */
function importedNames(text: string): string[] {
  return [...text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'[^']+'/g)].flatMap((match) =>
    match[1]!
      .split(',')
      .map((name) => name.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!)
      .filter((name) => name !== ''),
  );
}

describe('apps/web reads only typed query models', () => {
  const files = sources(ROOT).map((path) => ({ file: relative(ROOT, path), names: importedNames(readFileSync(path, 'utf8')) }));

  it('rule: no file of the dashboard imports the command executor, the runner, the store, a decider or a read-model document', () => {
    const offenders = files.flatMap(({ file, names }) => names.filter((name) => FORBIDDEN.test(name)).map((name) => `${file}: ${name}`));
    expect(offenders).toEqual([]);
  });

  it('the check sees what it looks for (a decider, a document type, the executor)', () => {
    const names = importedNames("import { antennaDecider, type KpisDocument } from '@jalon/domain';\nimport { CommandExecutor as Executor } from '@jalon/application';");
    expect(names.filter((name) => FORBIDDEN.test(name))).toEqual(['antennaDecider', 'KpisDocument', 'CommandExecutor']);
  });
});
