// Compare 2–10 runs: paired tests on the same test cases (McNemar on the predictions, DeLong on
// the AUC) of each run against the first, said in a plain sentence; their scores side by side
// with intervals; their curves overlaid; and what differs in their configs. `?groups=` compares
// groups of runs instead (./groups.tsx). A rule baseline (`ovus iota`) compares beside networks:
// its coverage is shown and its tests run on the cases the rules decided.
import { TASKS, TASK_NAMES, isTaskName } from '@ovus/domain';
import { CiBars, ConfigDiff, CurvePanel, EmptyState, FilterForm, SCORE_METRICS, SCORE_TITLES, ScoreTable, formatValue, type ScoreRow } from '@ovus/ui';
import type { Metadata } from 'next';
import { parseGroupAddress, type GroupAddress } from '../../src/components/group-address';
import { PageHead } from '../../src/components/page-head';
import { PairedTestDetail } from '../../src/components/paired-test-detail';
import { readScoreChoice } from '../../src/components/score-controls';
import { api } from '../../src/server/api';
import { orNotFound } from '../../src/server/not-found';
import { keepParams, many, one, type SearchParams } from '../../src/url';
import { CompareGroups } from './groups';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Compare runs' };

export default async function ComparePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const runIds = [...new Set(many(params, 'runs'))];
  const groupTexts = [...new Set(many(params, 'groups'))];
  const groups = groupTexts.map(parseGroupAddress).filter((g): g is GroupAddress => g !== null);
  const choice = readScoreChoice(params);
  if (groupTexts.length > 0 && groups.length === groupTexts.length && groups.length >= 2 && groups.length <= 10) return <CompareGroups groups={groups} params={params} />;
  if (groupTexts.length > 0 || runIds.length < 2 || runIds.length > 10) {
    return (
      <>
        <PageHead title="Compare runs" />
        <EmptyState title={groupTexts.length > 0 ? 'Choose 2 to 10 groups' : 'Choose 2 to 10 runs'}>
          <p>
            Open the <a href="/runs">runs table</a> and tick 2 to 10 runs, or a sweep's backbone table and follow a row's “compare with the best” link; or put
            the ids in the address: <code>/compare?runs=id1,id2</code> for runs, <code>/compare?groups=sweepId:groupKey,sweepId:groupKey</code> for groups.
          </p>
        </EmptyState>
      </>
    );
  }
  const caller = await api();
  const comparison = await orNotFound(caller.compare.runs({ runIds, task: choice.task, split: choice.split }));
  const [loss, f1] = await Promise.all([caller.compare.curves({ runIds, key: 'val/loss' }), caller.compare.curves({ runIds, key: `val/${choice.task}/f1` })]);
  const curve = (curves: typeof loss) =>
    curves.filter((c) => c.steps.length > 0).map((c) => ({ name: c.name, steps: c.steps, values: c.values, times: c.timestamps }));
  const scoresOf = (runId: string) => {
    const result = comparison.taskResults.find((t) => t.runId === runId)?.results.find((r) => r.task === choice.task && r.split === choice.split && r.averaging === choice.averaging);
    return Object.fromEntries(SCORE_METRICS.map((m) => [m, result?.[m] ? { mean: result[m].value, lo: result[m].lo, hi: result[m].hi } : null]));
  };
  const rows: ScoreRow[] = comparison.runs.map((r) => ({
    key: r.id,
    label: <a href={`/runs/${r.id}`}>{r.name}</a>,
    sublabel: `${r.backbone} · seed ${r.seed}`,
    scores: scoresOf(r.id),
    ruleBaseline: r.ruleBaseline,
    coverage: r.coverage,
  }));
  const nameOf = (id: string) => comparison.runs.find((r) => r.id === id)?.name ?? id;
  const taskTitle = isTaskName(choice.task) ? TASKS[choice.task].title : choice.task;
  return (
    <>
      <PageHead crumbs={[{ label: 'Runs', href: '/runs' }, { label: 'Compare' }]} title={`Compare ${comparison.runs.length} runs`} sub={`${taskTitle} on the ${choice.split} split, ${choice.averaging} averaging; paired tests against ${comparison.runs[0].name}`} />
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
          <div key={t.runId} className="paired" data-test="paired">
            <p className="sentence">{t.sentence}</p>
            {t.refused ? null : <PairedTestDetail test={t} lead={`${nameOf(t.runId)} vs ${nameOf(t.againstRunId)} on ${t.cases} cases`} />}
          </div>
        ))}
      </section>
      <section className="card" aria-labelledby="scores">
        <h2 id="scores">Scores ({taskTitle})</h2>
        <ScoreTable testId="compare-scores" caption="Score ± half-width of the 95% bootstrap interval over the test cases (a rule baseline's over the cases it decided)" rowHeader="Run" rows={rows} chosen={choice.metric} showN={false} showPaper={false} />
        <CiBars
          chartId="compare-bars"
          title={`${taskTitle}: scores per run (95% CI)`}
          categories={SCORE_METRICS.map((m) => SCORE_TITLES[m])}
          series={comparison.runs.map((r) => {
            const scores = scoresOf(r.id);
            return { name: r.name, values: SCORE_METRICS.map((m) => scores[m] ?? null) };
          })}
        />
      </section>
      <section className="card" aria-labelledby="latest">
        <h2 id="latest">Latest values of the validation series</h2>
        <div className="ui-table-wrap">
          <table className="ui-table" data-testid="compare-latest">
            <caption className="ui-visually-hidden">Latest metric values per run</caption>
            <thead>
              <tr>
                <th scope="col">Series</th>
                {comparison.runs.map((r) => (
                  <th key={r.id} scope="col" className="num">
                    {r.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {comparison.latestMetrics
                .filter((m) => m.key.startsWith('val/'))
                .map((m) => (
                  <tr key={m.key}>
                    <th scope="row">
                      <code>{m.key}</code>
                    </th>
                    {m.values.map((v, i) => (
                      <td key={i} className="num">
                        {formatValue(v)}
                      </td>
                    ))}
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="curves">
        <h2 id="curves">Curves</h2>
        <CurvePanel
          charts={[
            { id: 'compare-val-loss', title: 'Validation loss per epoch', series: curve(loss) },
            { id: 'compare-val-f1', title: `Validation F1 — ${taskTitle}`, series: curve(f1), allowLog: false },
          ]}
          initial={{ smoothing: Number(one(params, 'smooth')) || 0, logScale: one(params, 'log') === '1', xAxis: one(params, 'x') === 'time' ? 'time' : 'step' }}
        />
      </section>
      <section className="card" aria-labelledby="config-diff">
        <h2 id="config-diff">Config differences</h2>
        <ConfigDiff runs={comparison.runs.map((r) => ({ label: r.name, href: `/runs/${r.id}` }))} rows={comparison.configDiff.map((d) => ({ key: d.path, values: d.values }))} />
      </section>
    </>
  );
}
