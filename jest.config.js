/**
 * Jest runs in CommonJS mode (see docs/decisions/0001-nestjs-11-and-commonjs-jest.md). ts-jest only
 * transpiles (isolatedModules): type checking is the separate `npm run typecheck` step of `npm test`.
 */
const { existsSync } = require('node:fs');

module.exports = {
  testEnvironment: 'node',
  roots: ['libs', 'apps', 'test', 'bench'].filter((dir) => existsSync(`${__dirname}/${dir}`)).map((dir) => `<rootDir>/${dir}`),
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true, diagnostics: false }] },
  moduleNameMapper: {
    '^@jalon/(domain|event-store|application|core|projections|reporting|queries)$': '<rootDir>/libs/$1/src/index.ts',
    '^@jalon/(api|web)$': '<rootDir>/apps/$1/src/index.ts',
  },
  setupFiles: ['reflect-metadata'],
  testTimeout: 20000,
};
