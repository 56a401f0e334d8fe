// "Built once and reused": a build is stale exactly when a source it bundles is newer than it.
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildState } from '../src/serve/build-freshness';

let root: string;

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function tree(): Promise<{ buildId: string; source: string; ignored: string }> {
  root = await mkdtemp(join(tmpdir(), 'ovus-freshness-'));
  await mkdir(join(root, 'apps/dashboard/.next'), { recursive: true });
  await mkdir(join(root, 'libs/ui/src'), { recursive: true });
  await mkdir(join(root, 'libs/ui/node_modules/x'), { recursive: true });
  const buildId = join(root, 'apps/dashboard/.next/BUILD_ID');
  const source = join(root, 'libs/ui/src/table.tsx');
  const ignored = join(root, 'libs/ui/node_modules/x/index.js');
  for (const file of [buildId, source, ignored]) await writeFile(file, 'x');
  return { buildId, source, ignored };
}

const at = (path: string, seconds: number) => utimes(path, seconds, seconds);

describe('buildState', () => {
  it('says unbuilt without a BUILD_ID', async () => {
    root = await mkdtemp(join(tmpdir(), 'ovus-freshness-'));
    expect(await buildState(root)).toEqual({ built: false, stale: true, builtAt: null });
  });

  it('is fresh when the build is newer than every source, stale when a source changes after it', async () => {
    const files = await tree();
    await at(files.source, 1000);
    await at(files.buildId, 2000);
    expect((await buildState(root)).stale).toBe(false);
    // node_modules and .next are not sources.
    await at(files.ignored, 3000);
    expect((await buildState(root)).stale).toBe(false);
    await at(files.source, 3000);
    expect(await buildState(root)).toMatchObject({ built: true, stale: true });
  });
});
