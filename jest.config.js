/** jest runs TypeScript through ts-jest in isolatedModules mode (types are checked once by `tsc --noEmit`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFiles: ['<rootDir>/test/helpers/env.ts'],
  // Every file that starts Lookout through the shared helpers is scanned for secret canaries at its end.
  setupFilesAfterEnv: ['<rootDir>/test/helpers/secret-scan-setup.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
};
