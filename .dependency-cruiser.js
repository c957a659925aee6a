/**
 * The layers of Jalon, checked on every `npm test` (`npm run lint`):
 * domain ← application ← core (Nest wiring) ← apps; stores sit beside the application.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain is plain TypeScript: no framework, HTTP, storage or Node package, and no other layer.',
      severity: 'error',
      from: { path: '^libs/domain/src' },
      to: { pathNot: '^libs/domain/src' },
    },
    {
      name: 'application-knows-no-framework-or-storage',
      comment: 'The command path is framework-free; it reaches storage only through the event-store port.',
      severity: 'error',
      // Specs exercise the command path on a real store, so they may open one.
      from: { path: '^libs/application/src', pathNot: '\\.spec\\.ts$' },
      to: { path: ['node_modules/(@nestjs|express|better-sqlite3|@eventstore|@grpc)', '^libs/event-store/src/(sqlite|eventstoredb)', '^libs/core', '^apps'] },
    },
    {
      name: 'event-store-knows-no-domain-or-framework',
      comment: 'A store stores events of any kind; it knows neither the domain nor Nest.',
      severity: 'error',
      from: { path: '^libs/event-store/src' },
      to: { path: ['^libs/(domain|application|core)', '^apps', 'node_modules/(@nestjs|express)'] },
    },
    {
      name: 'read-models-are-pure',
      comment: 'Projections are pure evolve functions and report builders: no package, no store, no framework.',
      severity: 'error',
      from: { path: '^libs/projections/src/read-models' },
      to: { path: ['node_modules', '^libs/(event-store|application|core)', '^apps', '^libs/projections/src/(storage|runner/projection-runner)'] },
    },
    {
      name: 'read-side-knows-no-framework',
      severity: 'error',
      from: { path: '^libs/(projections|reporting)/src' },
      to: { path: ['node_modules/(@nestjs|express)', '^libs/(application|core)', '^apps'] },
    },
    {
      name: 'api-does-not-import-web',
      comment: 'apps/web (the dashboard) mounts itself on the API through @jalon/api (HttpExtension); the API knows nothing of it.',
      severity: 'error',
      from: { path: '^apps/api/src' },
      to: { path: '^apps/web' },
    },
    {
      name: 'web-reads-only-query-models',
      comment:
        'apps/web reads typed query models (@jalon/queries), never the projections (documents, runner, storage), the command path or a store adapter. ' +
        'dependency-cruiser sees files, not names: apps/web/src/reads-only-query-models.spec.ts checks the names it imports from the other barrels.',
      severity: 'error',
      from: { path: '^apps/web/src', pathNot: '\\.spec\\.ts$' },
      to: { path: ['^libs/projections', '^libs/application/src/(command-handling|queries)', '^libs/event-store/src/(sqlite|eventstoredb)', '^libs/core/src/(?!index\\.ts$)'] },
    },
    {
      name: 'queries-know-no-framework',
      comment: 'libs/queries: plain classes over the read side; no framework, no command path, no store adapter, no Nest wiring.',
      severity: 'error',
      from: { path: '^libs/queries/src' },
      to: { path: ['node_modules/(@nestjs|express|fastify)', '^libs/core', '^apps', '^libs/application/src/command-handling', '^libs/event-store/src/(sqlite|eventstoredb)'] },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs' },
      to: { path: '^apps' },
    },
    {
      name: 'production-code-does-not-import-tests',
      severity: 'error',
      from: { path: '^(apps|libs)', pathNot: '\\.spec\\.ts$|/testing/|\\.fixtures\\.ts$' },
      to: { path: ['^test/', '\\.spec\\.ts$', '/testing/', '\\.fixtures\\.ts$'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
