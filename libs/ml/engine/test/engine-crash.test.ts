// A real crash of the wasm engine (its 4 GiB heap overrun), in this test file's own process: the
// instance is dead afterwards, which is the point.
import { describe, expect, it } from 'vitest';
import { initEngine, isEngineCrash, tf } from '../src';

describe('isEngineCrash', () => {
  it('tells a dead wasm instance from ordinary errors', async () => {
    expect((await initEngine({ backend: 'wasm' })).backend).toBe('wasm');
    expect(isEngineCrash(new RangeError('batch.labels has no malignancy'))).toBe(false);
    expect(isEngineCrash('memory access out of bounds')).toBe(false); // not an Error
    let ordinary: unknown;
    try {
      tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]));
    } catch (error) {
      ordinary = error;
    }
    expect(ordinary).toBeInstanceOf(Error);
    expect(isEngineCrash(ordinary)).toBe(false);

    // Five tensors of 1.2 GB each overrun the heap: the engine breaks on the way or right after.
    let crash: unknown;
    try {
      const ones = tf.ones([300_000_000]);
      const sums = [tf.add(ones, ones), tf.mul(ones, 2), tf.sub(ones, 3), tf.add(ones, 4)];
      sums.push(tf.add(tf.ones([4]), 1));
      tf.add(tf.ones([4]), 1).dataSync();
    } catch (error) {
      crash = error;
    }
    expect(crash).toBeInstanceOf(Error);
    expect(isEngineCrash(crash)).toBe(true);
  });
});
