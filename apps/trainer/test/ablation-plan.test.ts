// The ablation sweep `select plan` makes: which task sets, which replicates, and that it expands
// into valid runs that pair with their source by setting and replicate.
import { describe, expect, it } from 'vitest';
import { TASK_NAMES } from '@ovus/domain';
import { expandSweep, parseSource, trainConfigSchema } from '../src/config';
import { ablationTaskSets, ablationYaml, planAblation } from '../src/selection/ablation-plan';
import { replicateKey, settingKey } from '../src/selection/run-keys';

const config = (seed: number, fold: number) =>
  trainConfigSchema.parse({
    dataset: { name: 'd' },
    backbone: 'mobilenet-v3-small',
    imageSize: 32,
    seed,
    tasks: 'all',
    taskWeights: { septation: 2, malignancy: 1 },
    split: { kind: 'kfold', folds: 3, fold, testFraction: 0.2 },
  });

describe('select plan', () => {
  it('16 task sets for the seven parameters; fewer when candidates are named', () => {
    expect(ablationTaskSets(['blood_flow', 'boundary', 'echogenicity', 'morphology', 'papillary', 'septation', 'solid'])).toHaveLength(16);
    expect(ablationTaskSets(['solid'])).toEqual([[...TASK_NAMES], ['malignancy'], TASK_NAMES.filter((t) => t !== 'solid'), ['solid', 'malignancy']]);
  });

  it("covers the source's seeds and folds, drops weights of heads a variant does not train, and pairs with the source", () => {
    const sources = [config(0, 0), config(0, 1), config(1, 0), config(1, 1)];
    const plan = planAblation({ sourceName: 'src', project: 'p', configs: sources, parameters: ['septation'] });
    expect(plan.replicates).toBe(4);
    const expanded = expandSweep(parseSource('plan.yaml', ablationYaml(plan)));
    expect(expanded.runs).toHaveLength(4 * 4);
    const withoutSeptation = expanded.runs.filter((r) => !r.config.tasks.includes('septation'));
    for (const run of withoutSeptation) expect(run.config.taskWeights).toEqual({ malignancy: 1 });
    const sourceKeys = new Set(sources.map((c) => `${settingKey(c)}|${replicateKey(c)}`));
    for (const run of expanded.runs) expect(sourceKeys.has(`${settingKey(run.config)}|${replicateKey(run.config)}`)).toBe(true);
  });

  it('refuses configs of more than one setting', () => {
    const other = { ...config(0, 0), imageSize: 64 };
    expect(() => planAblation({ sourceName: 's', project: 'p', configs: [config(0, 0), other] })).toThrow(/one setting, got 2/);
  });
});
