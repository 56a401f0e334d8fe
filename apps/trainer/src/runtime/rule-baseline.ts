// The IOTA Simple Rules logged like a model, beside the network runs they are compared with: one
// run on the labelled parameters of the network run's test cases (what the rules reach with
// perfect parameters: an upper bound) and one on that network run's predicted parameters (what
// the rules reach on the model's output). Same sweep, dataset version and split as the network
// run, so both appear in its backbone table and compare on the same cases. Run ids are derived
// from what they evaluate: logging again updates the same runs.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { CLINICAL_PARAMETERS, TASKS, type ClinicalParameter } from '@ovus/domain';
import { casesOfPart, loadCasePairUnit, type CaseRecord } from '@ovus/data';
import { predictPairs } from '@ovus/ml-inference';
import { scoreTask } from '@ovus/ml-metrics';
import { DEFAULT_ASSUMPTIONS, isRuleBaselineBackbone, RULE_BASELINE_BACKBONE, runRuleBaseline, type ParameterValues, type RuleBaselineResult } from '@ovus/report';
import { TrackingClient, type RunRecord, type TrackingDatabase } from '@ovus/tracking';
import { CliError, EXIT_CODES } from '../cli/errors';
import { openRunPredictor } from './run-predictor';

export const RULE_BACKBONE = RULE_BASELINE_BACKBONE;

export interface LoggedBaseline {
  runId: string;
  name: string;
  source: 'labels' | 'predicted';
  result: RuleBaselineResult;
}

function runIdFor(parts: string[]): string {
  const hex = createHash('sha256').update(['ovus-rule-baseline', ...parts].join('\u0000')).digest('hex');
  // A version-4-shaped UUID (PostgreSQL's uuid type takes any 128 bits in this form).
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function logRuleBaselines(database: TrackingDatabase, networkRunId: string, log: (line: string) => void): Promise<LoggedBaseline[]> {
  const network = await database.runs.get(networkRunId).catch(() => null);
  if (!network) throw new CliError(`Run ${networkRunId} does not exist.`, EXIT_CODES.badConfig);
  if (isRuleBaselineBackbone(network.backbone)) throw new CliError(`Run ${networkRunId} is itself a rule baseline; give a network run.`, EXIT_CODES.badConfig);
  if (!network.datasetVersionId || !network.splitId) throw new CliError(`Run ${networkRunId} has no dataset version or split recorded.`, EXIT_CODES.badConfig);
  const [version, cases, split] = await Promise.all([
    database.datasets.get(network.datasetVersionId),
    database.datasets.cases(network.datasetVersionId),
    database.splits.get(network.splitId),
  ]);
  if (!version || !split) throw new CliError(`Run ${networkRunId}: its dataset version or split was deleted.`, EXIT_CODES.badConfig);
  const test = casesOfPart(split, cases, 'test');
  if (test.length === 0) throw new CliError(`Run ${networkRunId}'s split has no test cases to evaluate the rules on.`, EXIT_CODES.badConfig);

  const labelled = runRuleBaseline(test.map((c) => ({ caseId: c.caseId, parameters: c.labels, malignancy: c.malignancy })));
  const opened = await openRunPredictor(database, networkRunId);
  let predicted: RuleBaselineResult;
  try {
    const size = opened.predictor.config.inputSize;
    const parameters: ParameterValues[] = [];
    for (let start = 0; start < test.length; start += 16) {
      const chunk = test.slice(start, start + 16);
      const pairs = await Promise.all(
        chunk.map(async (c) => {
          const unit = await loadCasePairUnit(version.rootDir, c, { size }); // the images exactly as training saw them
          return { size, bmus: { pixels: unit.bmus }, ceus: { pixels: unit.ceus } };
        }),
      );
      for (const prediction of predictPairs(opened.predictor, pairs)) {
        const values: ParameterValues = Object.fromEntries(CLINICAL_PARAMETERS.map((p) => [p, null]));
        for (const head of prediction.heads) if (head.task !== 'malignancy') values[head.task as ClinicalParameter] = head.predicted.code;
        parameters.push(values);
      }
    }
    predicted = runRuleBaseline(test.map((c, i) => ({ caseId: c.caseId, parameters: parameters[i], malignancy: c.malignancy })));
    const missingHeads = CLINICAL_PARAMETERS.filter((p) => !opened.predictor.tasks.includes(p));
    if (missingHeads.length > 0) log(`run ${networkRunId} has no head for ${missingHeads.join(', ')}: the rules see them as missing inputs`);
  } finally {
    opened.predictor.dispose();
  }

  const client = new TrackingClient({ store: database.store, heartbeatIntervalMs: 0, onWarning: (m) => log(`tracking: ${m}`) });
  try {
    const logged: LoggedBaseline[] = [];
    for (const [source, result] of [['labels', labelled], ['predicted', predicted]] as const) {
      logged.push(await logBaselineRun(client, network, source, result, test, opened.predictor.source.sha256));
    }
    await client.flush();
    return logged;
  } finally {
    await client.close();
  }
}

async function logBaselineRun(
  client: TrackingClient,
  network: RunRecord,
  source: 'labels' | 'predicted',
  result: RuleBaselineResult,
  test: readonly CaseRecord[],
  modelSha256: string,
): Promise<LoggedBaseline> {
  const backbone = source === 'labels' ? RULE_BACKBONE : `${RULE_BACKBONE}/${network.backbone}`;
  const id = source === 'labels' ? runIdFor(['labels', network.splitId as string, network.sweepId ?? '']) : runIdFor(['predicted', network.id]);
  const name = source === 'labels' ? `${RULE_BACKBONE} on labelled parameters` : `${RULE_BACKBONE} on ${network.name}'s predicted parameters`;
  const run = await client.startRun({
    id,
    projectId: network.projectId,
    sweepId: network.sweepId,
    groupKey: source === 'labels' ? `${RULE_BACKBONE}|labels` : `${RULE_BACKBONE}|predicted|${network.groupKey ?? network.id}`,
    name,
    backbone,
    tasks: ['malignancy'],
    imageSize: network.imageSize,
    seed: source === 'labels' ? 0 : network.seed,
    fold: network.fold,
    config: { kind: 'rule-baseline', rules: RULE_BACKBONE, source, fromRun: source === 'predicted' ? network.id : null, assumptions: DEFAULT_ASSUMPTIONS, imageSize: network.imageSize },
    datasetVersionId: network.datasetVersionId,
    splitId: network.splitId,
    host: hostname(),
  });
  const { summary } = result;
  const decided = result.cases.filter((c) => c.evaluation.verdict === 'benign' || c.evaluation.verdict === 'malignant');
  if (decided.length > 0) {
    const yTrue = decided.map((c) => c.malignancy);
    const yPred = decided.map((c) => (c.evaluation.verdict === 'malignant' ? 1 : 0));
    const scores = scoreTask({ yTrue, yPred, probabilities: yPred.map((p) => [1 - p, p]), classes: TASKS.malignancy.codes, bootstrap: { resamples: 1000, level: 0.95, seed: 0 } });
    const withCi = (value: number, ci?: { lo: number | null; hi: number | null }) => ({ value, lo: ci?.lo ?? null, hi: ci?.hi ?? null });
    // Hard verdicts have no ranking: no AUC. support = the decided cases (coverage says how many that is).
    run.logTaskResult({
      task: 'malignancy',
      split: 'test',
      averaging: scores.averaging,
      accuracy: withCi(scores.accuracy, scores.ci?.accuracy),
      precision: withCi(scores.precision, scores.ci?.precision),
      recall: withCi(scores.recall, scores.ci?.recall),
      f1: withCi(scores.f1, scores.ci?.f1),
      auc: null,
      support: decided.length,
    });
    run.logConfusionMatrix({ task: 'malignancy', split: 'test', labels: [...TASKS.malignancy.codes], counts: summary.confusion });
    // Per-case predictions of the decided cases, so that paired tests (McNemar) against a network
    // run on the same split can match them by case id; [1 - p, p] of the hard verdict, in the
    // order of the malignancy codes. Idempotent on (run, split, task, case) like every prediction.
    run.logPredictions(
      decided.map((c, i) => {
        const predicted = yPred[i] as number;
        return { split: 'test' as const, task: 'malignancy', caseId: c.caseId, label: c.malignancy, predicted, probabilities: TASKS.malignancy.codes.map((code) => (code === predicted ? 1 : 0)) };
      }),
    );
  }
  const metrics: Record<string, number> = {};
  const proportion = (key: string, p: { value: number; lo: number; hi: number }) => {
    metrics[`final/test/malignancy/${key}`] = p.value;
    metrics[`final/test/malignancy/${key}_lo`] = p.lo;
    metrics[`final/test/malignancy/${key}_hi`] = p.hi;
  };
  proportion('coverage', summary.coverage);
  proportion('sensitivity', summary.sensitivity);
  proportion('specificity', summary.specificity);
  proportion('sensitivity_undecided_as_malignant', summary.sensitivityUndecidedAsMalignant);
  proportion('specificity_undecided_as_malignant', summary.specificityUndecidedAsMalignant);
  for (const [verdict, count] of Object.entries(summary.counts)) metrics[`final/test/iota/${verdict}`] = count;
  run.logMetrics(metrics, 0);
  run.setTags({ rule_source: source, ...(source === 'predicted' ? { from_run: network.id, from_model_sha256: modelSha256 } : {}) });
  const verdicts = result.cases.map((c) => ({
    caseId: c.caseId,
    malignancy: c.malignancy,
    parameters: c.parameters,
    verdict: c.evaluation.verdict,
    ifUnknownAbsent: c.evaluation.ifUnknownAbsent,
    ifUnknownPresent: c.evaluation.ifUnknownPresent,
    undecidedBy: c.evaluation.undecidedBy,
    features: c.evaluation.features,
  }));
  run.logArtifactBytes('iota/verdicts.json', Buffer.from(JSON.stringify({ cases: test.length, verdicts }, null, 2)), { kind: 'rule-verdicts' });
  await run.end('finished');
  return { runId: id, name, source, result };
}
