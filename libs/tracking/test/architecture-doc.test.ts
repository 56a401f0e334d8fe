// ARCHITECTURE.md names the store's real write methods: a write added to TrackingStore without
// a word there fails here.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

it("ARCHITECTURE.md lists every write method of TrackingStore", async () => {
  const source = await readFile(root + 'libs/tracking/src/store/tracking-store.ts', 'utf8');
  const body = /export interface TrackingStore \{([\s\S]*?)\n\}/.exec(source)?.[1] ?? '';
  const methods = [...body.matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]);
  const writes = methods.filter((name) => !/^(get|list|fetch|ping)/.test(name));
  expect(writes).toContain('logBatch');
  expect(writes).toContain('saveArtifact');
  const architecture = await readFile(root + 'ARCHITECTURE.md', 'utf8');
  for (const name of writes) expect(architecture, `ARCHITECTURE.md does not name ${name}`).toContain(`\`${name}\``);
});
