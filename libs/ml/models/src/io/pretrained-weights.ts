import { tf } from '@ovus/ml-engine';
import { getBackbones } from '../multitask-model';
import { readModelArtifacts } from './file-system-io';
import { listModelWeights, type NamedModelWeight } from './model-weights';

export interface SkippedWeight {
  weight: string;
  reason: 'shape-mismatch' | 'not-in-file' | 'ambiguous';
  detail: string;
}

export interface WeightLoadReport {
  /** The model.json read. */
  source: string;
  /** Weights (model paths) filled from the file unchanged. */
  loaded: string[];
  /** Weights filled from a file weight of another input-channel count (see adaptInputChannels). */
  adapted: { weight: string; detail: string }[];
  /** Weights left as they were, and why. */
  skipped: SkippedWeight[];
  /** File weights that no model weight took. */
  unused: string[];
}

export interface LoadBackboneWeightsOptions {
  /**
   * When a conv kernel differs only in input channels by a whole factor (6-channel early fusion
   * from 3-channel ImageNet weights), repeat the kernel over the channels and divide by the factor,
   * so the response to two equal images stays the same. Default true.
   */
  adaptInputChannels?: boolean;
}

function withoutSuffix(name: string): string {
  return name.endsWith(':0') ? name.slice(0, -2) : name;
}

type Match = { name: string } | { ambiguous: string[] } | null;

/** Exact model path, then exact `<layer>/<weight>`, then a unique file name ending in `/<layer>/<weight>`. */
function findInFile(target: NamedModelWeight, names: readonly string[], nameSet: ReadonlySet<string>): Match {
  if (nameSet.has(target.path)) return { name: target.path };
  if (nameSet.has(target.leaf)) return { name: target.leaf };
  const suffix = `/${target.leaf}`;
  const candidates = names.filter((n) => n.endsWith(suffix));
  if (candidates.length === 1) return { name: candidates[0] };
  return candidates.length > 1 ? { ambiguous: candidates } : null;
}

function adaptChannels(source: tf.Tensor, targetShape: number[]): tf.Tensor | null {
  const s = source.shape;
  if (s.length !== 4 || targetShape.length !== 4) return null;
  if (s[0] !== targetShape[0] || s[1] !== targetShape[1] || s[3] !== targetShape[3]) return null;
  const factor = targetShape[2] / s[2];
  if (!Number.isInteger(factor) || factor < 2) return null;
  return tf.tidy(() => tf.div(tf.tile(source, [1, 1, factor, 1]), factor));
}

/**
 * Fills a backbone (or the backbone(s) of a multi-task model) from a tfjs layers-model folder —
 * e.g. Keras ImageNet weights converted with tensorflowjs_converter, or a folder saveModel wrote —
 * matching weights by layer name. Nothing is required to match; the report says what happened.
 */
export async function loadBackboneWeights(
  model: tf.LayersModel,
  path: string,
  options: LoadBackboneWeightsOptions = {},
): Promise<WeightLoadReport> {
  const artifacts = await readModelArtifacts(path);
  const decoded = tf.io.decodeWeights(artifacts.weightData ?? [], artifacts.weightSpecs ?? []);
  const file = new Map(Object.entries(decoded).map(([name, tensor]) => [withoutSuffix(name), tensor]));
  const names = [...file.keys()];
  const nameSet = new Set(names);
  const backbones = getBackbones(model);
  const targets =
    backbones.length > 0 ? listModelWeights(model).filter((w) => backbones.some((b) => w.path.startsWith(`${b.name}/`))) : listModelWeights(model);

  const report: WeightLoadReport = { source: artifacts.modelJsonPath, loaded: [], adapted: [], skipped: [], unused: [] };
  const used = new Set<string>();
  try {
    for (const target of targets) {
      const match = findInFile(target, names, nameSet);
      if (match === null) {
        report.skipped.push({ weight: target.path, reason: 'not-in-file', detail: `no weight named '${target.leaf}' in the file` });
        continue;
      }
      if ('ambiguous' in match) {
        report.skipped.push({
          weight: target.path,
          reason: 'ambiguous',
          detail: `several file weights end in '${target.leaf}': ${match.ambiguous.slice(0, 3).join(', ')}`,
        });
        continue;
      }
      const source = file.get(match.name) as tf.Tensor;
      const targetShape = target.variable.shape as number[];
      if (tf.util.arraysEqual(source.shape, targetShape)) {
        target.variable.write(source);
        report.loaded.push(target.path);
        used.add(match.name);
        continue;
      }
      const adapted = options.adaptInputChannels === false ? null : adaptChannels(source, targetShape);
      if (adapted !== null) {
        target.variable.write(adapted);
        adapted.dispose();
        report.adapted.push({ weight: target.path, detail: `[${source.shape}] repeated over input channels to [${targetShape}]` });
        used.add(match.name);
        continue;
      }
      report.skipped.push({
        weight: target.path,
        reason: 'shape-mismatch',
        detail: `file '${match.name}' is [${source.shape}], model needs [${targetShape}]`,
      });
    }
  } finally {
    tf.dispose([...file.values()]);
  }
  report.unused = names.filter((n) => !used.has(n));
  return report;
}

/** A few lines for a log: counts, then each skipped weight and why. */
export function formatWeightLoadReport(report: WeightLoadReport, maxLines = 20): string {
  const lines = [
    `Pretrained weights from ${report.source}: ${report.loaded.length} loaded, ${report.adapted.length} adapted, ` +
      `${report.skipped.length} skipped, ${report.unused.length} file weights unused.`,
    ...report.adapted.map((a) => `  adapted ${a.weight}: ${a.detail}`),
    ...report.skipped.map((s) => `  skipped ${s.weight} (${s.reason}): ${s.detail}`),
  ];
  if (report.unused.length > 0) lines.push(`  unused: ${report.unused.slice(0, 10).join(', ')}${report.unused.length > 10 ? ', …' : ''}`);
  return lines.length > maxLines + 1 ? [...lines.slice(0, maxLines), `  … ${lines.length - maxLines} more`].join('\n') : lines.join('\n');
}
