// synth and import --check against real files: a real phantom, a real validator.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-harness';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ovus-datasets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ovus synth + import --check', () => {
  it('writes a phantom that import --check accepts, with the label table', async () => {
    const out = join(dir, 'phantom');
    const synth = await cli('synth', '--out', out, '--cases', '16', '--size', '48', '--seed', '3');
    expect(synth.code).toBe(0);
    expect(synth.out).toContain(`Wrote 16 phantom cases`);
    expect(synth.out).toContain(`import ${join(out, 'manifest.csv')} --name demo-phantom`);

    const check = await cli('import', join(out, 'manifest.csv'), '--check', '--name', 'tiny');
    expect(check).toMatchObject({ code: 0, err: '' });
    expect(check.out).toMatch(/^Dataset 'tiny': 16 cases from \d+ patients \(\d+ benign, \d+ malignant\), content [0-9a-f]{12}$/m);
    expect(check.out).toMatch(/^Internal echogenicity\s+\d+\s+\d+\s+\d+\s+\d+/m);
    expect(check.out).toContain(`Checked only (--check): nothing was stored. To store it: npx ovus import ${join(out, 'manifest.csv')} --name tiny`);
  });

  it('counts one case from one patient in the singular', async () => {
    const out = join(dir, 'single');
    const synth = await cli('synth', '--out', out, '--cases', '1', '--size', '32');
    expect(synth.out).toMatch(/^Wrote 1 phantom case \(1 patient\) to /m);
    const check = await cli('import', join(out, 'manifest.csv'), '--check', '--name', 'one');
    expect(check.out).toMatch(/^Dataset 'one': 1 case from 1 patient \(/m);
  });

  it('refuses image paths outside the dataset folder unless --allow-outside-root, naming row and path', async () => {
    const out = join(dir, 'outside');
    await cli('synth', '--out', join(out, 'data'), '--cases', '2', '--size', '32');
    const manifest = join(out, 'data', 'manifest.csv');
    const lines = (await readFile(manifest, 'utf8')).trim().split('\n');
    const image = /images\/[\w-]+_bmus\.png/.exec(lines[2])?.[0] ?? '';
    await writeFile(join(out, 'outside.png'), await readFile(join(out, 'data', image)));
    lines[2] = lines[2].replace(image, '../outside.png');
    await writeFile(manifest, `${lines.join('\n')}\n`);

    const refused = await cli('import', manifest, '--check');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^row 3$/m);
    expect(refused.err).toContain("The image path '../outside.png' leads outside the dataset folder");
    expect(refused.err).toContain('--allow-outside-root');

    const allowed = await cli('import', manifest, '--check', '--allow-outside-root');
    expect(allowed).toMatchObject({ code: 0, err: '' });
    expect(allowed.out).toContain('--allow-outside-root');
  });

  it('refuses a broken manifest with every problem and exit code 2', async () => {
    const out = join(dir, 'broken');
    await cli('synth', '--out', out, '--cases', '4', '--size', '32');
    const manifest = join(out, 'manifest.csv');
    const lines = (await readFile(manifest, 'utf8')).trim().split('\n');
    // Row 2: a label code that does not exist; row 3: an image that is not there.
    lines[1] = lines[1].replace(/,([01])$/, ',7');
    lines[2] = lines[2].replace(/images\/\w+_bmus\.png/, 'images/missing.png');
    await writeFile(manifest, `${lines.join('\n')}\n`);

    const check = await cli('import', manifest, '--check');
    expect(check.code).toBe(2);
    expect(check.err).toContain(`${manifest} cannot be imported:`);
    expect(check.err).toMatch(/malignancy/);
    expect(check.err).toMatch(/missing\.png/);
  });
});
