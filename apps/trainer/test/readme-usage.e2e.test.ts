// The README's "Using it" block, run line by line through the real `npx ovus` bin from the
// project folder, on a tiny phantom. A line the test does not know, or a word it expects to make
// tiny that the README no longer has, fails the test: the README cannot drift from the CLI.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_COLUMNS } from '@ovus/data';
import { cli, repoRoot } from './cli-harness';
import { startE2e, TINY_RUN, type E2eEnvironment } from './e2e-harness';

let e2e: E2eEnvironment;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(async () => {
  await e2e.cleanup();
});

const readme = () => readFile(join(repoRoot, 'README.md'), 'utf8');

/** The commands of the README's "Using it" code block, comments removed. */
function usageLines(text: string): string[][] {
  const section = text.slice(text.indexOf('## Using it'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
    .map((line) => line.split(/\s+/));
}

/** `npx ovus …` from the project folder, as a person would type it. */
function ovus(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['--no-install', 'ovus', ...args], { cwd: repoRoot, env: e2e.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/** The line with `from` replaced by `to`; `from` must be there (else the README changed under the test). */
function replace(words: string[], from: string, ...to: string[]): string[] {
  const at = words.indexOf(from);
  if (at < 0) throw new Error(`README usage line '${words.join(' ')}' no longer has '${from}': update this test with it.`);
  return [...words.slice(0, at), ...to, ...words.slice(at + 1)];
}

const tinySets = [
  'epochs=1',
  'backend=wasm',
  'backboneOptions.widthMultiplier=0.25',
  ...Object.entries(TINY_RUN).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
].flatMap((s) => ['--set', s]);

describe('README usage', () => {
  it('names the manifest columns the importer reads', async () => {
    const bullet = /\*\*Your data\*\*: a manifest \(CSV or JSONL\) with `([^`]+)`/.exec(await readme())?.[1];
    expect(bullet).toBeDefined();
    for (const column of (bullet as string).split(/,\s*/)) expect(MANIFEST_COLUMNS).toContain(column);
  });

  it('runs every line of "Using it" on a tiny phantom', { timeout: 600_000 }, async () => {
    const lines = usageLines(await readme());
    expect(lines.length).toBeGreaterThanOrEqual(7);
    const phantom = join(e2e.dataDir, 'phantom');
    let runId = '';
    const seen = new Set<string>();
    for (const words of lines) {
      expect(words.slice(0, 2), words.join(' ')).toEqual(['npx', 'ovus']);
      let args = words.slice(2);
      const command = args[0] === 'train' && args.includes('--resume') ? 'train --resume' : args[0];
      seen.add(command);
      switch (command) {
        case 'synth':
          args = [...replace(args, 'data/phantom', phantom), '--cases', '16', '--size', '32', '--seed', '1'];
          break;
        case 'import':
          args = replace(args, 'my-data/manifest.csv', join(phantom, 'manifest.csv'));
          break;
        case 'train':
          args = [...replace(args, 'imageSize=224', 'imageSize=32'), ...tinySets];
          break;
        case 'sweep':
          // The shipped Table 2 sweep is 65 full-size runs: checked and listed, not trained. The
          // worker line trains a two-run sweep of the same shape submitted below.
          args = [...args, '--dry-run'];
          break;
        case 'worker':
          args = [...replace(args, 'auto', '1'), '--until-idle', '--poll-seconds', '0.5'];
          break;
        case 'train --resume':
        case 'rerun':
          args = replace(args, '<run-id>', runId);
          break;
        default:
          throw new Error(`README usage line '${words.join(' ')}' is not known to this test: add it here.`);
      }
      const result = await ovus(args);
      expect(result.code, `${args.join(' ')}\n${result.out}`).toBe(0);

      if (command === 'synth') expect(result.out).toContain(`Import it with: npx ovus import ${join(phantom, 'manifest.csv')}`);
      if (command === 'import') expect(result.out).toMatch(/Stored as dataset 'ovarian-us' version [0-9a-f]{12}/);
      if (command === 'train') {
        runId = /Run ([0-9a-f-]{36}) \(/.exec(result.out)?.[1] ?? '';
        expect(result.out).toContain(`Run ${runId} finished.`);
      }
      if (command === 'sweep') {
        expect(result.out).toMatch(/65 runs/);
        const tiny = join(e2e.dataDir, 'tiny-sweep.yaml');
        await writeFile(
          tiny,
          [
            'name: readme-tiny',
            'project: readme',
            'base:',
            '  dataset: { name: ovarian-us }',
            '  epochs: 1',
            '  backend: wasm',
            ...Object.entries(TINY_RUN).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`),
            'variants:',
            '  - { backbone: mobilenet-v3-small, backboneOptions: { widthMultiplier: 0.25 } }',
            'grid:',
            '  seed: [0, 1]',
            '',
          ].join('\n'),
        );
        const submitted = await cli('sweep', tiny);
        expect(submitted.out, submitted.err).toMatch(/2 run\(s\) queued now/);
        expect(submitted.out).toContain('Start workers with: npx ovus worker');
      }
      if (command === 'worker') {
        const { rows } = await e2e.db.pool.query<{ status: string }>(
          "SELECT r.status FROM run r JOIN sweep s ON s.id = r.sweep_id WHERE s.name = 'readme-tiny'",
        );
        expect(rows.map((r) => r.status)).toEqual(['finished', 'finished']);
      }
      if (command === 'train --resume') expect(result.out).toContain(`Run ${runId} had already finished.`);
      if (command === 'rerun') expect(result.out).toContain('start workers with: npx ovus worker');
    }
    expect([...seen].sort()).toEqual(['import', 'rerun', 'sweep', 'synth', 'train', 'train --resume', 'worker']);
  });
});
