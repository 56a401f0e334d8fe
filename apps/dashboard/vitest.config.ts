import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// The browser tests: the production build is made once (skipped when it is newer than its
// sources), then each test file trains a tiny sweep, serves the dashboard on it and drives Chromium.
export default defineConfig({
  test: {
    ...sharedTestConfig,
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    maxWorkers: 1,
    globalSetup: [...(sharedTestConfig?.globalSetup as string[]), fileURLToPath(new URL('./test/global-build.ts', import.meta.url))],
  },
});
