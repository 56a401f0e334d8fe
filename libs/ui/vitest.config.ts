import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// Components render to static markup in Node: no database, so no PostgreSQL global setup.
export default defineConfig({
  test: { ...sharedTestConfig, include: ['src/**/*.test.ts', 'src/**/*.test.tsx'], globalSetup: [] },
});
