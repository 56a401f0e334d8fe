import type { BenchModelSpec } from './train-models';

export interface TrainCase extends BenchModelSpec {
  /** Name on the command line and in the report, e.g. "resnet18@64". */
  id: string;
}

export const BATCH_SIZE = 8;

export const TRAIN_CASES: readonly TrainCase[] = [
  { id: 'mobilenet-v3-small-0.5@64', backbone: 'mobilenet-v3-small', width: 0.5, inputSize: 64 },
  { id: 'mobilenet-v3-small-0.5@96', backbone: 'mobilenet-v3-small', width: 0.5, inputSize: 96 },
  { id: 'resnet18@64', backbone: 'resnet18', inputSize: 64 },
  { id: 'resnet18@96', backbone: 'resnet18', inputSize: 96 },
  { id: 'densenet121@64', backbone: 'densenet121', inputSize: 64 },
];

export function findTrainCase(id: string): TrainCase {
  const found = TRAIN_CASES.find((c) => c.id === id);
  if (!found) throw new Error(`Unknown bench case '${id}'. Known cases: ${TRAIN_CASES.map((c) => c.id).join(', ')}.`);
  return found;
}
