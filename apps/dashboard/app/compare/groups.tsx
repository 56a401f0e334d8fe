// Compare 2–10 groups of runs (the rows of a sweep's backbone table): paired tests of each group
// against the first on the same test cases (how the runs were paired said in words), scores as
// mean ± 95% t-interval over each group's runs, mean curves overlaid, and what differs in their
// configs. Group addresses in the URL: `groups=<sweepId>:<groupKey>,…`.
import { TASKS, TASK_NAMES, isTaskName } from '@ovus/domain';
import { CiBars, ConfigDiff, CurvePanel, FilterForm, SCORE_METRICS, SCORE_TITLES, ScoreTable, formatShare, type ScoreRow } from '@ovus/ui';
import { PageHead } from '../../src/components/page-head';
import { PairedTestDetail } from '../../src/components/paired-test-detail';
import { readScoreChoice } from '../../src/components/score-controls';
import { api } from '../../src/server/api';
import { orNotFound } from '../../src/server/not-found';
import type { GroupAddress } from '../../src/components/group-address';
import { hrefWith, keepParams, one, type SearchParams } from '../../src/url';

export async function CompareGroups({ groups, params }: { groups: GroupAddress[]; params: SearchParams }) {
  const choice = readScoreChoice(params);
  const caller = await api();
  const comparison = await orNotFound(caller.compareGroups.get({ groups, task: choice.task, split: choice.split, averaging: choice.averaging }));
  const [loss, f1] = await Promise.all([caller.compareGroups.curves({ groups, key: 'val/loss' }), caller.compareGroups.curves({ groups, key: `val/${choice.task}/f1` })]);
  const curve = (curves: typeof loss) =>
    curves.filter((c) => c.points.length > 0).map((c) => ({ name: c.name, steps: c.points.map((p) => p.step), values: c.points.map((p) => p.value), times: c.points.map((p) => p.timestamp) }));
  const taskTitle = isTaskName(choice.task) ? TASKS[choice.task].title : choice.task;
  const rows: ScoreRow[] = comparison.groups.map((g) => ({
    key: `${g.sweepId}:${g.groupKey}`,
    label: <a href={hrefWith('/results', { sweep: g.sweepId, group: g.groupKey, split: choice.split, averaging: choice.averaging })}>{g.name}</a>,
    sublabel: `${g.runs.length} run${g.runs.length === 1 ? '' : 's'} (seeds ${g.runs.map((r) => r.seed).sort((a, b) => a - b).join(', ')}) · ${g.sweepName}`,
    n: g.n,
    scores: g.scores,
    ruleBaseline: g.ruleBaseline,
    coverage: g.coverage,
  }));
  const withCoverage = comparison.groups.filter((g) => g.coverage !== null);
  const [first] = comparison.groups;
  return (
    <>
      <PageHead
        crumbs={[{ label: 'Sweep', href: `/sweeps/${first.sweepId}` }, { label: 'Compare groups' }]}
        title={`Compare ${comparison.groups.length} groups`}
        sub={`${taskTitle} on the ${choice.split} split, ${choice.averaging} averaging; each group is the finished runs of a sweep that differ only in seed or fold; paired tests against ${first.name}`}
      />
      <FilterForm
        fields={[
          { kind: 'select', name: 'task', label: 'Task', value: choice.task, anyLabel: 'Benign/malignant (default)', options: TASK_NAMES.map((t) => ({ value: t, label: TASKS[t].title })) },
          { kind: 'select', name: 'split', label: 'Split', value: choice.split, anyLabel: 'test (default)', options: [{ value: 'validation', label: 'validation' }, { value: 'test', label: 'test' }] },
          { kind: 'select', name: 'averaging', label: 'Averaging', value: choice.averaging, anyLabel: 'macro (default)', options: [{ value: 'macro', label: 'macro' }, { value: 'weighted', label: 'weighted' }, { value: 'binary', label: 'binary' }] },
        ]}
        keep={keepParams(params, ['task', 'split', 'averaging'])}
        label="Comparison settings"
      />
      <section className="card" aria-labelledby="paired-tests">
        <h2 id="paired-tests">Paired tests on the same {choice.split} cases</h2>
        {comparison.pairedTests.map((t) => (
          <div key={`${t.group.sweepId}:${t.group.groupKey}`} className="paired" data-test="paired-group">
            <p className="ui-muted" data-test="pairing">
              {t.pairing.sentence}
            </p>
            <p className="sentence">{t.sentence}</p>
            {t.refused ? null : <PairedTestDetail test={t} lead={`${t.cases} pooled cases`} />}
          </div>
        ))}
      </section>
      <section className="card" aria-labelledby="scores">
        <h2 id="scores">Scores ({taskTitle})</h2>
        <ScoreTable testId="compare-group-scores" caption="Mean ± half-width of the 95% t-interval over each group's runs; n = runs with a result" rowHeader="Group" rows={rows} chosen={choice.metric} showPaper={false} />
        <CiBars
          chartId="compare-group-bars"
          title={`${taskTitle}: scores per group (95% CI over runs)`}
          categories={SCORE_METRICS.map((m) => SCORE_TITLES[m])}
          series={comparison.groups.map((g) => ({ name: g.name, values: SCORE_METRICS.map((m) => g.scores[m] ?? null) }))}
        />
        {withCoverage.length > 0 ? (
          <p className="card-note" data-testid="group-coverage">
            Rule baselines decide only some cases; their scores are on the decided ones. Coverage (share of test cases decided):{' '}
            {withCoverage.map((g) => `${g.name} ${formatShare(g.coverage?.mean, g.coverage?.lo, g.coverage?.hi)}`).join('; ')}.
          </p>
        ) : null}
      </section>
      <section className="card" aria-labelledby="curves">
        <h2 id="curves">Mean curves</h2>
        <CurvePanel
          charts={[
            { id: 'compare-group-val-loss', title: 'Validation loss per epoch (mean over each group’s runs)', series: curve(loss) },
            { id: 'compare-group-val-f1', title: `Validation F1 — ${taskTitle} (mean over runs)`, series: curve(f1), allowLog: false },
          ]}
          initial={{ smoothing: Number(one(params, 'smooth')) || 0, logScale: one(params, 'log') === '1', xAxis: one(params, 'x') === 'time' ? 'time' : 'step' }}
        />
      </section>
      <section className="card" aria-labelledby="config-diff">
        <h2 id="config-diff">Config differences</h2>
        <ConfigDiff runs={comparison.groups.map((g) => ({ label: g.name, href: `/runs?sweep=${g.sweepId}` }))} rows={comparison.configDiff.map((d) => ({ key: d.path, values: d.values }))} />
      </section>
    </>
  );
}
