export { createTrainStep, type StepLosses, type TrainStep } from './train-step';
export { predict, type PredictOptions } from './predict';
export type { ImageBatch, TrainBatch } from './batch';
export * from './loop';
