// The data the browser tests look at: a real tiny sweep (2 backbones × 2 seeds, 32 px, 2 epochs)
// trained by the trainer's CLI into a fresh test database, plus helpers to start a run that is
// still training while a page is open.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, importPhantom, startCli, startE2e, TINY_RUN, type Child, type E2eEnvironment } from '@ovus/trainer/testing';
import { stringify } from 'yaml';

export const DATASET = 'tiny-phantom';
export const PROJECT = 'dash-e2e';

export interface TinySweep {
  e2e: E2eEnvironment;
  sweepId: string;
}

export async function trainTinySweep(): Promise<TinySweep> {
  const e2e = await startE2e();
  await importPhantom(e2e, DATASET);
  const file = join(e2e.dataDir, 'tiny-sweep.yaml');
  await writeFile(
    file,
    stringify({
      name: 'tiny-backbones',
      project: PROJECT,
      base: { dataset: { name: DATASET }, epochs: 2, ...TINY_RUN },
      variants: [
        { backbone: 'mobilenet-v3-small', backboneOptions: { widthMultiplier: 0.25 } },
        { backbone: 'resnet18', backboneOptions: { widthMultiplier: 0.25 } },
      ],
      grid: { seed: [0, 1] },
    }),
  );
  const submitted = await cli('sweep', file);
  if (submitted.code !== 0) throw new Error(`sweep failed: ${submitted.err}`);
  const sweepId = /Submitted sweep ([0-9a-f-]{36})/.exec(submitted.out)?.[1];
  if (!sweepId) throw new Error(`no sweep id in: ${submitted.out}`);
  const worker = startCli(e2e, ['worker', '--concurrency', '2', '--until-idle', '--backend', 'wasm', '--poll-seconds', '0.5']);
  const code = await worker.exited;
  if (code !== 0) throw new Error(`worker exited with ${code}:\n${worker.output()}`);
  return { e2e, sweepId };
}

/** A single run with enough epochs to still be training while a test watches its page. */
export function startLongRun(e2e: E2eEnvironment): Child {
  return startCli(e2e, [
    'train',
    '--project',
    PROJECT,
    '--set',
    `dataset.name=${DATASET}`,
    '--set',
    'backbone=mobilenet-v3-small',
    '--set',
    'backboneOptions.widthMultiplier=0.25',
    '--set',
    'imageSize=32',
    '--set',
    'batchSize=4',
    '--set',
    'epochs=30',
    '--set',
    'evaluation.bootstrapResamples=20',
  ]);
}
