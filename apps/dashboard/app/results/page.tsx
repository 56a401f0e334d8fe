// Per-task results of one run or of a group of runs (the paper's Table 3 and its per-parameter
// figure): every head's accuracy, precision, recall, F1 and AUC with 95% intervals.
import { TASKS, isTaskName } from '@ovus/domain';
import { CiBars, EmptyState, FilterForm, SCORE_METRICS, SCORE_TITLES, ScoreTable, type ScoreRow } from '@ovus/ui';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ExportLinks } from '../../src/components/export-links';
import { PageHead } from '../../src/components/page-head';
import { readScoreChoice, scoreFields } from '../../src/components/score-controls';
import { api } from '../../src/server/api';
import { orNotFound } from '../../src/server/not-found';
import { keepParams, one, type SearchParams } from '../../src/url';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Per-task results' };

export default async function ResultsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const choice = readScoreChoice(params);
  const runId = one(params, 'run');
  const sweepId = one(params, 'sweep');
  const target = runId ? { runId } : sweepId ? { sweepId, groupKey: one(params, 'group') } : null;
  if (!target) notFound();
  const caller = await api();
  const input = { target, split: choice.split, averaging: choice.averaging };
  const results = await orNotFound(caller.results.perTask(input));
  const exports = await Promise.all((['csv', 'markdown', 'latex'] as const).map((format) => caller.results.exportPerTask({ ...input, format })));
  const title = (task: string) => (isTaskName(task) ? TASKS[task].title : task);
  const rows: ScoreRow[] = results.rows.map((row) => ({
    key: row.task,
    label: title(row.task),
    n: row.n,
    scores: row.scores,
    paper: row.paper?.[choice.metric as 'accuracy'] ?? null,
  }));
  return (
    <>
      <PageHead
        crumbs={[{ label: 'Projects', href: '/' }, ...(results.sweep ? [{ label: results.sweep.name, href: `/sweeps/${results.sweep.id}` }] : []), { label: 'Per-task results' }]}
        title={`Per-task results — ${results.label}`}
        sub={results.runs.length === 1 ? <a href={`/runs/${results.runs[0].id}`}>Open the run</a> : `${results.runs.length} runs: mean ± 95% interval over runs`}
      />
      <FilterForm fields={scoreFields(choice, { task: false })} keep={keepParams(params, ['metric', 'split', 'averaging'])} label="Table settings" />
      {rows.length === 0 ? (
        <EmptyState title="No scores stored for this choice">
          <p>Scores are stored when a run finishes; try the other split or averaging.</p>
        </EmptyState>
      ) : (
        <>
          <section className="card" aria-labelledby="task-table">
            <h2 id="task-table">
              <span>
                Every task — {choice.split}, {choice.averaging}
              </span>
              <ExportLinks files={exports.map((e, i) => ({ format: e.format, label: ['CSV', 'Markdown', 'LaTeX'][i], fileName: e.fileName, mime: e.mime, content: e.content }))} />
            </h2>
            <ScoreTable testId="task-table" caption="Mean ± half-width of the 95% interval" rowHeader="Task" rows={rows} chosen={choice.metric} showN={results.runs.length > 1} />
          </section>
          <section className="card" aria-label="Chart">
            <CiBars
              chartId="task-bars"
              title="Scores per task (95% CI)"
              categories={results.rows.map((r) => title(r.task))}
              series={SCORE_METRICS.map((m) => ({ name: SCORE_TITLES[m], values: results.rows.map((r) => r.scores[m] ?? null) }))}
              height={320}
            />
          </section>
        </>
      )}
    </>
  );
}
