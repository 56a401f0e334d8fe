// Which stored model answers for a run, from its status, tags and artifact paths: the selection of
// a finished run, else its newest best-epoch model (with a warning), else latest.ckpt, else a
// refusal that says why and what to do.
import { describe, expect, it } from 'vitest';
import { chooseModelPath } from '../src';

const run = (status: 'finished' | 'running' | 'queued' | 'failed') => ({ id: 'r1', name: 'tiny', status });

describe('chooseModelPath', () => {
  it("takes a finished run's selected model, without looking at its artifacts", () => {
    expect(chooseModelPath(run('finished'), { selected_model: 'checkpoints/best-epoch-0003.ckpt' }, [])).toEqual({ ok: true, path: 'checkpoints/best-epoch-0003.ckpt', warnings: [] });
  });

  it('takes the newest best-epoch model of an unfinished run, and says it is not a final selection', () => {
    const choice = chooseModelPath(run('running'), { selected_model: 'checkpoints/best-epoch-0001.ckpt' }, ['checkpoints/best-epoch-0002.ckpt', 'checkpoints/best-epoch-0010.ckpt', 'checkpoints/latest.ckpt']);
    expect(choice).toMatchObject({ ok: true, path: 'checkpoints/best-epoch-0010.ckpt', warnings: [expect.stringMatching(/is running, not finished/)] });
  });

  it('falls back to latest.ckpt, and refuses a run with no model by saying why', () => {
    expect(chooseModelPath(run('failed'), {}, ['checkpoints/latest.ckpt', 'logs/out.txt'])).toMatchObject({ ok: true, path: 'checkpoints/latest.ckpt' });
    expect(chooseModelPath(run('queued'), {}, [])).toEqual({ ok: false, reason: expect.stringMatching(/has no stored model: it has not started\. Train it \(ovus rerun r1 --here\)/) });
    expect(chooseModelPath(run('failed'), {}, ['logs/out.txt'])).toEqual({ ok: false, reason: expect.stringMatching(/stopped before its first checkpoint/) });
    // A finished run without a selection tag is judged by its artifacts like any other.
    expect(chooseModelPath(run('finished'), {}, ['checkpoints/best-epoch-0002.ckpt'])).toEqual({ ok: true, path: 'checkpoints/best-epoch-0002.ckpt', warnings: [] });
  });
});
