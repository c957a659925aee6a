/** Jest runs in CommonJS mode with SWC (see docs/decisions/0001-nestjs-11-and-commonjs-jest.md). */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@jalon/(domain|event-store|application|core|projections|reporting)$': '<rootDir>/libs/$1/src/index.ts',
    '^@jalon/api$': '<rootDir>/apps/api/src/index.ts',
  },
  setupFiles: ['reflect-metadata'],
  testTimeout: 20000,
};
