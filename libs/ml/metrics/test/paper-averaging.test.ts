// Which averaging did the paper use? Its Table 2 has recall far below accuracy on an imbalanced
// test set. These tests show, with the library's own metric code, that only macro averaging can
// produce its rows, which is why 'macro' is the default.
import { describe, expect, it } from 'vitest';
import { createRandom, scoresFromConfusion, type Averaging, type ConfusionMatrix } from '../src';

// Published figures (paper Table 2: malignancy per backbone; Table 3: the selected-parameter
// model), copied here because this library may not import @ovus/domain. Order: accuracy,
// precision, recall, F1, each rounded to 3 decimals.
const PAPER_ROWS: Record<string, readonly [number, number, number, number]> = {
  'T2 EfficientNet': [0.667, 0.59, 0.565, 0.563],
  'T2 MobileNetV2': [0.641, 0.549, 0.535, 0.529],
  'T2 MobileNetV3_small': [0.718, 0.671, 0.634, 0.642],
  'T2 MobileNetV3_large': [0.731, 0.696, 0.633, 0.641],
  'T2 VGG16': [0.654, 0.507, 0.502, 0.457],
  'T2 VGG19': [0.705, 0.66, 0.582, 0.576],
  'T2 ResNet18': [0.705, 0.688, 0.561, 0.537],
  'T2 ResNet34': [0.628, 0.508, 0.505, 0.486],
  'T2 ResNet50': [0.654, 0.574, 0.555, 0.553],
  'T2 DenseNet121': [0.692, 0.631, 0.573, 0.567],
  'T2 DenseNet169': [0.692, 0.633, 0.562, 0.549],
  'T2 DenseNet201': [0.692, 0.631, 0.583, 0.583],
  'T2 ViT': [0.705, 0.66, 0.582, 0.576],
  'T3 blood flow': [0.628, 0.658, 0.628, 0.61],
  'T3 morphology': [0.654, 0.514, 0.507, 0.481],
  'T3 septation': [0.628, 0.565, 0.558, 0.558],
  'T3 solid component': [0.705, 0.516, 0.507, 0.485],
  'T3 classification': [0.731, 0.692, 0.643, 0.653],
};
// Every accuracy above is k/78 to 3 decimals (e.g. 0.731 = 57/78): a 78-case test split, 30 % of
// the 257 cases. With the dataset's 174 benign / 83 malignant, such a split holds about 53 / 25.
const TEST_CASES = 78;
const HALF_UNIT = 0.0005 + 1e-12;
const paperAccuracies = Object.values(PAPER_ROWS).map((row) => row[0]);

function binaryConfusion(benign: number, malignant: number, trueBenign: number, trueMalignant: number): ConfusionMatrix {
  return {
    classes: [0, 1],
    counts: [
      [trueBenign, benign - trueBenign],
      [malignant - trueMalignant, trueMalignant],
    ],
  };
}

interface Match {
  benign: number;
  malignant: number;
}

/** Every 2 × 2 confusion matrix over 78 cases whose rounded scores equal the row, per averaging. */
function matchingMatrices(mode: { averaging: Averaging; positive?: number }): Map<string, Match[]> {
  const matches = new Map<string, Match[]>(Object.keys(PAPER_ROWS).map((name) => [name, []]));
  for (let malignant = 1; malignant < TEST_CASES; malignant++) {
    const benign = TEST_CASES - malignant;
    for (let tp = 0; tp <= malignant; tp++) {
      for (let tn = 0; tn <= benign; tn++) {
        // Cheap pre-filter: only matrices whose accuracy matches some row are scored in full.
        if (!paperAccuracies.some((a) => Math.abs((tp + tn) / TEST_CASES - a) <= HALF_UNIT)) continue;
        const s = scoresFromConfusion(binaryConfusion(benign, malignant, tn, tp), mode);
        const values = [s.accuracy, s.precision, s.recall, s.f1];
        for (const [name, row] of Object.entries(PAPER_ROWS)) {
          if (values.every((v, i) => Math.abs(v - row[i]) <= HALF_UNIT)) matches.get(name)?.push({ benign, malignant });
        }
      }
    }
  }
  return matches;
}

describe('the averaging behind the paper tables', () => {
  it('weighted recall always equals accuracy, so recall below accuracy rules weighted out', () => {
    // Weighted recall = Σ_c (n_c/n)·(tp_c/n_c) = Σ_c tp_c / n = accuracy, for any confusion matrix.
    const random = createRandom(2024);
    for (let trial = 0; trial < 500; trial++) {
      const k = 2 + random.nextInt(4);
      const classes = Array.from({ length: k }, (_, i) => i);
      const counts = classes.map(() => classes.map(() => (random.nextInt(3) === 0 ? 0 : random.nextInt(40))));
      counts[0][0] += 1; // never an empty matrix
      const s = scoresFromConfusion({ classes, counts }, { averaging: 'weighted' });
      expect(Math.abs(s.recall - s.accuracy)).toBeLessThan(1e-12);
    }
    const vgg16 = PAPER_ROWS['T2 VGG16'];
    expect(vgg16[2]).toBeLessThan(vgg16[0] - 0.1);
  });

  it('binary F1 lies between precision and recall, so an F1 below both rules binary out', () => {
    const random = createRandom(7);
    for (let trial = 0; trial < 500; trial++) {
      const counts = [0, 1].map(() => [0, 1].map(() => 1 + random.nextInt(50)));
      const s = scoresFromConfusion({ classes: [0, 1], counts }, { averaging: 'binary', positive: 1 });
      expect(s.f1).toBeGreaterThanOrEqual(Math.min(s.precision, s.recall) - 1e-15);
      expect(s.f1).toBeLessThanOrEqual(Math.max(s.precision, s.recall) + 1e-15);
    }
    const [, precision, recall, f1] = PAPER_ROWS['T2 VGG16'];
    expect(f1).toBeLessThan(Math.min(precision, recall));
  });

  it('macro averaging reproduces every row on a 53 benign / 25 malignant split; weighted and binary none', () => {
    const macro = matchingMatrices({ averaging: 'macro' });
    for (const [name, found] of macro) {
      expect(found.length, `${name}: no matrix under macro`).toBeGreaterThan(0);
    }
    for (const [name, found] of macro) {
      if (!name.startsWith('T2')) continue;
      // Table 2 is malignancy: the split must be the benign-heavy 53 / 25 (or its label swap).
      expect(found.some((m) => m.benign === 53 && m.malignant === 25), name).toBe(true);
    }
    for (const mode of [
      { averaging: 'weighted' as const },
      { averaging: 'binary' as const, positive: 1 },
      { averaging: 'binary' as const, positive: 0 },
    ]) {
      const found = matchingMatrices(mode);
      for (const [name, list] of found) {
        // Blood flow (Table 3) is balanced in its split (39 / 39), where weighted = macro.
        if (name === 'T3 blood flow' && mode.averaging === 'weighted') continue;
        expect(list, `${name} under ${mode.averaging} ${mode.positive ?? ''}`).toEqual([]);
      }
    }
  });

  it('VGG16 row: 49 of 53 benign and 2 of 25 malignant right gives 0.654 / 0.507 / 0.502 / 0.457 under macro', () => {
    const confusion = binaryConfusion(53, 25, 49, 2);
    const macro = scoresFromConfusion(confusion, { averaging: 'macro' });
    expect([macro.accuracy, macro.precision, macro.recall, macro.f1].map((v) => Number(v.toFixed(3)))).toEqual([
      0.654, 0.507, 0.502, 0.457,
    ]);
    const weighted = scoresFromConfusion(confusion, { averaging: 'weighted' });
    expect(weighted.recall).toBeCloseTo(weighted.accuracy, 12);
  });
});
