// Per-task results of one run or of a group of runs (the paper's Table 3 and its per-parameter
// figure): every head's accuracy, precision, recall, F1 and AUC with 95% intervals.
import { CiBars, EmptyState, FilterForm, SCORE_METRICS, SCORE_TITLES, ScoreTable, type ScoreRow } from '@ovus/ui';
import type { ScoreTable as ExportTable } from '@ovus/table-export';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ExportLinks } from '../../src/components/export-links';
import { PageHead, type Crumb } from '../../src/components/page-head';
import { readScoreChoice, scoreFields } from '../../src/components/score-controls';
import { api } from '../../src/server/api';
import { orNotFound } from '../../src/server/not-found';
import { keepParams, one, type SearchParams } from '../../src/url';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Per-task results' };

const FORMATS = ['csv', 'markdown', 'latex'] as const;
const FORMAT_LABELS = ['CSV', 'Markdown', 'LaTeX'];

export default async function ResultsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const choice = readScoreChoice(params);
  const runId = one(params, 'run');
  const sweepId = one(params, 'sweep');
  if (!runId && !sweepId) notFound();
  const caller = await api();
  const settings = { split: choice.split, averaging: choice.averaging };
  let table: ExportTable;
  let title: string;
  let crumbs: Crumb[];
  let exports: { filename: string; mediaType: string; content: string }[] = [];
  let many = false;
  if (runId) {
    const result = await orNotFound(caller.runs.taskTable({ id: runId, ...settings }));
    table = result.table;
    title = result.name;
    crumbs = [{ label: 'Runs', href: '/runs' }, { label: result.name, href: `/runs/${runId}` }, { label: 'Per-task results' }];
    if (table.rows.length > 0) exports = await Promise.all(FORMATS.map((format) => caller.runs.exportTaskTable({ id: runId, ...settings, format })));
  } else {
    const groupKey = one(params, 'group') || null;
    const result = await orNotFound(caller.sweeps.groupTasks({ id: sweepId, groupKey, ...settings }));
    table = result.table;
    title = result.label;
    many = true;
    crumbs = [{ label: 'Projects', href: '/' }, { label: result.sweep.name, href: `/sweeps/${sweepId}` }, { label: 'Per-task results' }];
    exports = await Promise.all(FORMATS.map((format) => caller.sweeps.exportGroupTasks({ id: sweepId, groupKey, ...settings, format })));
  }
  const metricIndex = SCORE_METRICS.indexOf(choice.metric);
  const rows: ScoreRow[] = table.rows.map((row) => ({
    key: row.label,
    label: row.label,
    n: row.n ?? undefined,
    scores: Object.fromEntries(SCORE_METRICS.map((m, i) => [m, row.cells[i] ?? null])),
    paper: row.paper?.[metricIndex] ?? null,
  }));
  return (
    <>
      <PageHead crumbs={crumbs} title={`Per-task results — ${title}`} sub={table.caption} />
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
                Every task — {choice.split} split, {choice.averaging} averaging
              </span>
              <ExportLinks files={exports.map((e, i) => ({ format: FORMATS[i], label: FORMAT_LABELS[i], fileName: e.filename, mime: e.mediaType, content: e.content }))} />
            </h2>
            <ScoreTable
              testId="task-table"
              caption={many ? 'Mean ± half-width of the 95% t-interval over the runs of the group' : 'Score ± half-width of the 95% bootstrap interval over the test cases; n = cases'}
              rowHeader="Task"
              rows={rows}
              chosen={choice.metric}
              showPaper={rows.some((r) => r.paper !== null && r.paper !== undefined)}
            />
          </section>
          <section className="card" aria-label="Chart">
            <CiBars
              chartId="task-bars"
              title="Scores per task (95% CI)"
              categories={table.rows.map((r) => r.label)}
              series={SCORE_METRICS.map((m, i) => ({ name: SCORE_TITLES[m], values: table.rows.map((r) => r.cells[i] ?? null) }))}
              height={320}
            />
          </section>
        </>
      )}
    </>
  );
}
