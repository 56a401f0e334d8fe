import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { initEngine, recommendedWorkerConcurrency, tf, type ModuleLoader } from '../src';

/** In the order initEngine tries them. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

function isResolvable(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

const notInstalled: ModuleLoader = async (specifier) => {
  throw new Error(`Cannot find package '${specifier}' imported from /work/main/libs/ml/engine/src/module-loader.ts`);
};

/**
 * Stands in for tfjs-node: importing the real package registers a backend named 'tensorflow' on
 * the shared tfjs core. The real one cannot install on machines without its download host.
 */
class StandInTensorflowBackend extends tf.KernelBackend {
  override dispose(): void {}
  override numDataIds(): number {
    return 0;
  }
}

function loaderRegistering(packageName: string): ModuleLoader {
  return async (specifier) => {
    if (specifier !== packageName) return notInstalled(specifier);
    tf.registerBackend('tensorflow', () => new StandInTensorflowBackend());
    return {};
  };
}

afterEach(async () => {
  if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
  await tf.setBackend('cpu');
});

describe('initEngine backend selection', () => {
  it('falls back to wasm and says why tensorflow was not used', async () => {
    const info = await initEngine({ loadModule: notInstalled });
    expect(info.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.requested).toBe('auto');
    expect(info.reasons).toEqual([
      expect.stringMatching(/^tfjs-node-gpu not installed \(Cannot find package '@tensorflow\/tfjs-node-gpu'/),
      expect.stringMatching(/^tfjs-node not installed \(Cannot find package '@tensorflow\/tfjs-node'/),
    ]);
    expect(info.simd).toBe(true);
    expect(info.threads).toBe(1); // tfjs-backend-wasm turns threads off in Node
    expect(info.gpu).toBe(false);
  });

  it('uses the real import by default, with a reason for each better backend it did not use', async () => {
    // tfjs-node(-gpu) cannot install on machines without its download host, and the README tells
    // CUDA hosts to install it: this test holds on both.
    const installed = NATIVE_PACKAGES.filter(isResolvable);
    const info = await initEngine();
    if (info.backend === 'tensorflow') {
      expect(installed).toContain(info.packageName);
    } else {
      expect(info.backend).toBe('wasm');
      expect(info.reasons).toHaveLength(2);
      NATIVE_PACKAGES.forEach((name, i) =>
        expect(info.reasons[i]).toMatch(installed.includes(name) ? /^tfjs-node(-gpu)? (failed to load|loaded but registered no)/ : /^tfjs-node(-gpu)? not installed \(/),
      );
      expect(info.kernels.length === 0 || info.kernels.includes('Conv2DBackpropFilter')).toBe(true);
      // the training kernels are in place whichever call registered them first
      expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
      expect(tf.getKernel('DepthwiseConv2dNativeBackpropInput', 'wasm')).toBeDefined();
    }
  });

  it('prefers tfjs-node-gpu when it loads, and reports the GPU', async () => {
    const info = await initEngine({ loadModule: loaderRegistering('@tensorflow/tfjs-node-gpu') });
    expect(info).toMatchObject({ backend: 'tensorflow', gpu: true, packageName: '@tensorflow/tfjs-node-gpu', reasons: [] });
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('falls back from tfjs-node-gpu to tfjs-node with the reason', async () => {
    const info = await initEngine({ loadModule: loaderRegistering('@tensorflow/tfjs-node') });
    expect(info).toMatchObject({ backend: 'tensorflow', gpu: false, packageName: '@tensorflow/tfjs-node' });
    expect(info.reasons).toEqual([expect.stringMatching(/^tfjs-node-gpu not installed/)]);
  });

  it('explains a package that loads but registers no backend (a second tfjs-core copy)', async () => {
    const info = await initEngine({ loadModule: async () => ({}) });
    expect(info.backend).toBe('wasm');
    expect(info.reasons[0]).toMatch(/tfjs-node-gpu loaded but registered no 'tensorflow' backend/);
  });

  it('reports a load failure other than a missing package as such', async () => {
    const info = await initEngine({
      loadModule: async () => {
        throw new Error('libcudart.so.11.0: cannot open shared object file');
      },
    });
    expect(info.reasons[0]).toBe('tfjs-node-gpu failed to load (libcudart.so.11.0: cannot open shared object file)');
  });

  it('throws an actionable error when a forced backend is unavailable', async () => {
    await expect(initEngine({ backend: 'tensorflow', loadModule: notInstalled })).rejects.toThrow(
      /Backend 'tensorflow' was requested but is not available: tfjs-node-gpu not installed .*; tfjs-node not installed .*Install @tensorflow\/tfjs-node-gpu/,
    );
  });

  it('runs the backend the caller forces without trying better ones', async () => {
    let loads = 0;
    const counting: ModuleLoader = async (specifier) => {
      loads++;
      return notInstalled(specifier);
    };
    expect(await initEngine({ backend: 'cpu', loadModule: counting })).toMatchObject({ backend: 'cpu', reasons: [], threads: 1 });
    expect(await initEngine({ backend: 'wasm', loadModule: counting })).toMatchObject({ backend: 'wasm', reasons: [] });
    expect(loads).toBe(0);
  });

  it('rejects an unknown backend name', async () => {
    await expect(initEngine({ backend: 'webgpu' as never })).rejects.toThrow("Unknown backend 'webgpu': use one of auto, tensorflow, wasm, cpu.");
  });
});

describe('recommendedWorkerConcurrency', () => {
  it('runs one process per core on single-threaded backends and one process on native TensorFlow', () => {
    expect(recommendedWorkerConcurrency({ backend: 'wasm', gpu: false }, 2)).toBe(2);
    expect(recommendedWorkerConcurrency({ backend: 'cpu', gpu: false }, 8)).toBe(8);
    expect(recommendedWorkerConcurrency({ backend: 'tensorflow', gpu: true }, 16)).toBe(1);
    expect(recommendedWorkerConcurrency({ backend: 'tensorflow', gpu: false }, 16)).toBe(1);
    expect(recommendedWorkerConcurrency({ backend: 'wasm', gpu: false }, 0)).toBe(1);
  });
});
