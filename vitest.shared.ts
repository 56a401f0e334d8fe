// Defaults every project's vitest.config.ts starts from. Tests talk to a real PostgreSQL and train
// real (tiny) models, so time-outs are generous; speed targets live in tools/bench, not here.
import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

export const sharedTestConfig: ViteUserConfig['test'] = {
  environment: 'node',
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 120_000,
  hookTimeout: 120_000,
  pool: 'forks',
  maxWorkers: 2,
  reporters: ['default'],
  // Finds or starts the PostgreSQL server the tests create their databases on.
  globalSetup: [fileURLToPath(new URL('./libs/db/src/testing-global-setup.ts', import.meta.url))],
};
