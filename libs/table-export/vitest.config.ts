import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// Pure formatting: no database, so no global setup.
export default defineConfig({ test: { ...sharedTestConfig, globalSetup: [] } });
