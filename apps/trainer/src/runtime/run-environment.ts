// What is recorded about where a run attempt executes: the code's commit and the machine.
import { execFile } from 'node:child_process';
import { cpus, hostname, platform, release, totalmem, arch } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { availableCores, tf, type EngineInfo } from '@ovus/ml-engine';

const run = promisify(execFile);

/**
 * OVUS_GIT_COMMIT when set (container images without .git), else this checkout's HEAD, with
 * '-dirty' when tracked files differ from it; null when neither is known.
 */
export async function gitCommit(fromEnv: string | undefined): Promise<string | null> {
  if (fromEnv) return fromEnv;
  const cwd = dirname(fileURLToPath(import.meta.url));
  try {
    const { stdout } = await run('git', ['rev-parse', 'HEAD'], { cwd, timeout: 5000 });
    const dirty = await run('git', ['diff', '--quiet', 'HEAD', '--'], { cwd, timeout: 10_000 }).then(
      () => false,
      () => true,
    );
    return `${stdout.trim()}${dirty ? '-dirty' : ''}`;
  } catch {
    return null;
  }
}

export function hardwareDescription(engine: EngineInfo): Record<string, unknown> {
  return {
    host: hostname(),
    cpu: cpus()[0]?.model ?? null,
    cores: availableCores(),
    memoryBytes: totalmem(),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    tfjs: tf.version.tfjs,
    backend: engine.backend,
    backendPackage: engine.packageName,
    gpu: engine.gpu,
    simd: engine.simd,
    threads: engine.threads,
    notUsed: engine.reasons,
  };
}
