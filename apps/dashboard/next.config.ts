import type { NextConfig } from 'next';

// Next compiles the browser-safe workspace libraries; the API and database libraries are loaded
// by Node at run time instead (see src/server/api.ts).
const config: NextConfig = {
  transpilePackages: ['@ovus/ui', '@ovus/domain', '@ovus/table-export'],
  poweredByHeader: false,
  reactStrictMode: true,
  // Lint and typecheck run for the whole workspace (npm run lint / typecheck), not inside next build.
  typescript: { ignoreBuildErrors: true },
};

export default config;
