import type { NextConfig } from 'next';

// Next compiles the browser-safe workspace libraries; the API and database libraries are loaded
// by Node at run time instead (see src/server/api.ts).
const config: NextConfig = {
  transpilePackages: ['@ovus/ui', '@ovus/domain', '@ovus/table-export'],
  poweredByHeader: false,
  reactStrictMode: true,
  // Lint and typecheck run for the whole workspace (npm run lint / typecheck), not inside next build.
  typescript: { ignoreBuildErrors: true },
  // The predict page posts two images (at most 4 MiB each, app/predict/upload-limits.ts) to a server action.
  experimental: { serverActions: { bodySizeLimit: '9mb' } },
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
