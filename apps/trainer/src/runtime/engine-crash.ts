// A run that broke the training engine (on wasm: its 4 GiB heap ran out). The message says what
// to change; the error is final (the same settings fail the same way, so its job is not retried)
// and tells a worker to restart its process: the dead wasm instance would fail every later run.
import { WASM_HEAP_LIMIT_BYTES } from '@ovus/ml-engine';
import { CliError, EXIT_CODES } from '../cli/errors';
import type { TrainConfig } from '../config';

export class EngineCrashError extends CliError {
  /** Read by @ovus/jobs: retrying with the same settings cannot help. */
  readonly retryable = false;

  constructor(message: string) {
    super(message, EXIT_CODES.failure);
    this.name = 'EngineCrashError';
  }
}

/** What went wrong and what to change, for a run whose engine crashed with `cause`. */
export function engineCrashMessage(config: TrainConfig, backend: string, cause: string): string {
  const { batchSize, gradientAccumulationSteps: accumulation, imageSize, backbone } = config;
  const width = config.backboneOptions.widthMultiplier;
  const what =
    `The ${backend} engine ran out of memory training ${backbone}${width === 1 ? '' : ` x${width}`} at ${imageSize} px ` +
    `with batches of ${batchSize} image pair(s)` +
    (backend === 'wasm' ? ` (its heap is capped at ${WASM_HEAP_LIMIT_BYTES / 1024 ** 3} GiB).` : '.');
  const smaller = Math.ceil(batchSize / 2);
  const steps = Math.ceil((batchSize * accumulation) / smaller);
  const todo =
    batchSize > 1
      ? ` Use smaller batches and accumulate their gradients to keep the effective batch of ${batchSize * accumulation}: ` +
        `--set batchSize=${smaller} --set gradientAccumulationSteps=${steps} (halve again if needed)`
      : ' The batch is already one image pair: use a smaller imageSize or width multiplier';
  const native = backend === 'wasm' ? ', or a native backend (see libs/ml/engine/README.md: tensorflow).' : '.';
  return `${what}${todo}${native} [engine error: ${cause}]`;
}
