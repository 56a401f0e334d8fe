// Figures published in the paper, used as defaults (the phantom's label counts) and as the
// reference the backbone table is compared against. Nothing here is computed.
import type { ClinicalParameter } from './tasks';

/** Paper Table "Datasets": counts of each parameter code among benign and malignant cases. */
export const PAPER_LABEL_COUNTS: Readonly<
  Record<ClinicalParameter, { benign: Readonly<Record<number, number>>; malignant: Readonly<Record<number, number>> }>
> = {
  blood_flow: { benign: { 0: 110, 1: 64 }, malignant: { 0: 6, 1: 77 } },
  boundary: { benign: { 0: 170, 1: 4 }, malignant: { 0: 63, 1: 20 } },
  echogenicity: { benign: { 0: 109, 1: 29, 3: 5, 4: 31 }, malignant: { 0: 13, 1: 18, 3: 8, 4: 44 } },
  morphology: { benign: { 0: 152, 1: 22 }, malignant: { 0: 36, 1: 47 } },
  papillary: { benign: { 0: 155, 1: 19 }, malignant: { 0: 70, 1: 13 } },
  septation: { benign: { 0: 103, 1: 71 }, malignant: { 0: 71, 1: 12 } },
  solid: { benign: { 0: 141, 1: 33 }, malignant: { 0: 42, 1: 41 } },
};

export const PAPER_CLASS_COUNTS = { benign: 174, malignant: 83 } as const;

export interface PaperScores {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** Paper Table 2: benign/malignant scores per backbone (registry names). */
export const PAPER_TABLE2: Readonly<Record<string, PaperScores>> = {
  'efficientnet-b0': { accuracy: 0.667, precision: 0.59, recall: 0.565, f1: 0.563 },
  'mobilenet-v2': { accuracy: 0.641, precision: 0.549, recall: 0.535, f1: 0.529 },
  'mobilenet-v3-small': { accuracy: 0.718, precision: 0.671, recall: 0.634, f1: 0.642 },
  'mobilenet-v3-large': { accuracy: 0.731, precision: 0.696, recall: 0.633, f1: 0.641 },
  vgg16: { accuracy: 0.654, precision: 0.507, recall: 0.502, f1: 0.457 },
  vgg19: { accuracy: 0.705, precision: 0.66, recall: 0.582, f1: 0.576 },
  resnet18: { accuracy: 0.705, precision: 0.688, recall: 0.561, f1: 0.537 },
  resnet34: { accuracy: 0.628, precision: 0.508, recall: 0.505, f1: 0.486 },
  resnet50: { accuracy: 0.654, precision: 0.574, recall: 0.555, f1: 0.553 },
  densenet121: { accuracy: 0.692, precision: 0.631, recall: 0.573, f1: 0.567 },
  densenet169: { accuracy: 0.692, precision: 0.633, recall: 0.562, f1: 0.549 },
  densenet201: { accuracy: 0.692, precision: 0.631, recall: 0.583, f1: 0.583 },
  'vit-b16': { accuracy: 0.705, precision: 0.66, recall: 0.582, f1: 0.576 },
};

/** Paper Table 3: MobileNetV3-large trained on the selected parameters and malignancy. */
export const PAPER_TABLE3: Readonly<Record<string, PaperScores>> = {
  blood_flow: { accuracy: 0.628, precision: 0.658, recall: 0.628, f1: 0.61 },
  morphology: { accuracy: 0.654, precision: 0.514, recall: 0.507, f1: 0.481 },
  septation: { accuracy: 0.628, precision: 0.565, recall: 0.558, f1: 0.558 },
  solid: { accuracy: 0.705, precision: 0.516, recall: 0.507, f1: 0.485 },
  malignancy: { accuracy: 0.731, precision: 0.692, recall: 0.643, f1: 0.653 },
};
