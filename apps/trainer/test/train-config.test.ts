import { describe, expect, it } from 'vitest';
import { ConfigError, parseOverrides, parseSource, validateTrainConfig } from '../src/config';

const validate = (text: string, overrides = {}) => validateTrainConfig(parseSource('run.yaml', text), overrides);
const problemsOf = (text: string, overrides = {}): string => {
  try {
    validate(text, overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be refused');
};

describe('TrainConfig', () => {
  it('fills paper-like defaults around the few required fields', () => {
    const config = validate('dataset: { name: ovarian-us }\nbackbone: resnet18\n');
    expect(config).toMatchObject({
      dataset: { name: 'ovarian-us', version: 'latest' },
      tasks: ['blood_flow', 'boundary', 'echogenicity', 'morphology', 'papillary', 'septation', 'solid', 'malignancy'],
      imageSize: 224,
      optimizer: { name: 'adam', learningRate: 1e-4 },
      schedule: { kind: 'cosine' },
      split: { kind: 'holdout', fractions: { train: 0.7, validation: 0.1, test: 0.2 } },
      backend: 'auto',
      earlyStopping: { metric: 'loss', patience: 10 },
      pretrainedWeights: null,
    });
  });

  it('parses task lists through the domain catalogue, in canonical order', () => {
    expect(validate('dataset: { name: d }\nbackbone: vgg16\ntasks: malignancy, solid\n').tasks).toEqual(['solid', 'malignancy']);
    expect(validate('dataset: { name: d }\nbackbone: vgg16\ntasks: paper-selected\n').tasks).toHaveLength(5);
  });

  it('names an unknown task and the valid ones', () => {
    expect(problemsOf('dataset: { name: d }\nbackbone: vgg16\ntasks: [malignancy, septum]\n')).toMatch(
      /run\.yaml:3: tasks: Unknown task 'septum'\. Valid tasks: blood_flow, boundary, echogenicity.*malignancy/,
    );
  });

  it('names an unknown backbone, the closest one and all valid ones', () => {
    const message = problemsOf('dataset: { name: d }\nbackbone: resnet19\n');
    expect(message).toContain("run.yaml:2: unknown backbone 'resnet19' at backbone — did you mean 'resnet18'?");
    expect(message).toContain('Valid backbones: efficientnet-b0, mobilenet-v2, mobilenet-v3-small, mobilenet-v3-large, vgg16, vgg19, resnet18, resnet34, resnet50, densenet121, densenet169, densenet201, vit-b16.');
  });

  it.each([
    ['100.5', /imageSize: 100\.5 is impossible: use a whole number of pixels up to 1024/],
    ['4096', /imageSize: 4096 is impossible/],
    ['16', /imageSize: 16 does not work with resnet18: it needs at least 32 px in steps of 32 \(the network halves the image five times.*\); nearest valid: 32$/m],
    ['100', /imageSize: 100 does not work with resnet18: .*nearest valid: 96 or 128$/m],
  ])('refuses the impossible image size %s', (size, expected) => {
    expect(problemsOf(`dataset: { name: d }\nbackbone: resnet18\nimageSize: ${size}\n`)).toMatch(expected);
  });

  it('takes each backbone family size rule from the model registry (vit-b16: 16 px patches)', () => {
    expect(validate('dataset: { name: d }\nbackbone: vit-b16\nimageSize: 48\n').imageSize).toBe(48);
    expect(problemsOf('dataset: { name: d }\nbackbone: vit-b16\nimageSize: 100\n')).toMatch(
      /imageSize: 100 does not work with vit-b16: it needs at least 32 px in steps of 16 .*nearest valid: 96 or 112/,
    );
    expect(problemsOf('dataset: { name: d }\nbackbone: resnet18\nbackboneOptions: { pooling: token }\n')).toMatch(
      /backboneOptions\.pooling: resnet18 cannot pool with 'token'; it supports avg, max/,
    );
  });

  it('reports typos in keys with the line and the likely key', () => {
    const message = problemsOf('dataset: { name: d }\nbackbone: vgg16\nepoch: 3\noptimizer:\n  learning_rate: 0.1\n');
    expect(message).toContain("run.yaml:3: unknown key 'epoch' at the top level — did you mean 'epochs'?");
    expect(message).toContain("run.yaml:5: unknown key 'learning_rate' at optimizer — did you mean 'learningRate'?");
  });

  it('reports wrong types and missing required fields', () => {
    const message = problemsOf('backbone: vgg16\nepochs: ten\nbatchSize: 0\n');
    expect(message).toMatch(/dataset is required/);
    expect(message).toMatch(/run\.yaml:2: epochs: expected number, got the text 'ten'/);
    expect(message).toMatch(/run\.yaml:3: batchSize: number 0 is too small; the value must be ≥ 1/);
  });

  it('checks fields against each other', () => {
    const message = problemsOf(
      [
        'dataset: { name: d }',
        'backbone: vgg16',
        'tasks: [malignancy, solid]',
        'split: { kind: kfold, folds: 5, fold: 5 }',
        'earlyStopping: { metric: septation.f1 }',
        'classWeights: { solid: [1, 2, 3] }',
        'taskWeights: { boundary: 2 }',
      ].join('\n'),
    );
    expect(message).toMatch(/split\.fold: fold 5 does not exist with 5 folds; use 0 to 4/);
    expect(message).toMatch(/earlyStopping\.metric: early stopping watches task 'septation', which this run does not train/);
    expect(message).toMatch(/classWeights\.solid: task 'solid' has 2 classes .* not 3/);
    expect(message).toMatch(/taskWeights\.boundary: task 'boundary' is not trained by this run/);
  });

  it('refuses holdout fractions that do not add up to 1', () => {
    expect(problemsOf('dataset: { name: d }\nbackbone: vgg16\nsplit: { fractions: { train: 0.5, validation: 0.1, test: 0.1 } }\n')).toMatch(
      /split\.fractions: the fractions add up to 0\.7/,
    );
  });

  it('applies --set overrides on top of the file, and checks them too', () => {
    const overrides = parseOverrides(['epochs=2', 'optimizer.learningRate=0.01', 'tasks=[malignancy]']);
    const config = validate('dataset: { name: d }\nbackbone: vgg16\nepochs: 50\n', overrides);
    expect(config).toMatchObject({ epochs: 2, optimizer: { learningRate: 0.01 }, tasks: ['malignancy'] });
    expect(problemsOf('dataset: { name: d }\nbackbone: vgg16\n', parseOverrides(['epoch=2']))).toMatch(
      /run\.yaml \(with --set\).*unknown key 'epoch' at the top level — did you mean 'epochs'\?/s,
    );
    expect(() => parseOverrides(['epochs'])).toThrow(/'epochs' is not key=value/);
  });

  it('points at the line of broken YAML', () => {
    expect(() => parseSource('bad.yaml', 'dataset:\n  name: [unclosed\n')).toThrow(/bad\.yaml:\d+: not valid YAML\/JSON/);
  });
});
