// The bench trains the platform's own model: @ovus/ml-models' multi-task model (one backbone
// shared by the BMUS and CEUS image as one batch of 2n, 8 softmax heads) and @ovus/ml-training's
// train step (masked multi-task loss, variableGrads, Adam).
import { tf } from '@ovus/ml-engine';
import { TASK_NAMES } from '@ovus/domain';
import { buildMultiTaskModel } from '@ovus/ml-models';

export type BenchBackbone = 'mobilenet-v3-small' | 'resnet18' | 'densenet121';

export interface BenchModelSpec {
  backbone: BenchBackbone;
  inputSize: number;
  /** MobileNetV3 width multiplier. */
  width?: number;
}

export function buildBenchModel(spec: BenchModelSpec): tf.LayersModel {
  return buildMultiTaskModel({
    backbone: spec.backbone,
    backboneOptions: spec.width ? { widthMultiplier: spec.width } : {},
    tasks: TASK_NAMES,
    fusion: 'shared',
    inputSize: spec.inputSize,
  });
}

export const modelSource = '@ovus/ml-models buildMultiTaskModel (shared fusion, 8 heads) + @ovus/ml-training createLoopStep (the trainer loop\'s step), Adam';
