// ARCHITECTURE.md and the README list every bench: a bench added without a line there fails here.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

/** A bench is a file of tools/bench/src that runs when started (its last statement starts main). */
async function benches(): Promise<string[]> {
  const names: string[] = [];
  for (const file of (await readdir(srcDir)).filter((f) => f.endsWith('.ts')).sort()) {
    const text = await readFile(srcDir + file, 'utf8');
    if (/^(runProgram\(|main\(|await main\(|void main\()/m.test(text)) names.push(file.replace(/\.ts$/, ''));
  }
  return names;
}

it('ARCHITECTURE.md and README.md name every bench', async () => {
  const found = await benches();
  expect(found).toContain('ingest');
  expect(found).toContain('train');
  const architecture = await readFile(root + 'ARCHITECTURE.md', 'utf8');
  const readme = await readFile(root + 'README.md', 'utf8');
  for (const name of found) {
    expect(architecture, `ARCHITECTURE.md has no \`${name}\` under tools/bench`).toContain(`\`${name}\``);
    expect(readme, `README.md's benchmark table has no ${name}.ts`).toContain(`npx tsx tools/bench/src/${name}.ts`);
  }
});
