// Real child processes (small node scripts) under the worker process pool.
import { describe, expect, it } from 'vitest';
import { startProcessPool } from '../src/worker/process-pool';

const node = (script: string) => ({ file: process.execPath, args: ['-e', script] });

describe('startProcessPool', () => {
  it('runs N children and prefixes each line with the child', async () => {
    const lines: string[] = [];
    const pool = startProcessPool({
      count: 2,
      command: (i) => node(`console.log('hello from ${i}'); console.error('warn ${i}')`),
      write: (l) => lines.push(l),
    });
    expect(await pool.done).toBe(0);
    expect(lines.sort()).toEqual(['[w1] hello from 0\n', '[w1] warn 0\n', '[w2] hello from 1\n', '[w2] warn 1\n']);
  });

  it('restarts a crashed child, and reports failure once restarts are used up', async () => {
    const lines: string[] = [];
    const pool = startProcessPool({
      count: 1,
      command: () => node('process.exit(3)'),
      write: (l) => lines.push(l),
      maxRestarts: 2,
      restartDelayMs: 10,
    });
    expect(await pool.done).toBe(1);
    expect(lines).toEqual([
      '[w1] exited with code 3; restarting it (its run returns to the queue when its lease ends)\n',
      '[w1] exited with code 3; restarting it (its run returns to the queue when its lease ends)\n',
      '[w1] exited with code 3; not restarting it again after 2 restarts\n',
    ]);
  });

  it('does not restart a child whose exit code says a restart cannot help', async () => {
    const lines: string[] = [];
    const pool = startProcessPool({ count: 1, command: () => node('process.exit(3)'), write: (l) => lines.push(l), finalExitCodes: [2, 3] });
    expect(await pool.done).toBe(1);
    expect(lines).toEqual(['[w1] exited with code 3; not restarting it (the same cause would stop it again)\n']);
  });

  it('forwards stop as SIGTERM so children can hand their runs back, and does not restart them', async () => {
    const lines: string[] = [];
    const script = "process.on('SIGTERM', () => { console.log('handing back'); process.exit(0); }); console.log('ready'); setInterval(() => {}, 1000);";
    const pool = startProcessPool({ count: 2, command: () => node(script), write: (l) => lines.push(l), restartDelayMs: 10 });
    while (lines.filter((l) => l.endsWith('ready\n')).length < 2) await new Promise((r) => setTimeout(r, 20));
    pool.stop();
    expect(await pool.done).toBe(0);
    expect(lines.filter((l) => l.endsWith('handing back\n')).sort()).toEqual(['[w1] handing back\n', '[w2] handing back\n']);
  });
});
