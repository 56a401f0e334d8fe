import type { tf } from '@ovus/ml-engine';
import { TASK_NAMES, type TaskName } from '@ovus/domain';
import { z } from 'zod';
import type { BackboneOptions } from './backbone-options';
import type { ResolvedMultiTaskConfig } from './multitask-model';

// How a model was built, kept on the model itself (tfjs' user-defined metadata) so that saving
// needs nothing but the model, and loading can rebuild the same architecture.

export type ModelBuildConfig =
  | { kind: 'backbone'; backbone: string; options: BackboneOptions }
  | { kind: 'multi-task'; config: ResolvedMultiTaskConfig };

const backboneOptionsSchema = z.object({
  inputSize: z.number().int().positive().optional(),
  inputChannels: z.number().int().positive().optional(),
  widthMultiplier: z.number().positive().optional(),
  depthMultiplier: z.number().positive().optional(),
  pooling: z.enum(['avg', 'max', 'token']).optional(),
  preprocessing: z.enum(['imagenet', 'none']).optional(),
  modelName: z.string().optional(),
});

export const modelBuildConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('backbone'), backbone: z.string(), options: backboneOptionsSchema }),
  z.object({
    kind: z.literal('multi-task'),
    config: z.object({
      backbone: z.string(),
      backboneOptions: backboneOptionsSchema.omit({ inputSize: true, inputChannels: true, modelName: true }),
      tasks: z.array(z.enum(TASK_NAMES as [TaskName, ...TaskName[]])).min(1),
      fusion: z.enum(['shared', 'separate', 'early']),
      inputSize: z.number().int().positive(),
      dropout: z.number().min(0).max(1),
      headHidden: z.number().int().min(0),
    }),
  }),
]);

const METADATA_KEY = 'ovus';

export function writeModelMetadata(model: tf.LayersModel, build: ModelBuildConfig): void {
  model.setUserDefinedMetadata({ [METADATA_KEY]: build });
}

export function readModelMetadata(model: tf.LayersModel): ModelBuildConfig | null {
  const stored = (model.getUserDefinedMetadata() as Record<string, unknown> | undefined)?.[METADATA_KEY];
  if (stored === undefined) return null;
  return parseModelBuildConfig(stored, `model '${model.name}'`);
}

export function parseModelBuildConfig(value: unknown, where: string): ModelBuildConfig {
  const parsed = modelBuildConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new TypeError(`The build config in ${where} is not valid: ${issues}.`);
  }
  return parsed.data;
}
