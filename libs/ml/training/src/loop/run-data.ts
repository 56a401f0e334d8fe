// A run's images, decoded and resized once before the first epoch (the @ovus/data cache makes a
// second run on the same dataset in this process decode nothing), with label indices per task.
import type { TaskName } from '@ovus/domain';
import { casesOfPart, loadCasePairUnit, type CaseRecord, type SplitAssignment, type SplitPart } from '@ovus/data';
import { labelsForCases, type PerTask } from '@ovus/ml-models';

export interface PreparedPart {
  part: SplitPart;
  caseIds: readonly string[];
  /** Per case, HWC RGB in [0, 1], size × size × 3. Shared with the image cache: never written to. */
  bmus: readonly Float32Array[];
  ceus: readonly Float32Array[];
  /** Per task, one class index per case (-1 = no label). */
  labels: PerTask<Int32Array>;
  size: number;
}

export interface RunData {
  imageSize: number;
  tasks: readonly TaskName[];
  train: PreparedPart;
  validation: PreparedPart;
  test: PreparedPart;
}

export interface PrepareRunDataOptions {
  /** The dataset root that the cases' image paths are relative to. */
  rootDir: string;
  cases: readonly CaseRecord[];
  split: SplitAssignment;
  tasks: readonly TaskName[];
  imageSize: number;
  /** Images decoded at once (default 8). */
  concurrency?: number;
}

export async function prepareRunData(options: PrepareRunDataOptions): Promise<RunData> {
  const { rootDir, split, tasks, imageSize } = options;
  const concurrency = options.concurrency ?? 8;
  const load = async (part: SplitPart): Promise<PreparedPart> => {
    const cases = casesOfPart(split, options.cases, part);
    const pairs = new Array<{ bmus: Float32Array; ceus: Float32Array }>(cases.length);
    for (let start = 0; start < cases.length; start += concurrency) {
      const chunk = cases.slice(start, start + concurrency);
      const loaded = await Promise.all(chunk.map((record) => loadCasePairUnit(rootDir, record, { size: imageSize })));
      loaded.forEach((pair, i) => (pairs[start + i] = pair));
    }
    return {
      part,
      caseIds: cases.map((c) => c.caseId),
      bmus: pairs.map((p) => p.bmus),
      ceus: pairs.map((p) => p.ceus),
      labels: labelsForCases(cases, tasks),
      size: imageSize,
    };
  };
  return { imageSize, tasks: [...tasks], train: await load('train'), validation: await load('validation'), test: await load('test') };
}

export function partSize(part: PreparedPart): number {
  return part.caseIds.length;
}
