// "Built once and reused": the production build is redone only when a source it was made from is
// newer than it. Sources are the app, the libraries it bundles, and the lock file.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const SKIP = new Set(['node_modules', '.next', 'dist', 'test', 'generated', '.nx']);

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    newest = Math.max(newest, await newestMtime(join(path, entry.name)));
  }
  return newest;
}

export const BUNDLED_SOURCES = ['apps/dashboard', 'libs/ui', 'libs/api', 'libs/tracking', 'libs/db', 'libs/domain', 'libs/data', 'libs/ml/metrics', 'package-lock.json', 'prisma/schema.prisma'];

export interface BuildState {
  built: boolean;
  stale: boolean;
  /** The newest source file that is newer than the build, when stale. */
  builtAt: number | null;
}

/** Whether apps/dashboard/.next holds a production build at least as new as every source. */
export async function buildState(repoRoot: string): Promise<BuildState> {
  const buildId = await stat(join(repoRoot, 'apps/dashboard/.next/BUILD_ID')).catch(() => null);
  if (!buildId) return { built: false, stale: true, builtAt: null };
  let newest = 0;
  for (const source of BUNDLED_SOURCES) newest = Math.max(newest, await newestMtime(join(repoRoot, source)));
  return { built: true, stale: newest > buildId.mtimeMs, builtAt: buildId.mtimeMs };
}
