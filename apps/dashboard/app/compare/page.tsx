// Compare 2–10 runs: what differs in their configs, their scores side by side with intervals,
// their curves overlaid, and paired tests on the same test cases (McNemar on the predictions,
// DeLong on the AUC) said in a plain sentence.
import { TASKS, TASK_NAMES, isTaskName } from '@ovus/domain';
import { CiBars, ConfigDiff, CurvePanel, EmptyState, FilterForm, SCORE_METRICS, SCORE_TITLES, ScoreTable, diffConfigs, type ScoreRow } from '@ovus/ui';
import type { Metadata } from 'next';
import { PageHead } from '../../src/components/page-head';
import { readScoreChoice } from '../../src/components/score-controls';
import { api } from '../../src/server/api';
import { orNotFound } from '../../src/server/not-found';
import { keepParams, many, one, type SearchParams } from '../../src/url';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Compare runs' };

export default async function ComparePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const runIds = [...new Set(many(params, 'runs'))];
  const choice = readScoreChoice(params);
  if (runIds.length < 2) {
    return (
      <>
        <PageHead title="Compare runs" />
        <EmptyState title="Choose 2 to 10 runs">
          <p>
            Open the <a href="/runs">runs table</a> and follow a run's “Compare…” link, or put the ids in the address: <code>/compare?runs=id1,id2</code>.
          </p>
        </EmptyState>
      </>
    );
  }
  const caller = await api();
  const comparison = await orNotFound(caller.compare.runs({ runIds: runIds.slice(0, 10), task: choice.task, split: choice.split, averaging: choice.averaging }));
  const series = await Promise.all(comparison.runs.map((r) => caller.metrics.series({ runId: r.id, keys: ['val/loss', `val/${choice.task}/f1`], maxPoints: 1000 })));
  const diff = diffConfigs(comparison.runs.map((r) => r.config));
  const label = (r: { name: string }) => r.name;
  const curve = (key: string) =>
    comparison.runs.flatMap((r, i) => {
      const points = series[i].find((s) => s.key === key)?.points ?? [];
      return points.length ? [{ name: label(r), points: points.map((p) => ({ step: p.step, value: p.value, time: new Date(p.time).getTime() })) }] : [];
    });
  const rows: ScoreRow[] = comparison.runs.map((r) => ({ key: r.id, label: <a href={`/runs/${r.id}`}>{r.name}</a>, sublabel: r.backbone, scores: r.scores }));
  const taskTitle = isTaskName(choice.task) ? TASKS[choice.task].title : choice.task;
  return (
    <>
      <PageHead crumbs={[{ label: 'Runs', href: '/runs' }, { label: 'Compare' }]} title={`Compare ${comparison.runs.length} runs`} sub={`${taskTitle} on the ${choice.split} split, ${choice.averaging} averaging`} />
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
        <h2 id="paired-tests">Paired tests on the same test cases</h2>
        {comparison.tests.length === 0 ? (
          <p className="ui-muted">No paired test could be run.</p>
        ) : (
          comparison.tests.map((t) => (
            <p key={`${t.kind}-${t.a}-${t.b}`} className="sentence" data-test={t.kind}>
              {t.sentence}
            </p>
          ))
        )}
        {comparison.testProblems.map((p) => (
          <p key={p} className="ui-muted" data-testid="test-problem">
            {p}
          </p>
        ))}
      </section>
      <section className="card" aria-labelledby="scores">
        <h2 id="scores">Scores ({taskTitle})</h2>
        <ScoreTable testId="compare-scores" caption="Bootstrap 95% intervals over the test cases" rowHeader="Run" rows={rows} chosen={choice.metric} showN={false} showPaper={false} />
        <CiBars
          chartId="compare-bars"
          title={`${taskTitle}: scores per run (95% CI)`}
          categories={SCORE_METRICS.map((m) => SCORE_TITLES[m])}
          series={comparison.runs.map((r) => ({ name: r.name, values: SCORE_METRICS.map((m) => r.scores[m] ?? null) }))}
        />
      </section>
      <section className="card" aria-labelledby="curves">
        <h2 id="curves">Curves</h2>
        <CurvePanel
          charts={[
            { id: 'compare-val-loss', title: 'Validation loss per epoch', series: curve('val/loss') },
            { id: 'compare-val-f1', title: `Validation F1 — ${taskTitle}`, series: curve(`val/${choice.task}/f1`), allowLog: false },
          ]}
          initial={{ smoothing: Number(one(params, 'smooth')) || 0, logScale: one(params, 'log') === '1', xAxis: one(params, 'x') === 'time' ? 'time' : 'step' }}
        />
      </section>
      <section className="card" aria-labelledby="config-diff">
        <h2 id="config-diff">Config differences</h2>
        <ConfigDiff runs={comparison.runs.map((r) => ({ label: r.name, href: `/runs/${r.id}` }))} rows={diff.rows} same={diff.same} />
      </section>
    </>
  );
}
