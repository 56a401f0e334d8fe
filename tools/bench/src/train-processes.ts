// Runs the measurement children of train.ts (tsx train-measure.ts, python train-torch.py) with
// a wall-clock cap, and reads their one-line JSON results.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseMeasurement, PeakMeasurement } from './train-measure';
import type { TrainCase } from './train-cases';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, '../../../node_modules/.bin/tsx');

// Children run in their own process groups (see runChild); stop them with the parent.
const running = new Set<number>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const pid of running) process.kill(-pid, 'SIGKILL');
    process.exit(130);
  });
}

export type ChildOutcome<T> = { ok: true; value: T; wallSeconds: number } | { ok: false; reason: string; wallSeconds: number };

function runChild<T>(command: string, args: string[], capSeconds: number, parse: (stdout: string) => T): Promise<ChildOutcome<T>> {
  return new Promise((resolve) => {
    const started = performance.now();
    // Its own process group: tsx runs the script in a grandchild, and the cap must stop both.
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid != null) running.add(child.pid);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid != null) process.kill(-child.pid, 'SIGKILL');
    }, capSeconds * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (child.pid != null) running.delete(child.pid);
      const wallSeconds = (performance.now() - started) / 1000;
      if (timedOut) return resolve({ ok: false, reason: `stopped after ${Math.round(wallSeconds)} s (time cap)`, wallSeconds });
      try {
        if (code !== 0) throw new Error(stderr.trim().split('\n').slice(-3).join(' | ') || `exit code ${code}`);
        resolve({ ok: true, value: parse(stdout), wallSeconds });
      } catch (error) {
        resolve({ ok: false, reason: error instanceof Error ? error.message : String(error), wallSeconds });
      }
    });
  });
}

function resultLine<T>(stdout: string): T {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error('the child printed no RESULT line');
  return JSON.parse(line.slice('RESULT '.length)) as T;
}

/** Node/V8 flags for the measurement children, from OVUS_BENCH_NODE_FLAGS (space-separated), e.g.
 * '--single-threaded' to see what V8's helper threads add to one process. */
function nodeFlags(): string[] {
  return process.env.OVUS_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
}

export function measureInChild(
  trainCase: TrainCase, backend: string, steps: number, budgetSeconds: number, capSeconds: number,
): Promise<ChildOutcome<CaseMeasurement>> {
  const args = [...nodeFlags(), join(here, 'train-measure.ts'), 'case', trainCase.id, backend, String(steps), String(budgetSeconds)];
  return runChild(tsx, args, capSeconds, (out) => resultLine<CaseMeasurement>(out));
}

export function peakInChild(backend: string): Promise<ChildOutcome<PeakMeasurement>> {
  return runChild(tsx, [join(here, 'train-measure.ts'), 'peak', backend], 300, (out) => resultLine<PeakMeasurement>(out));
}

/** Debian's python3-torch installs for /usr/bin/python3; OVUS_TORCH_PYTHON points elsewhere. */
export function torchPython(): { python: string } | { missing: string } {
  const python = process.env.OVUS_TORCH_PYTHON ?? '/usr/bin/python3';
  if (!existsSync(python)) return { missing: `${python} not found` };
  const probe = spawnSync(python, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return { missing: `${python} cannot import torch/torchvision (apt-get install -y python3-torch python3-torchvision)` };
  }
  return { python };
}

export interface TorchMeasurement {
  msPerStep: number[];
  threads: number;
  torch: string;
}

export function torchInChild(python: string, trainCase: TrainCase, batch: number, threads: number, steps: number, capSeconds: number) {
  const args = [
    join(here, 'train-torch.py'), trainCase.backbone, String(trainCase.inputSize), String(batch), String(threads),
    String(steps), String(trainCase.width ?? 1),
  ];
  return runChild(python, args, capSeconds, (out) => JSON.parse(out.trim().split('\n').pop() ?? '') as TorchMeasurement);
}
